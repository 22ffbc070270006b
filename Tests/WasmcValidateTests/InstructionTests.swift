import Testing
import WasmcSyntax
@testable import WasmcValidate

@Suite struct InstructionTests {
    /// Every `.unary`/`.binary` entry of the opcode table, typed from the table itself.
    @Test func everyNumericInstruction() {
        var count = 0
        for (n, info) in OpcodeTable.entries.enumerated() {
            let op = Instruction(Opcode(rawValue: UInt16(n)))
            switch info.kind {
            case .unary(let t, let r):
                expectValid(module([], [r], [const(t), op]))
                let wrong: ValueType = t == .i32 ? .i64 : .i32
                expectInvalid(module([], [r], [const(wrong), op]), "type mismatch")
                count += 1
            case .binary(let t, let r):
                expectValid(module([], [r], [const(t), const(t), op]))
                expectInvalid(module([], [r], [const(t), op]), "type mismatch")
                count += 1
            default: break
            }
        }
        #expect(count > 120)
    }

    @Test func loadsAndStores() {
        expectValid(module([], [.i64], [i32(0), mem("i64.load", align: 3)]) { withMemory(&$0) })
        expectValid(module([], [.i32], [i32(0), mem("i32.load8_s", align: 0)]) { withMemory(&$0) })
        expectValid(module([], [], [i32(0), f64(1), mem("f64.store", align: 3)]) { withMemory(&$0) })
        expectValid(module([], [], [i32(0), i64(1), mem("i64.store32", align: 1)]) { withMemory(&$0) })
        expectInvalid(module([], [.i32], [i32(0), mem("i32.load", align: 3)]) { withMemory(&$0) }, "alignment must not be larger than natural")
        expectInvalid(module([], [], [i32(0), i32(1), mem("i32.store8", align: 1)]) { withMemory(&$0) }, "alignment must not be larger than natural")
        expectInvalid(module([], [.i32], [i32(0), mem("i32.load", align: 2)]), "unknown memory 0")
        expectInvalid(module([], [], [i32(0), i32(1), mem("i64.store", align: 3)]) { withMemory(&$0) }, "type mismatch")
        expectInvalid(module([], [.i32], [i64(0), mem("i32.load", align: 2)]) { withMemory(&$0) }, "type mismatch")
    }

    @Test func memoryInstructions() {
        expectValid(module([], [.i32], [i("memory.size", .index(0)), i("memory.grow", .index(0))]) { withMemory(&$0) })
        expectInvalid(module([], [.i32], [i("memory.size", .index(0))]), "unknown memory")
        expectInvalid(module([], [.i32], [i32(1), i("memory.grow", .index(0))]), "unknown memory")
        expectValid(module([], [], [i32(0), i32(0), i32(0), i("memory.fill", .index(0)),
                                    i32(0), i32(0), i32(0), i("memory.copy", .indices(0, 0))]) { withMemory(&$0) })
        expectInvalid(module([], [], [i32(0), i32(0), i32(0), i("memory.copy", .indices(0, 0))]), "unknown memory 0")
        expectInvalid(module([], [], [i32(0), i32(0), i64(0), i("memory.fill", .index(0))]) { withMemory(&$0) }, "type mismatch")
    }

    @Test func dataSegmentInstructions() {
        func withData(_ m: inout Module) {
            withMemory(&m)
            m.data = [DataSegment(mode: .passive, bytes: [1])]
            m.dataCount = 1
        }
        expectValid(module([], [], [i32(0), i32(0), i32(1), i("memory.init", .indices(0, 0)), idx("data.drop", 0)]) { withData(&$0) })
        expectInvalid(module([], [], [i32(0), i32(0), i32(1), i("memory.init", .indices(1, 0))]) { withData(&$0) }, "unknown data segment 1")
        expectInvalid(module([], [], [idx("data.drop", 1)]) { withData(&$0) }, "unknown data segment")
        expectInvalid(module([], [], [i32(0), i32(0), i32(1), i("memory.init", .indices(0, 0))]) {
            withData(&$0)
            $0.memories = []
        }, "unknown memory 0")
    }

