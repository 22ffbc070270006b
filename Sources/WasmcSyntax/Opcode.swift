/// An instruction's opcode: an index into `OpcodeTable.entries`, the one table that the
/// decoder, the validator and the lowering all read (no hand copies per stage).
public struct Opcode: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public var info: OpcodeInfo { OpcodeTable.entries[Int(rawValue)] }
    /// The entry's kind alone: on a hot path, `info` copies the whole entry (its name and C
    /// template retained and released per instruction).
    @inlinable public var kind: OpcodeKind { OpcodeTable.entries[Int(rawValue)].kind }
    public var description: String { info.name }

    /// The opcode with this text-format name ("i32.add"); traps on an unknown name.
    public static func named(_ name: String) -> Opcode {
        guard let op = OpcodeTable.byName[name] else { preconditionFailure("unknown opcode \(name)") }
        return op
    }
    public init(_ special: Special) { self = OpcodeTable.bySpecial[special]! }
}

/// What follows the opcode in the binary format.
public enum ImmediateKind: Sendable, Hashable {
    case none
    case block            // blocktype
    case label            // labelidx
    case brTable          // vec(labelidx) labelidx
    case function         // funcidx
    case callIndirect     // typeidx tableidx
    case local            // localidx
    case global           // globalidx
    case table            // tableidx
    case memarg           // align offset
    case memory           // memidx (a zero byte in 2.0)
    case i32, i64, f32, f64
    case selectTypes      // vec(valtype)
    case refType          // reftype
    case memoryInit       // dataidx memidx
    case data             // dataidx
    case memoryCopy       // memidx memidx
    case tableInit        // elemidx tableidx
    case element          // elemidx
    case tableCopy        // tableidx tableidx
    case atomicFence      // a zero byte
    case tag              // tagidx
    case tryTable         // blocktype vec(catch)
    case type             // typeidx
    // SIMD
    case v128             // 16 bytes (v128.const)
    case lane             // a lane index byte
    case shuffle          // 16 lane index bytes (i8x16.shuffle)
    case memargLane       // memarg, then a lane index byte
}

/// Instructions whose typing or lowering is not a plain function of operands to a result.
public enum Special: Sendable, Hashable {
    case unreachable, nop, block, loop, `if`, `else`, end, br, brIf, brTable, `return`
    case call, callIndirect
    case drop, select, selectTyped
    case localGet, localSet, localTee, globalGet, globalSet
    case tableGet, tableSet, tableInit, elemDrop, tableCopy, tableGrow, tableSize, tableFill
    case memorySize, memoryGrow, memoryInit, dataDrop, memoryCopy, memoryFill
    case i32Const, i64Const, f32Const, f64Const
    case refNull, refIsNull, refFunc
    case returnCall, returnCallIndirect, callRef, returnCallRef, refAsNonNull, brOnNull, brOnNonNull
    case atomicNotify, atomicWait32, atomicWait64, atomicFence
    case `throw`, throwRef, tryTable
    case v128Const
}

public enum AtomicRMWOp: String, Sendable, Hashable {
    case add, sub, and, or, xor, xchg
}

public enum OpcodeKind: Sendable, Hashable {
    case special(Special)
    /// One operand of the first type, one result of the second.
    case unary(ValueType, ValueType)
    /// Two operands of the first type, one result of the second.
    case binary(ValueType, ValueType)
    /// `bytes` wide access; loads narrower than the type extend (`signed` says how).
    case load(ValueType, bytes: Int, signed: Bool)
    case store(ValueType, bytes: Int)
    case atomicLoad(ValueType, bytes: Int)
    case atomicStore(ValueType, bytes: Int)
    case atomicRMW(ValueType, bytes: Int, AtomicRMWOp)
    case atomicCmpxchg(ValueType, bytes: Int)
    /// A SIMD operation without memory access, typed by its signature and lowered to a call
    /// of the C function `c` (docs/simd.md); `lanes` bounds its lane immediate (0: none).
    case vector(lanes: UInt8)
    /// SIMD memory accesses reading or writing `bytes` (the natural alignment's width).
    case vectorLoad(bytes: Int)
    case vectorStore(bytes: Int)
    /// `v128.loadN_lane` / `v128.storeN_lane`: one lane of `bytes`.
    case vectorLoadLane(bytes: Int)
    case vectorStoreLane(bytes: Int)
}

