"""Statistics and the markdown table for bench.py's samples."""
import math
import statistics

LABEL = {"native": "native gcc -O2", "wasmc-tcc": "wasmc (tcc)", "wasmc-O": "wasmc -O",
         "wasmtime": "Wasmtime", "wasm2c-gcc": "wasm2c + gcc -O2", "wasm2c-tcc": "wasm2c + tcc"}


def summary(values):
    """median, min, max and interquartile range of a list of numbers (None when empty)."""
    if not values:
        return None
    v = sorted(values)
    q = statistics.quantiles(v, n=4) if len(v) >= 2 else [v[0], v[0], v[0]]
    return {"median": statistics.median(v), "min": v[0], "max": v[-1], "iqr": q[2] - q[0], "n": len(v)}


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fmt_s(s):
    if s is None:
        return "–"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def fmt_x(x):
    return "–" if x is None else f"{x:.2f}×"


def cell_status(cell):
    """'ok', or the reason a cell has no figure ('unsupported', 'error: …', 'checksum ✗')."""
    if cell is None:
        return "not run"
    if cell.get("unsupported"):
        return "unsupported"
    if cell.get("errors") and not cell.get("run"):
        return "error"
    if cell.get("bad_checksums"):
        return "checksum ✗"
    return "ok"


def analyse(results, engines, kernels):
    """Adds medians, ratios to native and to Wasmtime, and geometric means; returns the summary."""
    summ = {"kernels": {}, "geomean": {}}
    for k in kernels:
        row = {}
        for e in engines:
            cell = results.get(k, {}).get(e)
            if cell is None:
                continue
            row[e] = {"status": cell_status(cell), "run": summary(cell.get("run", [])),
                      "wall": summary(cell.get("wall", [])),
                      "compile_cpu": summary([x for x in cell.get("compile_cpu", []) if x is not None]),
                      "compile": summary(cell.get("compile", [])), "maxrss_kb": summary(cell.get("maxrss", [])),
                      "errors": cell.get("errors", [])[:3]}
        nat = row.get("native", {}).get("run")
        wt = row.get("wasmtime", {}).get("run")
        for e, c in row.items():
            if c["run"] and c["status"] == "ok":
                c["x_native"] = c["run"]["median"] / nat["median"] if nat else None
                c["x_wasmtime"] = c["run"]["median"] / wt["median"] if wt else None
        summ["kernels"][k] = row
    for e in engines:
        xs = [summ["kernels"][k].get(e, {}).get("x_native") for k in kernels]
        ws = [summ["kernels"][k].get(e, {}).get("x_wasmtime") for k in kernels]
        complete = all(x is not None for x in xs)
        summ["geomean"][e] = {"x_native": geomean(xs), "x_wasmtime": geomean(ws),
                              "complete": complete, "worst_x_native": max([x for x in xs if x] or [0]) or None}
    return summ


