/// `memarg`: alignment exponent, static offset, memory index (always 0 in 2.0).
public struct MemArg: Sendable, Hashable {
    public var align: UInt32
    public var offset: UInt64
    public var memory: UInt32
    public init(align: UInt32, offset: UInt64, memory: UInt32 = 0) {
        self.align = align
        self.offset = offset
        self.memory = memory
    }
}

/// 16 bytes of a `v128.const` or of `i8x16.shuffle`'s lane indices, little-endian: byte 0 is
/// `lo`'s lowest.
public struct V128: Sendable, Hashable, CustomStringConvertible {
    public var lo: UInt64
    public var hi: UInt64
    public init(lo: UInt64, hi: UInt64) {
        self.lo = lo
        self.hi = hi
    }
    /// The 128-bit little-endian integer in hex, 32 digits: `0x` then byte 15 … byte 0.
    public var description: String {
        func hex(_ v: UInt64) -> String {
            let d = String(v, radix: 16)
            return String(repeating: "0", count: 16 - d.count) + d
        }
        return "0x" + hex(hi) + hex(lo)
    }
    /// Byte `i` (0..<16).
    public subscript(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: (i < 8 ? lo : hi) >> UInt64(8 * (i & 7))) }
}

/// `br_table` targets; a final class keeps `Instruction` small.
public final class BrTable: Sendable, Hashable {
    public let targets: [UInt32]
    public let defaultTarget: UInt32
    public init(targets: [UInt32], defaultTarget: UInt32) {
        self.targets = targets
        self.defaultTarget = defaultTarget
    }
    public static func == (a: BrTable, b: BrTable) -> Bool {
        a.targets == b.targets && a.defaultTarget == b.defaultTarget
    }
    public func hash(into h: inout Hasher) {
        h.combine(targets)
        h.combine(defaultTarget)
    }
}

/// One clause of a `try_table` (Wasm 3.0): which exceptions it catches and the label it
/// branches to with the payload (and, for the `_ref` kinds, the exnref after it).
public struct CatchClause: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable {
        case `catch` = 0, catchRef = 1, catchAll = 2, catchAllRef = 3
        /// The clause catches only exceptions of its tag.
        public var hasTag: Bool { self == .catch || self == .catchRef }
        /// The clause passes the exception reference to its label.
        public var passesRef: Bool { self == .catchRef || self == .catchAllRef }
    }
    public var kind: Kind
    /// Tag index (`catch`, `catch_ref`); 0 and unused for the `catch_all` kinds.
    public var tag: UInt32
    public var label: UInt32
    public init(kind: Kind, tag: UInt32 = 0, label: UInt32) {
        self.kind = kind
        self.tag = tag
        self.label = label
    }
}

/// `try_table`'s immediate: block type and catch clauses; a final class keeps `Instruction` small.
public final class TryTable: Sendable, Hashable {
    public let blockType: BlockType
    public let catches: [CatchClause]
    public init(blockType: BlockType, catches: [CatchClause]) {
        self.blockType = blockType
        self.catches = catches
    }
    public static func == (a: TryTable, b: TryTable) -> Bool {
        a.blockType == b.blockType && a.catches == b.catches
    }
    public func hash(into h: inout Hasher) {
        h.combine(blockType)
        h.combine(catches)
    }
}

/// Decoded immediates. Which case an opcode carries is given by `OpcodeInfo.immediate`.
public enum Immediate: Sendable, Hashable {
    case none
    /// label, function, local, global, table, memory, data, element or type index.
    case index(UInt32)
    /// Two indices, in binary order: call_indirect (type, table), memory.init (data, memory),
    /// table.init (element, table), table.copy (dst, src), memory.copy (dst, src).
    case indices(UInt32, UInt32)
    case memarg(MemArg)
    case i32(UInt32)
    case i64(UInt64)
    /// Float constants keep their bit pattern (NaN payloads must survive).
    case f32(UInt32)
    case f64(UInt64)
    case block(BlockType)
    case brTable(BrTable)
    case tryTable(TryTable)
    /// `select t*` and `ref.null t`.
    case valueTypes([ValueType])
    /// `v128.const` and `i8x16.shuffle`.
    case v128(V128)
    /// `v128.loadN_lane` / `storeN_lane`. (A lane immediate alone is an `.index`.)
    case memargLane(MemArg, UInt8)
}

public struct Instruction: Sendable, Hashable {
    public var opcode: Opcode
    public var immediate: Immediate
    public init(_ opcode: Opcode, _ immediate: Immediate = .none) {
        self.opcode = opcode
        self.immediate = immediate
    }

    public var info: OpcodeInfo { opcode.info }

    // Convenience accessors; callers know the shape from the opcode.
    public var index: UInt32 {
        if case .index(let i) = immediate { return i }
        preconditionFailure("\(opcode.info.name) has no index immediate")
    }
    public var memarg: MemArg {
        if case .memarg(let m) = immediate { return m }
        if case .memargLane(let m, _) = immediate { return m }
        preconditionFailure("\(opcode.info.name) has no memarg")
    }
}
