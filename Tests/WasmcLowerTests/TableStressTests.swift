import Foundation
import Testing

/// Shared tables under concurrent growth: C/table_stress.c (growers, a filler and readers on
/// one table, 20 rounds) built with ThreadSanitizer against the runtime's table code. Before
/// tables had a fixed reservation, this reported a data race on every run and, without the
/// sanitizer, aborted in realloc.
@Test func tableGrowersFillersAndReadersAreRaceFreeUnderThreadSanitizer() throws {
    let runtime = CTools.root.appendingPathComponent("Runtime")
    let source = try String(contentsOf: CTools.testsDir.appendingPathComponent("C/table_stress.c"), encoding: .utf8)
    // ThreadSanitizer exits 66 when it reported anything.
    let r = try CTools.buildAndRun("gcc", source, name: "table_stress",
                                   extra: ["-fsanitize=thread", "-g", "-I", runtime.path,
                                           runtime.appendingPathComponent("wasmc_table.c").path, "-lpthread"])
    #expect(r.status == 0, "table stress failed (66: ThreadSanitizer report):\n\(r.output)")
    #expect(!r.output.contains("ThreadSanitizer"), "\(r.output)")
    #expect(r.output.contains("20 rounds"), "\(r.output)")
}
