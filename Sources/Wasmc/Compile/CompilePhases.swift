import Foundation

/// Where a compile's time goes, for `wasmc-bench --phases`: off unless `enabled`; then each
/// phase boundary of `CompiledModule.compile` (in-memory libtcc path, one string) records
/// the time and the process's minor page faults so far. For one thread at a time, the
/// benchmark's: marks come from the compiling thread only.
@_spi(Benchmark) public enum CompilePhases {
    nonisolated(unsafe) public static var enabled = false
    nonisolated(unsafe) private static var marks: [(name: StaticString, time: Double, faults: Int)] = []

    @inline(__always) static func mark(_ name: StaticString) {
        if enabled { record(name) }
    }

    @inline(never) private static func record(_ name: StaticString) {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        var u = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &u)
        marks.append((name, Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9, u.ru_minflt))
    }

    /// Starts a measurement (call just before `compile`).
    public static func begin() {
        marks.removeAll(keepingCapacity: true)
        marks.reserveCapacity(32)
        record("start")
    }

    /// The phases since `begin()`: each one's name, seconds and minor page faults.
    public static func take() -> [(name: String, seconds: Double, faults: Int)] {
        defer { marks.removeAll() }
        return zip(marks, marks.dropFirst()).map { a, b in ("\(b.name)", b.time - a.time, b.faults - a.faults) }
    }
}
