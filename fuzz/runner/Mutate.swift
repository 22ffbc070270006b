import Foundation
import Synchronization
import Wasmc
import WasmcDecode
import WasmcValidate
import WasmcSyntax

/// A mutation fuzzer for the decoder and validator: mutants of a corpus of binaries (the spec
/// suite's, extracted by `make fuzz-corpus`) must be accepted or rejected with a `WasmError`,
/// never crash, never hang. Valid mutants are also lowered to C (and, with --compile, built by
/// libtcc). Iteration i of seed S is a pure function of (S, i, corpus): replayable.
enum MutationFuzzer {
    struct Options {
        var seconds = 10.0
        var iterations = Int.max
        var seed: UInt64 = 1
        var compile = false
        var crashes = "fuzz/crashes"
        var timeout = 20.0
        var replay: String?
        var corpus: [String] = []
    }

    static func main(_ args: [String]) -> Int32 {
        var o = Options()
        var i = 0
        func value() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--seconds": o.seconds = Double(value()) ?? o.seconds
            case "--iterations": o.iterations = Int(value()) ?? o.iterations
            case "--seed": o.seed = UInt64(value()) ?? o.seed
            case "--compile": o.compile = true
            case "--crashes": o.crashes = value()
            case "--timeout": o.timeout = Double(value()) ?? o.timeout
            case "--replay": o.replay = value()
            default: o.corpus.append(args[i])
            }
            i += 1
        }
        if let path = o.replay {
            guard let data = FileManager.default.contents(atPath: path) else { print("cannot read \(path)"); return 2 }
            var stats = Stats()
            let outcome = check([UInt8](data), compile: true, stats: &stats)
            print("replay \(path): \(outcome)")
            return stats.unclean == 0 ? 0 : 1
        }
        let corpus = loadCorpus(o.corpus)
        guard !corpus.isEmpty else { print("empty corpus (run `make fuzz-corpus`)"); return 2 }
        CrashRecorder.install(directory: o.crashes, seed: o.seed, timeout: o.timeout)

        var stats = Stats()
        let start = Date()
        var iteration = 0
        while iteration < o.iterations && Date().timeIntervalSince(start) < o.seconds {
            var rng = SplitMix64(o.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(iteration))
            let input = Mutator.mutate(corpus, &rng)
            CrashRecorder.setCurrent(input, iteration: iteration)
            let outcome = check(input, compile: o.compile, stats: &stats)
            if case .unclean(let message) = outcome {
                let path = "\(o.crashes)/unclean-\(o.seed)-\(iteration).wasm"
                let saved = FileManager.default.createFile(atPath: path, contents: Data(input))
                print("unclean rejection, \(saved ? "saved" : "could not save") \(path): \(message)")
            }
            iteration += 1
        }
        stats.iterations = iteration
        let elapsed = Date().timeIntervalSince(start)
        print("{\"seed\": \(o.seed), \"iterations\": \(stats.iterations), \"seconds\": \(Int(elapsed)), "
            + "\"valid\": \(stats.valid), \"malformed\": \(stats.malformed), \"invalid\": \(stats.invalid), "
            + "\"unsupported\": \(stats.unsupported), \"lowered\": \(stats.lowered), \"compiled\": \(stats.compiled), "
            + "\"compile_errors\": \(stats.compileErrors), \"unclean\": \(stats.unclean), \"crashes\": 0, \"hangs\": 0}")
        return stats.unclean == 0 ? 0 : 1
    }

    struct Stats {
        var iterations = 0, valid = 0, malformed = 0, invalid = 0, unsupported = 0
        var lowered = 0, compiled = 0, compileErrors = 0, unclean = 0
    }

    enum Outcome: CustomStringConvertible {
        case valid, rejected(WasmError), unclean(String)
        var description: String {
            switch self {
            case .valid: "valid"
            case .rejected(let e): "rejected: \(e)"
            case .unclean(let m): "UNCLEAN: \(m)"
            }
        }
    }

    static func check(_ input: [UInt8], compile: Bool, stats: inout Stats) -> Outcome {
        do {
            let module = try Decoder.decode(input)
            try Validator.validate(module)
        } catch let e as WasmError {
            switch e.kind {
            case .malformed: stats.malformed += 1
            case .invalid: stats.invalid += 1
            case .unsupported: stats.unsupported += 1
            }
            return .rejected(e)
        } catch {
            stats.unclean += 1
            return .unclean("decode/validate threw \(type(of: error)): \(error)")
        }
        stats.valid += 1
        do {
            _ = try Compiler.lowerToC(wasm: input)
            stats.lowered += 1
            if compile {
                _ = try CompiledModule.compile(wasm: input)
                stats.compiled += 1
            }
        } catch let e as WasmError where e.kind == .unsupported {
            stats.unsupported += 1
        } catch {
            // A module the validator accepted must lower and compile: anything else is a bug.
            stats.compileErrors += 1
            stats.unclean += 1
            return .unclean("valid module failed to lower/compile: \(error)")
        }
        return .valid
    }

    static func loadCorpus(_ roots: [String]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        let fm = FileManager.default
        for root in roots {
            let files = (fm.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".wasm") }.sorted()
            for f in files {
                if let d = fm.contents(atPath: root + "/" + f), d.count <= 256 * 1024 { out.append([UInt8](d)) }
            }
        }
        return out
    }
}

/// Deterministic PRNG (SplitMix64): a seed and an iteration number name every mutant.
struct SplitMix64 {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
}

enum Mutator {
    static let interesting: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x40, 0x41, 0x0B, 0x02, 0x03, 0x70, 0x6F, 0x7B, 0xFE, 0xFC]

    static func mutate(_ corpus: [[UInt8]], _ rng: inout SplitMix64) -> [UInt8] {
        var b = corpus[rng.below(corpus.count)]
        let rounds = 1 + rng.below(8)
        for _ in 0..<rounds {
            let at = rng.below(max(b.count, 1))
            switch rng.below(9) {
            case 0: if !b.isEmpty { b[at] ^= UInt8(1 << rng.below(8)) }
            case 1: if !b.isEmpty { b[at] = UInt8(truncatingIfNeeded: rng.next()) }
            case 2: if !b.isEmpty { b[at] = interesting[rng.below(interesting.count)] }
            case 3: b.insert(contentsOf: (0..<1 + rng.below(8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: min(at, b.count))
            case 4: if !b.isEmpty { b.removeSubrange(at..<min(b.count, at + 1 + rng.below(16))) }
            case 5: // duplicate a range
                if !b.isEmpty { let end = min(b.count, at + 1 + rng.below(64)); b.insert(contentsOf: b[at..<end], at: end) }
            case 6: // splice in a piece of another corpus file
                let other = corpus[rng.below(corpus.count)]
                if !other.isEmpty {
                    let from = rng.below(other.count)
                    let piece = other[from..<min(other.count, from + 1 + rng.below(128))]
                    b.replaceSubrange(at..<min(b.count, at + piece.count), with: piece)
                }
            case 7: // a maximal or overlong LEB128
                let leb: [[UInt8]] = [[0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0x80, 0x80, 0x80, 0x80, 0x80, 0x00], [0xFF, 0xFF, 0x03], [0x80, 0x80, 0x04]]
                b.replaceSubrange(at..<min(b.count, at + 1), with: leb[rng.below(leb.count)])
            default: if b.count > 8 { b.removeSubrange(rng.below(b.count)..<b.count); if b.count < 8 { b = Array(b.prefix(8)) } }
            }
        }
        if b.count > 1 << 20 { b = Array(b.prefix(1 << 20)) }
        return b
    }
}