def markdown(meta, summ, engines, kernels, large, threads):
    L = []
    m = meta["machine"]
    L.append("# wasmc benchmark results\n")
    L.append(f"Machine: {m['cpu']}, {m['cores']} cores ({m['os']}); load average at start {m['loadavg_at_start']:.2f}.  ")
    L.append(f"{meta['date']} · {meta['runs']} runs per cell, engines interleaved run by run · "
             f"`{meta['command']}`.  ")
    L.append(f"gcc: {m['gcc']}; tcc: {m['tcc']}.  ")
    L.append(meta.get("isa", "") + "\n")
    clock = "CPU time" if meta.get("clock") == "cpu" else "wall time"
    L.append(f"## Run time of `run()`: {clock} of the call (median; × native gcc -O2; [min–max])\n")
    L.append("| kernel | " + " | ".join(LABELS(engines)) + " |")
    L.append("|---|" + "---:|" * len(engines))
    for k in kernels:
        row = summ["kernels"][k]
        cells = []
        for e in engines:
            c = row.get(e)
            if not c:
                cells.append("not run")
            elif c["status"] != "ok":
                cells.append(c["status"])
            else:
                r = c["run"]
                x = "" if e == "native" else f" **{fmt_x(c.get('x_native'))}**"
                cells.append(f"{fmt_s(r['median'])}{x} [{fmt_s(r['min'])}–{fmt_s(r['max'])}]")
        L.append(f"| {k} | " + " | ".join(cells) + " |")
    g = summ["geomean"]
    L.append("| **geomean × native** | " + " | ".join(
        fmt_x(g[e]["x_native"]) + ("" if g[e]["complete"] else " (partial)") for e in engines) + " |")
    L.append("| **geomean × Wasmtime** | " + " | ".join(fmt_x(g[e]["x_wasmtime"]) for e in engines) + " |")
    L.append("| worst kernel × native | " + " | ".join(fmt_x(g[e]["worst_x_native"]) for e in engines) + " |")
    comp = [e for e in engines if e != "native"]
    L.append("\n## Compile, wasm bytes → callable native code: wall time (median) · CPU time · peak memory\n")
    L.append("| kernel | " + " | ".join(LABELS(comp)) + " |")
    L.append("|---|" + "---:|" * len(comp))
    for k in kernels:
        cells = []
        for e in comp:
            c = summ["kernels"][k].get(e)
            if not c or not c["compile"]:
                cells.append(c["status"] if c else "not run")
            else:
                cpu = c.get("compile_cpu")
                cells.append(f"{fmt_s(c['compile']['median'])} · {fmt_s(cpu['median']) if cpu else '–'} CPU · "
                             f"{c['maxrss_kb']['median'] / 1024:.0f} MB")
        L.append(f"| {k} | " + " | ".join(cells) + " |")
    if large:
        L.append(f"\n## Large generated module ({large['bytes'] / 1e6:.1f} MB of wasm, {large['functions']} functions): compile only\n")
        L.append("| engine | compile, wall (median [min–max], n) | CPU | peak memory | × wasmc (tcc), wall |")
        L.append("|---|---:|---:|---:|---:|")
        base = large["engines"].get("wasmc-tcc", {}).get("compile")
        for e, c in large["engines"].items():
            if not c.get("compile") and c.get("timeout_s") and base:
                t = c["timeout_s"]
                L.append(f"| {LABEL[e]} | > {fmt_s(t)} (killed at the time limit), 1 | – | | "
                         f"> {fmt_x(t / base['median'])} |")
                continue
            if not c.get("compile"):
                L.append(f"| {LABEL[e]} | {c.get('status', 'error')} | | | |")
                continue
            s = c["compile"]
            rel = fmt_x(s["median"] / base["median"]) if base else "–"
            cpu = c.get("compile_cpu")
            L.append(f"| {LABEL[e]} | {fmt_s(s['median'])} [{fmt_s(s['min'])}–{fmt_s(s['max'])}], {s['n']} | "
                     f"{fmt_s(cpu['median']) if cpu else '–'} | "
                     f"{c['maxrss_kb']['median'] / 1024:.0f} MB ({c['maxrss_kb']['median'] * 1024 / large['bytes']:.1f}× module) | {rel} |")
        if large.get("translate"):
            t = large["translate"]
            L.append(f"\nwasmc translation alone (decode, validate, lower to C; the whole-module path on one thread — "
                     f"the compile above streams, lowering on up to 4 threads while libtcc compiles): {fmt_s(t['translate_s'])}, "
                     f"{t['wasm_mb_per_s']:.1f} MB/s of wasm, {t['c_bytes'] / 1e6:.1f} MB of C.")
    if threads:
        L.append("\n## Threads\n")
        L.extend(threads)
    L.append("\nNotes: " + meta.get("note", ""))
    return "\n".join(L) + "\n"


def LABELS(engines):
    return [LABEL[e] for e in engines]
