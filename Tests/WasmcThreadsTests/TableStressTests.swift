import Foundation
import Testing

/// Shared tables under concurrent growth: Fixtures/table_stress.c (growers, a filler and
/// readers on one table, 20 rounds) built with ThreadSanitizer against the runtime's table
/// code. Before tables had a fixed reservation, this reported a data race on every run and,
/// without the sanitizer, aborted in realloc.
@Suite struct TableStressTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ exe: String, _ args: [String], env: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = env.map { "\($0)=\($1)" } + [exe] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func growersFillersAndReadersAreRaceFreeUnderThreadSanitizer() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wasmc-table-stress-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let exe = dir.appendingPathComponent("table_stress").path
        let runtime = Self.root.appendingPathComponent("Runtime")
        let build = try run("gcc", ["-fsanitize=thread", "-O1", "-g", "-std=gnu11",
                                    "-I", runtime.path, "-I", runtime.appendingPathComponent("include").path,
                                    Self.root.appendingPathComponent("Tests/WasmcThreadsTests/Fixtures/table_stress.c").path,
                                    runtime.appendingPathComponent("wasmc_table.c").path,
                                    "-o", exe, "-lpthread"])
        try #require(build.status == 0, "gcc -fsanitize=thread failed:\n\(build.output)")
        let result = try run("timeout", ["120", exe], env: ["TSAN_OPTIONS": "halt_on_error=1 exitcode=66"])
        #expect(result.status == 0, "table stress failed (66: ThreadSanitizer report):\n\(result.output)")
        #expect(!result.output.contains("ThreadSanitizer"))
        #expect(result.output.contains("20 rounds"))
    }
}
