"""SIMD builds of the kernels for bench.py: the same C as kernels/*.c built with
`zig cc -target wasm32-freestanding -mcpu=generic+simd128 -O3` (wasm/simd/*.wasm, benchmarks/build.sh
simd), run beside the scalar builds (wasm/*.wasm, -O2) on both wasmc tiers and Wasmtime, with
native gcc -O2 as the limit. The issue's targets: under -O each SIMD build no slower than the
scalar build and within 1.3x native; under libtcc the SIMD/scalar ratio as small as the tier allows."""
import os
import statistics

import report

HERE = os.path.dirname(os.path.abspath(__file__))
ENGINES = ["wasmc-tcc", "wasmc-O", "wasmtime"]


def wasm(kernel, variant):
    return os.path.join(HERE, "wasm", kernel + ".wasm") if variant == "scalar" else os.path.join(HERE, "wasm", "simd", kernel + ".wasm")


def v128_ops(path):
    """How many instructions of the module's code carry the 0xFD (SIMD) prefix: a rough count
    (bytes 0xFD in the code section), enough to say whether zig vectorised the kernel at all."""
    data = open(path, "rb").read()
    return data.count(b"\xfd")


def run(eng, engines, kernels, runs, expected, log):
    """results[kernel][variant][engine] = {"run": [...], "errors": [...]}; native under variant "native"."""
    results = {k: {v: {e: {"run": [], "errors": []} for e in engines} for v in ("scalar", "simd")} for k in kernels}
    for k in kernels:
        results[k]["native"] = {"native": {"run": [], "errors": []}}
    for r in range(runs):
        for k in kernels:
            cells = [("native", "native")] + [(v, e) for v in ("scalar", "simd") for e in engines]
            order = cells[r % len(cells):] + cells[:r % len(cells)]
            for v, e in order:
                cell = results[k][v][e]
                if len(cell["errors"]) >= 2 and not cell["run"]:
                    continue
                s = eng.sample(e, wasm(k, v) if v != "native" else None, os.path.join(HERE, "build", "native", k))
                if "error" in s or s.get("checksum") != expected[k]:
                    cell["errors"].append(s.get("error") or f"checksum {s.get('checksum')} != {expected[k]}")
                    log(f"  simd run {r + 1}/{runs} {k:7} {v:6} {e:11} ERROR {cell['errors'][-1]}")
                    continue
                cell["run"].append(s["run_s"])
                log(f"  simd run {r + 1}/{runs} {k:7} {v:6} {e:11} run {report.fmt_s(s['run_s']):>9}")
    return results


def _median(cell):
    return statistics.median(cell["run"]) if cell and cell["run"] else None


def markdown(results, engines, kernels):
    def cell(c):
        if not c["run"]:
            return "failed" if c["errors"] else "–"
        return f"{report.fmt_s(statistics.median(c['run']))} [{report.fmt_s(min(c['run']))}–{report.fmt_s(max(c['run']))}]"

    def ratio(a, b):
        return report.fmt_x(a / b) if a and b else "–"

    head = ["kernel", "v128 ops", "native"]
    for e in engines:
        head += [f"{report.LABEL[e]} scalar", f"{report.LABEL[e]} SIMD", f"{report.LABEL[e]} SIMD/scalar"]
    head += ["wasmc -O SIMD × native"] if "wasmc-O" in engines else []
    lines = ["", "## SIMD builds", "",
             "Each kernel built twice: scalar (`zig cc -O2`, wasm/*.wasm, the tables above) and SIMD (`zig cc"
             " -mcpu=generic+simd128 -O3`, wasm/simd/*.wasm; zig vectorises what it can). Run time medians with"
             " [min–max]; SIMD/scalar = the SIMD build's median over the scalar build's on the same engine;"
             " \"v128 ops\" counts 0xFD-prefixed instructions (0: nothing vectorised). Targets (issue 13):"
             " under -O, SIMD/scalar ≤ 1 and SIMD ≤ 1.3× native; under tcc, SIMD/scalar as small as the tier"
             " allows (≤ 1.5× wanted).", "",
             "| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for k in kernels:
        row = results[k]
        nat = row["native"]["native"]
        out = [k, str(v128_ops(wasm(k, "simd"))), cell(nat)]
        for e in engines:
            out += [cell(row["scalar"][e]), cell(row["simd"][e]), ratio(_median(row["simd"][e]), _median(row["scalar"][e]))]
        if "wasmc-O" in engines:
            out.append(ratio(_median(row["simd"]["wasmc-O"]), _median(nat)))
        lines.append("| " + " | ".join(out) + " |")
    return "\n".join(lines) + "\n"
