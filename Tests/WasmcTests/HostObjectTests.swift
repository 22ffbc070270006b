import Testing
import Wasmc

/// Host-created globals, tables and memories, through the public API only (plain
/// `import Wasmc`: `Global` must mean Wasmc's, not WasmcSyntax's module-level struct).
@Suite struct HostObjectTests {
    @Test func globals() throws {
        let g = try Global(GlobalType(valueType: .f64, mutable: true), value: .f64(1.5))
        #expect(g.value == .f64(1.5))
        try g.set(.f64(-0.0))
        #expect(g.value == .f64(-0.0))
        #expect(g.value != .f64(0.0))  // bit patterns differ
        #expect(throws: WasmcError.self) { try g.set(.i32(1)) }
        let c = try Global(GlobalType(valueType: .i64, mutable: false), value: .i64(7))
        #expect(throws: WasmcError.self) { try c.set(.i64(8)) }
        let nan = Float(bitPattern: 0x7FA0_0001)
        let f = try Global(GlobalType(valueType: .f32, mutable: false), value: .f32(nan))
        if case .f32(let x) = f.value { #expect(x.bitPattern == 0x7FA0_0001) } else { Issue.record("not f32") }
    }

    @Test func externrefTables() throws {
        let t = try Table(TableType(elementType: .externref, limits: Limits(min: 2, max: 3)), initial: .externref(nil))
        #expect(t.size == 2)
        #expect(try t.get(0) == .externref(nil))
        try t.set(1, .externref(0))
        #expect(try t.get(1) == .externref(0))  // ref.extern 0 is not null
        #expect(t.grow(by: 1, initial: .externref(5)) == 2)
        #expect(try t.get(2) == .externref(5))
        #expect(t.grow(by: 1, initial: .externref(nil)) == nil)
        #expect(throws: Trap(.tableOutOfBounds)) { try t.get(3) }
        #expect(throws: WasmcError.self) { try t.set(0, .funcref(nil)) }
    }

    @Test func memories() throws {
        let m = try Memory(MemoryType(limits: Limits(min: 0, max: 2)))
        #expect(m.pageCount == 0)
        #expect(throws: Trap(.memoryOutOfBounds)) { try m.write([1], at: 0) }
        #expect(m.grow(by: 2) == 0)
        try m.write([1, 2, 3], at: 131_069)
        #expect(try m.read(at: 131_069, count: 3) == [1, 2, 3])
        #expect(m.grow(by: 1) == nil)
        #expect(throws: WasmcError.self) { try Memory(MemoryType(limits: Limits(min: 1), shared: true)) }
    }

    @Test func hostFunctionsCheckTheirResults() throws {
        let f = Function(type: FuncType(params: [.i32], results: [.i64])) { _ in [.i32(1)] }
        #expect(throws: WasmcError.self) { try f.call([.i32(1)]) }
        let g = Function(type: FuncType(params: [.i32], results: [.i64])) { [.i64(UInt64($0[0] == .i32(3) ? 1 : 0))] }
        #expect(try g.call([.i32(3)]) == [.i64(1)])
    }
}
