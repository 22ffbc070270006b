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
        preconditionFailure("\(opcode.info.name) has no memarg")
    }
}
