// `make bench QUICK=1` without peers: the harness runs end to end on wasmc (both tiers) and native,
// and every checksum matches. Asserts no timing (the machine is shared and noisy).
import Foundation
import Testing

private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// wasmc-bench is built with the tests (`swift test` builds every product), next to the test binary.
private func wasmcBench() -> String? {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [beside, beside.deletingLastPathComponent(), repoRoot.appendingPathComponent(".build/debug")]
        .map { $0.appendingPathComponent("wasmc-bench").path }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}

@Test func quickBenchmarkRunsAndChecksumsMatch() throws {
    let bench = try #require(wasmcBench(), "wasmc-bench not built (swift build --product wasmc-bench)")
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("wasmc-bench-test-\(getpid())")
    defer { try? FileManager.default.removeItem(at: out) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", repoRoot.appendingPathComponent("benchmarks/bench.py").path,
                   "--wasmc-bench", bench, "--quick", "--no-peers", "--out", out.path]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "bench.py --quick failed:\n\(log.suffix(3000))")
    #expect(log.contains("all checksums match"))

    // results.json: both wasmc tiers produced a run time for each quick kernel.
    let data = try Data(contentsOf: out.appendingPathComponent("results.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let samples = try #require(json["samples"] as? [String: [String: [String: Any]]])
    #expect(Set(samples.keys) == ["fib", "crc32"])
    for (kernel, row) in samples {
        for tier in ["wasmc-tcc", "wasmc-O", "native"] {
            let runs = row[tier]?["run"] as? [Double] ?? []
            #expect(runs.count == 3, "\(kernel) on \(tier): \(runs.count) good runs")
        }
    }
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("RESULTS.md").path))
}
