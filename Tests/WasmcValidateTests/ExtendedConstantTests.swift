import Testing
import WasmcSyntax
@testable import WasmcValidate

/// Extended constant expressions (3.0): integer add/sub/mul, and `global.get` of any earlier
/// immutable global; 2.0 keeps rejecting both with its own wording.
struct ExtendedConstantTests {
    static func global(_ t: ValueType, mutable: Bool = false, _ code: [Instruction]) -> Global {
        Global(type: GlobalType(valueType: t, mutable: mutable), initializer: ConstExpr(code))
    }

    static func rejected(_ m: Module, standard: CoreStandard) -> String? {
        do { try Validator.validate(m, standard: standard); return nil } catch { return (error as? WasmError)?.message ?? "\(error)" }
    }

    @Test func arithmeticOnlyFromWasm3() {
        var m = Module()
        m.globals = [Self.global(.i64, [i64(3), i64(4), i("i64.mul"), i64(1), i("i64.sub")])]
        expectValid(m)
        #expect(Self.rejected(m, standard: .wasm2)?.hasPrefix("constant expression required: i64.mul") == true)
    }

    @Test func arithmeticIsTyped() {
        var m = Module()
        m.globals = [Self.global(.i32, [i32(1), i64(2), i("i32.add")])]
        expectInvalid(m, "type mismatch")
        m.globals = [Self.global(.i32, [i32(1), i("i32.add")])]
        expectInvalid(m, "type mismatch")
        m.globals = [Self.global(.i64, [i32(1), i32(2), i("i32.mul")])]
        expectInvalid(m, "type mismatch")
    }

    @Test func earlierDefinedGlobals() {
        var m = Module()
        m.globals = [Self.global(.i32, [i32(1)]), Self.global(.i32, [idx("global.get", 0), i32(2), i("i32.add")])]
        expectValid(m)
        #expect(Self.rejected(m, standard: .wasm2)?.hasPrefix("unknown global") == true)
        // Imported globals count first: global 1 is the first defined one.
        m.imports = [Import(module: "a", name: "b", descriptor: .global(GlobalType(valueType: .i32, mutable: false)))]
        m.globals = [Self.global(.i32, [idx("global.get", 0)]), Self.global(.i32, [idx("global.get", 1), idx("global.get", 0), i("i32.sub")])]
        expectValid(m)
    }

    @Test func laterOrOwnGlobalIsUnknown() {
        var m = Module()
        m.globals = [Self.global(.i32, [idx("global.get", 1)]), Self.global(.i32, [i32(0)])]
        expectInvalid(m, "unknown global")
        m.globals = [Self.global(.i32, [idx("global.get", 0)])]
        expectInvalid(m, "unknown global")
    }

    @Test func mutableGlobalIsNotConstant() {
        var m = Module()
        m.globals = [Self.global(.i32, mutable: true, [i32(1)]), Self.global(.i32, [idx("global.get", 0)])]
        expectInvalid(m, "constant expression required")
    }

    @Test func segmentOffsetsReadDefinedGlobals() {
        var m = Module()
        withMemory(&m)
        m.globals = [Self.global(.i32, [i32(8)])]
        m.data = [DataSegment(mode: .active(memory: 0, offset: ConstExpr([idx("global.get", 0), i32(4), i("i32.mul")])), bytes: [1])]
        expectValid(m)
        #expect(Self.rejected(m, standard: .wasm2) != nil)
        m.data = [DataSegment(mode: .active(memory: 0, offset: ConstExpr([idx("global.get", 1)])), bytes: [1])]
        expectInvalid(m, "unknown global")
    }
}
