// The built `wasmc` binary, run as users and scripts run it.
import Foundation
import Testing

struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// `.build/debug/wasmc`: next to the test bundle, or found from this source file.
func wasmcBinary() -> URL {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wasmc")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    var bundle = Bundle.main.bundleURL
    for _ in 0..<3 {
        let candidate = bundle.appendingPathComponent("wasmc")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        bundle.deleteLastPathComponent()
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/wasmc")
}

func wasmc(_ args: [String], environment: [String: String] = [:]) throws -> CLIResult {
    let p = Process()
    p.executableURL = wasmcBinary()
    p.arguments = args
    if !environment.isEmpty {
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return CLIResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

func tempDir() throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("wasmc-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}

@Suite struct CLITests {
    static let wat = """
        (module
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "half") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5)))
          (func (export "pair") (result i64 f32) (i64.const -5) (f32.const -0))
          (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))
        """

    @Test func binaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: wasmcBinary().path), "build the wasmc product first: \(wasmcBinary().path)")
    }

    @Test func runPrintsResults() throws {
        let d = try tempDir()
        let file = d.appendingPathComponent("m.wat")
        try Self.wat.write(to: file, atomically: true, encoding: .utf8)
        let add = try wasmc(["run", file.path, "--invoke", "add", "-1", "0x10"])
        #expect(add.status == 0 && add.stdout == "15\n", "\(add)")
        let dashes = try wasmc(["run", file.path, "--invoke", "add", "--", "-5", "3"])
        #expect(dashes.status == 0 && dashes.stdout == "-2\n", "\(dashes)")
        let half = try wasmc(["run", file.path, "--invoke", "half", "3"])
        #expect(half.stdout == "1.5\n", "\(half)")
        let pair = try wasmc(["run", file.path, "--invoke", "pair"])
        #expect(pair.stdout == "-5\n-0\n", "\(pair)")
    }

    @Test func runUncaughtExceptionExitsThree() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/exceptions.wat").path
        let r = try wasmc(["run", example, "--invoke", "parse", "--", "-5"])
        #expect(r.status == 3 && r.stderr == "uncaught exception: tag \"bad-input\" (i32): -5\n", "\(r)")
        let ok = try wasmc(["run", example, "--invoke", "checked", "--", "-5"])
        #expect(ok.status == 0 && ok.stdout == "-1\n", "\(ok)")
    }

    /// v128 arguments by lanes or hex, results in hex (examples/simd.wat), in both tiers.
    @Test func runTakesAndPrintsV128() throws {
        let example = CLIReliabilityTests.root.appendingPathComponent("examples/simd.wat").path
        for tier in [[], ["-O"]] {
            let add = try wasmc(["run"] + tier + [example, "--invoke", "add4", "f32x4:1,2,3,4", "f32x4:0.5,0.5,0.5,0.5"])
            #expect(add.status == 0 && add.stdout == "0x4090000040600000402000003fc00000\n", "\(add)")
            let hsum = try wasmc(["run"] + tier + [example, "--invoke", "hsum", "0x00000004000000030000000200000001"])
            #expect(hsum.status == 0 && hsum.stdout == "10\n", "\(hsum)")
            let pair = try wasmc(["run"] + tier + [example, "--invoke", "splat2", "--", "-3"])
            #expect(pair.stdout == "0xfffffffdfffffffdfffffffdfffffffd\n0xfffffffafffffffafffffffafffffffa\n", "\(pair)")
        }
        let short = try wasmc(["run", example, "--invoke", "hsum", "i32x4:1,2,3"])
        #expect(short.status == 1 && short.stderr == "error: invalid v128 argument 'i32x4:1,2,3'\n", "\(short)")
    }

    @Test func runTrapExitsTwo() throws {
        let d = try tempDir()
        let file = d.appendingPathComponent("m.wat")
        try Self.wat.write(to: file, atomically: true, encoding: .utf8)
        let r = try wasmc(["run", file.path, "--invoke", "div", "1", "0"])
        #expect(r.status == 2 && r.stderr == "trap: integer divide by zero\n", "\(r)")
        let bad = try wasmc(["run", file.path, "--invoke", "add", "1", "x"])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("error: "), "\(bad)")
        let missing = try wasmc(["run", file.path, "--invoke", "nope"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error: "), "\(missing)")
    }

    @Test func runTakesResourceLimits() throws {
        let d = try tempDir()
        let file = d.appendingPathComponent("limits.wat")
        try """
            (module
              (memory 2) (table 3 funcref)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
              (func $down (export "down") (result i32) (i32.add (call $down) (i32.const 1))))
            """.write(to: file, atomically: true, encoding: .utf8)
        let grown = try wasmc(["run", file.path, "--max-memory-pages", "8", "--invoke", "grow", "6"])
        #expect(grown.status == 0 && grown.stdout == "2\n", "\(grown)")
        let refused = try wasmc(["run", file.path, "--max-memory-pages", "8", "--invoke", "grow", "7"])
        #expect(refused.status == 0 && refused.stdout == "-1\n", "\(refused)")
        let memory = try wasmc(["run", file.path, "--max-memory-pages", "1", "--invoke", "grow", "0"])
        #expect(memory.status == 1 && memory.stderr == "error: \(file.path): memory 0: minimum size of 2 pages exceeds the limit of 1 page\n", "\(memory)")
        let table = try wasmc(["run", file.path, "--invoke", "tgrow", "--max-table-elements", "4", "2"])
        #expect(table.status == 0 && table.stdout == "-1\n", "\(table)")
        let tableMin = try wasmc(["run", file.path, "--max-table-elements", "2", "--invoke", "tgrow", "0"])
        #expect(tableMin.status == 1 && tableMin.stderr == "error: \(file.path): table 0: minimum size of 3 elements exceeds the limit of 2 elements\n", "\(tableMin)")
        let stack = try wasmc(["run", file.path, "--max-stack-bytes", "65536", "--invoke", "down"])
        #expect(stack.status == 2 && stack.stderr == "trap: call stack exhausted\n", "\(stack)")
    }

    @Test func compileWritesSharedObjectAndRunLoadsIt() throws {
        let d = try tempDir()
        let file = d.appendingPathComponent("m.wat")
        try Self.wat.write(to: file, atomically: true, encoding: .utf8)
        let so = d.appendingPathComponent("m.so"), c = d.appendingPathComponent("m.c")
        let r = try wasmc(["compile", file.path, "-o", so.path, "--emit-c", c.path])
        #expect(r.status == 0, "\(r)")
        #expect(FileManager.default.fileExists(atPath: so.path) && FileManager.default.fileExists(atPath: c.path))
        let run = try wasmc(["run", so.path, "--invoke", "add", "2", "3"])
        #expect(run.stdout == "5\n", "\(run)")
    }

    @Test func compileErrorLeavesNoFile() throws {
        let d = try tempDir()
        let file = d.appendingPathComponent("bad.wasm")
        try Data([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 0x01, 0x05]).write(to: file)
        let so = d.appendingPathComponent("bad.so")
        let r = try wasmc(["compile", file.path, "-o", so.path])
        #expect(r.status == 1 && r.stderr.hasPrefix("error: "), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: so.path))
    }

    @Test func wastReportsAndExitCode() throws {
        let d = try tempDir()
        let good = d.appendingPathComponent("good.wast"), bad = d.appendingPathComponent("bad.wast")
        try "(assert_malformed (module quote \"(func\") \"unexpected\")".write(to: good, atomically: true, encoding: .utf8)
        try "(assert_malformed (module quote \"(func\") \"unexpected\")\n(invoke \"x\")".write(to: bad, atomically: true, encoding: .utf8)
        let ok = try wasmc(["wast", good.path])
        #expect(ok.status == 0 && ok.stdout.hasSuffix("1 passed, 0 failed, 0 skipped\n"), "\(ok)")
        #expect(ok.stdout.hasPrefix("PASS \(good.path): 1 passed\n"))
        let fail = try wasmc(["wast", "--jobs", "2", good.path, bad.path])
        #expect(fail.status == 1, "\(fail)")
        #expect(fail.stdout.contains("FAIL \(bad.path): 1 passed, 1 failed, 0 skipped"))
        #expect(fail.stdout.contains("\(bad.path):2: "))
        #expect(fail.stdout.hasSuffix("2 passed, 1 failed, 0 skipped\n"))
        let missing = try wasmc(["wast", d.appendingPathComponent("none.wast").path])
        #expect(missing.status == 1 && missing.stdout.hasSuffix("0 passed, 1 failed, 0 skipped\n"), "\(missing)")
    }

    /// `-O` compiles through the system C compiler (`$CC`), in the child processes too: with a
    /// `CC` that always fails, the same script passes without `-O` and fails with it.
    @Test func wastOptimizedTierUsesTheSystemCompiler() throws {
        let d = try tempDir()
        let script = d.appendingPathComponent("add.wast")
        try """
            (module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
            (assert_return (invoke "add" (i32.const 2) (i32.const 40)) (i32.const 42))
            """.write(to: script, atomically: true, encoding: .utf8)
        let optimized = try wasmc(["wast", "-O", script.path])
        #expect(optimized.status == 0 && optimized.stdout.hasSuffix("2 passed, 0 failed, 0 skipped\n"), "\(optimized)")
        // gcc -O2 folds demote(promote(x)) to x: a signalling NaN must still come out quiet.
        let nan = d.appendingPathComponent("promote.wast")
        try """
            (module (func (export "pd") (param f32) (result f32) (f32.demote_f64 (f64.promote_f32 (local.get 0)))))
            (assert_return (invoke "pd" (f32.const nan:0x200000)) (f32.const nan:arithmetic))
            (assert_return (invoke "pd" (f32.const -nan:0x1)) (f32.const nan:arithmetic))
            """.write(to: nan, atomically: true, encoding: .utf8)
        for tier in [["-O"], []] {
            let r = try wasmc(["wast"] + tier + [nan.path])
            #expect(r.status == 0 && r.stdout.hasSuffix("3 passed, 0 failed, 0 skipped\n"), "\(tier) \(r)")
        }
        let noCC = ["CC": "false"]
        let tcc = try wasmc(["wast", script.path], environment: noCC)
        #expect(tcc.status == 0 && tcc.stdout.hasSuffix("2 passed, 0 failed, 0 skipped\n"), "\(tcc)")
        for extra in [[], ["--in-process"]] {
            let broken = try wasmc(["wast", "-O"] + extra + [script.path], environment: noCC)
            #expect(broken.status == 1 && broken.stdout.contains("false failed"), "\(broken)")
        }
    }

    @Test func hangingFileIsKilledAndFailsAlone() throws {
        let d = try tempDir()
        let hang = d.appendingPathComponent("hang.wast"), ok = d.appendingPathComponent("ok.wast")
        try "(module (func (export \"spin\") (loop (br 0))))\n(invoke \"spin\")".write(to: hang, atomically: true, encoding: .utf8)
        try "(assert_malformed (module quote \"(func\") \"unexpected\")".write(to: ok, atomically: true, encoding: .utf8)
        let table = d.appendingPathComponent("results.md")
        let r = try wasmc(["wast", "--timeout", "3", "--markdown", table.path, hang.path, ok.path])
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("FAIL \(hang.path): 0 passed, 1 failed, 0 skipped"), "\(r)")
        #expect(r.stdout.contains("timed out after 3s"), "\(r)")
        #expect(r.stdout.contains("PASS \(ok.path): 1 passed"), "\(r)")
        #expect(r.stdout.hasSuffix("1 passed, 1 failed, 0 skipped\n"), "\(r)")
        let md = try String(contentsOf: table, encoding: .utf8)
        #expect(md.contains("| \(ok.path) | 1 | 0 | 0 |"), "\(md)")
    }
}
