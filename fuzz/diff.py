#!/usr/bin/env python3
"""Differential fuzzing of wasmc against Wasmtime (issue 6).

For each seed: random bytes from the seed -> `wasm-tools smith` (threads on, the shape of
fuzz/shape.wat: one imported shared memory, no-argument exports, --ensure-termination) ->
run every export, in name order, on Wasmtime (here) and on wasmc (`wasmc-fuzz-run diff`, one
process per batch) -> compare status, results, trap classes and the memory hash (pages:crc32).

A mismatch is saved as fuzz/crashes/mismatch-SEED.wasm (shrunk with `wasm-tools shrink` when
--shrink is given) with the command that replays it. Exit status 1 when any mismatch or wasmc
crash was found, or when smith failed for more than a tenth of the seeds.

  python3 fuzz/diff.py --count 300 --start 0        # seeds 0..299
  python3 fuzz/diff.py --replay fuzz/crashes/mismatch-17.wasm
"""
import argparse, json, os, random, re, subprocess, sys, tempfile, zlib
import wasmtime

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE_LIMIT = 10_000_000
# WASMC_FUZZ_RUN points at another build of the runner (a copy, so rebuilding does not disturb a long run).
RUNNER = os.environ.get("WASMC_FUZZ_RUN") or os.path.join(HERE, "..", ".build", "debug", "wasmc-fuzz-run")

# Proposals wasmc implements: WebAssembly 2.0 (SIMD included) plus threads and extended
# constants. Everything else off; relaxed SIMD too, whose results are implementation-defined
# (each engine makes its own choice per instruction, docs/simd.md).
SMITH_FLAGS = [
    "--threads-enabled", "true", "--ensure-termination", "--fuel", "100000",
    "--canonicalize-nans", "true", "--max-memories", "1",
    "--simd-enabled", "true", "--relaxed-simd-enabled", "false", "--gc-enabled", "false",
    "--exceptions-enabled", "false", "--tail-call-enabled", "false", "--memory64-enabled", "false",
    "--wide-arithmetic-enabled", "false", "--custom-page-sizes-enabled", "false",
    "--custom-descriptors-enabled", "false", "--shared-everything-threads-enabled", "false",
    "--compact-imports-enabled", "false", "--extended-const-enabled", "true",
]

# Wasmtime trap codes -> the classes wasmc-fuzz-run prints (DiffRun.kind).
TRAP_CLASSES = {
    "STACK_OVERFLOW": "stack", "MEMORY_OUT_OF_BOUNDS": "memory", "HEAP_MISALIGNED": "unaligned",
    "TABLE_OUT_OF_BOUNDS": "table", "INDIRECT_CALL_TO_NULL": "null", "BAD_SIGNATURE": "signature",
    "INTEGER_OVERFLOW": "overflow", "INTEGER_DIVISION_BY_ZERO": "div0",
    "BAD_CONVERSION_TO_INTEGER": "conversion", "UNREACHABLE": "unreachable",
    "ATOMIC_WAIT_NON_SHARED_MEMORY": "expected-shared", "NULL_REFERENCE": "null-reference",
}

# memory.atomic.wait with a matching value and no notifier blocks forever on both engines
# (single-threaded harness): such modules are skipped and counted.
WAIT_RE = re.compile(rb"memory\.atomic\.wait")


def smith(seed, shape, out_path):
    data = random.Random(seed).randbytes(8192)
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(data); f.flush()
        r = subprocess.run(["wasm-tools", "smith", "--module-shape", shape, *SMITH_FLAGS, f.name, "-o", out_path],
                           capture_output=True)
    return r.returncode == 0


def shared_memory_extern(mem):
    """Workaround: wasmtime-py's SharedMemory._as_extern passes a pointer to its pointer."""
    from wasmtime import _ffi as ffi
    union = ffi.wasmtime_extern_union(sharedmemory=mem.ptr())
    return ffi.wasmtime_extern_t(ffi.WASMTIME_EXTERN_SHAREDMEMORY, union)


class SharedMemoryImport(wasmtime.SharedMemory):
    def _as_extern(self):
        return shared_memory_extern(self)


def value_str(ty, v):
    import struct
    k = str(ty)
    if k == "i32": return "i32:%d" % (v & 0xFFFFFFFF)
    if k == "i64": return "i64:%d" % (v & 0xFFFFFFFFFFFFFFFF)
    if k == "f32": return "f32:0x%x" % struct.unpack("<I", struct.pack("<f", v))[0]
    if k == "f64": return "f64:0x%x" % struct.unpack("<Q", struct.pack("<d", v))[0]
    return "%s:%r" % (k, v)


