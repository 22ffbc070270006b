#!/usr/bin/env python3
"""Compare hand-edited C variants under tcc without being fooled by code alignment.

tcc does not align loops, and on the bench machine the same loop runs up to ±10% faster or slower
depending only on where it lands. Each C file (from `wasmc-bench K.wasm --emit-c K.c`, edited) is
built 8 times with 0, 8, ..., 56 bytes of padding before its first function, every build runs
ROUNDS times interleaved with the other files, and the report is, per file, the mean over the
paddings of the minimum CPU time of run() (also the min and max over paddings).

  python3 benchmarks/tcc_align.py --bench .build/release/wasmc-bench --expect 2989847626 a.c b.c
"""
import argparse, json, os, re, statistics, subprocess, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--bench", required=True, help="wasmc-bench binary (loads a .so built by tcc)")
ap.add_argument("--expect", required=True, help="the kernel's checksum (kernels/expected.json)")
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("files", nargs="+")
a = ap.parse_args()
pads = list(range(0, 64, 8))
tmp = tempfile.mkdtemp(prefix="tcc_align_")
sos = {}
for f in a.files:
    src = open(f).read()
    m = re.search(r"^static [^\n;]* fn\d+\([^\n;]*\) \{$", src, re.M)
    for p in pads:
        c = src[:m.start()] + 'static void wasmc_pad(void) { __asm__(".fill %d,1,0x90"); }\n' % p + src[m.start():]
        base = os.path.join(tmp, "%s_%d" % (os.path.basename(f)[:-2], p))
        open(base + ".c", "w").write(c)
        subprocess.run(["tcc", "-shared", "-fPIC", "-o", base + ".so", base + ".c"], check=True)
        sos[(f, p)] = base + ".so"
res = {k: [] for k in sos}
for _ in range(a.rounds):
    for k, so in sos.items():
        o = subprocess.run([a.bench, so, "--expect", a.expect], capture_output=True, text=True)
        j = json.loads(o.stdout.strip().split("\n")[-1])
        assert j["ok"], (k, j)
        res[k].append(j["cpu_s"])
for f in a.files:
    per = [min(res[(f, p)]) for p in pads]
    print("%-34s mean %.4f  min %.4f  max %.4f  | %s" % (os.path.basename(f), statistics.mean(per), min(per), max(per),
                                                         " ".join("%.3f" % x for x in per)))
