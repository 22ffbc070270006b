import Testing
import WasmcSyntax
@testable import WasmcValidate

/// Random instruction sequences (every opcode of the table, immediates of the right shape but
/// arbitrary values, `else`/`end` anywhere) must be accepted or rejected with a located
/// WasmError, never crash the validator.
@Suite struct RandomBodyTests {
    struct XorShift: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    static let valueTypes: [ValueType] = [.i32, .i64, .f32, .f64, .funcref, .externref, .v128, .ref(nullable: false, heap: .func)]

    func immediate(_ kind: ImmediateKind, _ g: inout XorShift) -> Immediate {
        func small() -> UInt32 { UInt32.random(in: 0...3, using: &g) }
        func type() -> ValueType { Self.valueTypes.randomElement(using: &g)! }
        switch kind {
        case .none, .atomicFence: return .none
        case .block:
            switch Int.random(in: 0...2, using: &g) {
            case 0: return .block(.empty)
            case 1: return .block(.value(type()))
            default: return .block(.type(small()))
            }
        case .label, .function, .local, .global, .table, .memory, .data, .element, .tag, .type: return .index(small())
        case .tryTable:
            let kinds: [CatchClause.Kind] = [.catch, .catchRef, .catchAll, .catchAllRef]
            return .tryTable(TryTable(blockType: .empty, catches: (0..<small()).map { _ in
                CatchClause(kind: kinds.randomElement(using: &g)!, tag: small(), label: small())
            }))
        case .brTable: return .brTable(BrTable(targets: (0..<small()).map { _ in small() }, defaultTarget: small()))
        case .callIndirect, .memoryInit, .memoryCopy, .tableInit, .tableCopy: return .indices(small(), small())
        case .memarg: return .memarg(MemArg(align: small(), offset: UInt64(small())))
        case .memargLane: return .memargLane(MemArg(align: small(), offset: UInt64(small())), UInt8(small() * 5))
        case .lane: return .index(small() * 5)
        case .v128, .shuffle: return .v128(V128(lo: g.next(), hi: g.next() & 0x1F1F_1F1F_1F1F_1F1F))
        case .i32: return .i32(g.next() >> 32 == 0 ? 0 : 1)
        case .i64: return .i64(1)
        case .f32: return .f32(0)
        case .f64: return .f64(0)
        case .selectTypes: return .valueTypes((0..<Int.random(in: 0...2, using: &g)).map { _ in type() })
        case .refType: return .valueTypes([Bool.random(using: &g) ? .funcref : .externref])
        }
    }

    @Test func randomBodiesNeverCrash() {
        var g = XorShift(state: 0x9E37_79B9_7F4A_7C15)
        let entries = OpcodeTable.entries
        var valid = 0, invalid = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 0...12, using: &g)
            let code: [Instruction] = (0..<length).map { _ in
                // Favour simple stack shapes so that some bodies get far enough to be valid.
                if Int.random(in: 0...3, using: &g) == 0 { return i32(1) }
                let n = Int.random(in: 0..<entries.count, using: &g)
                return Instruction(Opcode(rawValue: UInt16(n)), immediate(entries[n].immediate, &g))
            }
            let params = (0..<Int.random(in: 0...2, using: &g)).map { _ in Self.valueTypes.randomElement(using: &g)! }
            let m = module(params, [], locals: [LocalDecl(count: 2, type: .i32)], code) { m in
                m.types.append(FuncType(params: [.i32], results: [.i32, .i64]))
                m.memories = [MemoryType(limits: Limits(min: 1, max: 1), shared: true)]
                m.tables = [TableType(elementType: .funcref, limits: Limits(min: 1)),
                            TableType(elementType: .externref, limits: Limits(min: 1))]
                m.globals = [Global(type: GlobalType(valueType: .i32, mutable: true), initializer: ConstExpr([i32(0)]))]
                m.elements = [ElementSegment(type: .funcref, items: [ConstExpr([idx("ref.func", 0)])], mode: .declarative)]
                m.data = [DataSegment(mode: .passive, bytes: [])]
                m.dataCount = 1
            }
            do {
                try Validator.validate(m)
                valid += 1
            } catch let e as WasmError {
                invalid += 1
                #expect(e.functionIndex == 0, "\(e)")
                #expect(e.offset.map { (99...(100 + length)).contains($0) } == true, "\(e)")
            } catch {
                Issue.record("not a WasmError: \(error)")
            }
        }
        #expect(valid > 50)
        #expect(invalid > 1000)
    }
}
