#!/usr/bin/env python3
"""What an access costs by memory: memory 1 against memory 0 (multi-memory), a 64-bit memory
against a 32-bit one (memory64's explicit bounds check), in both tiers.

One kernel, written here as WAT with the memories and the address type as parameters: fill
256 KiB with a pseudo-random sequence, then ROUNDS times copy it word by word to the next
256 KiB adding the round number, then sum the copy. Every variant must return the same
checksum. Each variant is compiled once per tier (`wasmc compile`, .wat in, .so and C out).
tcc tier: tcc places loops wherever they land and the same loop runs up to 1.6x slower at some
code alignments, so the generated C goes through benchmarks/tcc_align.py (8 paddings, mean of
the per-padding minima). -O tier: `wasmc-bench FILE.so` (a fresh process per sample), variants
interleaved, median CPU time of run() and its ratio to the first variant.

  python3 benchmarks/memory_cost.py --wasmc .build/release/wasmc --bench .build/release/wasmc-bench
"""
import argparse, json, os, statistics, subprocess, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--wasmc", required=True)
ap.add_argument("--bench", required=True)
ap.add_argument("--runs", type=int, default=9, help="-O: interleaved runs per variant; tcc: runs per padding / 3")
ap.add_argument("--rounds", type=int, default=1000, help="copies of the 256 KiB block per run()")
ap.add_argument("--tiers", default="tcc,O")
ap.add_argument("--variants", default="mem0,mem1,mem0to1,mem64,mem64max")
ap.add_argument("--keep", help="write the .wat and the generated C of each variant into this folder")
a = ap.parse_args()

WORDS = 65536  # 256 KiB of i32 words

# (memories declared, source memory, destination memory, address type)
VARIANTS = {
    "mem0": (["(memory $a 9)"], "$a", "$a", "i32"),
    "mem1": (["(memory $a 1)", "(memory $b 9)"], "$b", "$b", "i32"),
    "mem0to1": (["(memory $a 9)", "(memory $b 9)"], "$a", "$b", "i32"),
    "mem64": (["(memory $a i64 9)"], "$a", "$a", "i64"),
    "mem64max": (["(memory $a i64 9 9)"], "$a", "$a", "i64"),
}


def kernel(memories, src, dst, at):
    c = at + ".const"
    end = WORDS * 4
    return f"""(module
  {" ".join(memories)}
  (func (export "run") (result i32)
    (local $i {at}) (local $r i32) (local $x i32) (local $sum i32)
    (local.set $x (i32.const 12345))
    (loop $fill
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223)))
      (i32.store {src} (local.get $i) (local.get $x))
      (br_if $fill ({at}.lt_u (local.tee $i ({at}.add (local.get $i) ({c} 4))) ({c} {end}))))
    (loop $round
      (local.set $i ({c} 0))
      (loop $copy
        (i32.store {dst} offset={end} (local.get $i) (i32.add (i32.load {src} (local.get $i)) (local.get $r)))
        (br_if $copy ({at}.lt_u (local.tee $i ({at}.add (local.get $i) ({c} 4))) ({c} {end}))))
      (br_if $round (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const {a.rounds}))))
    (local.set $i ({c} 0))
    (loop $sum
      (local.set $sum (i32.add (i32.rotl (local.get $sum) (i32.const 1)) (i32.load {dst} offset={end} (local.get $i))))
      (br_if $sum ({at}.lt_u (local.tee $i ({at}.add (local.get $i) ({c} 4))) ({c} {end}))))
    (local.get $sum)))
"""


tmp = a.keep or tempfile.mkdtemp(prefix="memory_cost_")
os.makedirs(tmp, exist_ok=True)
variants = a.variants.split(",")
for tier in a.tiers.split(","):
    sos = {}
    for v in variants:
        wat = os.path.join(tmp, v + ".wat")
        open(wat, "w").write(kernel(*VARIANTS[v]))
        so = os.path.join(tmp, "%s_%s.so" % (v, tier))
        flags = ["-O"] if tier == "O" else []
        subprocess.run([a.wasmc, "compile", *flags, wat, "-o", so, "--emit-c", so[:-3] + ".c"], check=True)
        sos[v] = so
    checksums = {}
    for v in variants:
        o = subprocess.run([a.bench, sos[v]], capture_output=True, text=True, check=True)
        checksums[v] = json.loads(o.stdout.strip().split("\n")[-1])["checksum"]
    assert len(set(checksums.values())) == 1, "variants disagree: %s" % checksums
    if tier == "tcc":
        print("tcc (benchmarks/tcc_align.py):", flush=True)
        subprocess.run(["python3", os.path.join(os.path.dirname(os.path.abspath(__file__)), "tcc_align.py"),
                        "--bench", a.bench, "--expect", str(checksums[variants[0]]), "--rounds", str(max(1, a.runs // 3)),
                        *[sos[v][:-3] + ".c" for v in variants]], check=True)
        continue
    times = {v: [] for v in variants}
    for _ in range(a.runs):
        for v in variants:
            o = subprocess.run([a.bench, sos[v]], capture_output=True, text=True, check=True)
            times[v].append(json.loads(o.stdout.strip().split("\n")[-1])["cpu_s"])
    base = statistics.median(times[variants[0]])
    for v in variants:
        m = statistics.median(times[v])
        print("%-4s %-8s median %.4f s  (min %.4f, max %.4f)  %+.1f%% vs %s" % (
            tier, v, m, min(times[v]), max(times[v]), 100 * (m / base - 1), variants[0]), flush=True)