/// How the tcc tier computes a SIMD instruction on `v128` values kept as two 64-bit halves
/// (docs/simd.md "Halves").
public enum VectorHalves: UInt8, Sendable, Hashable {
    /// Lanes cross the halves: one call of the whole-vector function `c`.
    case whole
    /// Each half of the result depends only on the same half of each vector operand (and on the
    /// scalar operands): `wasmc_h_<name>` per half (`halfC`). `v128.load`: two 8-byte loads.
    case lanewise
    /// `.lanewise` on f64 lanes, one per half: `wasmc_hg_<name>` computes a half as an f64
    /// (`halfC` with `hg`), so nested float operations and their loads, stores and variables
    /// stay in f64 without a bit conversion between them.
    case lanewiseF64
    /// Both halves of the result come from one half of the operand, the low (`fromLow`: the
    /// `extend_low` family) or the high (`fromHigh`): `wasmc_h_<name>(source half, result half)`.
    case fromLow
    case fromHigh
    /// `i8x16.shuffle`: a half of the result from the four halves of the operands (variables:
    /// each is read per result byte) and the half's 8 lane indices.
    case shuffle
    /// `extract_lane`/`replace_lane`: the lane immediate picks the half; `wasmc_h_<name>(half,
    /// lane within the half[, x])`.
    case lane
}

/// A SIMD widening `extend`: operand lanes of `fromBytes` bytes, sign- or zero-extended to twice
/// that width.
public struct VectorExtend: Sendable, Hashable {
    public let fromBytes: UInt8
    public let signed: Bool
}

extension VectorHalves {
    /// A half of the result reads a half of an operand other than the same one.
    public var readsOtherHalves: Bool { self == .fromLow || self == .fromHigh || self == .shuffle }
}

/// The trap a numeric instruction may raise: two pending expressions that may trap differently
/// must be evaluated in wasm order.
public enum NumericTrap: UInt8, Sendable, Hashable {
    case none, division, conversion
}

/// The core version or proposal an instruction belongs to.
public enum Feature: UInt8, Sendable, Hashable {
    case mvp                    // WebAssembly 1.0
    case signExtension          // 2.0: i32.extend8_s ...
    case nonTrappingFloatToInt  // 2.0: *.trunc_sat_*
    case bulkMemory             // 2.0: memory.init/copy/fill, data.drop, table.init/copy, elem.drop
    case referenceTypes         // 2.0: ref.*, table.get/set/size/grow/fill, typed select
    case threads                // threads proposal: atomics, wait/notify, fence
    case exceptions             // 3.0: throw, throw_ref, try_table
    case tailCall               // 3.0: return_call, return_call_indirect, return_call_ref
    case functionReferences     // 3.0: call_ref, ref.as_non_null, br_on_null, br_on_non_null
    case simd                   // 2.0: fixed-width SIMD (0xFD prefix)
    case relaxedSimd            // 3.0: relaxed SIMD
}

/// An instruction's type `[operands] → [results]` when the opcode alone fixes it (spec §3.3);
/// instructions typed by their immediates or the module (locals, calls, tables, control) have
/// none. Held inline (at most three operands and one result, as every such instruction up to
/// the threads proposal has) so that reading it per instruction copies a few bytes.
public struct InstructionSignature: Sendable, Hashable {
    public let operandCount: UInt8
    public let resultCount: UInt8
    /// Operands from the bottom of the stack; those past `operandCount` are unused.
    public let operand0, operand1, operand2: ValueType
    /// Unused when `resultCount` is 0.
    public let result: ValueType

