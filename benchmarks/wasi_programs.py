"""WASI programs for bench.py: real command-line programs built with
`zig cc -target wasm32-wasi -O2` (benchmarks/wasi/*.c, examples/wasi/wc.c; commands in
benchmarks/build.sh), run as commands (_start) with arguments, a preopened folder and stdout,
on wasmc (both tiers, through wasmc-bench --wasi) and Wasmtime (wasmtime-py's WASI).
Each program's output is checked against Python's own answer."""
import hashlib
import os
import random
import statistics

import report

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
INPUT_BYTES = 32 << 20
SORT_KEYS = 2_000_000
ENGINES = ["wasmc-tcc", "wasmc-O", "wasmtime"]


def make_inputs(folder):
    """A 32 MiB binary file and a 32 MiB text file, the same every run (seeded)."""
    rng = random.Random(20261205)
    blob = rng.randbytes(INPUT_BYTES)
    with open(os.path.join(folder, "data.bin"), "wb") as f:
        f.write(blob)
    words = ["wasm", "compile", "thread", "memory", "table", "a", "of", "the", "to", "sandbox"]
    lines, size = [], 0
    while size < INPUT_BYTES:
        line = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 14))) + "\n"
        lines.append(line)
        size += len(line)
    text = "".join(lines)
    with open(os.path.join(folder, "data.txt"), "w") as f:
        f.write(text)
    return blob, text


def expected_sort(n):
    state, keys, mask = 0x9E3779B97F4A7C15, [], (1 << 64) - 1
    for _ in range(n):
        state ^= (state << 13) & mask
        state ^= state >> 7
        state ^= (state << 17) & mask
        keys.append(state)
    keys.sort()
    total = 0
    for k in keys:
        total = (total * 31 + (k >> 17)) & mask
    return f"{total}\n"


def programs(folder):
    """(name, wasm, arguments, expected stdout, what it does)."""
    blob, text = make_inputs(folder)
    counts = f"{text.count(chr(10)):7d} {len(text.split()):7d} {len(text):7d} data.txt\n"
    return [
        ("sha256sum", os.path.join(HERE, "wasi", "sha256sum.wasm"), ["data.bin"],
         f"{hashlib.sha256(blob).hexdigest()}  data.bin\n", "SHA-256 of a 32 MiB file (fread, 64 KiB blocks)"),
        ("wc", os.path.join(ROOT, "examples", "wasi", "wc.wasm"), ["data.txt"],
         counts, "lines, words and bytes of 32 MiB of text (getc on a FILE)"),
        ("sort", os.path.join(HERE, "wasi", "sort.wasm"), [str(SORT_KEYS)],
         expected_sort(SORT_KEYS), "libc qsort of 2,000,000 malloc'ed 64-bit keys"),
    ]


def run(eng, child, last_json, log, vpy, engines, runs, tmp, clock_key):
    """results[program][engine] = {run: [...], compile: [...], errors: [...], bad_output: [...]}"""
    folder = os.path.join(tmp, "wasi-data")
    os.makedirs(folder, exist_ok=True)
    progs = programs(folder)
    results = {p[0]: {e: {"run": [], "compile": [], "errors": [], "bad_output": []} for e in engines} for p in progs}
    for r in range(runs):
        for name, wasm, args, expected, _ in progs:
            order = engines[r % len(engines):] + engines[:r % len(engines)]
            for e in order:
                cell = results[name][e]
                if len(cell["errors"]) >= 2 and not cell["run"]:
                    continue
                if e == "wasmtime":
                    cmd = [vpy, os.path.join(HERE, "peers", "wasmtime_wasi.py"), wasm, "--dir", f"{folder}::.", "--"] + args
                else:
                    cmd = [eng.wasmc_bench, wasm] + eng.tier_flags(e) + ["--wasi", "--dir", f"{folder}::.", "--"] + args
                rc, out, err, _, _ = child(cmd)
                j = last_json(out)
                if rc != 0 or not j or "error" in j:
                    cell["errors"].append((err or out or f"exit {rc}")[-300:])
                    log(f"  wasi run {r + 1}/{runs} {name:9} {e:9} ERROR {cell['errors'][-1]}")
                    continue
                if j.get("output") != expected or j.get("exit_code") != 0:
                    cell["bad_output"].append(j.get("output"))
                    log(f"  wasi run {r + 1}/{runs} {name:9} {e:9} WRONG OUTPUT {j.get('output')!r}")
                    continue
                cell["run"].append(j[clock_key])
                cell["compile"].append(j["compile_s"])
                log(f"  wasi run {r + 1}/{runs} {name:9} {e:9} run {report.fmt_s(j[clock_key]):>9}"
                                f"  compile {report.fmt_s(j['compile_s']):>9}")
    return progs, results


def markdown(progs, results, engines):
    def cell(c, key):
        xs = c[key]
        if not xs:
            return "–" if not c["errors"] and not c["bad_output"] else "failed"
        return f"{report.fmt_s(statistics.median(xs))} [{report.fmt_s(min(xs))}–{report.fmt_s(max(xs))}]"

    def ratio(c, base):
        if not c["run"] or not base["run"]:
            return "–"
        return f"{statistics.median(c['run']) / statistics.median(base['run']):.2f}×"

    lines = ["", "## WASI programs", "",
             "Real command-line programs (zig cc -target wasm32-wasi -O2) run as WASI commands: `_start`"
             " with arguments and a preopened folder, stdout checked against Python's own answer. Run"
             " time is `_start` (CPU time unless --clock wall; it includes the host's file I/O); medians"
             " with [min–max]; ratio = median / Wasmtime's median.", "",
             "| program | what | " + " | ".join(f"{e} run" for e in engines) + " | "
             + " | ".join(f"{e} × Wasmtime" for e in engines if e != "wasmtime") + " | "
             + " | ".join(f"{e} compile" for e in engines) + " |",
             "|---|---|" + "---:|" * (len(engines) * 2 + len([e for e in engines if e != "wasmtime"]))]
    for name, _, _, _, what in progs:
        row = results[name]
        base = row.get("wasmtime", {"run": []})
        lines.append(f"| {name} | {what} | " + " | ".join(cell(row[e], "run") for e in engines) + " | "
                     + " | ".join(ratio(row[e], base) for e in engines if e != "wasmtime") + " | "
                     + " | ".join(cell(row[e], "compile") for e in engines) + " |")
    return "\n".join(lines) + "\n"
