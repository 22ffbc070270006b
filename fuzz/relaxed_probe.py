#!/usr/bin/env python3
"""Relaxed SIMD: wasmc's choices against Wasmtime's deterministic ones, instruction by instruction.

One module of --calls exports, each applying one relaxed instruction to constant operands (random
bytes, float edge values: NaNs of both kinds and signs, infinities, zeros, conversion bounds;
bytes around 0x80) and returning the vector as two i64s. Run on Wasmtime (relaxed_simd_deterministic)
and on wasmc (wasmc-fuzz-run diff), after diff.py's rewriting of the float min/max/madd/nmadd
(prepare: NaN lanes canonicalised on both, madd/nmadd unfused on Wasmtime's side); --raw skips it.
Prints per instruction how many calls differ; exit status 1 when any does (without --raw).

  python3 fuzz/relaxed_probe.py --seed 1 [--optimize] [--raw]
"""
import argparse, json, os, random, struct, subprocess, sys, tempfile
import wasmtime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diff  # noqa: E402

UNARY = ["i32x4.relaxed_trunc_f32x4_s", "i32x4.relaxed_trunc_f32x4_u",
         "i32x4.relaxed_trunc_f64x2_s_zero", "i32x4.relaxed_trunc_f64x2_u_zero"]
BINARY = ["i8x16.relaxed_swizzle", "f32x4.relaxed_min", "f32x4.relaxed_max", "f64x2.relaxed_min",
          "f64x2.relaxed_max", "i16x8.relaxed_q15mulr_s", "i16x8.relaxed_dot_i8x16_i7x16_s"]
TERNARY = ["f32x4.relaxed_madd", "f32x4.relaxed_nmadd", "f64x2.relaxed_madd", "f64x2.relaxed_nmadd",
           "i8x16.relaxed_laneselect", "i16x8.relaxed_laneselect", "i32x4.relaxed_laneselect",
           "i64x2.relaxed_laneselect", "i32x4.relaxed_dot_i8x16_i7x16_add_s"]
F32 = [0, 0x80000000, 0x7fc00000, 0xffc00000, 0x7fa00000, 0x7f800000, 0xff800000, 0x3f800000, 0x4f000000,
       0x4f800000, 0xcf000000, 0xcf000001, 0x1, 0x7f7fffff, 0x3f000001]
F64 = [0.0, -0.0, float("nan"), float("inf"), -float("inf"), 1.0, 2.0 ** 31, 2.0 ** 32, -2.0 ** 31 - 1, 1e300,
       0.1, 2.0 ** 53 + 1, 5e-324]


def vector(rng):
    kind = rng.randrange(4)
    if kind == 0: return bytes(rng.randrange(256) for _ in range(16))
    if kind == 1: return b"".join(struct.pack("<I", rng.choice(F32)) for _ in range(4))
    if kind == 2: return b"".join(struct.pack("<d", rng.choice(F64)) for _ in range(2))
    return bytes(rng.choice([0, 0x7f, 0x80, 0xff, 1, 0x81]) for _ in range(16))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--calls", type=int, default=300)
    ap.add_argument("--optimize", action="store_true", help="wasmc's -O tier")
    ap.add_argument("--raw", action="store_true", help="without diff.py's rewriting (shows why it exists)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    ops, funcs = [], []
    for i in range(args.calls):
        op = rng.choice(UNARY + BINARY + TERNARY)
        n = 1 if op in UNARY else 2 if op in BINARY else 3
        operands = " ".join("(v128.const i8x16 %s)" % " ".join(map(str, vector(rng))) for _ in range(n))
        ops.append(op)
        funcs.append('(func (export "e%04d") (result i64 i64) (local v128) (local.set 0 (%s %s)) '
                     '(i64x2.extract_lane 0 (local.get 0)) (i64x2.extract_lane 1 (local.get 0)))' % (i, op, operands))
    work = tempfile.mkdtemp(prefix="wasmc-relaxed-")
    path = os.path.join(work, "probe.wasm")
    text = ('(module (import "env" "memory" (memory 1 16 shared))\n' + "\n".join(funcs) + ")\n").encode()
    subprocess.run(["wasm-tools", "parse", "-", "-o", path], input=text, check=True)
    printed = subprocess.run(["wasm-tools", "print", path], capture_output=True, check=True).stdout
    for_wasmtime, for_wasmc = (path, path) if args.raw else diff.prepare(path, printed, True)

    config = wasmtime.Config()
    config.shared_memory = config.wasm_threads = True
    config.wasm_relaxed_simd = config.wasm_relaxed_simd_deterministic = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    module = wasmtime.Module.from_file(engine, for_wasmtime)
    memory = diff.SharedMemoryImport(engine, wasmtime.MemoryType(wasmtime.Limits(1, 16), shared=True))
    exports = wasmtime.Instance(store, module, [memory]).exports(store)
    flags = (["--optimize"] if args.optimize else [])
    wasmc = json.loads(subprocess.run([diff.RUNNER, "diff", *flags, for_wasmc], capture_output=True, check=True).stdout)

    calls, differ = {}, {}
    for i, (op, call) in enumerate(zip(ops, wasmc["calls"])):
        theirs = [x & 0xFFFF_FFFF_FFFF_FFFF for x in exports["e%04d" % i](store)]
        ours = [int(r.split(":")[1]) & 0xFFFF_FFFF_FFFF_FFFF for r in call.get("results", [])]
        calls[op] = calls.get(op, 0) + 1
        if theirs != ours:
            differ[op] = differ.get(op, 0) + 1
    for op in sorted(calls):
        print("%-38s %4d calls, %3d differ" % (op, calls[op], differ.get(op, 0)))
    print(json.dumps({"seed": args.seed, "calls": args.calls, "differ": sum(differ.values()), "raw": args.raw,
                      "optimize": args.optimize}))
    return 1 if differ and not args.raw else 0


if __name__ == "__main__":
    sys.exit(main())
