import Foundation
import Testing
import WAT

/// Tests that need a process of their own: they run `wasmc-fuzz-run` (fuzz/runner).
@Suite struct ProcessTests {
    /// The runner next to this test bundle (SwiftPM puts products and tests in one folder).
    static var runner: String? {
        let candidates = [CommandLine.arguments.first, Bundle.main.executablePath].compactMap { $0 }
            .map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
            + [URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug")]
        return candidates.map { $0.appendingPathComponent("wasmc-fuzz-run").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ args: [String]) throws -> (status: Int32, output: String) {
        let r = try runUntilEnd(args)
        return (r.status, r.output)
    }

    /// `run`, also telling an exit from a death by signal (`status` is then the signal).
    static func runUntilEnd(_ args: [String]) throws -> (reason: Process.TerminationReason, status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(runner, "wasmc-fuzz-run not built"))
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationReason, p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A SIGSEGV handler installed by the host before wasmc keeps receiving the faults that are
    /// not wasmc's (its own guard page, raise), on two threads, while wasm traps still work.
    @Test func hostSignalHandlerInstalledFirstKeepsItsSignals() throws {
        let (status, output) = try Self.run(["signal-chain"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("signal-chain: ok"))
    }

    /// Running out of address space for memories (8 GiB reserved each) is a clean error, for a
    /// host-created memory and for instantiation, and memory works again after some are freed.
    @Test func exhaustingMemoriesIsACleanError() throws {
        let (status, output) = try Self.run(["exhaust-memories"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("exhaust-memories: ok"), "\(output)")
    }

    /// A short, deterministic decoder/validator/lowering fuzz over a small corpus: no crash,
    /// no hang, every rejection a WasmError.
    @Test func decoderMutationSmoke() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wasmc-fuzz-corpus-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let seeds = [
            TrapHealthTests.wat,
            "(module (func (export \"f\") (param i32) (result i32) (block (result i32) (br_table 0 0 (local.get 0) (local.get 0)))))",
            "(module (memory 1) (data (i32.const 8) \"abc\") (global (mut i64) (i64.const 1)) (func (export \"g\") (result i64) (global.get 0)))",
            "(module (table 3 funcref) (elem (i32.const 0) func 0 0) (func (result f64) (f64.const 1.5)) (func (loop (br_if 0 (i32.const 0)))))",
        ]
        for (i, wat) in seeds.enumerated() {
            try Data(wat2wasm(wat)).write(to: dir.appendingPathComponent("seed\(i).wasm"))
        }
        let crashes = dir.appendingPathComponent("crashes").path
        let (status, output) = try Self.run(["mutate", "--seed", "7", "--iterations", "3000", "--seconds", "60",
                                             "--crashes", crashes, dir.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("\"iterations\": 3000"), "\(output)")
        #expect(output.contains("\"unclean\": 0"), "\(output)")
    }
}
