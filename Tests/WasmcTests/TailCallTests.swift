import Foundation
import Testing
import WAT
@testable import Wasmc

/// Tail calls (docs/tail-calls.md) in both tiers: unbounded tail recursion runs in constant
/// native stack under the default stack limit, while an ordinary recursion still traps.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct TailCallTests {
    static let wat = """
    (module
      (type $t (func (param i64) (result i64)))
      (type $pair (func (param i64 i64) (result i64 i64)))
      (import "host" "twice" (func $twice (param i64) (result i64)))
      (table 2 funcref)
      (elem (i32.const 0) $ieven $iodd)
      (elem declare func $reven $rodd)
      (func $even (export "even") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
          (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
      (func $odd (export "odd") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
          (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
      (func $ieven (export "ieven") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
          (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 1)))))
      (func $iodd (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
          (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
      (func $reven (export "reven") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
          (else (return_call_ref $t (i64.sub (local.get 0) (i64.const 1)) (ref.func $rodd)))))
      (func $rodd (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
          (else (return_call_ref $t (i64.sub (local.get 0) (i64.const 1)) (ref.func $reven)))))
      ;; self tail call with a second local that must start at zero on every round
      (func $sum (export "sum") (param i64 i64) (result i64)
        (local i64)
        (local.set 2 (i64.add (local.get 2) (local.get 0)))
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.add (local.get 1) (local.get 2)))
          (else (return_call $sum (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (local.get 2))))))
      ;; two results through the trampoline, and a tail call of a host function
      (func $swap (param i64 i64) (result i64 i64) (local.get 1) (local.get 0))
      (func (export "swap") (param i64 i64) (result i64 i64) (return_call $swap (local.get 0) (local.get 1)))
      (func (export "host") (param i64) (result i64) (return_call $twice (local.get 0)))
      (func $deep (export "deep") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
          (else (i64.add (i64.const 1) (call $deep (i64.sub (local.get 0) (i64.const 1)))))))
      (func (export "trapAfter") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0)) (then (unreachable))
          (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 7)))))
    )
    """

    static func instantiate(optimize: Bool) throws -> Instance {
        let wasm = try wat2wasm(wat, features: [.referenceTypes, .tailCall, .functionReferences])
        var imports = Imports()
        let twice = Function(type: FuncType(params: [.i64], results: [.i64])) { args in
            guard case .i64(let x) = args[0] else { return [] }
            return [.i64(x &* 2)]
        }
        imports.define(module: "host", name: "twice", .function(twice))
        return try Instance(module: try CompiledModule.compile(wasm: wasm, options: CompileOptions(optimize: optimize)),
                            imports: imports)
    }

    /// 10^8 tail calls, mutual and direct, through the table, and through references, from
    /// Swift into exported functions that tail-call: constant stack, default limits.
    @Test(arguments: [false, true]) func hundredMillionTailCalls(optimize: Bool) throws {
        let inst = try Self.instantiate(optimize: optimize)
        #expect(try inst.call("even", [.i64(100_000_000)]) == [.i64(1)])
        #expect(try inst.call("odd", [.i64(100_000_001)]) == [.i64(1)])
        #expect(try inst.call("ieven", [.i64(100_000_001)]) == [.i64(0)])
        #expect(try inst.call("reven", [.i64(100_000_000)]) == [.i64(1)])
        #expect(try inst.call("sum", [.i64(100_000_000), .i64(0)]) == [.i64(5_000_000_050_000_000)])
    }

    /// A self tail call zeroes a `v128` local again (a C `0` does not convert to the vector
    /// type: every all-features fuzz module with one failed to compile, seed 30000000).
    @Test(arguments: [false, true]) func selfTailCallZeroesVectorLocals(optimize: Bool) throws {
        let wasm = try wat2wasm("""
            (module
              (func $vsum (export "vsum") (param i64 i64) (result i64)
                (local v128)
                (local.set 2 (i64x2.add (local.get 2) (i64x2.splat (local.get 0))))
                (if (result i64) (i64.eqz (local.get 0))
                  (then (i64.add (local.get 1) (i64x2.extract_lane 1 (local.get 2))))
                  (else (return_call $vsum (i64.sub (local.get 0) (i64.const 1))
                                           (i64.add (local.get 1) (i64x2.extract_lane 0 (local.get 2))))))))
            """, features: [.tailCall, .simd])
        let inst = try Instance(module: try CompiledModule.compile(wasm: wasm, options: CompileOptions(optimize: optimize)))
        #expect(try inst.call("vsum", [.i64(3), .i64(0)]) == [.i64(6)])  // 3 + 2 + 1 + 0: the vector restarts at 0
    }

    @Test(arguments: [false, true]) func resultsAndHostCallees(optimize: Bool) throws {
        let inst = try Self.instantiate(optimize: optimize)
        #expect(try inst.call("swap", [.i64(1), .i64(2)]) == [.i64(2), .i64(1)])
        #expect(try inst.call("host", [.i64(21)]) == [.i64(42)])
        #expect(try inst.call("sum", [.i64(3), .i64(0)]) == [.i64(6)])  // 3 + 2 + 1 + 0: the local restarts at 0
    }

    /// Traps keep working, the instance stays usable, and an ordinary deep recursion still
    /// exhausts the stack.
    @Test(arguments: [false, true]) func trapsAndStackExhaustion(optimize: Bool) throws {
        let inst = try Self.instantiate(optimize: optimize)
        #expect(throws: Trap(.callStackExhausted)) { try inst.call("deep", [.i64(100_000_000)]) }
        #expect(throws: Trap(.undefinedElement)) { try inst.call("trapAfter", [.i64(3)]) }
        #expect(throws: Trap(.unreachable)) { try inst.call("trapAfter", [.i64(0)]) }
        #expect(try inst.call("deep", [.i64(1000)]) == [.i64(1000)])
        #expect(try inst.call("even", [.i64(10)]) == [.i64(1)])
    }

    /// return_call_indirect on a table64 checks the whole i64 index, as call_indirect does:
    /// 0xFFFFFFF8_00000000 and 2^32 + 1 are out of bounds, not elements 0 and 1 (fuzz seed 9000140).
    @Test(arguments: [false, true]) func table64IndexIsNotCutTo32Bits(optimize: Bool) throws {
        let wasm = try wat2wasm("""
            (module
              (type $t (func (result i32)))
              (table $tab i64 3 funcref)
              (elem (table $tab) (i64.const 0) func $one $one)
              (func $one (result i32) (i32.const 1))
              (func (export "tail") (param i64) (result i32) (return_call_indirect (type $t) (local.get 0)))
              (func (export "plain") (param i64) (result i32) (call_indirect (type $t) (local.get 0))))
            """)
        let inst = try Instance(module: try CompiledModule.compile(wasm: wasm, options: CompileOptions(optimize: optimize)))
        for name in ["tail", "plain"] {
            #expect(try inst.call(name, [.i64(1)]) == [.i32(1)], "\(name)")
            do {
                _ = try inst.call(name, [.i64(2)])
                Issue.record("\(name): element 2 is null, but the call returned")
            } catch let trap as Trap {
                #expect(trap.code == .uninitializedElement, "\(name): \(trap)")
            }
            #expect(throws: Trap(.undefinedElement), "\(name)") { try inst.call(name, [.i64(0xFFFF_FFF8_0000_0000)]) }
            #expect(throws: Trap(.undefinedElement), "\(name)") { try inst.call(name, [.i64(0x1_0000_0001)]) }
        }
    }
}
