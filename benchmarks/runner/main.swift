// wasmc-bench: one measurement of one .wasm on wasmc, as one JSON line on stdout.
//   (-O takes --cpu baseline|x86-64-v2|x86-64-v3|host, as `wasmc compile -O --cpu`; default host)
//   wasmc-bench FILE.wasm [-O [--cpu LEVEL]] [--expect N] [--compile-only [--phases]] [--translate-only] [--export NAME]
//   wasmc-bench FILE.wasm [-O] --workload counter|pingpong [--threads N] [--iters M]
//   wasmc-bench FILE.wasm [-O] --instantiate N   (µs per instance, wall and CPU, and resident
//                                                 bytes per live instance, against one shared memory)
//   wasmc-bench FILE.wasm [-O] --interrupt-latency N [--export NAME]
//                                                (µs from interrupt() to the trap of the
//                                                 export's endless loop on another thread)
//   wasmc-bench FILE.wasm [-O] --emit-c OUT.c     (the generated C, headers inlined)
//   wasmc-bench FILE.wasm --compile-only --phases (adds phase_<name>_s and phase_<name>_faults:
//                                                 where compile_s goes, with minor page faults)
//   wasmc-bench FILE.so [--expect N]              (load a .so, e.g. hand-edited C built with
//                                                 tcc -shared; compile_s is then the load)
//   wasmc-bench FILE.wasm [-O] --wasi [--dir HOST::GUEST] [-- ARG ...]
//                                                (a WASI command: run_s is _start, output is
//                                                 its stdout, exit_code its proc_exit code)
// compile_s is bytes → callable code in memory (CompiledModule.compile: decode, validate,
// lower, libtcc or cc -O2), run_s one call of the export (default `run`, no arguments),
// excluding compile and instantiation. Run it once per sample in a fresh process: bench.py
// reads the process's peak memory (wait4), and maxrss_kb below is this process's own peak
// (with children_maxrss_kb covering the -O tier's cc).
import Foundation
@_spi(Benchmark) import Wasmc

struct Options {
    var file = ""
    var optimize = false
    var cpu = CPULevel.host
    var expect: UInt64? = nil
    var compileOnly = false
    var phases = false
    var translateOnly = false
    var export = "run"
    var workload: ThreadedWorkload? = nil
    var threads = 2
    var iters: UInt32 = 1_000_000
    var emitC: String? = nil
    var instantiate: Int? = nil
    var interruptLatency: Int? = nil
    var wasi = false
    var dirs: [String] = []
    var programArguments: [String] = []
}

func parse(_ args: [String]) -> Options? {
    var o = Options()
    var it = args.makeIterator()
    while let a = it.next() {
        switch a {
        case "-O": o.optimize = true
        case "--cpu": guard let v = it.next().flatMap(CPULevel.init(rawValue:)) else { return nil }; o.cpu = v
        case "--expect": guard let v = it.next().flatMap({ UInt64($0) }) else { return nil }; o.expect = v
        case "--compile-only": o.compileOnly = true
        case "--phases": o.phases = true
        case "--translate-only": o.translateOnly = true
        case "--emit-c": guard let v = it.next() else { return nil }; o.emitC = v
        case "--export": guard let v = it.next() else { return nil }; o.export = v
        case "--workload": guard let v = it.next().flatMap(ThreadedWorkload.init) else { return nil }; o.workload = v
        case "--threads": guard let v = it.next().flatMap({ Int($0) }), v > 0 else { return nil }; o.threads = v
        case "--instantiate": guard let v = it.next().flatMap({ Int($0) }), v > 0 else { return nil }; o.instantiate = v
        case "--interrupt-latency": guard let v = it.next().flatMap({ Int($0) }), v > 0 else { return nil }; o.interruptLatency = v
        case "--iters": guard let v = it.next().flatMap({ UInt32($0) }) else { return nil }; o.iters = v
        case "--wasi": o.wasi = true
        case "--dir": guard let v = it.next() else { return nil }; o.dirs.append(v)
        case "--": while let v = it.next() { o.programArguments.append(v) }
        default:
            if a.hasPrefix("-") || !o.file.isEmpty { return nil }
            o.file = a
        }
    }
    return o.file.isEmpty ? nil : o
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// CPU time of the whole process (all threads; children not included).
func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// CPU time of waited-for children (the -O tier's cc).
func childCPU() -> Double {
    var u = rusage()
    getrusage(Int32(RUSAGE_CHILDREN.rawValue), &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6
}

func maxRSS(_ who: __rusage_who) -> Int {
    var u = rusage()
    getrusage(Int32(who.rawValue), &u)
    return Int(u.ru_maxrss)  // KiB on Linux
}

/// JSON for the few value kinds we print (numbers, strings, bools); keys keep insertion order.
func json(_ fields: [(String, Any)]) -> String {
    func esc(_ s: String) -> String {
        var r = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            default: r += ch.value < 0x20 ? String(format: "\\u%04x", ch.value) : String(ch)
            }
        }
        return "\"" + r + "\""
    }
    let body = fields.map { k, v -> String in
        let s: String
        switch v {
        case let b as Bool: s = b ? "true" : "false"
        case let i as Int: s = String(i)
        case let u as UInt64: s = String(u)
        case let d as Double: s = String(format: "%.9f", d)
        default: s = esc("\(v)")
        }
        return esc(k) + ": " + s
    }
    return "{" + body.joined(separator: ", ") + "}"
}

