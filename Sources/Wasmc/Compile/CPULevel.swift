/// The instruction-set level the -O tier compiles for (`-march`). The libtcc tier always
/// emits baseline x86-64.
public enum CPULevel: String, Sendable, CaseIterable {
    /// x86-64 as the psABI defines it (SSE2): runs on every x86-64 CPU.
    case baseline
    case x86_64_v2 = "x86-64-v2"
    case x86_64_v3 = "x86-64-v3"
    /// The highest of the others this machine's CPU has (the default).
    case host

    /// `host` resolved for `features` (this machine's unless given): a level with a `-march`.
    public func resolved(features: CPUFeatures = .host) -> CPULevel {
        guard self == .host else { return self }
        if features.isSuperset(of: .x86_64_v3) { return .x86_64_v3 }
        if features.isSuperset(of: .x86_64_v2) { return .x86_64_v2 }
        return .baseline
    }

    /// The C compiler's `-march` (on x86-64; other machines compile for their own baseline).
    /// Each implies `-mtune=generic`: code tuned for no one CPU, as the baseline's.
    var march: String? {
        #if arch(x86_64)
        switch resolved() {
        case .baseline: return "x86-64"
        case .x86_64_v2: return "x86-64-v2"
        case .x86_64_v3, .host: return "x86-64-v3"
        }
        #else
        return nil
        #endif
    }
}
