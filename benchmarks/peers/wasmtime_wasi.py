"""One Wasmtime run of a WASI command, in a fresh process, by bench.py.
Usage: wasmtime_wasi.py FILE.wasm [--dir HOST::GUEST] -- ARG ...
Prints one JSON line: compile_s = Module(engine, bytes), run_s/cpu_s = the call of _start,
output = the program's stdout, exit_code = its proc_exit code (0 when _start returns)."""
import json
import os
import resource
import sys
import tempfile
import time

import wasmtime

args = sys.argv[1:]
path = args.pop(0)
dirs, program_args = [], []
while args:
    a = args.pop(0)
    if a == "--dir":
        dirs.append(args.pop(0))
    elif a == "--":
        program_args, args = args, []
data = open(path, "rb").read()
engine = wasmtime.Engine()
c0, t0 = time.process_time(), time.perf_counter()
module = wasmtime.Module(engine, data)
t1, c1 = time.perf_counter(), time.process_time()
out = {"engine": "wasmtime", "file": path, "bytes": len(data), "compile_s": t1 - t0, "compile_cpu_s": c1 - c0}
linker = wasmtime.Linker(engine)
linker.define_wasi()
store = wasmtime.Store(engine)
wasi = wasmtime.WasiConfig()
wasi.argv = ["prog"] + program_args
for d in dirs:
    host, _, guest = d.partition("::")
    wasi.preopen_dir(host, guest or host)
stdout = tempfile.NamedTemporaryFile(delete=False)
stdout.close()
wasi.stdout_file = stdout.name
store.set_wasi(wasi)
instance = linker.instantiate(store, module)
start = instance.exports(store)["_start"]
code = 0
c2, t2 = time.process_time(), time.perf_counter()
try:
    start(store)
except wasmtime.ExitTrap as e:
    code = e.code
t3, c3 = time.perf_counter(), time.process_time()
out.update(run_s=t3 - t2, cpu_s=c3 - c2, exit_code=code)
with open(stdout.name) as f:
    out["output"] = f.read()
os.unlink(stdout.name)
out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
