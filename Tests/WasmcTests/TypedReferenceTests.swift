import Foundation
import Testing
import WAT
import WasmParser
@testable import Wasmc

/// Typed function references (Wasm 3.0) in both tiers: `call_ref`, `ref.as_non_null`,
/// `br_on_null`/`br_on_non_null`, tables with an initialiser, typed globals and parameters
/// from Swift; GC types refused by name.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct TypedReferenceTests {
    static let features: WasmFeatureSet = [.referenceTypes, .tailCall, .functionReferences]

    static let wat = """
    (module
      (type $un (func (param i32) (result i32)))
      (func $inc (type $un) (i32.add (local.get 0) (i32.const 1)))
      (func $dbl (type $un) (i32.mul (local.get 0) (i32.const 2)))
      (table $t 4 (ref $un) (ref.func $inc))
      (global $g (ref null $un) (ref.func $dbl))
      (elem declare func $inc $dbl)
      (func (export "apply") (param (ref null $un)) (param i32) (result i32)
        (call_ref $un (local.get 1) (local.get 0)))
      (func (export "viaGlobal") (param i32) (result i32) (call_ref $un (local.get 0) (global.get $g)))
      (func (export "viaTable") (param i32 i32) (result i32)
        (call_indirect $t (type $un) (local.get 1) (local.get 0)))
      (func (export "nonNull") (param (ref null $un)) (result (ref $un)) (ref.as_non_null (local.get 0)))
      (func (export "orZero") (param (ref null $un)) (param i32) (result i32)
        (block $null
          (return (call_ref $un (local.get 1) (br_on_null $null (local.get 0)))))
        (i32.const 0))
      (func (export "orMinus") (param (ref null $un)) (param i32) (result i32)
        (block $some (result (ref $un))
          (br_on_non_null $some (local.get 0))
          (return (i32.const -1)))
        (local.set 0)
        (call_ref $un (local.get 1) (local.get 0)))
      ;; a non-defaultable local, set before its use
      (func (export "local") (param i32) (result i32)
        (local $f (ref $un))
        (local.set $f (ref.func $dbl))
        (call_ref $un (local.get 0) (local.get $f)))
      (func (export "getInc") (result (ref $un)) (ref.func $inc))
    )
    """

    static func instantiate(optimize: Bool) throws -> Instance {
        let wasm = try wat2wasm(wat, features: features)
        return try Instance(module: try CompiledModule.compile(wasm: wasm, options: CompileOptions(optimize: optimize)))
    }

    @Test(arguments: [false, true]) func run(optimize: Bool) throws {
        let inst = try Self.instantiate(optimize: optimize)
        let inc = try inst.call("getInc")[0]
        guard case .funcref(let f?) = inc else { Issue.record("getInc returned \(inc)"); return }
        #expect(try inst.call("apply", [inc, .i32(41)]) == [.i32(42)])
        #expect(try inst.call("viaGlobal", [.i32(21)]) == [.i32(42)])
        #expect(try inst.call("viaTable", [.i32(3), .i32(9)]) == [.i32(10)])  // the initialiser's $inc
        #expect(try inst.call("orZero", [inc, .i32(1)]) == [.i32(2)])
        #expect(try inst.call("orZero", [.funcref(nil), .i32(1)]) == [.i32(0)])
        #expect(try inst.call("orMinus", [inc, .i32(1)]) == [.i32(2)])
        #expect(try inst.call("orMinus", [.funcref(nil), .i32(1)]) == [.i32(0xFFFF_FFFF)])
        #expect(try inst.call("local", [.i32(5)]) == [.i32(10)])
        #expect(try inst.call("nonNull", [inc]) == [.funcref(f)])
        #expect(throws: Trap(.nullReference)) { try inst.call("nonNull", [.funcref(nil)]) }
        #expect(throws: Trap(.nullFunctionReference)) { try inst.call("apply", [.funcref(nil), .i32(1)]) }
    }

    /// From Swift, a (ref $un) parameter takes a function of that type only.
    @Test func swiftArgumentsAreTypeChecked() throws {
        let inst = try Self.instantiate(optimize: false)
        let other = Function(type: FuncType(params: [], results: [])) { _ in [] }
        #expect(throws: WasmcError.self) { try inst.call("apply", [.funcref(other), .i32(1)]) }
    }

    static func compile(_ text: String) throws -> CompiledModule {
        try CompiledModule.compile(wasm: wat2wasm(text, features: features), options: CompileOptions())
    }

    /// A non-defaultable local must be set on every path before it is read; a set inside a
    /// block does not count after the block.
    @Test func uninitializedLocalsAreInvalid() throws {
        for body in ["(drop (local.get $f))",
                     "(block (local.set $f (ref.func $g))) (drop (local.get $f))",
                     "(if (i32.const 1) (then (local.set $f (ref.func $g)))) (drop (local.get $f))"] {
            let text = "(module (type $t (func)) (func $g (type $t)) (elem declare func $g) (func (local $f (ref $t)) \(body)))"
            #expect(throws: WasmError.self, "\(body)") { _ = try Self.compile(text) }
        }
        _ = try Self.compile("(module (type $t (func)) (func $g (type $t)) (elem declare func $g) (func (local $f (ref $t)) (local.set $f (ref.func $g)) (block (drop (local.get $f)))))")
    }

    /// Subtyping: (ref $t) where funcref is expected, not the other way round; a table of a
    /// non-nullable type needs an initialiser.
    @Test func subtyping() throws {
        _ = try Self.compile("(module (type $t (func)) (func $g (type $t)) (elem declare func $g) (func (result funcref) (ref.func $g)))")
        #expect(throws: WasmError.self) {
            _ = try Self.compile("(module (type $t (func)) (func (param funcref) (result (ref null $t)) (local.get 0)))")
        }
        #expect(throws: WasmError.self) { _ = try Self.compile("(module (type $t (func)) (table 1 (ref $t)))") }
    }

    /// GC's composite types are refused naming the feature and the offset.
    @Test func gcTypesAreRefusedByName() throws {
        // Type section: one struct type with no fields (0x5F 0x00) at offset 11.
        let wasm: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x03, 0x01, 0x5F, 0x00]
        do {
            _ = try CompiledModule.compile(wasm: wasm, options: CompileOptions())
            Issue.record("a struct type compiled")
        } catch let e as WasmError {
            #expect(e.kind == .unsupported)
            #expect(e.message == "GC (struct types) not supported")
            #expect(e.offset == 11)
        }
        let array: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x5E, 0x7F, 0x00]
        #expect(throws: WasmError.self) { _ = try CompiledModule.compile(wasm: array, options: CompileOptions()) }
    }
}
