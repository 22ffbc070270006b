import WasmcRuntime

/// The process-wide address-space budget of memories. Every memory reserves its whole range up
/// front (8 GiB for a 32-bit one, a 64-bit one its maximum plus a 4 GiB guard, up to 1 TiB),
/// and x86-64 gives a process 128 TiB: without a budget ~127 memories declaring a maximum near
/// 1 TiB would take all of it and starve the rest of the process. The reservations of all
/// memories together stay within `budget` (default: half the user address space, 64 TiB);
/// creating a memory past it throws `AddressSpaceBudgetError`, and a grow that would have to
/// move a memory past it fails (nil, -1 in wasm). Freed memories give their bytes back.
public enum AddressSpace {
    /// Bytes all memories' reservations may hold together (guard pages included).
    public static var budget: UInt64 {
        get { wasmc_address_budget() }
        set { wasmc_set_address_budget(newValue) }
    }

    /// Bytes all memories' reservations hold now.
    public static var reserved: UInt64 { wasmc_address_reserved() }

    /// "1 TiB", "8.0 GiB", "512 KiB": bytes for messages.
    static func describe(_ bytes: UInt64) -> String {
        let units: [(UInt64, String)] = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, name) in units where bytes >= size {
            if bytes % size == 0 { return "\(bytes / size) \(name)" }
            let tenths = (bytes * 10 + size / 2) / size
            return "\(tenths / 10).\(tenths % 10) \(name)"
        }
        return "\(bytes) bytes"
    }
}

/// A memory whose reservation would pass `AddressSpace.budget`.
public struct AddressSpaceBudgetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Index in the module's memory index space; nil for a host-created memory.
    public var index: Int?
    /// Bytes of address space the memory needed (its reservation, guard included).
    public var requested: UInt64
    /// Bytes the other memories held at the time.
    public var reserved: UInt64
    public var budget: UInt64

    public var description: String {
        let what = index.map { "memory \($0)" } ?? "memory"
        return "\(what): reserving \(AddressSpace.describe(requested)) of address space would pass wasmc's budget of "
            + "\(AddressSpace.describe(budget)) for all memories (\(AddressSpace.describe(reserved)) already reserved); "
            + "free instances or memories, lower the memory's maximum or ResourceLimits.maxMemoryPages, "
            + "or raise AddressSpace.budget"
    }
}
