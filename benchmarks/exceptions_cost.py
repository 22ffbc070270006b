#!/usr/bin/env python3
"""Cost of a try_table entry and of a throw/catch, both tiers (benchmarks/exceptions/cost.wat).

Compiles the module once per tier, then runs each export with `wasmc run --invoke` N times
(interleaved), CPU time of the child (user + sys), median; the same with n = 0 is subtracted
(load and instantiation). Per iteration: (try - plain) / n is a try_table entry and exit,
(throw - plain) / n a throw caught by the enclosing try_table, (rethrow - throw) / n a
catch_all_ref + throw_ref on the way (the exception kept and later collected).

  python3 benchmarks/exceptions_cost.py --wasmc .build/release/wasmc
"""
import argparse, os, resource, statistics, subprocess, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--wasmc", required=True)
ap.add_argument("--n", type=int, default=10_000_000)
ap.add_argument("--runs", type=int, default=7)
a = ap.parse_args()
tmp = tempfile.mkdtemp(prefix="exceptions_cost_")


def cpu(so, name, n):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([a.wasmc, "run", so, "--invoke", name, str(n)], check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


for tier in ("tcc", "-O"):
    so = os.path.join(tmp, "cost%s.so" % ("_O" if tier == "-O" else ""))
    subprocess.run([a.wasmc, "compile", os.path.join(HERE, "exceptions", "cost.wat"), "-o", so]
                   + (["-O"] if tier == "-O" else []), check=True)
    times = {k: [] for k in ("plain", "try", "throw", "rethrow", "zero")}
    for _ in range(a.runs):
        for k in ("plain", "try", "throw", "rethrow"):
            times[k].append(cpu(so, k, a.n))
        times["zero"].append(cpu(so, "plain", 0))
    m = {k: statistics.median(v) for k, v in times.items()}
    per = lambda k: (m[k] - m["zero"]) / a.n * 1e9
    print("%s: plain %.2f ns/iter, try %.2f ns/iter, throw %.2f ns/iter, rethrow %.2f ns/iter -> try_table entry "
          "%.2f ns, throw+catch %.2f ns, catch_all_ref+throw_ref %.2f ns (n=%d, medians of %d runs)"
          % (tier, per("plain"), per("try"), per("throw"), per("rethrow"), per("try") - per("plain"),
             per("throw") - per("plain"), per("rethrow") - per("throw"), a.n, a.runs), flush=True)