def trap_class(e):
    code = getattr(e, "trap_code", None)
    if code is not None:
        return TRAP_CLASSES.get(code.name, code.name)
    msg = str(e)
    for needle, cls in (("out of bounds memory", "memory"), ("call stack exhausted", "stack"),
                        ("unreachable", "unreachable"), ("misaligned", "unaligned"),
                        ("undefined element", "table"), ("table out of bounds", "table"),
                        ("uninitialized element", "null"), ("indirect call to null", "null"),
                        ("thrown Wasm exception", "exception")):
        if needle in msg: return cls
    return "other:" + msg.splitlines()[0][:80]


def mem_hash(mem):
    import ctypes
    n = mem.data_len()
    data = ctypes.string_at(mem.data_ptr(), n)
    return "%d:%x" % (n // 65536, zlib.crc32(data))


WASM_STACK = 256 << 20


def run_wasmtime(engine, path):
    """run_wasmtime_here on a thread with a stack deeper than WASM_STACK."""
    import threading
    out = []
    threading.stack_size(WASM_STACK + (128 << 20))
    t = threading.Thread(target=lambda: out.append(run_wasmtime_here(engine, path)))
    t.start(); t.join()
    return out[0]


def run_wasmtime_here(engine, path):
    with open(path, "rb") as f:
        wasm = f.read()
    store = wasmtime.Store(engine)
    # wasmc's default table cap (ResourceLimits.defaultMaxTableElements): the spec lets table.grow fail
    # at an implementation limit, so both engines get the same one (seed 10002017 grew a table by
    # 948,029,116 elements: Wasmtime allowed it, wasmc returned -1).
    store.set_limits(table_elements=TABLE_LIMIT)
    try:
        module = wasmtime.Module(engine, wasm)
    except Exception as e:
        return {"status": "compile-error", "error": str(e).splitlines()[0]}
    mem = SharedMemoryImport(engine, wasmtime.MemoryType(wasmtime.Limits(1, 16), shared=True))
    imports = []
    for imp in module.imports:
        if imp.module == "env" and imp.name == "memory":
            imports.append(mem)
        else:
            return {"status": "link-error", "error": "unknown import %s.%s" % (imp.module, imp.name)}
    try:
        inst = wasmtime.Instance(store, module, imports)
    except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
        return {"status": "instantiate-trap", "trap": trap_class(e), "mem": mem_hash(mem)}
    exports = inst.exports(store)
    calls = []
    for name in sorted(e.name for e in module.exports if isinstance(e.type, wasmtime.FuncType)):
        f = exports[name]
        try:
            r = f(store)
            results = [] if r is None else (list(r) if isinstance(r, (list, tuple)) else [r])
            tys = f.type(store).results
            calls.append({"name": name, "results": [value_str(t, v) for t, v in zip(tys, results)]})
        except wasmtime.Trap as e:
            calls.append({"name": name, "trap": trap_class(e)})
        except wasmtime.WasmtimeError as e:
            # wasmtime-py 50 cannot return an exnref ("Unkown ffi.wasmtime_valkind_t: 8"): the
            # call ran, its result is not compared (counted as skipped_exnref_result).
            if "valkind" not in str(e): raise
            calls.append({"name": name, "skip": "exnref result"})
    return {"status": "ok", "calls": calls, "mem": mem_hash(mem)}


WASMC_FLAGS = []


def run_wasmc(paths, timeout):
    """wasmc results by path; a path missing from the map crashed or hung the runner."""
    out = {}
    pending = list(paths)
    while pending:
        try:
            r = subprocess.run([RUNNER, "diff", *WASMC_FLAGS, *pending], capture_output=True, timeout=timeout)
            lines, died = r.stdout.decode(errors="replace").splitlines(), r.returncode != 0
        except subprocess.TimeoutExpired as e:
            lines, died = (e.stdout or b"").decode(errors="replace").splitlines(), True
        for line in lines:
            try:
                j = json.loads(line)
                out[j.pop("file")] = j
            except ValueError:
                pass
        done = [p for p in pending if p in out]
        pending = pending[len(done):]
        if died and pending:
            out[pending[0]] = {"status": "wasmc-crash-or-hang"}
            pending = pending[1:]
        elif not died:
            break
    return out


# Explained difference: the engines' stacks differ in size and frame layout, so one may
# exhaust its stack where the other goes on (and exhausts smith's fuel: "unreachable").
# Everything after that call depends on how far each got, so the rest is not compared.
EXPLAINED_STACK = "explained: stack depth"
# Explained difference: an atomic access that is both misaligned and out of bounds. wasmc
# always reports "unaligned atomic"; Wasmtime does too for loads, stores and RMW, but says
# "out of bounds" for memory.atomic.notify/wait32/wait64 when address + offset >= 2^32
# (fuzz/crashes/notify-precedence.wasm). Both trap at the same point; the rest is compared.
EXPLAINED_PRECEDENCE = "explained: trap precedence (misaligned and out of bounds)"


def compare(a, b):
    """None when equal, else a short reason. a: Wasmtime, b: wasmc."""
    if a["status"] != b["status"]:
        return "status %s (wasmtime %s) vs %s (wasmc %s)" % (a["status"], a.get("error", a.get("trap", "")),
                                                             b["status"], b.get("error", b.get("trap", "")))
    if a["status"] in ("compile-error", "link-error"):
        return None
    if a.get("trap") != b.get("trap"):
        if "stack" in (a.get("trap"), b.get("trap")):
            return EXPLAINED_STACK
        return "instantiation trap %s vs %s" % (a.get("trap"), b.get("trap"))
    precedence = False
    for ca, cb in zip(a.get("calls", []), b.get("calls", [])):
        if "skip" in ca and ca.get("name") == cb.get("name"):
            continue
        if ca != cb:
            if "stack" in (ca.get("trap"), cb.get("trap")):
                return EXPLAINED_STACK
            if {ca.get("trap"), cb.get("trap")} == {"memory", "unaligned"}:
                precedence = True
                continue
            return "export %s: %s vs %s" % (ca["name"], ca, cb)
    if len(a.get("calls", [])) != len(b.get("calls", [])):
        return "export count"
    if a.get("mem") != b.get("mem"):
        return "memory %s vs %s" % (a.get("mem"), b.get("mem"))
    return EXPLAINED_PRECEDENCE if precedence else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per wasmc batch")
    ap.add_argument("--shrink", action="store_true", help="minimise mismatches with wasm-tools shrink")
    ap.add_argument("--replay", help="compare one .wasm file and print both sides")
    ap.add_argument("--crashes", default=os.path.join(HERE, "crashes"))
    ap.add_argument("--optimize", action="store_true", help="wasmc's -O tier (system cc -O2) instead of libtcc")
    ap.add_argument("--exceptions", action="store_true",
                    help="exception handling on in smith and Wasmtime (uncaught exceptions compared as a trap class)")
    ap.add_argument("--tail-calls", action="store_true",
                    help="let smith generate return_call/return_call_indirect (typed function references "
                         "come only with its GC option, which wasmc does not implement)")
    ap.add_argument("--multi-memory", action="store_true", help="let smith generate up to 4 memories per module")
    ap.add_argument("--memory64", action="store_true", help="let smith generate 64-bit memories and tables")
    args = ap.parse_args()
    if args.multi_memory:
        SMITH_FLAGS[SMITH_FLAGS.index("--max-memories") + 1] = "4"
    if args.memory64:
        SMITH_FLAGS[SMITH_FLAGS.index("--memory64-enabled") + 1] = "true"
    if args.tail_calls:
        SMITH_FLAGS[SMITH_FLAGS.index("--tail-call-enabled") + 1] = "true"
    if args.optimize:
        WASMC_FLAGS.append("--optimize")
    if args.exceptions:
        SMITH_FLAGS[SMITH_FLAGS.index("--exceptions-enabled") + 1] = "true"

    config = wasmtime.Config()
    config.shared_memory = True
    config.wasm_threads = True
    if args.multi_memory:
        config.wasm_multi_memory = True
    if args.memory64:
        config.wasm_memory64 = True
    if args.exceptions:
        config.wasm_exceptions = True
    if args.tail_calls: config.wasm_tail_call = True
    # Deep stacks on both sides (wasmc-fuzz-run also calls on a 512 MiB thread), so that smith's
    # fuel, not the stack, ends deep recursion: stack depth is where the engines differ.
    # max_wasm_stack must stay below the async stack size, which the binding does not expose.
    from wasmtime import _ffi as ffi
    ffi.wasmtime_config_async_stack_size_set(config.ptr(), WASM_STACK + (64 << 20))
    config.max_wasm_stack = WASM_STACK
    engine = wasmtime.Engine(config)
    shape = os.path.join(HERE, "shape.wasm")
    subprocess.run(["wasm-tools", "parse", os.path.join(HERE, "shape.wat"), "-o", shape], check=True)

    if args.replay:
        a, b = run_wasmtime(engine, args.replay), run_wasmc([args.replay], args.timeout)[args.replay]
        print("wasmtime:", json.dumps(a)); print("wasmc:   ", json.dumps(b))
        reason = compare(a, b)
        print("MISMATCH:" if reason and not reason.startswith("explained") else "", reason or "same")
        return 1 if reason and not reason.startswith("explained") else 0

    os.makedirs(args.crashes, exist_ok=True)
    work = tempfile.mkdtemp(prefix="wasmc-diff-")
    counts = {"modules": 0, "same": 0, "mismatch": 0, "skipped_wait": 0, "smith_failed": 0,
              "both_rejected": 0, "instantiate_trap": 0, "exports_called": 0, "exports_trapped": 0}
    failures = []
    seeds = list(range(args.start, args.start + args.count))
    for i in range(0, len(seeds), args.batch):
        batch = []
        for seed in seeds[i:i + args.batch]:
            path = os.path.join(work, "seed-%d.wasm" % seed)
            if not smith(seed, shape, path):
                counts["smith_failed"] += 1; continue
            text = subprocess.run(["wasm-tools", "print", path], capture_output=True).stdout
            if WAIT_RE.search(text):
                counts["skipped_wait"] += 1; continue
            batch.append((seed, path))
        wasmc = run_wasmc([p for _, p in batch], args.timeout)
        for seed, path in batch:
            counts["modules"] += 1
            a, b = run_wasmtime(engine, path), wasmc[path]
            reason = compare(a, b)
            if reason == EXPLAINED_STACK:
                counts["explained_stack"] = counts.get("explained_stack", 0) + 1
                continue
            if reason == EXPLAINED_PRECEDENCE:
                counts["explained_precedence"] = counts.get("explained_precedence", 0) + 1
                continue
            if reason is None:
                counts["same"] += 1
                if a["status"] == "compile-error": counts["both_rejected"] += 1
                if a["status"] == "instantiate-trap": counts["instantiate_trap"] += 1
                for c in a.get("calls", []):
                    if "skip" in c:
                        counts["skipped_exnref_result"] = counts.get("skipped_exnref_result", 0) + 1
                        continue
                    counts["exports_called"] += 1
                    counts["exports_trapped"] += "trap" in c
                    if "trap" in c:
                        key = "trap_" + c["trap"]
                        counts[key] = counts.get(key, 0) + 1
                continue
            counts["mismatch"] += 1
            saved = os.path.join(args.crashes, "mismatch-%d.wasm" % seed)
            with open(path, "rb") as src, open(saved, "wb") as dst:
                dst.write(src.read())
            if args.shrink:
                shrink(saved, args)
            failures.append((seed, reason, saved))
            print("seed %d: MISMATCH %s\n  saved %s; replay: python3 fuzz/diff.py --replay %s"
                  % (seed, reason, saved, saved), flush=True)
        print("progress: %s" % json.dumps(counts), flush=True)
    print(json.dumps(counts))
    # A run that compared (almost) nothing proves nothing: smith refusing its flags (another
    # wasm-tools version) must fail the run, not pass it.
    if counts["smith_failed"] > args.count // 10 or (args.count > 0 and counts["modules"] == 0):
        print("error: wasm-tools smith failed for %d of %d seeds" % (counts["smith_failed"], args.count), flush=True)
        return 1
    return 1 if failures else 0


def shrink(path, args):
    """Minimise with wasm-tools shrink: a candidate is interesting while the engines still differ."""
    script = os.path.join(tempfile.mkdtemp(), "predicate.sh")
    with open(script, "w") as f:
        f.write("#!/bin/sh\nexec %s %s --replay \"$1\" >/dev/null\n" % (sys.executable, os.path.abspath(__file__)))
    os.chmod(script, 0o755)
    # shrink keeps a candidate when the predicate exits 0: invert (replay exits 1 on mismatch).
    inv = script + ".inv"
    with open(inv, "w") as f:
        f.write("#!/bin/sh\n%s \"$1\" && exit 1 || exit 0\n" % script)
    os.chmod(inv, 0o755)
    out = path.replace(".wasm", ".min.wasm")
    subprocess.run(["wasm-tools", "shrink", inv, path, "-o", out], capture_output=True, timeout=600)


if __name__ == "__main__":
    sys.exit(main())