    public init(_ operands: [ValueType], _ results: [ValueType]) {
        precondition(operands.count <= 3 && results.count <= 1, "InstructionSignature holds 3 operands and 1 result: widen it")
        operandCount = UInt8(operands.count)
        resultCount = UInt8(results.count)
        operand0 = operands.count > 0 ? operands[0] : .i32
        operand1 = operands.count > 1 ? operands[1] : .i32
        operand2 = operands.count > 2 ? operands[2] : .i32
        result = results.first ?? .i32
    }

    /// Without arrays: the table builds a few hundred of these at a process's first compile.
    init(count: UInt8, _ operand0: ValueType, _ operand1: ValueType = .i32, _ operand2: ValueType = .i32, result: ValueType?) {
        operandCount = count
        self.operand0 = operand0
        self.operand1 = operand1
        self.operand2 = operand2
        resultCount = result == nil ? 0 : 1
        self.result = result ?? .i32
    }

    public var operands: [ValueType] { Array([operand0, operand1, operand2].prefix(Int(operandCount))) }
    public var results: [ValueType] { resultCount == 0 ? [] : [result] }
}

public struct OpcodeInfo: Sendable, Hashable {
    /// Text-format name.
    public let name: String
    /// 0 for one-byte opcodes, else 0xFC, 0xFD or 0xFE.
    public let prefix: UInt8
    /// The opcode byte, or the LEB128 sub-opcode after a prefix.
    public let code: UInt32
    public let immediate: ImmediateKind
    public let kind: OpcodeKind
    /// For `.vector` and the vector memory kinds: the C function (docs/simd.md).
    /// C expression for `.unary`/`.binary`: `$0`, `$1` stand for the operands (already
    /// parenthesised); an operand used more than once is first held in a temporary.
    /// Types: u32/s32/u64/s64/f32/f64 from the prelude; `wasmc_*` helpers live there too.
    public let c: String
    /// How a numeric instruction can trap (memory and table accesses trap by their kind).
    public var traps: NumericTrap = .none
    /// SIMD: how the tcc tier computes it on v128 halves.
    public var halves: VectorHalves = .whole
    /// SIMD `extend_low`/`extend_high` rows: the operand's lane width and signedness (which
    /// half is `halves`).
    public var extend: VectorExtend?
    /// The core version or proposal the instruction comes from.
    public let feature: Feature
    /// Its type when the opcode alone fixes it: the validator then needs no rule of its own.
    public let signature: InstructionSignature?
    /// Allowed in constant expressions (spec §3.3.10: initialisers and segment offsets); the six
    /// integer `add`/`sub`/`mul` rows only from WebAssembly 3.0 on (extended constants).
    public let constant: Bool

    /// Natural alignment exponent of a memory access (the largest allowed `align`).
    public var naturalAlignment: UInt32? {
        switch kind {
        case .load(_, let bytes, _), .store(_, let bytes), .atomicLoad(_, let bytes),
            .atomicStore(_, let bytes), .atomicRMW(_, let bytes, _), .atomicCmpxchg(_, let bytes):
            return UInt32(bytes.trailingZeroBitCount)
        case .vectorLoad(let bytes), .vectorStore(let bytes), .vectorLoadLane(let bytes), .vectorStoreLane(let bytes):
            return UInt32(bytes.trailingZeroBitCount)
        case .special(.atomicNotify), .special(.atomicWait32): return 2
        case .special(.atomicWait64): return 3
        default: return nil
        }
    }
    /// The C of one half of a `.lanewise`/`.lane` SIMD instruction: `wasmc_h_` + text name.
    public var halfC: String { (halves == .lanewiseF64 ? "wasmc_hg_" : "wasmc_h_") + c.dropFirst("wasmc_".count) }
    /// Atomic accesses require exactly natural alignment.
    public var isAtomic: Bool { feature == .threads }
}
