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
# Pages any memory may have, on both engines (wasmc-fuzz-run --max-memory-pages, Wasmtime's
# store limit): memory.grow past it returns -1 and a larger minimum fails instantiation on both
# ("resource-limit"). Without it a module with several memories made Wasmtime touch 24 GB and the
# kernel killed the run (seed range 30000200, --all-features). smith is told the same bound.
MEMORY_CAP_PAGES = 4096
# Wasmtime's error when a memory's or table's minimum is over the store's limits.
LIMIT_RE = re.compile(r"^(memory|table) minimum size of \d+ \w+ exceeds (memory|table) limits")
# WASMC_FUZZ_RUN points at another build of the runner (a copy, so rebuilding does not disturb a long run).
RUNNER = os.environ.get("WASMC_FUZZ_RUN") or os.path.join(HERE, "..", ".build", "debug", "wasmc-fuzz-run")

# By default: WebAssembly 2.0 (SIMD included) plus threads and extended constants; the options
# below (--all-features: all of them) add the 3.0 proposals wasmc implements. GC and the
# proposals wasmc lacks stay off.
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

# What the compared modules use (counted as uses_*, from `wasm-tools print`): a flag that
# smith ignored would show as 0 here.
FEATURE_RES = {
    "simd": re.compile(rb"\bv128\b"), "relaxed_simd": re.compile(rb"\.relaxed_"),
    "tail_calls": re.compile(rb"\breturn_call"), "exceptions": re.compile(rb"\b(try_table|throw|throw_ref)\b"),
    "memory64": re.compile(rb"\(memory \(;\d+;\) i64"), "table64": re.compile(rb"\(table \(;\d+;\) i64"),
    "atomics": re.compile(rb"\.atomic\."), "bulk_memory": re.compile(rb"\b(memory\.(copy|fill|init)|data\.drop)\b"),
}
MEMORY_RE = re.compile(rb"\(memory \(;\d+;\)")


# Relaxed SIMD (--all-features): Wasmtime runs it with relaxed_simd_deterministic, whose choice
# equals wasmc's (docs/simd.md) for every relaxed instruction but two kinds:
# - relaxed_madd/nmadd: Wasmtime's deterministic choice is a fused multiply-add, wasmc's is
#   unfused (a * b + c, two roundings);
# - the NaN a float min/max/madd/nmadd returns: the spec leaves its sign and payload open, and
#   smith's --canonicalize-nans does not cover the relaxed instructions.
# Both are choices the relaxed SIMD spec allows, so each such instruction becomes a call to a helper
# appended to the module: on both engines the helper canonicalises NaN results, and on Wasmtime's
# side madd/nmadd compute wasmc's documented choice (f*.mul then f*.add). Everything else, the
# relaxed instruction itself included on wasmc's side, runs as smith wrote it.
RELAXED_FLOAT_RE = re.compile(rb"\b(f32x4|f64x2)\.relaxed_(madd|nmadd|min|max)\b")
CANONICAL_NAN = {b"f32x4": b"i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000",
                 b"f64x2": b"i64x2 0x7ff8000000000000 0x7ff8000000000000"}


def relaxed_helpers(wasmtime_side):
    """$wasmc_fuzz_<shape>_<op> for the 8 instructions of RELAXED_FLOAT_RE, as WAT fields."""
    out = []
    for shape in (b"f32x4", b"f64x2"):
        for op in (b"madd", b"nmadd", b"min", b"max"):
            if op in (b"min", b"max"):
                params, body = b"(param v128 v128)", b"(%s.relaxed_%s (local.get 0) (local.get 1))" % (shape, op)
                tmp = 2
            else:
                params, tmp = b"(param v128 v128 v128)", 3
                body = b"(%s.relaxed_%s (local.get 0) (local.get 1) (local.get 2))" % (shape, op)
                if wasmtime_side:
                    product = b"(%s.mul (local.get 0) (local.get 1))" % shape
                    if op == b"nmadd": product = b"(%s.neg %s)" % (shape, product)
                    body = b"(%s.add %s (local.get 2))" % (shape, product)
            out.append(b"(func $wasmc_fuzz_%s_%s %s (result v128) (local v128) (local.set %d %s) "
                       b"(v128.bitselect (v128.const %s) (local.get %d) (%s.ne (local.get %d) (local.get %d))))"
                       % (shape, op, params, tmp, body, CANONICAL_NAN[shape], tmp, shape, tmp, tmp))
    return b"\n".join(out)


# The memories a module defines (beside the imported env.memory, --multi-memory) are exported
# under these names by prepare(), so that both engines hash them too (sparse_hash).
MEMORY_EXPORT = "wasmc_fuzz_mem"
DEFINED_MEMORY_RE = re.compile(rb"^  \(memory \(;(\d+);\)", re.M)


