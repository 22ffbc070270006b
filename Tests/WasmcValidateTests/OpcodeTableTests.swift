import Testing
import WasmcSyntax
@testable import WasmcValidate

/// The opcode table drives validation of every instruction it gives a signature: each such row,
/// given its operands, validates; given one operand too few, or none of its memory, data,
/// element segment or table, it is rejected with the suite's wording.
@Suite struct OpcodeTableTests {
    /// The immediate a row's instruction takes, naming index 0 of whatever it names.
    func immediate(_ info: OpcodeInfo) -> Immediate? {
        switch info.immediate {
        case .none, .atomicFence: Immediate.none
        case .memarg: .memarg(MemArg(align: info.naturalAlignment!, offset: 0))
        case .memory, .data, .element, .table: .index(0)
        case .memoryInit, .memoryCopy: .indices(0, 0)
        case .i32: .i32(0)
        case .i64: .i64(0)
        case .f32: .f32(0)
        case .f64: .f64(0)
        case .v128, .shuffle: .v128(V128(lo: 0x0706_0504_0302_0100, hi: 0x1F1E_1D1C_1B1A_1918))
        case .lane: .index(0)
        case .memargLane: .memargLane(MemArg(align: info.naturalAlignment!, offset: 0), 0)
        default: nil
        }
    }

    /// Memory, a passive data segment, a passive funcref element segment and a funcref table.
    static func everything(_ m: inout Module) {
        withMemory(&m)
        m.data = [DataSegment(mode: .passive, bytes: [1])]
        m.dataCount = 1
        m.elements = [ElementSegment(type: .funcref, items: [], mode: .passive)]
        m.tables = [TableType(elementType: .funcref, limits: Limits(min: 1))]
    }

    @Test func everyRowWithASignature() throws {
        var count = 0
        for (n, info) in OpcodeTable.entries.enumerated() {
            guard let sig = info.signature else { continue }
            let imm = try #require(immediate(info), "\(info.name): a signature row with immediate \(info.immediate)")
            let op = Instruction(Opcode(rawValue: UInt16(n)), imm)
            let operands = sig.operands.map(const)
            expectValid(module([], sig.results, operands + [op]) { Self.everything(&$0) })
            if !operands.isEmpty {
                expectInvalid(module([], sig.results, Array(operands.dropFirst()) + [op]) { Self.everything(&$0) }, "type mismatch")
            }
            switch info.immediate {
            case .memarg, .memory, .memoryCopy, .memargLane:
                expectInvalid(module([], sig.results, operands + [op]) { Self.everything(&$0); $0.memories = [] }, "unknown memory 0")
            case .data, .memoryInit:
                expectInvalid(module([], sig.results, operands + [op]) { Self.everything(&$0); $0.data = []; $0.dataCount = 0 }, "unknown data segment 0")
            case .element:
                expectInvalid(module([], sig.results, operands + [op]) { Self.everything(&$0); $0.elements = [] }, "unknown elem segment 0")
            case .table:
                expectInvalid(module([], sig.results, operands + [op]) { Self.everything(&$0); $0.tables = [] }, "unknown table 0")
            default: break
            }
            count += 1
        }
        #expect(count == OpcodeTable.entries.count - Self.typedByHand.count - 1)  // two "select" rows
    }

    /// Rows whose types come from immediates or the module: `FunctionValidator.special`.
    static let typedByHand: Set<String> = [
        "unreachable", "block", "loop", "if", "else", "end", "br", "br_if", "br_table", "return", "call", "call_indirect",
        "drop", "select", "local.get", "local.set", "local.tee", "global.get", "global.set",
        "table.get", "table.set", "table.init", "table.copy", "table.grow", "table.fill", "ref.null", "ref.is_null", "ref.func",
        "throw", "throw_ref", "try_table",
        "return_call", "return_call_indirect", "return_call_ref", "call_ref", "ref.as_non_null", "br_on_null", "br_on_non_null",
    ]

    @Test func rowsWithoutSignature() {
        let names = OpcodeTable.entries.filter { $0.signature == nil }.map(\.name)
        #expect(Set(names) == Self.typedByHand)
        #expect(names.count == Self.typedByHand.count + 1)  // two rows named "select"
    }

    /// Signatures agree with the kinds the lowering reads.
    @Test func signaturesAgreeWithKinds() {
        for info in OpcodeTable.entries {
            let expected: InstructionSignature?
            switch info.kind {
            case .unary(let t, let r): expected = InstructionSignature([t], [r])
            case .binary(let t, let r): expected = InstructionSignature([t, t], [r])
            case .load(let t, _, _), .atomicLoad(let t, _): expected = InstructionSignature([.i32], [t])
            case .store(let t, _), .atomicStore(let t, _): expected = InstructionSignature([.i32, t], [])
            case .atomicRMW(let t, _, _): expected = InstructionSignature([.i32, t], [t])
            case .atomicCmpxchg(let t, _): expected = InstructionSignature([.i32, t, t], [t])
            case .vectorLoad: expected = InstructionSignature([.i32], [.v128])
            case .vectorStore, .vectorStoreLane: expected = InstructionSignature([.i32, .v128], [])
            case .vectorLoadLane: expected = InstructionSignature([.i32, .v128], [.v128])
            case .vector(let lanes):
                // Lane accesses are the rows with a lane bound; everything else has v128 operands
                // but for splats (a scalar) and shifts (an i32 count).
                #expect((lanes != 0) == (info.name.contains(".extract_lane") || info.name.contains(".replace_lane")), "\(info.name)")
                #expect(info.signature?.operands.first == (info.name.hasSuffix(".splat") ? info.signature?.operands.first : .v128), "\(info.name)")
                continue
            case .special: continue
            }
            #expect(info.signature == expected, "\(info.name)")
        }
    }