func scalar(_ v: Value) -> UInt64? {
    switch v {
    case .i32(let x): UInt64(x)
    case .i64(let x): x
    default: nil
    }
}

guard let opts = parse(Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write("usage: wasmc-bench FILE.wasm [-O] [--expect N] [--compile-only [--phases]] [--translate-only] [--export NAME] [--workload counter|pingpong --threads N --iters M] [--instantiate N] [--interrupt-latency N]\n".data(using: .utf8)!)
    exit(2)
}

var out: [(String, Any)] = [("engine", "wasmc"), ("tier", opts.optimize ? "O" : "tcc"), ("file", opts.file)]
if opts.optimize { out.append(("cpu", opts.cpu.resolved().rawValue)) }
do {
    let isSharedObject = opts.file.hasSuffix(".so")
    let bytes = isSharedObject ? [] : try Compiler.readModule(path: opts.file)
    out.append(("bytes", bytes.count))
    let options = CompileOptions(optimize: opts.optimize, cpu: opts.cpu)
    if let cPath = opts.emitC {
        try Compiler.lowerToC(wasm: bytes, options: options).write(toFile: cPath, atomically: true, encoding: .utf8)
        out.append(("c_file", cPath))
    } else if opts.translateOnly {
        // decode + validate + lower only: the translator's own speed, in MB of wasm per second
        let t0 = now()
        let c = try Compiler.lowerToC(wasm: bytes, options: options)
        let dt = now() - t0
        out += [("translate_s", dt), ("c_bytes", c.utf8.count), ("wasm_mb_per_s", Double(bytes.count) / 1e6 / dt)]
    } else {
        // dlopen searches the library path for a name without a slash: make it a path
        let soPath = opts.file.hasPrefix("/") ? opts.file : FileManager.default.currentDirectoryPath + "/" + opts.file
        if opts.phases {
            CompilePhases.enabled = true
            CompilePhases.begin()
        }
        let c0 = cpuNow()
        let t0 = now()
        let compiled = isSharedObject ? try CompiledModule.load(path: soPath)
                                      : try CompiledModule.compile(wasm: bytes, options: options)
        let t1 = now()
        out += [("compile_s", t1 - t0), ("compile_cpu_s", cpuNow() - c0 + childCPU())]
        if opts.phases {
            for p in CompilePhases.take() {
                let key = p.name.replacingOccurrences(of: " ", with: "_")
                out += [("phase_\(key)_s", p.seconds), ("phase_\(key)_faults", p.faults)]
            }
        }
        if let n = opts.interruptLatency {
            let r = try measureInterruptLatency(compiled, export: opts.export, count: n)
            let sorted = r.microseconds.sorted()
            out += [("interrupts", n), ("median_us", sorted[n / 2]), ("p90_us", sorted[min(n - 1, n * 9 / 10)]),
                    ("max_us", sorted[n - 1]), ("ok", r.ok)]
        } else if let n = opts.instantiate {
            let r = try measureInstantiation(compiled, count: n)
            out += [("instances", n), ("instantiate_us", r.microseconds), ("instantiate_cpu_us", r.cpuMicroseconds),
                    ("bytes_per_instance", r.bytesPerInstance)]
        } else if let w = opts.workload {
            let r = try runThreaded(compiled, w, threads: opts.threads, iters: opts.iters)
            out += [("workload", w.rawValue), ("threads", w == .pingpong ? 2 : opts.threads), ("run_s", r.seconds),
                    ("ns_per_op", r.seconds * 1e9 / Double(r.operations)), ("ok", r.ok)]
        } else if opts.wasi && !opts.compileOnly {
            let r = try runWASICommand(compiled, arguments: opts.programArguments, dirs: opts.dirs)
            out += [("instantiate_s", r.instantiate), ("run_s", r.seconds), ("cpu_s", r.cpu),
                    ("exit_code", Int(r.exitCode)), ("output", r.output)]
        } else if !opts.compileOnly {
            let instance = try Instance(module: compiled)
            let c2 = cpuNow()
            let t2 = now()
            let results = try instance.call(opts.export)
            let t3 = now()
            out += [("instantiate_s", t2 - t1), ("run_s", t3 - t2), ("cpu_s", cpuNow() - c2)]
            if let r = results.first, let c = scalar(r) {
                out.append(("checksum", c))
                if let e = opts.expect { out.append(("ok", c == e)) }
            } else if opts.expect != nil {
                out.append(("ok", false))
            }
        }
    }
    out += [("maxrss_kb", maxRSS(RUSAGE_SELF)), ("children_maxrss_kb", maxRSS(RUSAGE_CHILDREN))]
    print(json(out))
    let failed = out.contains { $0.0 == "ok" && ($0.1 as? Bool) == false }
    exit(failed ? 1 : 0)
} catch {
    out.append(("error", "\(error)"))
    print(json(out))
    exit(1)
}
