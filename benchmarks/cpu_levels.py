#!/usr/bin/env python3
"""The -O tier at each x86-64 level (`--cpu`): every kernel's scalar and SIMD build, run time
against native gcc -O2 (baseline x86-64) and the SIMD build over the scalar one, per level.

Each build is compiled once per level (`wasmc compile -O --cpu LEVEL`), then `wasmc-bench
FILE.so` (a fresh process per sample) and the native build run interleaved: median CPU time of
run() over --runs rounds. A level the CPU lacks stops the script: its .so is refused at load.

  python3 benchmarks/cpu_levels.py --wasmc .build/release/wasmc --bench .build/release/wasmc-bench
"""
import argparse, json, math, os, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS = ["nbody", "sieve", "sha256", "matmul", "sort", "crc32", "fib", "lz77"]

ap = argparse.ArgumentParser()
ap.add_argument("--wasmc", required=True)
ap.add_argument("--bench", required=True)
ap.add_argument("--runs", type=int, default=11)
ap.add_argument("--levels", default="baseline,x86-64-v2,x86-64-v3")
ap.add_argument("--kernels", default=",".join(KERNELS))
a = ap.parse_args()
levels, kernels = a.levels.split(","), a.kernels.split(",")


def cpu_s(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    lines = [x for x in out.stdout.splitlines() if x.startswith("{")]
    if out.returncode != 0 or not lines:
        sys.exit(f"error: {' '.join(cmd)} failed: {out.stderr.strip()[:400]}")
    return json.loads(lines[-1])["cpu_s"]


tmp = tempfile.mkdtemp(prefix="wasmc-cpu-levels-")
so = {}
for k in kernels:
    for v, wasm in (("scalar", f"{HERE}/wasm/{k}.wasm"), ("simd", f"{HERE}/wasm/simd/{k}.wasm")):
        for l in levels:
            so[k, v, l] = f"{tmp}/{k}-{v}-{l}.so"
            subprocess.run([a.wasmc, "compile", "-O", "--cpu", l, wasm, "-o", so[k, v, l]], check=True)
times = {key: [] for key in so}
native = {k: [] for k in kernels}
for r in range(a.runs):
    for k in kernels:
        native[k].append(cpu_s([f"{HERE}/build/native/{k}"]))
        for key in so:
            if key[0] == k:
                times[key].append(cpu_s([a.bench, so[key]]))

med = statistics.median
print(f"CPU-time medians of {a.runs} interleaved runs, ms (× native gcc -O2); SIMD/scalar per level\n")
print("| kernel | native | " + " | ".join(f"{l} scalar | {l} SIMD | {l} SIMD/scalar" for l in levels) + " |")
print("|---|---:|" + "---:|---:|---:|" * len(levels))
for k in kernels:
    n = med(native[k])
    cells = [f"{n * 1e3:.1f}"]
    for l in levels:
        s, v = med(times[k, "scalar", l]), med(times[k, "simd", l])
        cells += [f"{s * 1e3:.1f} ({s / n:.2f}×)", f"{v * 1e3:.1f} ({v / n:.2f}×)", f"{v / s:.2f}×"]
    print(f"| {k} | " + " | ".join(cells) + " |")
print()
for l in levels:
    g = {v: math.exp(statistics.fmean(math.log(med(times[k, v, l]) / med(native[k])) for k in kernels))
         for v in ("scalar", "simd")}
    print(f"{l}: geomean × native: scalar {g['scalar']:.3f}, SIMD {g['simd']:.3f}")
