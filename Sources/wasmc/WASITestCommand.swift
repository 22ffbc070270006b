import ArgumentParser
import Foundation

/// `wasmc wasi-test`: the WASI test suite's executor (its SPECIFICATION.md). Each test runs
/// as `wasmc run` in a child process, with a copy of its root folder preopened as `/`.
struct WASITestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wasi-test",
        abstract: "Run WASI test-suite programs (X.wasm or X.wat with an optional X.json) through `wasmc run`.",
        discussion: """
            Folders are searched recursively. X.json gives args, env (exactly these variables), \
            root (a folder next to the test, copied to a temporary folder and preopened as /; \
            *.cleanup files removed), exit_code, stdout and stderr; the operation-based form \
            (run, wait, read) is read too, and tests needing other proposals (sockets, http) are \
            skipped with that reason. stdin is a pipe that stays open and empty. Prints \
            `PASS name`, `FAIL name: why` or `SKIP name: why` per test, then exactly \
            `N passed, N failed, N skipped`; exit status 1 when any test failed.
            """
    )

    @Argument(help: "Test folders or files.")
    var paths: [String]

    @Flag(name: .customShort("O"), help: "Run every test through the -O tier.")
    var optimize = false

    @Option(help: "Tests to run in parallel.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Seconds before a test is killed and fails.")
    var timeout: Double = 60

    @Option(name: .customLong("known-gaps"),
            help: "A file of `TEST: reason` lines: tests that fail for a known reason. They still run; a failure counts as a skip with that reason, a pass fails (the list must stay true).")
    var knownGapsFile: String?

    func run() throws {
        for path in paths where !FileManager.default.fileExists(atPath: path) { fail("no such file or folder: \(path)") }
        let tests = paths.flatMap(WASITest.find(under:))
        let gaps = try knownGaps()
        guard let wasmc = Bundle.main.executablePath else { fail("cannot find the wasmc executable") }
        let outcomes = ConcurrentResults<WASITest.Outcome>(count: tests.count)
        DispatchQueue.concurrentPerform(iterations: max(1, jobs)) { worker in
            var i = worker
            while i < tests.count {
                outcomes.set(i, tests[i].run(wasmc: wasmc, optimize: optimize, timeout: timeout))
                i += max(1, jobs)
            }
        }
        var passed = 0, failed = 0, skipped = 0
        for (test, result) in zip(tests, outcomes.values) {
            var outcome = result
            if let reason = gaps[test.name] {
                if case .passed = outcome { outcome = .failed("listed in --known-gaps but passed: remove it from the list") }
                else if case .failed = outcome { outcome = .skipped("known gap: \(reason)") }
            }
            switch outcome {
            case .passed: passed += 1; print("PASS \(test.name)")
            case .failed(let why): failed += 1; print("FAIL \(test.name): \(why)")
            case .skipped(let why): skipped += 1; print("SKIP \(test.name): \(why)")
            }
        }
        print("\(passed) passed, \(failed) failed, \(skipped) skipped")
        if failed > 0 { throw ExitCode(1) }
    }
}

extension WASITestCommand {
    /// `TEST: reason` per line; `#` starts a comment.
    func knownGaps() throws -> [String: String] {
        guard let knownGapsFile else { return [:] }
        guard let text = try? String(contentsOfFile: knownGapsFile, encoding: .utf8) else {
            fail("cannot read --known-gaps file \(knownGapsFile)")
        }
        var gaps: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.allSatisfy(\.isWhitespace) {
            guard let colon = line.firstIndex(of: ":") else { fail("\(knownGapsFile): expected `TEST: reason`, got \"\(line)\"") }
            gaps[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return gaps
    }
}

/// Results filled by worker threads, read once all are done.
final class ConcurrentResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); slots[i] = value; lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}