    @Test func atomics() {
        expectValid(module([], [.i32], [i32(0), mem("i32.atomic.load", align: 2)]) { withSharedMemory(&$0) })
        // Atomics on an unshared memory validate (wait traps at run time instead).
        expectValid(module([], [.i64], [i32(0), mem("i64.atomic.load32_u", align: 2)]) { withMemory(&$0) })
        expectValid(module([], [], [i32(0), i64(1), mem("i64.atomic.store8", align: 0)]) { withSharedMemory(&$0) })
        expectValid(module([], [.i32], [i32(0), i32(1), mem("i32.atomic.rmw16.xchg_u", align: 1)]) { withSharedMemory(&$0) })
        expectValid(module([], [.i64], [i32(0), i64(1), i64(2), mem("i64.atomic.rmw.cmpxchg", align: 3)]) { withSharedMemory(&$0) })
        expectValid(module([], [.i32], [i32(0), i32(1), mem("memory.atomic.notify", align: 2)]) { withSharedMemory(&$0) })
        expectValid(module([], [.i32], [i32(0), i32(1), i64(0), mem("memory.atomic.wait32", align: 2)]) { withSharedMemory(&$0) })
        expectValid(module([], [.i32], [i32(0), i64(1), i64(0), mem("memory.atomic.wait64", align: 3)]) { withSharedMemory(&$0) })
        expectValid(module([], [], [i("atomic.fence")]))
        expectInvalid(module([], [.i32], [i32(0), mem("i32.atomic.load", align: 1)]) { withSharedMemory(&$0) }, "atomic alignment must be natural")
        expectInvalid(module([], [.i32], [i32(0), mem("i32.atomic.load", align: 3)]) { withSharedMemory(&$0) }, "alignment must not be larger than natural")
        expectInvalid(module([], [.i32], [i32(0), i32(1), i64(0), mem("memory.atomic.wait32", align: 1)]) { withSharedMemory(&$0) }, "atomic alignment must be natural")
        expectInvalid(module([], [.i32], [i32(0), mem("i32.atomic.load", align: 2)]), "unknown memory")
        expectInvalid(module([], [.i32], [i32(0), i32(1), i32(0), mem("memory.atomic.wait32", align: 2)]) { withSharedMemory(&$0) }, "type mismatch")
        expectInvalid(module([], [.i32], [i32(0), i32(1), i32(2), mem("i64.atomic.rmw8.cmpxchg_u", align: 0)]) { withSharedMemory(&$0) }, "type mismatch")
    }

    @Test func localsAndGlobals() {
        let locals = [LocalDecl(count: 2, type: .f32), LocalDecl(count: 1, type: .externref)]
        expectValid(module([.i64], [.f32], locals: locals, [idx("local.get", 0), idx("local.set", 0),
                                                            idx("local.get", 3), i("drop"), f32(1), idx("local.tee", 2)]))
        expectInvalid(module([.i64], [], locals: locals, [idx("local.get", 4), i("drop")]), "unknown local 4")
        expectInvalid(module([.i64], [], locals: locals, [i32(1), idx("local.set", 1)]), "type mismatch")
        // Huge declarations are looked up without being expanded.
        let huge = [LocalDecl(count: 1_000_000, type: .i32), LocalDecl(count: 5, type: .f64)]
        expectValid(module([.i64], [.f64], locals: huge, [idx("local.get", 1_000_003)]))
        expectValid(module([.i64], [.i32], locals: huge, [idx("local.get", 999_999)]))
        expectInvalid(module([.i64], [.f64], locals: huge, [idx("local.get", 1_000_006)]), "unknown local")

        func globals(_ m: inout Module) {
            m.imports = [Import(module: "a", name: "b", descriptor: .global(GlobalType(valueType: .i32, mutable: false)))]
            m.globals = [Global(type: GlobalType(valueType: .f64, mutable: true), initializer: ConstExpr([f64(0)]))]
        }
        expectValid(module([], [.i32], [idx("global.get", 1), idx("global.set", 1), idx("global.get", 0)]) { globals(&$0) })
        expectInvalid(module([], [], [i32(0), idx("global.set", 0)]) { globals(&$0) }, "immutable global")
        do {
            try Validator.validate(module([], [], [i32(0), idx("global.set", 0)]) { globals(&$0) }, standard: .wasm2)
            Issue.record("global.set of an immutable global validated")
        } catch let e as WasmError {
            #expect(e.message.hasPrefix("global is immutable"), "\(e)")  // 2.0's wording
        } catch { Issue.record("\(error)") }
        expectInvalid(module([], [], [idx("global.get", 2), i("drop")]) { globals(&$0) }, "unknown global 2")
        expectInvalid(module([], [], [i32(0), idx("global.set", 1)]) { globals(&$0) }, "type mismatch")
    }

