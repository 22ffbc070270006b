#!/usr/bin/env python3
"""`wasmc compile` (the command line) on mutated modules: each must either compile, or exit with
status 1 and one `error: ...` line and leave no output file; never crash, hang or leave a partial
or temporary file. Mutants: 1-4 bit flips, byte changes, inserts or a truncation of a random
corpus file (seeded, reproducible). Exit status 1 on any other outcome (the input is saved).

  python3 fuzz/cli_mutate.py --seed 2 --count 2000 fuzz/.corpus3 fuzz/.corpus-smith
"""
import argparse, glob, os, random, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def mutate(data, rng):
    b = bytearray(data)
    for _ in range(1 + rng.randrange(4)):
        kind, at = rng.randrange(4), rng.randrange(max(len(b), 1))
        if kind == 0 and b: b[at] ^= 1 << rng.randrange(8)
        elif kind == 1 and b: b[at] = rng.randrange(256)
        elif kind == 2: del b[rng.randrange(len(b)) if b else 0:]
        else: b[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 6)))
    return bytes(b)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--wasmc", default=os.path.join(HERE, "..", ".build", "debug", "wasmc"))
    ap.add_argument("--crashes", default=os.path.join(HERE, "crashes"))
    ap.add_argument("corpus", nargs="+")
    args = ap.parse_args()
    files = sorted(f for root in args.corpus for f in glob.glob(os.path.join(root, "**", "*.wasm"), recursive=True))
    if not files:
        print("empty corpus"); return 2
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="wasmc-cli-")
    src, out = os.path.join(work, "m.wasm"), os.path.join(work, "m.so")
    counts = {"compiled": 0, "rejected": 0, "bad": 0}
    for i in range(args.count):
        data = mutate(open(rng.choice(files), "rb").read(), rng)
        with open(src, "wb") as f:
            f.write(data)
        if os.path.exists(out): os.remove(out)
        try:
            r = subprocess.run([args.wasmc, "compile", src, "-o", out], capture_output=True, timeout=args.timeout)
            err, rc = r.stderr.decode(errors="replace"), r.returncode
        except subprocess.TimeoutExpired:
            err, rc = "timeout", None
        leftovers = sorted(set(os.listdir(work)) - {"m.wasm", "m.so"})
        if rc == 0 and os.path.exists(out) and not leftovers:
            counts["compiled"] += 1
        elif rc == 1 and err.startswith("error: ") and err.count("\n") == 1 and not os.path.exists(out) and not leftovers:
            counts["rejected"] += 1
        else:
            counts["bad"] += 1
            saved = os.path.join(args.crashes, "cli-%d-%d.wasm" % (args.seed, i))
            os.makedirs(args.crashes, exist_ok=True)
            with open(saved, "wb") as f:
                f.write(data)
            print("mutant %d: status %s, %r, leftovers %s; saved %s" % (i, rc, err[:300], leftovers, saved), flush=True)
    print(counts)
    return 1 if counts["bad"] else 0


if __name__ == "__main__":
    sys.exit(main())
