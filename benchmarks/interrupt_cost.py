#!/usr/bin/env python3
"""What interruptibility costs each kernel, and how fast an interruption stops a loop.

Cost: interruption is a signal (Runtime/wasmc_interrupt.c), so the generated C holds nothing
for it. For each kernel and tier this compiles the C with and without the former option
`--interruptible-loops` and checks that the two are byte-identical and free of any poll: the
kernels' cost of being interruptible is then zero by construction (no timing needed).

Latency: `wasmc-bench --interrupt-latency N` on benchmarks/interrupt/spin.wat (an endless loop
without calls on another thread), per tier: median, 90th percentile and maximum of the time from
`InterruptHandle.interrupt()` to the trap.

  python3 benchmarks/interrupt_cost.py --wasmc .build/release/wasmc --bench .build/release/wasmc-bench
"""
import argparse, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--wasmc", required=True)
ap.add_argument("--bench", required=True)
ap.add_argument("--kernels", default="fib,matmul,sieve,crc32,sort,sha256,nbody,lz77")
ap.add_argument("--interrupts", type=int, default=100, help="latency: interruptions per tier")
ap.add_argument("--tiers", default="tcc,O")
a = ap.parse_args()
tmp = tempfile.mkdtemp(prefix="interrupt_cost_")
tiers = [("tcc", []), ("O", ["-O"])]
tiers = [(name, flags) for name, flags in tiers if name in a.tiers.split(",")]
failed = False

print("| kernel | tier | C bytes | identical with --interruptible-loops | polls |")
print("|---|---|---|---|---|")
for k in a.kernels.split(","):
    for name, flags in tiers:
        c = {}
        for variant, extra in (("plain", []), ("loops", ["--interruptible-loops"])):
            path = os.path.join(tmp, "%s_%s_%s.c" % (k, name, variant))
            subprocess.run([a.wasmc, "compile"] + flags + extra + [os.path.join(HERE, "wasm", k + ".wasm"),
                            "-o", path[:-2] + ".so", "--emit-c", path], check=True)
            c[variant] = open(path, "rb").read()
        same = c["plain"] == c["loops"]
        polls = c["plain"].count(b"POLL_INTERRUPT")
        failed |= not same or polls != 0
        print("| %s | %s | %d | %s | %d |" % (k, name, len(c["plain"]), "yes" if same else "NO", polls), flush=True)

print()
print("| tier | interrupts | median (µs) | p90 (µs) | max (µs) |")
print("|---|---|---|---|---|")
spin = os.path.join(HERE, "interrupt", "spin.wat")
for name, flags in tiers:
    o = subprocess.run([a.bench, spin] + flags + ["--export", "spin", "--interrupt-latency", str(a.interrupts)],
                       capture_output=True, text=True)
    j = json.loads(o.stdout.strip().split("\n")[-1])
    failed |= not j.get("ok", False)
    print("| %s | %d | %.1f | %.1f | %.1f |" % (name, j["interrupts"], j["median_us"], j["p90_us"], j["max_us"]), flush=True)
sys.exit(1 if failed else 0)