    @Test func parametric() {
        expectValid(module([], [.f64], [f64(1), f64(2), i32(0), i("select")]))
        expectValid(module([], [.externref], [refNull(.externref), refNull(.externref), i32(0), Instruction(Opcode(.selectTyped), .valueTypes([.externref]))]))
        expectInvalid(module([], [.externref], [refNull(.externref), refNull(.externref), i32(0), i("select")]), "type mismatch")
        expectInvalid(module([], [.i32], [i32(1), i64(2), i32(0), i("select")]), "type mismatch")
        expectInvalid(module([], [], [i32(1), i32(2), i32(0), Instruction(Opcode(.selectTyped), .valueTypes([]))]), "invalid result arity")
        expectInvalid(module([], [], [i32(1), i32(2), i32(0), Instruction(Opcode(.selectTyped), .valueTypes([.i32, .i32]))]), "invalid result arity")
        // After unreachable, untyped select takes its type from whichever operand is known.
        expectValid(module([], [.i64], [i("unreachable"), i64(1), i32(0), i("select")]))
        expectInvalid(module([], [], [i("unreachable"), refNull(.funcref), i32(0), i("select"), i("drop")]), "type mismatch")
        expectInvalid(module([], [], [i("drop")]), "type mismatch")
    }

    @Test func tableInstructions() {
        func tables(_ m: inout Module) {
            m.tables = [TableType(elementType: .funcref, limits: Limits(min: 1)),
                        TableType(elementType: .externref, limits: Limits(min: 1))]
            m.elements = [ElementSegment(type: .externref, items: [], mode: .passive)]
        }
        expectValid(module([], [.i32], [
            i32(0), idx("table.get", 1), i("table.size", .index(0)), i("table.grow", .index(1)), i("drop"),
            i32(0), i32(0), idx("table.get", 0), idx("table.set", 0),
            i32(0), refNull(.externref), i32(1), idx("table.fill", 1),
            i32(0), i32(0), i32(0), i("table.copy", .indices(1, 1)),
            i32(0), i32(0), i32(0), i("table.init", .indices(0, 1)), idx("elem.drop", 0),
            idx("table.size", 1),
        ]) { tables(&$0) })
        expectInvalid(module([], [], [i32(0), idx("table.get", 2), i("drop")]) { tables(&$0) }, "unknown table 2")
        expectInvalid(module([], [], [i32(0), refNull(.funcref), idx("table.set", 1)]) { tables(&$0) }, "type mismatch")
        expectInvalid(module([], [], [i32(0), i32(0), i32(0), i("table.copy", .indices(0, 1))]) { tables(&$0) }, "type mismatch")
        expectInvalid(module([], [], [i32(0), i32(0), i32(0), i("table.init", .indices(0, 0))]) { tables(&$0) }, "type mismatch")
        expectInvalid(module([], [], [i32(0), i32(0), i32(0), i("table.init", .indices(4, 1))]) { tables(&$0) }, "unknown elem segment 4")
        expectInvalid(module([], [], [idx("elem.drop", 1)]) { tables(&$0) }, "unknown elem segment 1")
        expectInvalid(module([], [], [i32(0), i32(0), i32(0), i("table.init", .indices(0, 0))]), "unknown table 0")
    }

    @Test func references() {
        expectValid(module([], [.i32], [refNull(.funcref), i("ref.is_null")]))
        expectValid(module([], [.i32], [i("unreachable"), i("ref.is_null")]))
        expectInvalid(module([], [.i32], [i32(0), i("ref.is_null")]), "type mismatch")
        expectInvalid(module([], [.funcref], [refNull(.externref)]), "type mismatch")
    }

    @Test func calls() {
        var m = module([.i32], [.i64], [idx("local.get", 0), idx("call", 0)])
        expectValid(m)
        m.code[0] = body([f32(0), idx("call", 0)])
        expectInvalid(m, "type mismatch")
        m.code[0] = body([i32(0), idx("call", 1)])
        expectInvalid(m, "unknown function 1")
        let ci = [i32(1), i32(0), i("call_indirect", .indices(0, 0))]
        expectValid(module([.i32], [.i64], ci) { $0.tables = [TableType(elementType: .funcref, limits: Limits(min: 1))] })
        expectInvalid(module([.i32], [.i64], ci), "unknown table")
        expectInvalid(module([.i32], [.i64], ci) { $0.tables = [TableType(elementType: .externref, limits: Limits(min: 1))] }, "type mismatch")
        expectInvalid(module([.i32], [.i64], [i32(1), i32(0), i("call_indirect", .indices(3, 0))]) {
            $0.tables = [TableType(elementType: .funcref, limits: Limits(min: 1))]
        }, "unknown type 3")
    }
}
