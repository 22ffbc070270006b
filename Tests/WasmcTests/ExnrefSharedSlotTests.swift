import Foundation
import Testing
import WasmcRuntime
@testable import Wasmc

/// One exnref global and table read on a thread other than the exceptions' home while the
/// home thread overwrites the slot and collects (docs/exceptions.md, lifetime: threads). The
/// runtime's load hook stops the reader between its read of the slot and its mark, the
/// interleaving in which the home thread's collector used to free what the reader holds.
@Suite(.serialized, .enabled(if: Pipeline.available, "needs the decoder, validator and lowering"))
struct ExnrefSharedSlotTests {
    /// The hook's rendezvous (a C function pointer captures nothing: static state).
    enum Rendezvous {
        nonisolated(unsafe) static var armed = false
        static let lock = NSLock()
        static let loaded = DispatchSemaphore(value: 0)
        static let go = DispatchSemaphore(value: 0)
        static let hook: @convention(c) () -> Void = {
            // Only this suite's reader (other tests load exnrefs on their own threads).
            lock.lock()
            let stop = armed && reader.map { pthread_equal($0, pthread_self()) != 0 } == true
            if stop { armed = false }
            lock.unlock()
            guard stop else { return }
            loaded.signal()
            go.wait()
        }
        nonisolated(unsafe) static var reader: pthread_t?
        /// The next load on the calling thread stops.
        static func arm() { lock.lock(); armed = true; reader = pthread_self(); lock.unlock() }
    }

    /// Runs `body` on a thread of its own (so each side has its own stack and registry).
    func onThread<T>(_ body: @escaping () throws -> T) -> () -> Result<T, Error> {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<T, Error>?
        nonisolated(unsafe) let run = body
        let t = Thread { result = Result { try run() }; done.signal() }
        t.stackSize = 8 << 20
        t.start()
        return { done.wait(); return result! }
    }

    static let reader = """
        (module
          (import "m" "g" (global $g (mut exnref)))
          (import "m" "t" (table $t 4 exnref))
          (import "m" "e" (tag $e (param i32)))
          ;; Its own (a call into the other instance would share that instance's stack limit).
          (func $payload (param $x exnref) (result i32)
            (block $c (result i32)
              (try_table (catch $e $c) (throw_ref (local.get $x)))
              (unreachable)))
          (func (export "fromGlobal") (result i32) (call $payload (global.get $g)))
          (func (export "fromTable") (param i32) (result i32) (call $payload (table.get $t (local.get 0)))))
        """

    @Test(arguments: [false, true]) func readerOnAnotherThreadKeepsItsException(optimize: Bool) throws {
        wasmc_exception_set_load_hook(Rendezvous.hook)
        defer { wasmc_exception_set_load_hook(nil) }
        // One instance per thread (an instance runs on one thread at a time), sharing the
        // global and the table as a host may set it up.
        let inst = try ExceptionTests().instantiate(ExnrefLifetimeTests.loops, optimize: optimize)
        let g = try #require(inst.global("g")), t = try #require(inst.table("t"))
        var imports = Imports()
        imports.define(module: "m", instance: inst)
        let other = try ExceptionTests().instantiate(Self.reader, imports, optimize: optimize)
        // Reader: through global.get, then table.get.
        let reads: [(String, [Value], Int, () throws -> Void)] = [
            ("fromGlobal", [], 100, { try g.set(.exnref(nil)) }),
            ("fromTable", [.i32(0)], 101, { try t.set(0, .exnref(nil)) }),
        ]
        for (name, args, expected, clear) in reads {
            let home = onThread { () throws -> (Int, Int) in
                _ = try inst.call("stash", [.i32(100)])  // the exceptions' home is this thread
                let reader = onThreadDetached(other, name, args)
                // The reader has read the slot and not marked the exception yet: the home
                // thread drops the slot's reference and collects, then makes new exceptions of
                // the same size (which would reuse the memory of a freed one).
                guard Rendezvous.loaded.wait(timeout: .now() + 60) == .success else {
                    throw WasmcError("\(name): the read did not go through the runtime's load")
                }
                try clear()
                let before = ExceptionLifetime.keptOnThisThread
                ExceptionLifetime.collect()
                let after = ExceptionLifetime.keptOnThisThread
                _ = try inst.call("churn", [.i32(3000)])
                Rendezvous.go.signal()
                let got = try reader()
                #expect(after == before, "\(name): the collector freed while a load was in progress")
                return (got, after)
            }
            let (got, _) = try home().get()
            #expect(got == expected, "\(name)")
        }
    }

    func onThreadDetached(_ inst: Instance, _ name: String, _ args: [Value]) -> () throws -> Int {
        let r = onThread { () throws -> Int in
            Rendezvous.arm()
            guard case .i32(let v)? = try inst.call(name, args).first else { throw WasmcError("\(name): no i32") }
            return Int(v)
        }
        return { try r().get() }
    }
}
