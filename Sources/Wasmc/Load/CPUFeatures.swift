import WasmcRuntime

/// x86-64 instruction-set features beyond the baseline (SSE2), as recorded in a module's
/// descriptor (`cpu_features`, bits of wasmc_abi.h's `wasmc_cpu_feature`).
public struct CPUFeatures: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    init(_ feature: wasmc_cpu_feature) { rawValue = feature.rawValue }

    /// Each feature with its name, in the order of the psABI levels' definitions.
    static let named: [(CPUFeatures, String)] = [
        (.init(WASMC_CPU_SSE3), "SSE3"), (.init(WASMC_CPU_SSSE3), "SSSE3"),
        (.init(WASMC_CPU_SSE4_1), "SSE4.1"), (.init(WASMC_CPU_SSE4_2), "SSE4.2"),
        (.init(WASMC_CPU_POPCNT), "POPCNT"), (.init(WASMC_CPU_CX16), "CMPXCHG16B"),
        (.init(WASMC_CPU_LAHF_SAHF), "LAHF-SAHF"),
        (.init(WASMC_CPU_AVX), "AVX"), (.init(WASMC_CPU_AVX2), "AVX2"),
        (.init(WASMC_CPU_BMI1), "BMI1"), (.init(WASMC_CPU_BMI2), "BMI2"),
        (.init(WASMC_CPU_FMA), "FMA"), (.init(WASMC_CPU_LZCNT), "LZCNT"),
        (.init(WASMC_CPU_MOVBE), "MOVBE"), (.init(WASMC_CPU_F16C), "F16C"),
        (.init(WASMC_CPU_XSAVE), "XSAVE"),
    ]

    /// The features' names, space-separated ("SSSE3 SSE4.1"); bits wasmc does not know are
    /// named by number.
    public var names: String {
        var parts = Self.named.filter { contains($0.0) }.map(\.1)
        let unknown = rawValue & ~Self.named.reduce(0) { $0 | $1.0.rawValue }
        for bit in 0..<32 where unknown & (1 << bit) != 0 { parts.append("bit \(bit)") }
        return parts.joined(separator: " ")
    }

    /// This machine's CPU (CPUID, with AVX only when the operating system saves its registers).
    public static let host = CPUFeatures(rawValue: wasmc_cpu_host_features())

    /// The x86-64-v2 and x86-64-v3 levels of the x86-64 psABI (as gcc's `-march` defines them).
    public static let x86_64_v2: CPUFeatures = [
        .init(WASMC_CPU_SSE3), .init(WASMC_CPU_SSSE3),
        .init(WASMC_CPU_SSE4_1), .init(WASMC_CPU_SSE4_2),
        .init(WASMC_CPU_POPCNT), .init(WASMC_CPU_CX16),
        .init(WASMC_CPU_LAHF_SAHF),
    ]
    public static let x86_64_v3: CPUFeatures = x86_64_v2.union([
        .init(WASMC_CPU_AVX), .init(WASMC_CPU_AVX2),
        .init(WASMC_CPU_BMI1), .init(WASMC_CPU_BMI2),
        .init(WASMC_CPU_FMA), .init(WASMC_CPU_LZCNT),
        .init(WASMC_CPU_MOVBE), .init(WASMC_CPU_F16C),
        .init(WASMC_CPU_XSAVE),
    ])

    /// Throws unless `host` has every feature in `self` (a module's requirement), naming the missing ones.
    func check(host: CPUFeatures) throws {
        let missing = subtracting(host)
        guard missing.isEmpty else {
            throw WasmcError("module was compiled for CPU features this CPU lacks: \(missing.names) (compile it with `--cpu baseline`, or for this CPU with `--cpu host`)")
        }
    }
}
