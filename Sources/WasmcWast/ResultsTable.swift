// The per-file results as a Markdown table (docs/spec-results.md, the README).

public enum ResultsTable {
    public static func markdown(_ s: WastSummary, title: String) -> String {
        var out = "# \(title)\n\n"
        // Groups: top-level core files, SIMD files, threads files.
        let groups: [(String, (FileCounts) -> Bool)] = [
            ("core (non-SIMD)", { !$0.name.contains("/") && !isSIMD($0.name) }),
            ("SIMD", { isSIMD($0.name) }),
            ("threads", { $0.name.contains("/") }),
        ]
        out += "| suite | files | passed | failed | skipped |\n|---|---:|---:|---:|---:|\n"
        for (name, member) in groups {
            let fs = s.files.filter(member)
            guard !fs.isEmpty else { continue }
            out += "| \(name) | \(fs.count) | \(fs.map(\.passed).reduce(0, +)) | \(fs.map(\.failed).reduce(0, +)) | \(fs.map(\.skipped).reduce(0, +)) |\n"
        }
        out += "| **total** | \(s.files.count) | \(s.passed) | \(s.failed) | \(s.skipped) |\n\n"
        out += "| file | passed | failed | skipped |\n|---|---:|---:|---:|\n"
        for f in s.files { out += "| \(f.name) | \(f.passed) | \(f.failed) | \(f.skipped) |\n" }
        return out
    }

    static func isSIMD(_ name: String) -> Bool {
        name.split(separator: "/").last?.hasPrefix("simd_") ?? false
    }
}
