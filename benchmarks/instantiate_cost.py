#!/usr/bin/env python3
"""Instantiation cost of builds side by side: `wasmc-bench FILE --instantiate N` of each build,
interleaved round by round (so load from other work on the machine hits every build alike),
reporting the median and minimum µs per instance (wall, and the process's CPU time where the
build reports it: less disturbed by other load) and the median resident bytes per live instance. Used to bisect and check instantiation against an existing shared memory.

  python3 benchmarks/instantiate_cost.py --rounds 9 old=/tmp/wasmc-bench-old new=.build/release/wasmc-bench
"""
import argparse, json, os, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("builds", nargs="+", help="NAME=PATH-TO-wasmc-bench")
ap.add_argument("--wasm", default=os.path.join(HERE, "wasm", "atomic_counter.wasm"))
ap.add_argument("--instances", type=int, default=10000)
ap.add_argument("--rounds", type=int, default=7)
ap.add_argument("-O", dest="opt", action="store_true", help="the -O tier (default: libtcc)")
a = ap.parse_args()

builds = []
for b in a.builds:
    name, sep, path = b.partition("=")
    if not sep or not os.access(path, os.X_OK):
        sys.exit("instantiate_cost.py: '%s' is not NAME=PATH-TO-wasmc-bench (an executable)" % b)
    builds.append((name, path))

samples = {name: ([], [], []) for name, _ in builds}
for _ in range(a.rounds):
    for name, path in builds:
        cmd = [path, a.wasm] + (["-O"] if a.opt else []) + ["--instantiate", str(a.instances)]
        out = subprocess.run(cmd, capture_output=True, text=True)
        lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
        if out.returncode != 0 or not lines:
            sys.exit("instantiate_cost.py: %s failed (exit %d): %s" % (" ".join(cmd), out.returncode, out.stderr.strip()))
        j = json.loads(lines[-1])
        samples[name][0].append(j["instantiate_us"])
        samples[name][1].append(j["bytes_per_instance"])
        if "instantiate_cpu_us" in j:
            samples[name][2].append(j["instantiate_cpu_us"])

print("| build | µs per instance, median | min | max | CPU µs, median | min | bytes per live instance, median |")
print("|---|---|---|---|---|---|---|")
for name, _ in builds:
    us, by, cpu = samples[name]
    c = "%.2f | %.2f" % (statistics.median(cpu), min(cpu)) if cpu else "– | –"
    print("| %s | %.2f | %.2f | %.2f | %s | %.0f |" % (name, statistics.median(us), min(us), max(us), c, statistics.median(by)))
