import Foundation
import Testing

/// Runtime/prelude/wasmc_simd.h on its own (C/simd_test.c): every vector operation on edge-case
/// and random inputs, built by tcc, by gcc -O2 (vector code) and by gcc -O2 with the tcc
/// representation, each compared with the same program over SIMDe's portable implementation
/// (Debian libsimde-dev, installed by `make deps`). The tcc representation's builds also compare
/// every half form the tcc tier lowers to (wasmc_h_*, wasmc_hg_*) with the whole forms.
@Test func simdOperationsMatchReference() throws {
    let simde = "/usr/include/simde/wasm/simd128.h"
    try #require(FileManager.default.fileExists(atPath: simde),
                 "\(simde) not found: install libsimde-dev (make deps) for the SIMD reference")
    let src = try String(contentsOf: CTools.testsDir.appendingPathComponent("C/simd_test.c"), encoding: .utf8)
    let reference = try CTools.buildAndRun("gcc", src, name: "simd_reference", extra: ["-DSIMD_REFERENCE", "-lm"])
    try #require(reference.status == 0 && reference.output.contains("reference: 0 failures"), "\(reference.output.prefix(4000))")
    let expected = operationLines(reference.output)
    #expect(expected.count > 250, "the reference ran \(expected.count) operations")
    let builds: [(cc: String, name: String, flags: [String], label: String)] = [
        ("tcc", "simd_tcc", [], "tcc"),
        ("gcc", "simd_gcc", ["-Wall", "-Wextra"], "gcc"),
        ("gcc", "simd_gcc_portable", ["-DWASMC_SIMD_PORTABLE"], "gcc portable"),
    ]
    for b in builds {
        let r = try CTools.buildAndRun(b.cc, src, name: b.name, extra: b.flags)
        #expect(r.status == 0 && r.output.contains("\(b.label): 0 failures"), "\(b.label): \(r.output.prefix(4000))")
        let got = operationLines(r.output)
        let differing = zip(got, expected).filter { $0 != $1 }.map { $0.0.split(separator: " ").first.map(String.init) ?? $0.0 }
        #expect(got.count == expected.count, "\(b.label): \(got.count) operations, the reference \(expected.count)")
        #expect(differing.isEmpty, "\(b.label) differs from the reference in: \(differing.joined(separator: ", ")) (run the test program with the operation's name to list its results)")
        if b.label != "gcc" {
            // The tcc representation's half forms (wasmc_h_*, wasmc_hg_*) against the whole forms.
            let compared = r.output.split(separator: "\n").first { $0.hasPrefix("half forms: ") }
                .flatMap { Int($0.split(separator: " ")[2]) } ?? 0
            #expect(compared > 600_000, "\(b.label): half forms compared \(compared) results")
        }
    }
}

/// The "name hash count" lines.
private func operationLines(_ output: String) -> [String] {
    output.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("FAIL") && !$0.contains("failures") }
}