    /// What constant expressions may hold is the `constant` column, and nothing else.
    @Test func constantRows() {
        #expect(Set(OpcodeTable.entries.filter(\.constant).map(\.name))
                == ["i32.const", "i64.const", "f32.const", "f64.const", "ref.null", "ref.func", "global.get",
                    "i32.add", "i32.sub", "i32.mul", "i64.add", "i64.sub", "i64.mul", "v128.const"])
        var m = Module()
        m.globals = [Global(type: GlobalType(valueType: .i32, mutable: false), initializer: ConstExpr([i32(1), i32(2), i("i32.and")]))]
        expectInvalid(m, "constant expression required: i32.and")
        m.globals = [Global(type: GlobalType(valueType: .i32, mutable: false), initializer: ConstExpr([i32(1), i32(2), i("i32.add")]))]
        expectValid(m)
        m.globals = [Global(type: GlobalType(valueType: .i64, mutable: false), initializer: ConstExpr([i64(7)]))]
        expectValid(m)
        m.globals = [Global(type: GlobalType(valueType: .i32, mutable: false), initializer: ConstExpr([i64(7)]))]
        expectInvalid(m, "type mismatch")
    }

    @Test func features() {
        for info in OpcodeTable.entries {
            #expect((info.prefix == 0xFE) == (info.feature == .threads), "\(info.name)")
            #expect((info.prefix == 0xFD) == (info.feature == .simd || info.feature == .relaxedSimd), "\(info.name)")
            #expect((info.feature == .relaxedSimd) == info.name.contains(".relaxed_"), "\(info.name)")
            if info.prefix == 0xFD { #expect(info.c == "wasmc_" + info.name.replacingOccurrences(of: ".", with: "_") || info.name == "v128.const", "\(info.name)") }
            if info.name.contains("trunc_sat") && info.prefix != 0xFD { #expect(info.feature == .nonTrappingFloatToInt, "\(info.name)") }
            if (info.name.hasPrefix("ref.") && info.name != "ref.as_non_null") || info.name.hasPrefix("table.get") {
                #expect(info.feature == .referenceTypes, "\(info.name)")
            }
            if info.name.contains("return_call") { #expect(info.feature == .tailCall, "\(info.name)") }
            if ["call_ref", "ref.as_non_null", "br_on_null", "br_on_non_null"].contains(info.name) {
                #expect(info.feature == .functionReferences, "\(info.name)")
            }
            if info.name.hasPrefix("memory.") && info.prefix == 0xFC { #expect(info.feature == .bulkMemory, "\(info.name)") }
        }
        #expect(OpcodeTable.entries.filter { $0.feature == .exceptions }.map(\.name) == ["throw", "throw_ref", "try_table"])
        #expect(OpcodeTable.entries.filter { $0.feature == .signExtension }.map(\.name)
                == ["i32.extend8_s", "i32.extend16_s", "i64.extend8_s", "i64.extend16_s", "i64.extend32_s"])
    }

    /// SIMD: 236 fixed-width rows and 20 relaxed ones; lane immediates are bounded by the shape.
    @Test func simdRowsAndLanes() {
        #expect(OpcodeTable.entries.filter { $0.feature == .simd }.count == 236)
        #expect(OpcodeTable.entries.filter { $0.feature == .relaxedSimd }.count == 20)
        let v = const(.v128)
        expectValid(module([], [.i32], [v, i("i8x16.extract_lane_u", .index(15))]))
        expectInvalid(module([], [.i32], [v, i("i8x16.extract_lane_u", .index(16))]), "invalid lane index")
        expectInvalid(module([], [.i64], [v, i("i64x2.extract_lane", .index(2))]), "invalid lane index")
        expectValid(module([], [.v128], [v, v, i("i8x16.shuffle", .v128(V128(lo: 0x1F1F_1F1F_1F1F_1F1F, hi: 0)))]))
        expectInvalid(module([], [.v128], [v, v, i("i8x16.shuffle", .v128(V128(lo: 0x20, hi: 0)))]), "invalid lane index")
        let load = { (lane: UInt8) in i("v128.load32_lane", .memargLane(MemArg(align: 2, offset: 0), lane)) }
        expectValid(module([], [.v128], [i32(0), v, load(3)]) { withMemory(&$0) })
        expectInvalid(module([], [.v128], [i32(0), v, load(4)]) { withMemory(&$0) }, "invalid lane index")
        expectInvalid(module([], [.v128], [i32(0), i("v128.load", .memarg(MemArg(align: 5, offset: 0)))]) { withMemory(&$0) },
                      "alignment must not be larger than natural")
    }
}
