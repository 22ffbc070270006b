import Foundation
import Testing
import WasmcWast

enum SpecSuite {
    static let threadsDirectory: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let spec = ProcessInfo.processInfo.environment["SPEC"]
            ?? root.deletingLastPathComponent().appendingPathComponent("shared/spec-testsuite").path
        let dir = spec + "/threads"
        return FileManager.default.fileExists(atPath: dir + "/LB.wast") ? dir : nil
    }()
}

/// The spec's multi-threaded litmus scripts, many runs in a row: a rare interleaving that
/// breaks them (a lost wake-up, a reordering, a race in the loader) shows up as a failure.
/// Reads the suite from $SPEC (`make unit-test` sets it) or ../shared/spec-testsuite. Under
/// `make` a missing suite fails the test; a bare `swift test` without one reports a skip.
@Suite(.enabled(if: SpecSuite.threadsDirectory != nil || ProcessInfo.processInfo.environment["SPEC"] != nil,
                "spec test suite not found (../shared/spec-testsuite, or set SPEC)"))
struct LitmusTests {
    static let files = ["LB", "LB_atomic", "MP", "MP_atomic", "SB", "SB_atomic",
                        "wait_notify", "thread", "nested", "deeply_nested"]
    static let runs = 50

    @Test func litmusFilesManyRunsInARow() throws {
        let dir = try #require(SpecSuite.threadsDirectory, "no threads/LB.wast under SPEC=\(ProcessInfo.processInfo.environment["SPEC"] ?? "")")
        var failures: [String] = []
        for run in 0..<Self.runs {
            for f in Self.files {
                let report = WastSuite.runFile(path: "\(dir)/\(f).wast", display: f)
                if report.failed > 0 || report.skipped > 0 || report.passed == 0 || report.fileError != nil {
                    failures.append("run \(run): \(report.text)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(3).joined(separator: "\n"))")
    }
}
