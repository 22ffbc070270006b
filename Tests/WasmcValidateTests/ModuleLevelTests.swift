import Testing
import WasmcSyntax
@testable import WasmcValidate

@Suite struct ModuleLevelTests {
    @Test func emptyModuleIsValid() {
        expectValid(Module())
    }

    @Test func memoryLimits() {
        func mem(_ min: UInt64, _ max: UInt64?, shared: Bool = false) -> Module {
            var m = Module()
            m.memories = [MemoryType(limits: Limits(min: min, max: max), shared: shared)]
            return m
        }
        expectValid(mem(0, 65536))
        expectValid(mem(65536, nil))
        expectValid(mem(1, 2, shared: true))
        expectInvalid(mem(65537, nil), "memory size must be at most 65536 pages (4GiB)")
        expectInvalid(mem(0, 65537), "memory size must be at most 65536 pages (4GiB)")
        expectInvalid(mem(2, 1), "size minimum must not be greater than maximum")
        expectInvalid(mem(1, nil, shared: true), "shared memory must have maximum")
    }

    @Test func tableLimits() {
        var m = Module()
        m.tables = [TableType(elementType: .funcref, limits: Limits(min: 0xFFFF_FFFF, max: 0xFFFF_FFFF))]
        expectValid(m)
        m.tables = [TableType(elementType: .externref, limits: Limits(min: 10, max: 1))]
        expectInvalid(m, "size minimum must not be greater than maximum")
        m.tables = [TableType(elementType: .externref, limits: Limits(min: 0x1_0000_0000))]
        expectInvalid(m, "table size must be at most 2^32-1")
    }

    @Test func multipleTablesAndMemories() {
        var m = Module()
        m.tables = [TableType(elementType: .funcref, limits: Limits(min: 1)),
                    TableType(elementType: .externref, limits: Limits(min: 1))]
        expectValid(m)
        m.imports = [Import(module: "", name: "", descriptor: .memory(MemoryType(limits: Limits(min: 1))))]
        m.memories = [MemoryType(limits: Limits(min: 0))]
        expectValid(m)  // 3.0: multi-memory
        #expect(throws: WasmError.self) { try Validator.validate(m, standard: .wasm2) }
    }

    @Test func unknownTypeOfFunction() {
        var m = module([i("nop")])
        m.functions = [3]
        expectInvalid(m, "unknown type")
        var imp = Module()
        imp.imports = [Import(module: "m", name: "f", descriptor: .function(typeIndex: 0))]
        expectInvalid(imp, "unknown type 0")
    }

    @Test func startFunction() {
        var ok = module([])
        ok.start = 0
        expectValid(ok)
        var bad = module([.i32], [], [])
        bad.start = 0
        expectInvalid(bad, "start function")
        var result = module([], [.i32], [i32(0)])
        result.start = 0
        expectInvalid(result, "start function")
        var missing = module([])
        missing.start = 1
        expectInvalid(missing, "unknown function")
    }

    @Test func exports() {
        var m = module([]) { withMemory(&$0) }
        m.exports = [Export(name: "a", kind: .function, index: 0), Export(name: "b", kind: .memory, index: 0)]
        expectValid(m)
        m.exports.append(Export(name: "a", kind: .memory, index: 0))
        expectInvalid(m, "duplicate export name")
        // Canonically equivalent but different code points are different names.
        m.exports = [Export(name: "\u{C5}", kind: .function, index: 0), Export(name: "A\u{30A}", kind: .function, index: 0)]
        expectValid(m)
        m.exports = [Export(name: "g", kind: .global, index: 0)]
        expectInvalid(m, "unknown global 0")
        m.exports = [Export(name: "t", kind: .table, index: 0)]
        expectInvalid(m, "unknown table 0")
        m.exports = [Export(name: "f", kind: .function, index: 1)]
        expectInvalid(m, "unknown function 1")
        m.exports = [Export(name: "m", kind: .memory, index: 1)]
        expectInvalid(m, "unknown memory 1")
    }

