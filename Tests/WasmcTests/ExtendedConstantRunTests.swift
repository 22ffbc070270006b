import Foundation
import Testing
import WAT
@testable import Wasmc

/// Extended constant expressions evaluated at instantiation, in both tiers: arithmetic wraps,
/// initialisers read imported and earlier defined globals, segment offsets are computed.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct ExtendedConstantRunTests {
    static let wat = """
    (module
      (import "host" "base" (global $base i32))
      (memory 1)
      (table 8 funcref)
      (global $wrap32 (export "wrap32") i32 (i32.add (i32.const 0x7fffffff) (i32.const 1)))
      (global $under (export "under") i32 (i32.sub (i32.const 0) (i32.const 1)))
      (global $wrap64 (export "wrap64") i64 (i64.mul (i64.const 0x100000000) (i64.const 0x100000001)))
      (global $neg64 (export "neg64") i64 (i64.sub (i64.const 5) (i64.add (i64.const 3) (i64.const 4))))
      (global $scaled (export "scaled") i32 (i32.mul (global.get $base) (i32.const 3)))
      (global $chained (export "chained") i32 (i32.add (global.get $scaled) (global.get $wrap32)))
      (data (i32.add (global.get $scaled) (i32.const 2)) "\\2a")
      (elem (i32.sub (global.get $base) (i32.const 4)) $seven)
      (func $seven (result i32) (i32.const 7))
      (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
      (func (export "callAt") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
    )
    """

    @Test(arguments: [false, true]) func evaluatedAtInstantiation(optimize: Bool) throws {
        var imports = Imports()
        imports.define(module: "host", name: "base", .global(try Global(GlobalType(valueType: .i32, mutable: false), value: .i32(5))))
        let compiled = try CompiledModule.compile(wasm: wat2wasm(Self.wat), options: CompileOptions(optimize: optimize))
        let inst = try Instance(module: compiled, imports: imports)
        func global(_ name: String) -> Value? {
            guard case .global(let g)? = inst.exports.first(where: { $0.0 == name })?.1 else { return nil }
            return g.value
        }
        #expect(global("wrap32") == .i32(0x8000_0000))
        #expect(global("under") == .i32(0xFFFF_FFFF))
        #expect(global("wrap64") == .i64(0x1_0000_0000))
        #expect(global("neg64") == .i64(UInt64(bitPattern: -2)))
        #expect(global("scaled") == .i32(15))
        #expect(global("chained") == .i32(0x8000_000F))
        #expect(try inst.call("byte", [.i32(17)]) == [.i32(42)])
        #expect(try inst.call("byte", [.i32(16)]) == [.i32(0)])
        #expect(try inst.call("callAt", [.i32(1)]) == [.i32(7)])
    }

    /// The 2.0 edition (the 2.0 spec tests' wording) still refuses them.
    @Test func refusedAsWasm2() throws {
        #expect(throws: WasmError.self) {
            _ = try CompiledModule.compile(wasm: wat2wasm("(module (global i32 (i32.add (i32.const 1) (i32.const 2))))"),
                                           options: CompileOptions(standard: .wasm2))
        }
    }
}
