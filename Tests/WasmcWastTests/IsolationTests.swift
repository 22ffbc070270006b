// A file's child process that crashes or prints no report fails that file, with the reason.
import Foundation
import Testing
@testable import WasmcWast

@Suite struct IsolationTests {
    func fakeChild(_ body: String) throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wasmc-iso-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let exe = d.appendingPathComponent("child.sh")
        try "#!/bin/sh\n\(body)\n".write(to: exe, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: exe.path)
        return exe.path
    }

    @Test func crashingChildFailsItsFile() throws {
        let exe = try fakeChild("echo 'partial line'; kill -SEGV $$")
        let r = Isolation(executable: exe, timeout: 30).run(path: "x.wast", display: "x.wast", verbose: false)
        #expect(r.failed == 1 && r.passed == 0)
        #expect(r.text.hasPrefix("FAIL x.wast: 0 passed, 1 failed, 0 skipped"))
        #expect(r.text.contains("crashed (signal 11)"), "\(r.text)")
        #expect(r.text.contains("x.wast: output: partial line"))
    }

    @Test func childReportIsTakenWithItsCounts() throws {
        let exe = try fakeChild("echo 'FAIL x.wast: 3 passed, 1 failed, 2 skipped'; echo 'x.wast:9: bad'; echo '#counts 3 1 2'")
        let r = Isolation(executable: exe, timeout: 30).run(path: "x.wast", display: "x.wast", verbose: false)
        #expect((r.passed, r.failed, r.skipped) == (3, 1, 2))
        #expect(r.text == "FAIL x.wast: 3 passed, 1 failed, 2 skipped\nx.wast:9: bad")
    }

    @Test func childWithoutCountsFails() throws {
        let exe = try fakeChild("echo hello; exit 3")
        let r = Isolation(executable: exe, timeout: 30).run(path: "x.wast", display: "x.wast", verbose: false)
        #expect(r.failed == 1 && r.text.contains("ended without a report (exit 3)"), "\(r.text)")
    }
}
