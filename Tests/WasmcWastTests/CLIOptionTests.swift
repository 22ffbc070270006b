// `wasmc`'s options at their edges: --version, usage errors (exit 1, like every error),
// mistyped options among function arguments, limits out of range, results that round-trip.
import Foundation
import Testing

@Suite struct CLIOptionTests {
    static let calc = CLIReliabilityTests.calc

    @Test func versionAndUsageErrorsExitOne() throws {
        let v = try wasmc(["--version"])
        #expect(v.status == 0 && v.stdout.hasPrefix("wasmc "), "\(v)")
        let noInput = try wasmc(["compile"])
        #expect(noInput.status == 1 && noInput.stderr.hasPrefix("error: "), "\(noInput)")
        let unknown = try wasmc(["run", "--bogus", Self.calc, "--invoke", "fac", "5"])
        #expect(unknown.status == 1 && unknown.stderr.hasPrefix("error: unknown option '--bogus'"), "\(unknown)")
        // After MODULE, a word that is no wasmc option starts the program's arguments (WASI form):
        // calc has no _start, which the error says, naming the file.
        let program = try wasmc(["run", Self.calc, "--bogus", "--invoke", "fac", "5"])
        #expect(program.status == 1 && program.stderr.hasPrefix("error: \(Self.calc): the module has no _start function"), "\(program)")
        let after = try wasmc(["run", Self.calc, "--invoke", "fac", "--bogus"])
        #expect(after.status == 1 && after.stderr.hasPrefix("error: unknown option '--bogus'"), "\(after)")
        // Negative numbers and NaN spellings are arguments, with or without `--`.
        #expect(try wasmc(["run", Self.calc, "--invoke", "divmod", "-7", "2"]).stdout == "-3\n-1\n")
        #expect(try wasmc(["run", Self.calc, "--invoke", "divmod", "--", "-7", "-2"]).stdout == "3\n-1\n")
        let stack = try wasmc(["run", Self.calc, "--max-stack-bytes", "0", "--invoke", "fac", "5"])
        #expect(stack.status == 1 && stack.stderr.hasPrefix("error: --max-stack-bytes must be at least 1"), "\(stack)")
        let pages = try wasmc(["run", Self.calc, "--max-memory-pages", "281474976710657", "--invoke", "fac", "5"])
        #expect(pages.status == 1 && pages.stderr.hasPrefix("error: --max-memory-pages must be at most 281474976710656"), "\(pages)")
        // Past 4 GiB is for 64-bit memories; a 32-bit one keeps its own 65536-page bound.
        #expect(try wasmc(["run", Self.calc, "--max-memory-pages", "70000", "--invoke", "fac", "5"]).stdout == "120\n")
        let f64 = try wasmc(["run", Self.calc, "--invoke", "hypot", "2e308", "1"])
        #expect(f64.status == 1 && f64.stderr.contains("2e308"), "\(f64)")
    }

    @Test func nanResultsKeepSignAndPayload() throws {
        let d = try tempDir()
        let file = d.appendingPathComponent("nan.wat")
        try """
            (module
              (func (export "id32") (param f32) (result f32) (local.get 0))
              (func (export "neg") (param f64) (result f64) (f64.neg (local.get 0))))
            """.write(to: file, atomically: true, encoding: .utf8)
        #expect(try wasmc(["run", file.path, "--invoke", "id32", "nan:0x200000"]).stdout == "nan:0x200000\n")
        #expect(try wasmc(["run", file.path, "--invoke", "id32", "-nan"]).stdout == "-nan\n")
        #expect(try wasmc(["run", file.path, "--invoke", "neg", "nan"]).stdout == "-nan\n")
        #expect(try wasmc(["run", file.path, "--invoke", "neg", "-nan:0x1"]).stdout == "nan:0x1\n")
    }
}
