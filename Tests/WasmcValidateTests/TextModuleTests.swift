import Testing
import WAT
import WasmcDecode
import WasmcSyntax
import WasmcValidate

// Decode + validate modules written as text, as the pipeline sees them.

@discardableResult
private func validateText(_ text: String, threads: Bool = false) throws -> Module {
    let module = try Decoder.decode(try wat2wasm(text), options: DecodeOptions(threads: threads))
    try Validator.validate(module)
    return module
}

private func expectTextInvalid(_ text: String, _ prefix: String, threads: Bool = false,
                               sourceLocation: SourceLocation = #_sourceLocation) -> WasmError? {
    do {
        try validateText(text, threads: threads)
        Issue.record("validated, expected \"\(prefix)\"", sourceLocation: sourceLocation)
    } catch let e as WasmError {
        #expect(e.kind == .invalid && e.message.hasPrefix(prefix), "\(e)", sourceLocation: sourceLocation)
        return e
    } catch {
        Issue.record("\(error)", sourceLocation: sourceLocation)
    }
    return nil
}

@Suite struct TextModuleTests {
    @Test func broadValidModule() throws {
        let module = try validateText(Self.broad)
        #expect(module.imports.count == 2 && module.functions.count == 2 && module.tables.count == 2)
        #expect(module.elements.count == 2 && module.data.count == 1 && module.exports.map(\.name) == ["main"])
        #expect(module.code[1].instructions.count > 60)
        // The same module with one operand of the wrong type is rejected: the validator
        // really checks this body.
        let wrong = Self.broad.replacingOccurrences(of: "(local.set $y) (drop)", with: "(local.set $x) (drop)")
        #expect(wrong != Self.broad)
        #expect(expectTextInvalid(wrong, "type mismatch") != nil)
    }

    static let broad = """
        (module
          (type $pair (func (param i32 i64) (result i32 i64)))
          (import "env" "g" (global $g i32))
          (import "env" "f" (func $imp (param i32) (result i32)))
          (memory 1 2)
          (table $t 4 funcref)
          (table $e 2 externref)
          (global $m (mut f64) (f64.const 1.5))
          (global $r funcref (ref.func $swap))
          (elem (table $t) (i32.const 0) func $swap $imp)
          (elem $p externref (ref.null extern))
          (data $d "hello")
          (func $swap (type $pair) (local.get 1) (i32.wrap_i64) (local.get 0) (i64.extend_i32_u))
          (func (export "main") (param $x i32) (result i32) (local $y i64) (local $z externref)
            (i32.const 1) (i64.const 2)
            (block (type $pair) (call $swap) (call $swap))
            (local.set $y) (drop)
            (block $out (result i32)
              (block $in (result i32)
                (loop $top (br_if $top (i32.eqz (local.get $x))))
                (br_table $in $out $in (local.get $x) (local.get $x)))
              (i32.add (i32.const 1)))
            (if (result i32) (then (i32.const 1)) (else (i32.const 2)))
            (select (i32.const 3) (global.get $g))
            (call_indirect $t (type $pair) (i64.const 4) (i32.const 0))
            (drop) (local.set $x)
            (memory.init $d (i32.const 0) (i32.const 0) (i32.const 5))
            (data.drop $d)
            (memory.copy (i32.const 0) (i32.const 8) (i32.const 4))
            (memory.fill (i32.const 0) (i32.const 0) (i32.const 4))
            (table.init $e $p (i32.const 0) (i32.const 0) (i32.const 1))
            (elem.drop $p)
            (table.copy $t $t (i32.const 0) (i32.const 1) (i32.const 1))
            (drop (table.grow $e (local.get $z) (i32.const 1)))
            (table.fill $e (i32.const 0) (ref.null extern) (i32.const 1))
            (drop (ref.is_null (table.get $t (i32.const 0))))
            (global.set $m (f64.add (global.get $m) (f64.load offset=8 (i32.const 0))))
            (i64.store32 (i32.const 0) (i64.trunc_sat_f64_s (global.get $m)))
            (drop (memory.grow (i32.extend8_s (memory.size))))
            (drop (ref.func $swap))
            (i32.add (local.get $x) (call $imp (table.size $t)))
          )
        )
        """

    @Test func atomicsOnSharedMemory() throws {
        try validateText("""
        (module
          (memory 1 1 shared)
          (func (param $a i32) (result i32)
            (i32.atomic.store (local.get $a) (i32.const 1))
            (drop (i64.atomic.rmw16.add_u (local.get $a) (i64.const 1)))
            (drop (i32.atomic.rmw.cmpxchg (local.get $a) (i32.const 1) (i32.const 2)))
            (drop (memory.atomic.wait32 (local.get $a) (i32.const 0) (i64.const -1)))
            (drop (memory.atomic.wait64 (local.get $a) (i64.const 0) (i64.const 10)))
            (atomic.fence)
            (memory.atomic.notify (local.get $a) (i32.const 1))))
        """, threads: true)
        _ = expectTextInvalid("""
        (module (memory 1 1 shared) (func (drop (i64.atomic.load align=4 (i32.const 0)))))
        """, "atomic alignment must be natural", threads: true)
    }

    @Test func errorsPointAtTheInstruction() throws {
        let text = "(module (func $a) (func $b (result i32) (i32.const 1) (f32.const 2) (i32.add)))"
        let bytes = try wat2wasm(text)
        let e = expectTextInvalid(text, "type mismatch")
        #expect(e?.functionIndex == 1)
        // 0x6A (i32.add) is the last instruction before the body's final 0x0B.
        #expect(e?.offset == bytes.count - 2)
        #expect(bytes[bytes.count - 2] == 0x6A)
    }

    @Test func invalidTextModules() {
        _ = expectTextInvalid("(module (func (result i32) (i64.const 0)))", "type mismatch")
        _ = expectTextInvalid("(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))", "alignment must not be larger than natural")
        _ = expectTextInvalid("(module (func (drop (i32.load (i32.const 0)))))", "unknown memory")
        _ = expectTextInvalid("(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))", "immutable global")
        _ = expectTextInvalid("(module (func $f (drop (ref.func $f))))", "undeclared function reference")
        _ = expectTextInvalid("(module (func (export \"a\")) (func (export \"a\")))", "duplicate export name")
        _ = expectTextInvalid("(module (func $m (param i32)) (start $m))", "start function")
        _ = expectTextInvalid("(module (memory 2 1))", "size minimum must not be greater than maximum")
        _ = expectTextInvalid("(module (memory 65537))", "memory size must be at most 65536 pages (4GiB)")
        _ = expectTextInvalid("(module (memory i64 0) (func (drop (i32.load (i32.const 0)))))", "type mismatch")
        _ = expectTextInvalid("(module (memory i64 0x1000000000001))", "memory size must be at most 2^48 pages")
        _ = expectTextInvalid("(module (table 1 externref) (func (call_indirect (i32.const 0))))", "type mismatch")
        _ = expectTextInvalid("(module (global f32 (f32.neg (f32.const 1))))", "constant expression required")
        _ = expectTextInvalid("(module (func (block (br 2))))", "unknown label")
    }
}