    @Test func globalInitialisers() {
        var m = Module()
        m.imports = [
            Import(module: "a", name: "c", descriptor: .global(GlobalType(valueType: .i32, mutable: false))),
            Import(module: "a", name: "m", descriptor: .global(GlobalType(valueType: .i32, mutable: true))),
            Import(module: "a", name: "f", descriptor: .function(typeIndex: 0)),
        ]
        m.types = [FuncType(params: [], results: [])]
        func global(_ t: ValueType, _ initial: [Instruction], mutable: Bool = false) -> Module {
            var x = m
            x.globals = [Global(type: GlobalType(valueType: t, mutable: mutable), initializer: ConstExpr(initial))]
            return x
        }
        expectValid(global(.i32, [idx("global.get", 0)], mutable: true))
        expectValid(global(.i64, [i64(1)]))
        expectValid(global(.f32, [f32(1)]))
        expectValid(global(.f64, [f64(1)]))
        expectValid(global(.funcref, [idx("ref.func", 0)]))
        expectValid(global(.externref, [refNull(.externref)]))
        expectInvalid(global(.i32, [idx("global.get", 1)]), "constant expression required")
        expectInvalid(global(.i32, [idx("global.get", 2)]), "unknown global 2")
        expectInvalid(global(.i32, [i32(0), i("nop")]), "constant expression required")
        expectInvalid(global(.i32, [i32(0), i("i32.ctz")]), "constant expression required")
        expectInvalid(global(.i32, [f32(0)]), "type mismatch")
        expectInvalid(global(.i32, []), "type mismatch")
        expectInvalid(global(.i32, [i32(0), i32(0)]), "type mismatch")
        expectInvalid(global(.funcref, [refNull(.externref)]), "type mismatch")
        expectInvalid(global(.funcref, [idx("ref.func", 7)]), "unknown function 7")
        // Module-defined globals are visible to later initialisers from 3.0 on, not in 2.0.
        var defined = global(.i32, [i32(0)])
        defined.globals.append(Global(type: GlobalType(valueType: .i32, mutable: false), initializer: ConstExpr([idx("global.get", 2)])))
        expectValid(defined)
        #expect(throws: WasmError.self) { try Validator.validate(defined, standard: .wasm2) }
    }

    @Test func elementSegments() {
        let table = TableType(elementType: .funcref, limits: Limits(min: 1))
        func seg(_ s: ElementSegment, tables: [TableType] = [table]) -> Module {
            var m = module([])
            m.tables = tables
            m.elements = [s]
            return m
        }
        let f0 = ConstExpr([idx("ref.func", 0)])
        expectValid(seg(ElementSegment(type: .funcref, items: [f0, ConstExpr([refNull(.funcref)])], mode: .active(table: 0, offset: ConstExpr([i32(0)])))))
        expectValid(seg(ElementSegment(type: .externref, items: [ConstExpr([refNull(.externref)])], mode: .passive)))
        expectValid(seg(ElementSegment(type: .funcref, items: [f0], mode: .declarative), tables: []))
        expectInvalid(seg(ElementSegment(type: .funcref, items: [f0], mode: .active(table: 0, offset: ConstExpr([i32(0)]))), tables: []), "unknown table")
        expectInvalid(seg(ElementSegment(type: .funcref, items: [f0], mode: .active(table: 0, offset: ConstExpr([i64(0)])))), "type mismatch")
        expectInvalid(seg(ElementSegment(type: .funcref, items: [f0], mode: .active(table: 0, offset: ConstExpr([i32(0), i("nop")])))), "constant expression required")
        expectInvalid(seg(ElementSegment(type: .funcref, items: [ConstExpr([refNull(.externref)])], mode: .passive)), "type mismatch")
        expectInvalid(seg(ElementSegment(type: .externref, items: [], mode: .active(table: 0, offset: ConstExpr([i32(0)])))), "type mismatch")
        expectInvalid(seg(ElementSegment(type: .funcref, items: [ConstExpr([idx("ref.func", 5)])], mode: .passive)), "unknown function 5")
    }

    @Test func dataSegments() {
        var m = module([]) { withMemory(&$0) }
        m.data = [DataSegment(mode: .active(memory: 0, offset: ConstExpr([i32(8)])), bytes: [1, 2]),
                  DataSegment(mode: .passive, bytes: [3])]
        expectValid(m)
        m.data[0].mode = .active(memory: 0, offset: ConstExpr([i64(8)]))
        expectInvalid(m, "type mismatch")
        m.data[0].mode = .active(memory: 0, offset: ConstExpr([i32(8), i("i32.ctz")]))
        expectInvalid(m, "constant expression required")
        m.memories = []
        m.data[0].mode = .active(memory: 0, offset: ConstExpr([i32(8)]))
        expectInvalid(m, "unknown memory 0")
    }

    @Test func functionReferencesMustBeDeclared() {
        let code = [idx("ref.func", 0), i("drop")]
        expectInvalid(module(code), "undeclared function reference")
        var started = module(code)
        started.start = 0
        expectInvalid(started, "undeclared function reference")
        var exported = module(code)
        exported.exports = [Export(name: "f", kind: .function, index: 0)]
        expectValid(exported)
        var declared = module(code)
        declared.elements = [ElementSegment(type: .funcref, items: [ConstExpr([idx("ref.func", 0)])], mode: .declarative)]
        expectValid(declared)
        var viaGlobal = module(code)
        viaGlobal.globals = [Global(type: GlobalType(valueType: .funcref, mutable: false), initializer: ConstExpr([idx("ref.func", 0)]))]
        expectValid(viaGlobal)
        expectInvalid(module([idx("ref.func", 3), i("drop")]), "unknown function 3")
    }
}
