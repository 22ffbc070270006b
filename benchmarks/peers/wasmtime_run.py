"""One Wasmtime measurement, run in a fresh process by bench.py (so its peak memory is its own).
Usage: wasmtime_run.py FILE.wasm [--compile-only]
Prints one JSON line: compile_s = Module(engine, bytes), run_s = the call of `run` (no args)."""
import json
import resource
import sys
import time

import wasmtime

path = sys.argv[1]
compile_only = "--compile-only" in sys.argv[2:]
data = open(path, "rb").read()
engine = wasmtime.Engine()
c0, t0 = time.process_time(), time.perf_counter()
module = wasmtime.Module(engine, data)
t1, c1 = time.perf_counter(), time.process_time()
out = {"engine": "wasmtime", "file": path, "bytes": len(data), "compile_s": t1 - t0, "compile_cpu_s": c1 - c0}
if not compile_only:
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, module, [])
    run = instance.exports(store)["run"]
    c2, t2 = time.process_time(), time.perf_counter()
    result = run(store)
    t3, c3 = time.perf_counter(), time.process_time()
    out["run_s"] = t3 - t2
    out["cpu_s"] = c3 - c2
    out["checksum"] = result & 0xFFFFFFFF  # i32 comes back signed
out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
