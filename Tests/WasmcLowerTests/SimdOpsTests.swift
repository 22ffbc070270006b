import Foundation
import Testing

/// Runtime/prelude/wasmc_simd.h on its own (C/simd_test.c): every vector operation on edge-case
/// and random inputs, built by tcc, by gcc -O2 (vector code) and by gcc -O2 with the tcc
/// representation, each compared with the same program over SIMDe's portable implementation
/// (Debian libsimde-dev, installed by `make deps`). The tcc representation's builds also compare
/// every half form the tcc tier lowers to (wasmc_h_*, wasmc_hg_*) with the whole forms.
@Test func simdOperationsMatchReference() throws {
    try compareWithReference(builds: [
        ("tcc", "simd_tcc", [], "tcc"),
        ("gcc", "simd_gcc", ["-Wall", "-Wextra"], "gcc"),
        ("gcc", "simd_gcc_portable", ["-DWASMC_SIMD_PORTABLE"], "gcc portable"),
    ])
}

/// The -O tier compiles for the host's x86-64 level (`--cpu`): the library's results must not
/// change with SSSE3/SSE4.1 shuffles and extends or AVX/FMA code. x86-64-v3 has FMA, which gcc
/// would fuse relaxed_madd's a*b+c with: the generated C says fp-contract=off (Lowerer's
/// pragma), so these builds do too (CPULevelTests checks the tier itself).
@Test(.enabled(if: cpuFlags.isSuperset(of: ["ssse3", "sse4_1", "sse4_2", "popcnt", "avx", "avx2", "fma", "bmi2", "f16c", "movbe"]),
               "the CPU lacks x86-64-v3: its builds could not run"))
func simdOperationsMatchReferenceAtCPULevels() throws {
    try compareWithReference(reference: "simd_reference_levels", builds: [
        ("gcc", "simd_gcc_v2", ["-march=x86-64-v2", "-ffp-contract=off"], "gcc"),
        ("gcc", "simd_gcc_v3", ["-march=x86-64-v3", "-ffp-contract=off"], "gcc"),
    ])
}

/// The kernel's CPU flags (/proc/cpuinfo), empty elsewhere.
private let cpuFlags: Set<String> = {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
    return Set(line.split(separator: ":").last?.split(separator: " ").map(String.init) ?? [])
}()

/// `reference`: the reference program's file name (tests run in parallel in one folder).
private func compareWithReference(reference referenceName: String = "simd_reference",
                                  builds: [(cc: String, name: String, flags: [String], label: String)]) throws {
    let simde = "/usr/include/simde/wasm/simd128.h"
    try #require(FileManager.default.fileExists(atPath: simde),
                 "\(simde) not found: install libsimde-dev (make deps) for the SIMD reference")
    let src = try String(contentsOf: CTools.testsDir.appendingPathComponent("C/simd_test.c"), encoding: .utf8)
    let reference = try CTools.buildAndRun("gcc", src, name: referenceName, extra: ["-DSIMD_REFERENCE", "-lm"])
    try #require(reference.status == 0 && reference.output.contains("reference: 0 failures"), "\(reference.output.prefix(4000))")
    let expected = operationLines(reference.output)
    #expect(expected.count > 250, "the reference ran \(expected.count) operations")
    for b in builds {
        let r = try CTools.buildAndRun(b.cc, src, name: b.name, extra: b.flags)
        #expect(r.status == 0 && r.output.contains("\(b.label): 0 failures"), "\(b.name): \(r.output.prefix(4000))")
        let got = operationLines(r.output)
        let differing = zip(got, expected).filter { $0 != $1 }.map { $0.0.split(separator: " ").first.map(String.init) ?? $0.0 }
        #expect(got.count == expected.count, "\(b.name): \(got.count) operations, the reference \(expected.count)")
        #expect(differing.isEmpty, "\(b.name) differs from the reference in: \(differing.joined(separator: ", ")) (run the test program with the operation's name to list its results)")
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
