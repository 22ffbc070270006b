import Foundation
import Synchronization
import Testing
import WAT
@testable import Wasmc
import WasmcSyntax

/// Exceptions held by reference (catch_ref, catch_all_ref, exnref values) are freed once
/// nothing holds them (docs/exceptions.md, lifetime), in both tiers: loops that make such
/// references a million times stay bounded (the runtime's count of kept exceptions), and an
/// exnref kept in a global, a table, a payload, a host value or a `WasmException` still
/// carries its tag and payload after its catch frame is gone and collections ran.
@Suite(.enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct ExnrefLifetimeTests {
    func instantiate(_ wat: String, _ imports: Imports = Imports(), optimize: Bool) throws -> Instance {
        try ExceptionTests().instantiate(wat, imports, optimize: optimize)
    }

    static let loops = """
    (module
      (tag $e (export "e") (param i32))
      (tag $wrap (export "wrap") (param i32 exnref))
      (global $g (export "g") (mut exnref) (ref.null exn))
      (table $t (export "t") 4 exnref)
      ;; A cleanup as C++ compilers lower it: catch_all_ref, then throw_ref.
      (func $cleanup (param i32)
        (block $h (result exnref)
          (try_table (catch_all_ref $h) (throw $e (local.get 0)))
          (unreachable))
        (throw_ref))
      ;; The exnref of a fresh exception with payload n.
      (func $ref (export "ref") (param i32) (result exnref)
        (block $h (result exnref)
          (try_table (catch_all_ref $h) (throw $e (local.get 0)))
          (unreachable)))
      (func (export "rethrowLoop") (param $n i32) (result i32)
        (local $sum i32)
        (loop $l
          (block $c (result i32)
            (try_table (catch $e $c) (call $cleanup (local.get $n)))
            (unreachable))
          (local.set $sum (i32.add (local.get $sum)))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $sum))
      ;; mode 0: drop; 1: overwrite a local; 2: the global; 3: a table slot; 4: a payload
      ;; (an exception holding one, itself dropped)
      (func (export "keepLoop") (param $n i32) (param $mode i32)
        (local $x exnref)
        (loop $l
          (block $b (block $b3 (block $b2 (block $b1 (block $b0
            (br_table $b0 $b1 $b2 $b3 $b (local.get $mode)))
            (drop (call $ref (local.get $n))) (br $b))
            (local.set $x (call $ref (local.get $n))) (br $b))
            (global.set $g (call $ref (local.get $n))) (br $b))
            (table.set $t (i32.const 1) (call $ref (local.get $n))) (br $b))
          (if (i32.eq (local.get $mode) (i32.const 4))
            (then
              (block $w (result i32 exnref)
                (try_table (catch $wrap $w) (throw $wrap (local.get $n) (call $ref (local.get $n))))
                (unreachable))
              (drop) (drop)))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
      ;; The payload of `x` (an exception of $e, or of $wrap holding one of $e: its inner
      ;; payload times 1000 plus the outer one).
      (func $payload (export "payload") (param $x exnref) (result i32)
        (block $w (result i32 exnref)
          (block $c (result i32)
            (try_table (catch $e $c) (catch $wrap $w) (throw_ref (local.get $x)))
            (unreachable))
          (return))
        (call $payload)
        (i32.mul (i32.const 1000))
        (i32.add))
      (func (export "stash") (param i32)
        (global.set $g (call $ref (local.get 0)))
        (table.set $t (i32.const 0) (call $ref (i32.add (local.get 0) (i32.const 1))))
        (table.fill $t (i32.const 2) (call $ref (i32.add (local.get 0) (i32.const 2))) (i32.const 2))
        (table.copy $t $t (i32.const 1) (i32.const 3) (i32.const 1)))
      (func (export "wrapped") (param i32) (result exnref)
        (block $h (result exnref)
          (try_table (catch_all_ref $h) (throw $wrap (i32.const 7) (call $ref (local.get 0))))
          (unreachable)))
      (func (export "throwWrapped") (param i32)
        (throw $wrap (i32.const 8) (call $ref (local.get 0))))
      (func (export "churn") (param $n i32)
        (loop $l (drop (call $ref (local.get $n)))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
      (func (export "fromGlobal") (result i32) (call $payload (global.get $g)))
      (func (export "fromTable") (param i32) (result i32) (call $payload (table.get $t (local.get 0))))
    )
    """

    /// Collections, and then enough new exceptions of the same size to reuse freed memory:
    /// an exception freed while held would show another payload.
    func collectAndChurn(_ inst: Instance) throws {
        ExceptionLifetime.collect()
        _ = try inst.call("churn", [.i32(5000)])
        ExceptionLifetime.collect()
    }

    @Test(arguments: [false, true]) func rethrowLoopStaysBounded(optimize: Bool) throws {
        let inst = try instantiate(Self.loops, optimize: optimize)
        // sum of 1...10^6 mod 2^32
        #expect(try inst.call("rethrowLoop", [.i32(1_000_000)]) == [.i32(UInt32(truncatingIfNeeded: 500_000_500_000))])
        // Without freeing, a million; the registry collects when it doubles (at least 1024).
        #expect(ExceptionLifetime.keptOnThisThread < 4096, "kept: \(ExceptionLifetime.keptOnThisThread)")
    }

    @Test(arguments: [false, true]) func keepLoopsStayBounded(optimize: Bool) throws {
        let inst = try instantiate(Self.loops, optimize: optimize)
        for mode in 0...4 {
            _ = try inst.call("keepLoop", [.i32(1_000_000), .i32(UInt32(mode))])
            #expect(ExceptionLifetime.keptOnThisThread < 4096, "mode \(mode): kept \(ExceptionLifetime.keptOnThisThread)")
        }
        // What the global and table slot hold last is still right (n was 1 last).
        #expect(try inst.call("fromGlobal") == [.i32(1)])
        #expect(try inst.call("fromTable", [.i32(1)]) == [.i32(1)])
    }

    @Test(arguments: [false, true]) func heldExnrefsKeepTheirPayload(optimize: Bool) throws {
        let inst = try instantiate(Self.loops, optimize: optimize)
        _ = try inst.call("stash", [.i32(100)])
        let host = try inst.call("ref", [.i32(55)])
        let wrapped = try inst.call("wrapped", [.i32(66)])
        var caught: WasmException?
        do { _ = try inst.call("throwWrapped", [.i32(77)]) } catch let e as WasmException { caught = e }
        try collectAndChurn(inst)
        #expect(try inst.call("fromGlobal") == [.i32(100)])
        #expect(try inst.call("fromTable", [.i32(0)]) == [.i32(101)])
        #expect(try inst.call("fromTable", [.i32(1)]) == [.i32(102)])  // copied from slot 3
        #expect(try inst.call("fromTable", [.i32(2)]) == [.i32(102)])
        #expect(try inst.call("payload", host) == [.i32(55)])
        #expect(try inst.call("payload", wrapped) == [.i32(66 * 1000 + 7)])
        let inner = try #require(caught).payload[1]
        #expect(try inst.call("payload", [inner]) == [.i32(77)])
        // The host's global and table views, and host writes, hold references too.
        let g = try #require(inst.global("g")), t = try #require(inst.table("t"))
        let fromTable = try t.get(0)
        try g.set(fromTable)
        try t.set(3, host[0])
        _ = try inst.call("stash", [.i32(200)])  // overwrites slots 0-3 and the global
        try t.set(1, g.value)
        try collectAndChurn(inst)
        #expect(try inst.call("fromTable", [.i32(1)]) == [.i32(200)])
        #expect(try inst.call("payload", [fromTable]) == [.i32(101)])
        #expect(try inst.call("payload", host) == [.i32(55)])
    }

    @Test(arguments: [false, true]) func hostFunctionsPassExnrefs(optimize: Bool) throws {
        let exn = ValueType.exnref
        let stashed = Mutex<[Value]>([])
        var imports = Imports()
        imports.define(module: "host", name: "keep", .function(Function(type: FuncType(params: [exn], results: [exn])) { args in
            stashed.withLock { $0.append(args[0]); return [$0[0]] }
        }))
        imports.define(module: "m", instance: try instantiate(Self.loops, optimize: optimize))
        let user = try instantiate("""
            (module
              (import "host" "keep" (func $keep (param exnref) (result exnref)))
              (import "m" "ref" (func $ref (param i32) (result exnref)))
              (import "m" "payload" (func $payload (param exnref) (result i32)))
              (func (export "run") (param i32) (result i32)
                (call $payload (call $keep (call $ref (local.get 0))))))
            """, imports, optimize: optimize)
        #expect(try user.call("run", [.i32(5)]) == [.i32(5)])
        #expect(try user.call("run", [.i32(6)]) == [.i32(5)])  // the first one, held by the host
        ExceptionLifetime.collect()
        #expect(try user.call("run", [.i32(7)]) == [.i32(5)])
        #expect(stashed.withLock { $0.count } == 3)
    }

    /// Exnrefs held only by locals and block values of many frames (cc -O2 keeps some in
    /// callee-saved registers) while deeper frames make thousands of exceptions of the same
    /// size, so collections run and freed memory is reused: each frame reads its own payload
    /// back after the calls below it returned.
    @Test(arguments: [false, true]) func exnrefsOnTheStackSurviveCollections(optimize: Bool) throws {
        let inst = try instantiate("""
            (module
              (tag $e (param i32))
              (func $ref (param i32) (result exnref)
                (block $h (result exnref)
                  (try_table (catch_all_ref $h) (throw $e (local.get 0)))
                  (unreachable)))
              (func $payload (param exnref) (result i32)
                (block $c (result i32)
                  (try_table (catch $e $c) (throw_ref (local.get 0)))
                  (unreachable)))
              (func $churn (param $n i32)
                (loop $l (drop (call $ref (i32.const -1)))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
              ;; 1 when every level read back its own payload, else 0
              (func $down (export "down") (param $d i32) (result i32)
                (local $mine exnref) (local $ok i32)
                (local.set $mine (call $ref (local.get $d)))
                (call $churn (i32.const 300))
                (local.set $ok
                  (if (result i32) (i32.eqz (local.get $d)) (then (i32.const 1))
                    (else (call $down (i32.sub (local.get $d) (i32.const 1))))))
                ;; a block value across calls too
                (call $ref (i32.add (local.get $d) (i32.const 1000)))
                (call $churn (i32.const 300))
                (call $payload)
                (i32.eq (i32.add (local.get $d) (i32.const 1000)))
                (i32.and (local.get $ok))
                (i32.and (i32.eq (call $payload (local.get $mine)) (local.get $d)))))
            """, optimize: optimize)
        #expect(try inst.call("down", [.i32(200)]) == [.i32(1)])
        #expect(ExceptionLifetime.keptOnThisThread < 4096)
    }

    /// An imported immutable exnref global read by constant expressions: a defined global's
    /// initialiser and an active element segment of an exnref table. Each counts its
    /// reference, so freeing that instance (its table releasing its elements) leaves the
    /// import's exception alive.
    @Test(arguments: [false, true]) func constantExpressionsCountTheirExnrefs(optimize: Bool) throws {
        let a = try instantiate(Self.loops, optimize: optimize)
        let g = try Global(GlobalType(valueType: .exnref, mutable: false), value: try a.call("ref", [.i32(31)])[0])
        var imports = Imports()
        imports.define(module: "host", name: "g", .global(g))
        try {
            let b = try instantiate("""
                (module
                  (global $g (import "host" "g") exnref)
                  (global $copy (export "copy") exnref (global.get $g))
                  (table $t (export "t") 3 exnref)
                  (elem (table $t) (i32.const 1) exnref (global.get $g) (global.get $g)))
                """, imports, optimize: optimize)
            #expect(try a.call("payload", [try #require(b.table("t")).get(2)]) == [.i32(31)])
            #expect(try a.call("payload", [try #require(b.global("copy")).value]) == [.i32(31)])
        }()
        try collectAndChurn(a)
        #expect(try a.call("payload", [g.value]) == [.i32(31)])
    }

    /// Payload exnrefs are found by a 64-bit mask: a tag with one past the 64th is a compile
    /// error naming the tag, as is a host exception of such a tag.
    @Test func exnrefPastTheMaskIsRefused() throws {
        let params = Array(repeating: "i32", count: 64).joined(separator: " ") + " exnref"
        let wasm = try wat2wasm("(module (tag $ok (param i32 exnref)) (tag $far (param \(params))))")
        do {
            _ = try CompiledModule.compile(wasm: wasm)
            Issue.record("compiled")
        } catch let e as WasmError {
            #expect(e.kind == .unsupported)
            #expect(e.message.contains("tag 1: exnref payload value at position 64"), "\(e)")
        }
        let far = Tag(type: FuncType(params: Array(repeating: .i32, count: 64) + [.exnref], results: []))
        let payload = Array(repeating: Value.i32(0), count: 64) + [.exnref(nil)]
        #expect(throws: WasmcError.self) { try WasmException(tag: far, payload: payload).setPending() }
    }

    @Test func threadsEachThrowing() throws {
        let module = try CompiledModule.compile(wasm: wat2wasm(Self.loops))
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            do {
                let inst = try Instance(module: module, imports: Imports())
                _ = try inst.call("rethrowLoop", [.i32(200_000)])
                _ = try inst.call("keepLoop", [.i32(200_000), .i32(UInt32(i % 5))])
                _ = try inst.call("stash", [.i32(UInt32(i))])
                _ = try inst.call("churn", [.i32(5000)])
                if try inst.call("fromGlobal") != [.i32(UInt32(i))] || ExceptionLifetime.keptOnThisThread >= 4096 {
                    failures.withLock { $0 += 1 }
                }
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }
}
