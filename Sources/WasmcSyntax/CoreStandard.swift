/// Which edition of the core standard a module is checked against. 3.0 accepts more (extended
/// constant expressions, several memories, 64-bit memories and tables); 2.0 rejects that with
/// 2.0's wording, which the 2.0 spec tests expect (they hold `global.get` of a defined global
/// in an initialiser to be "unknown global", and a memory index byte other than 0 to be
/// "zero byte expected").
public enum CoreStandard: Sendable, Hashable {
    case wasm2, wasm3

    /// Integer `add`/`sub`/`mul` and `global.get` of any earlier immutable global in constant
    /// expressions (the extended-const proposal, part of 3.0).
    public var extendedConstants: Bool { self == .wasm3 }
    /// Several memories, and a memory index on every memory instruction (multi-memory, 3.0).
    public var multiMemory: Bool { self == .wasm3 }
    /// Memories and tables with 64-bit addresses (memory64, 3.0): limits flag 0x04, 64-bit
    /// memarg offsets.
    public var memory64: Bool { self == .wasm3 }
}
