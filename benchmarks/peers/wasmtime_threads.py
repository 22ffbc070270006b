"""The threaded workloads on Wasmtime: one shared memory, one store + instance per thread
(ctypes releases the GIL during each wasm call). Usage: wasmtime_threads.py FILE.wasm
counter|pingpong THREADS ITERS → one JSON line like wasmc-bench's."""
import json
import sys
import os
import threading
import time

import wasmtime
from wasmtime import _ffi as ffi
from wasmtime._sharedmemory import SharedMemory


def _as_extern(self):
    # wasmtime-py 50 wraps the pointer twice here (TypeError); pass it as is
    union = ffi.wasmtime_extern_union(sharedmemory=self.ptr())
    return ffi.wasmtime_extern_t(ffi.WASMTIME_EXTERN_SHAREDMEMORY, union)


SharedMemory._as_extern = _as_extern

path, workload, threads, iters = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
n = 2 if workload == "pingpong" else threads
config = wasmtime.Config()
config.wasm_threads = True
config.shared_memory = True
engine = wasmtime.Engine(config)
t0 = time.perf_counter()
module = wasmtime.Module(engine, open(path, "rb").read())
compile_s = time.perf_counter() - t0
mem_type = next(i.type for i in module.imports if isinstance(i.type, wasmtime.MemoryType))
memory = wasmtime.SharedMemory(engine, mem_type)
stores = [wasmtime.Store(engine) for _ in range(n)]
instances = [wasmtime.Instance(s, module, [memory]) for s in stores]
instances[0].exports(stores[0])["reset"](stores[0])
barrier = threading.Barrier(n + 1)


CPUS = sorted(os.sched_getaffinity(0))


def work(i):
    # Worker i on the i-th usable CPU, as in every engine's driver (pid 0: this thread).
    os.sched_setaffinity(0, {CPUS[i % len(CPUS)]})
    name = "worker" if workload == "counter" else ("ping" if i == 0 else "pong")
    f = instances[i].exports(stores[i])[name]
    barrier.wait()
    f(stores[i], iters)


ts = [threading.Thread(target=work, args=(i,)) for i in range(n)]
for t in ts:
    t.start()
time.sleep(0.05)
t1 = time.perf_counter()
barrier.wait()
for t in ts:
    t.join()
dt = time.perf_counter() - t1
check = instances[0].exports(stores[0])["total" if workload == "counter" else "rounds"](stores[0]) & 0xFFFFFFFF
ops = iters * n if workload == "counter" else 2 * iters
ok = check == (iters * n if workload == "counter" else iters)
print(json.dumps({"engine": "wasmtime", "workload": workload, "threads": n, "compile_s": compile_s,
                  "run_s": dt, "ns_per_op": dt * 1e9 / ops, "ok": ok}))
