#!/usr/bin/env python3
"""What the interruption poll at loop starts costs each kernel, in both tiers.

For each kernel the generated C (`wasmc compile --emit-c`) is compared with the same C whose
`WASMC_POLL_INTERRUPT();` statements are removed (the function-entry check is the stack check
either way). Default tier: benchmarks/tcc_align.py (tcc builds at 8 code alignments, mean of the
per-alignment minima). -O tier: cc -O2 with wasmc's flags, runs interleaved, median CPU time.

  python3 benchmarks/interrupt_cost.py --wasmc .build/release/wasmc --bench .build/release/wasmc-bench
"""
import argparse, json, os, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--wasmc", required=True)
ap.add_argument("--bench", required=True)
ap.add_argument("--kernels", default="fib,matmul,sieve,crc32,sort,sha256,nbody,lz77")
ap.add_argument("--rounds", type=int, default=3, help="tcc: runs per alignment")
ap.add_argument("--runs", type=int, default=9, help="-O: interleaved runs per variant")
ap.add_argument("--tiers", default="tcc,O")
a = ap.parse_args()
expected = json.load(open(os.path.join(HERE, "kernels", "expected.json")))
tmp = tempfile.mkdtemp(prefix="interrupt_cost_")

def cpu(so, k):
    o = subprocess.run([a.bench, so, "--expect", str(expected[k])], capture_output=True, text=True, check=True)
    j = json.loads(o.stdout.strip().split("\n")[-1])
    assert j["ok"], (k, j)
    return j["cpu_s"]

for k in a.kernels.split(","):
    base = os.path.join(tmp, k)
    subprocess.run([a.wasmc, "compile", os.path.join(HERE, "wasm", k + ".wasm"), "-o", base + ".so", "--emit-c", base + ".c"], check=True)
    src = open(base + ".c").read()
    polls = src.count("WASMC_POLL_INTERRUPT();")
    open(base + "_nopoll.c", "w").write(src.replace("WASMC_POLL_INTERRUPT();", ""))
    if "tcc" in a.tiers:
        print("%s (tcc, %d polls):" % (k, polls), flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "tcc_align.py"), "--bench", a.bench, "--expect", str(expected[k]),
                        "--rounds", str(a.rounds), base + ".c", base + "_nopoll.c"], check=True)
    if "O" in a.tiers:
        # The -O tier lowers differently: its own C, with the flags of NativeCompiler.swift.
        subprocess.run([a.wasmc, "compile", "-O", os.path.join(HERE, "wasm", k + ".wasm"), "-o", base + "_O.so", "--emit-c", base + "_O.c"], check=True)
        srcO = open(base + "_O.c").read()
        open(base + "_O_nopoll.c", "w").write(srcO.replace("WASMC_POLL_INTERRUPT();", ""))
        sos = {}
        for v in ("_O", "_O_nopoll"):
            sos[v] = base + v + "_cc.so"
            subprocess.run(["cc", "-O2", "-std=gnu11", "-shared", "-fPIC", "-fno-optimize-sibling-calls", "-o", sos[v], base + v + ".c"], check=True)
        times = {v: [] for v in sos}
        for _ in range(a.runs):
            for v, so in sos.items():
                times[v].append(cpu(so, k))
        with_, without = statistics.median(times["_O"]), statistics.median(times["_O_nopoll"])
        print("%s (-O, %d polls): with %.4f s  without %.4f s  cost %+.1f%%" % (k, srcO.count("WASMC_POLL_INTERRUPT();"), with_, without,
                                                                              100 * (with_ / without - 1)), flush=True)
