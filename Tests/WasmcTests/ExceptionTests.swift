import Foundation
import Testing
import WAT
@testable import Wasmc

/// Wasm 3.0 exception handling through the Swift API, in both tiers: exceptions out of wasm,
/// into wasm from a host function, across instances; traps are not caught; deep nesting; a
/// try_table taken a million times does not leak; locals written in a try body keep their
/// value after a catch under cc -O2.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct ExceptionTests {
    func instantiate(_ wat: String, _ imports: Imports = Imports(), optimize: Bool) throws -> Instance {
        try Instance(module: CompiledModule.compile(wasm: wat2wasm(wat), options: CompileOptions(optimize: optimize)),
                     imports: imports)
    }

    static let thrower = """
    (module
      (tag $e (export "e") (param i32 i64 f32 f64 externref))
      (tag $other (export "other") (param i32))
      (func (export "throw") (param i32 externref)
        (throw $e (local.get 0) (i64.const -5) (f32.const 1.5) (f64.const -2.25) (local.get 1)))
      ;; $x is written in the try body and read after the catch: volatile under -O.
      (func (export "kept") (param i32) (result i32)
        (local $x i32)
        (block $h (result i32)
          (try_table (catch $other $h)
            (local.set $x (i32.const 10))
            (local.set $x (i32.add (local.get $x) (local.get 0)))
            (throw $other (i32.const 1)))
          (i32.const 0))
        (i32.add (local.get $x)))
    )
    """

    @Test(arguments: [false, true]) func exceptionOutIsASwiftError(optimize: Bool) throws {
        let inst = try instantiate(Self.thrower, optimize: optimize)
        do {
            _ = try inst.call("throw", [.i32(7), .externref(42)])
            Issue.record("no exception")
        } catch let x as WasmException {
            #expect(x.tag == inst.tag("e"))
            #expect(x.tag != inst.tag("other"))
            #expect(x.payload == [.i32(7), .i64(UInt64(bitPattern: -5)), .f32(1.5), .f64(-2.25), .externref(42)])
        }
        #expect(try inst.call("kept", [.i32(5)]) == [.i32(16)])
    }

    static let callsHost = """
    (module
      (import "host" "tag" (tag $t (param i32)))
      (import "host" "f" (func $f (param i32)))
      (func (export "catches") (param i32) (result i32)
        (block $h (result i32)
          (try_table (catch $t $h) (call $f (local.get 0)))
          (i32.const -1)))
      (func (export "passes") (param i32) (call $f (local.get 0)))
    )
    """

    @Test(arguments: [false, true]) func hostFunctionThrowsIntoWasm(optimize: Bool) throws {
        let tag = Tag(type: FuncType(params: [.i32], results: []))
        var imports = Imports()
        imports.define(module: "host", name: "tag", .tag(tag))
        imports.define(module: "host", name: "f", .function(Function(type: FuncType(params: [.i32], results: [])) { args in
            guard case .i32(let v) = args[0], v != 0 else { return [] }
            throw try WasmException(tag: tag, payload: [.i32(v * 2)])
        }))
        let inst = try instantiate(Self.callsHost, imports, optimize: optimize)
        #expect(try inst.call("catches", [.i32(21)]) == [.i32(42)])
        #expect(try inst.call("catches", [.i32(0)]) == [.i32(UInt32(bitPattern: -1))])
        // Not caught in wasm: back out to Swift as the host's own tag.
        do {
            _ = try inst.call("passes", [.i32(4)])
            Issue.record("no exception")
        } catch let x as WasmException {
            #expect(x.tag == tag)
            #expect(x.payload == [.i32(8)])
        }
        #expect(throws: WasmcError.self) { try WasmException(tag: tag, payload: [.i64(1)]) }
    }

    static let catcher = """
    (module
      (import "a" "e" (tag $e (param i32 i64 f32 f64 externref)))
      (import "a" "throw" (func $throw (param i32 externref)))
      (tag $mine (param i32 i64 f32 f64 externref))
      (func (export "catchImported") (result i32)
        (block $h (result i32 i64 f32 f64 externref)
          (try_table (catch $mine $h)
            (block $imported (result i32 i64 f32 f64 externref)
              (try_table (catch $e $imported) (call $throw (i32.const 3) (ref.null extern)))
              (return (i32.const -1)))
            (drop) (drop) (drop) (drop) (return))
          (return (i32.const -2)))
        (drop) (drop) (drop) (drop))
    )
    """

    /// A tag exported by one instance and imported by another is one tag: the second catches
    /// the first's exception; its own tag of the same type is a different tag.
    @Test(arguments: [false, true]) func tagsAcrossInstances(optimize: Bool) throws {
        let a = try instantiate(Self.thrower, optimize: optimize)
        var imports = Imports()
        imports.define(module: "a", instance: a)
        let b = try instantiate(Self.catcher, imports, optimize: optimize)
        #expect(try b.call("catchImported") == [.i32(3)])
        #expect(b.tag("e") == nil)
    }

    static let traps = """
    (module
      (tag $e (param i32))
      (func $recurse (param i32) (result i32) (i32.add (call $recurse (local.get 0)) (i32.const 1)))
      (func (export "trapInTry") (param i32) (result i32)
        (block $h
          (try_table (catch_all $h)
            (drop (i32.div_u (i32.const 1) (local.get 0)))
            (return (i32.const 1))))
        (i32.const 2))
      (func (export "exhaustInTry") (result i32)
        (block $h
          (try_table (catch_all $h) (drop (call $recurse (i32.const 0)))))
        (i32.const 2))
      (func (export "throwCatch") (param i32) (result i32)
        (block $h (result i32)
          (try_table (catch $e $h) (throw $e (local.get 0)))
          (i32.const -1)))
    )
    """

    /// A trap unwinds past every try_table to the host; afterwards the thread's handler chain
    /// is clean (an exception is caught where it should be, not by a stale handler).
    @Test(arguments: [false, true]) func trapsAreNotCaught(optimize: Bool) throws {
        let inst = try instantiate(Self.traps, optimize: optimize)
        #expect(try inst.call("trapInTry", [.i32(1)]) == [.i32(1)])
        #expect(throws: Trap(.integerDivideByZero)) { try inst.call("trapInTry", [.i32(0)]) }
        #expect(try inst.call("throwCatch", [.i32(9)]) == [.i32(9)])
        #expect(throws: Trap(.callStackExhausted)) { try inst.call("exhaustInTry") }
        #expect(try inst.call("throwCatch", [.i32(10)]) == [.i32(10)])
    }

    static let nesting = """
    (module
      (tag $e (param i32))
      ;; depth n: n nested try_tables on the native stack, each catching the exception of the
      ;; level below and throwing it on with its payload plus one.
      (func $down (export "down") (param i32) (result i32)
        (if (i32.eqz (local.get 0)) (then (throw $e (i32.const 0))))
        (block $h (result i32)
          (try_table (catch $e $h) (drop (call $down (i32.sub (local.get 0) (i32.const 1)))))
          (unreachable))
        (throw $e (i32.add (i32.const 1))))
      (func (export "top") (param i32) (result i32)
        (block $h (result i32)
          (try_table (catch $e $h) (drop (call $down (local.get 0))))
          (i32.const -1)))
      ;; a million throws caught in a loop, plain catch: each exception is freed
      (func (export "loop") (param i32) (result i32)
        (local $sum i32)
        (loop $next
          (block $h (result i32)
            (try_table (catch $e $h) (throw $e (local.get 0)))
            (unreachable))
          (local.set $sum (i32.add (local.get $sum)))
          (br_if $next (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get $sum))
    )
    """

    @Test(arguments: [false, true]) func deepNesting(optimize: Bool) throws {
        let inst = try instantiate(Self.nesting, optimize: optimize)
        #expect(try inst.call("top", [.i32(1000)]) == [.i32(1000)])
        #expect(throws: WasmException.self) { try inst.call("down", [.i32(50)]) }
    }

    @Test(arguments: [false, true]) func loopOfThrowsDoesNotLeak(optimize: Bool) throws {
        let inst = try instantiate(Self.nesting, optimize: optimize)
        _ = try inst.call("loop", [.i32(1000)])
        let before = residentBytes()
        // sum of 1...10^6 mod 2^32
        #expect(try inst.call("loop", [.i32(1_000_000)]) == [.i32(UInt32(truncatingIfNeeded: 500_000_500_000))])
        let grown = residentBytes() - before
        // Each exception is at least 24 bytes of malloc: leaking them all would be > 24 MB.
        #expect(grown < 8 << 20, "resident memory grew by \(grown) bytes")
    }

    static let tailCalls = """
    (module
      (tag $e (param i32))
      (func $thrower (param i32) (result i32) (throw $e (local.get 0)))
      (func $id (param i32) (result i32) (local.get 0))
      ;; a function that tail-calls (its body is a tail entry) with a catch straight to its label
      (func (export "toLabel") (param i32) (result i32)
        (if (i32.eqz (local.get 0)) (then (return_call $id (i32.const 99))))
        (try_table (catch $e 0) (drop (call $thrower (local.get 0))))
        (i32.const -1))
      ;; return_call leaves the try_table first: the callee's exception is not caught here
      (func (export "tailInTry") (param i32) (result i32)
        (block $h (result i32)
          (try_table (result i32) (catch $e $h) (return_call $thrower (local.get 0))))
        (i32.add (i32.const 1000)))
    )
    """

    @Test(arguments: [false, true]) func tailCallsAndTryTables(optimize: Bool) throws {
        let inst = try instantiate(Self.tailCalls, optimize: optimize)
        #expect(try inst.call("toLabel", [.i32(5)]) == [.i32(5)])
        #expect(try inst.call("toLabel", [.i32(0)]) == [.i32(99)])
        #expect(throws: WasmException.self) { try inst.call("tailInTry", [.i32(5)]) }
    }

    /// A v128 payload, and a v128 local written in the try body (volatile under -O).
    @Test(arguments: [false, true]) func v128Payload(optimize: Bool) throws {
        let inst = try instantiate("""
            (module
              (tag $e (export "e") (param v128 i32))
              (func $t (param v128) (throw $e (local.get 0) (i32.const 3)))
              (func (export "caught") (param i32) (result i32)
                (local $v v128)
                (block $h (result v128 i32)
                  (try_table (catch $e $h)
                    (local.set $v (i32x4.splat (local.get 0)))
                    (call $t (i32x4.add (local.get $v) (local.get $v))))
                  (unreachable))
                (drop)
                (i32.add (i32x4.extract_lane 3) (i32x4.extract_lane 0 (local.get $v))))
              (func (export "escapes") (param v128) (call $t (local.get 0))))
            """, optimize: optimize)
        #expect(try inst.call("caught", [.i32(21)]) == [.i32(63)])
        do {
            _ = try inst.call("escapes", [.v128(V128(lo: 1, hi: 2))])
            Issue.record("no exception")
        } catch let x as WasmException {
            #expect(x.payload == [.v128(V128(lo: 1, hi: 2)), .i32(3)])
        }
    }

    func residentBytes() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = s.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