def prepare(path, text, relaxed):
    """(Wasmtime's module, wasmc's module): `path` itself, or the rewritings above (relaxed
    float helpers when `relaxed`; exports of the defined memories)."""
    helpers = relaxed and RELAXED_FLOAT_RE.search(text)
    memories = DEFINED_MEMORY_RE.findall(text)
    if not helpers and not memories:
        return path, path
    body = (RELAXED_FLOAT_RE.sub(rb"call $wasmc_fuzz_\1_\2", text) if helpers else text).rstrip()
    assert body.endswith(b")")
    exports = b"".join(b'(export "%s%s" (memory %s))\n' % (MEMORY_EXPORT.encode(), m, m) for m in memories)
    paths = []
    for side in ("wasmtime", "wasmc"):
        out = path.replace(".wasm", ".%s.wasm" % side)
        wat = body[:-1] + exports + (relaxed_helpers(side == "wasmtime") if helpers else b"") + b")\n"
        subprocess.run(["wasm-tools", "parse", "-", "-o", out], input=wat, check=True, capture_output=True)
        paths.append(out)
    return tuple(paths)


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


ZERO_PAGE = bytes(65536)


def sparse_hash(data):
    """`pages:crc32` over (page index, page) of the pages that are not all zero: memories the
    harness exports (MEMORY_EXPORT) may be hundreds of MiB, almost all untouched."""
    import struct
    crc = 0
    for i in range(len(data) // 65536):
        page = data[i * 65536:(i + 1) * 65536]
        if page != ZERO_PAGE:
            crc = zlib.crc32(page, zlib.crc32(struct.pack("<I", i), crc))
    return "%d:%x" % (len(data) // 65536, crc)


def exported_memories(store, exports):
    """{name: sparse_hash} of the memories prepare() exported."""
    import ctypes
    out = {}
    for name in sorted(exports):
        if not name.startswith(MEMORY_EXPORT):
            continue
        m = exports[name]
        if isinstance(m, wasmtime.SharedMemory):
            data = ctypes.string_at(m.data_ptr(), m.data_len())
        else:
            data = ctypes.string_at(m.data_ptr(store), m.data_len(store))
        out[name] = sparse_hash(data)
    return out


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
    # Memories likewise (seed 30000187: a 64-bit memory of 2^48 pages failed to mmap on Wasmtime
    # and was over wasmc's 16 GiB cap; now over MEMORY_CAP_PAGES on both).
    store.set_limits(table_elements=TABLE_LIMIT, memory_size=MEMORY_CAP_PAGES * 65536)
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
        limit = LIMIT_RE.match(str(e))
        if limit:
            return {"status": "resource-limit", "error": limit.group(1)}
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
    result = {"status": "ok", "calls": calls, "mem": mem_hash(mem)}
    memories = exported_memories(store, {n: exports[n] for n in (e.name for e in module.exports)})
    if memories:
        result["mems"] = memories
    return result


WASMC_FLAGS = ["--max-memory-pages", str(MEMORY_CAP_PAGES)]


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
            # The module the batch died on, alone: a batch of -O compiles can outlast the timeout
            # on busy cores (seed 40002534 at load 12: that batch takes 15-20 s when run again).
            out[pending[0]] = run_alone(pending[0], timeout)
            pending = pending[1:]
        elif not died:
            break
    return out


def run_alone(path, timeout):
    """wasmc's result for one module, or wasmc-crash-or-hang when the runner dies on it alone."""
    try:
        r = subprocess.run([RUNNER, "diff", *WASMC_FLAGS, path], capture_output=True, timeout=timeout)
        for line in r.stdout.decode(errors="replace").splitlines():
            try:
                j = json.loads(line)
            except ValueError:
                continue
            if r.returncode == 0 and j.pop("file") == path:
                return j
    except subprocess.TimeoutExpired:
        pass
    return {"status": "wasmc-crash-or-hang"}


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
    if a["status"] == "resource-limit":
        return None if a["error"] == b["error"] else "resource limit %s vs %s" % (a["error"], b["error"])
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
    if a.get("mems") != b.get("mems"):
        return "defined memories %s vs %s" % (a.get("mems"), b.get("mems"))
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
    ap.add_argument("--corpus", help="only write smith's modules for the seeds (with the feature options) "
                                     "into this folder, for the decoder fuzzer (make fuzz-decode)")
    ap.add_argument("--optimize", action="store_true", help="wasmc's -O tier (system cc -O2) instead of libtcc")
    ap.add_argument("--exceptions", action="store_true",
                    help="exception handling on in smith and Wasmtime (uncaught exceptions compared as a trap class)")
    ap.add_argument("--tail-calls", action="store_true",
                    help="let smith generate return_call/return_call_indirect (typed function references "
                         "come only with its GC option, which wasmc does not implement)")
    ap.add_argument("--multi-memory", action="store_true", help="let smith generate up to 4 memories per module")
    ap.add_argument("--memory64", action="store_true", help="let smith generate 64-bit memories and tables")
    ap.add_argument("--all-features", action="store_true",
                    help="every proposal wasmc implements at once: --exceptions --tail-calls --multi-memory "
                         "--memory64 with SIMD, threads, bulk memory, reference types, multi-value, "
                         "extended constants (make fuzz-long)")
    ap.add_argument("--relaxed-simd", action="store_true",
                    help="relaxed SIMD in smith; Wasmtime's deterministic choices (float madd/nmadd/min/max "
                         "go through helpers, see RELAXED_FLOAT_RE)")
    args = ap.parse_args()
    if args.all_features:
        args.exceptions = args.tail_calls = args.multi_memory = args.memory64 = args.relaxed_simd = True
        # smith's defaults today, named so that a future default cannot turn them off unnoticed.
        for flag in ("--bulk-memory-enabled", "--reference-types-enabled", "--multi-value-enabled",
                     "--saturating-float-to-int-enabled", "--sign-extension-ops-enabled"):
            SMITH_FLAGS.extend([flag, "true"])
    if args.multi_memory:
        SMITH_FLAGS[SMITH_FLAGS.index("--max-memories") + 1] = "4"
    if args.multi_memory or args.memory64:
        # Memories smith defines: declared sizes within the cap (growth past it is still tried).
        SMITH_FLAGS.extend(["--max-memory32-bytes", str(MEMORY_CAP_PAGES * 65536),
                            "--max-memory64-bytes", str(MEMORY_CAP_PAGES * 65536)])
    if args.memory64:
        SMITH_FLAGS[SMITH_FLAGS.index("--memory64-enabled") + 1] = "true"
    if args.tail_calls:
        SMITH_FLAGS[SMITH_FLAGS.index("--tail-call-enabled") + 1] = "true"
    if args.optimize:
        WASMC_FLAGS.append("--optimize")
    if args.relaxed_simd:
        SMITH_FLAGS[SMITH_FLAGS.index("--relaxed-simd-enabled") + 1] = "true"
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
    if args.relaxed_simd:
        config.wasm_relaxed_simd = True
        config.wasm_relaxed_simd_deterministic = True
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
        text = subprocess.run(["wasm-tools", "print", args.replay], capture_output=True, check=True).stdout
        work = tempfile.mkdtemp(prefix="wasmc-replay-")
        copy = os.path.join(work, "replay.wasm")
        with open(args.replay, "rb") as src, open(copy, "wb") as dst:
            dst.write(src.read())
        for_wasmtime, for_wasmc = prepare(copy, text, args.relaxed_simd)
        a, b = run_wasmtime(engine, for_wasmtime), run_wasmc([for_wasmc], args.timeout)[for_wasmc]
        print("wasmtime:", json.dumps(a)); print("wasmc:   ", json.dumps(b))
        reason = compare(a, b)
        print("MISMATCH:" if reason and not reason.startswith("explained") else "", reason or "same")
        return 1 if reason and not reason.startswith("explained") else 0

    if args.corpus:
        os.makedirs(args.corpus, exist_ok=True)
        made = sum(smith(seed, shape, os.path.join(args.corpus, "smith-%d.wasm" % seed))
                   for seed in range(args.start, args.start + args.count))
        print("corpus: %d smith modules in %s" % (made, args.corpus))
        return 0 if made > 0 else 1

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
            for name, feature in FEATURE_RES.items():
                if feature.search(text): counts["uses_" + name] = counts.get("uses_" + name, 0) + 1
            if len(MEMORY_RE.findall(text)) > 1: counts["uses_multi_memory"] = counts.get("uses_multi_memory", 0) + 1
            for_wasmtime, for_wasmc = prepare(path, text, args.relaxed_simd)
            if args.relaxed_simd and RELAXED_FLOAT_RE.search(text):
                counts["relaxed_float_helpers"] = counts.get("relaxed_float_helpers", 0) + 1
            batch.append((seed, path, for_wasmtime, for_wasmc))
        wasmc = run_wasmc([p for _, _, _, p in batch], args.timeout)
        for seed, path, for_wasmtime, for_wasmc in batch:
            counts["modules"] += 1
            a, b = run_wasmtime(engine, for_wasmtime), wasmc[for_wasmc]
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
                if a["status"] == "resource-limit":
                    counts["both_over_limit"] = counts.get("both_over_limit", 0) + 1
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
            print("seed %d: MISMATCH %s\n  saved %s; replay: python3 fuzz/diff.py %s--replay %s"
                  % (seed, reason, saved, "--all-features " if args.all_features else "", saved), flush=True)
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
        # The run's feature and tier options, which the replay needs to see the same difference.
        options = " ".join(o for o in ("--all-features", "--exceptions", "--tail-calls", "--multi-memory", "--memory64",
                                       "--relaxed-simd", "--optimize") if getattr(args, o[2:].replace("-", "_")))
        # Interesting (exit 0, what shrink keeps) only when the replay reports a mismatch, not when it
        # fails some other way.
        f.write("#!/bin/sh\n%s %s %s --replay \"$1\" | grep -q '^MISMATCH:'\n"
                % (sys.executable, os.path.abspath(__file__), options))
    os.chmod(script, 0o755)
    out = path.replace(".wasm", ".min.wasm")
    subprocess.run(["wasm-tools", "shrink", script, path, "-o", out], capture_output=True, timeout=600)


if __name__ == "__main__":
    sys.exit(main())
