import Foundation
import Testing
import WAT
@testable import Wasmc

/// The stack limit is the calling thread's, whatever instance its code runs in: several
/// threads recursing deep into one shared instance at once, through another instance's import,
/// its table (call_indirect) or a call_ref, never see another thread's limit (a false "call
/// stack exhausted"), and a real overflow still traps on each thread. Both tiers.
@Suite struct CrossInstanceStackTests {
    static let callee = """
    (module
      (func $rec (export "rec") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1))))))))
    """
    static let caller = """
    (module
      (type $t (func (param i32) (result i32)))
      (import "b" "rec" (func $rec (type $t)))
      (table 1 funcref)
      (elem (i32.const 0) func $rec)
      (elem declare func $rec)
      (func (export "direct") (param i32) (result i32) (call $rec (local.get 0)))
      (func (export "indirect") (param i32) (result i32) (call_indirect (type $t) (local.get 0) (i32.const 0)))
      (func (export "ref") (param i32) (result i32) (call_ref $t (local.get 0) (ref.func $rec))))
    """

    /// Runs `body` on `count` threads (8 MiB stacks) at once; the errors they threw.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> [String] {
        let errors = Box<[String]>()
        errors.value = []
        let lock = NSLock()
        let group = DispatchGroup()
        for t in 0..<count {
            group.enter()
            let thread = Thread {
                do { try body(t) } catch { lock.lock(); errors.value!.append("thread \(t): \(error)"); lock.unlock() }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return errors.value!
    }

    /// The callee instance and a caller instance that imports its `rec`.
    static func linked(optimize: Bool) throws -> (caller: Instance, callee: Instance) {
        let options = CompileOptions(optimize: optimize)
        let b = try Instance(module: CompiledModule.compile(wasm: wat2wasm(Self.callee), options: options))
        var imports = Imports()
        imports.define(module: "b", name: "rec", b.export("rec")!)
        let a = try Instance(module: CompiledModule.compile(wasm: wat2wasm(Self.caller), options: options), imports: imports)
        return (a, b)
    }

    @Test(arguments: [false, true]) func threadsRecursingIntoOneSharedInstanceKeepTheirOwnLimit(optimize: Bool) throws {
        let (caller, callee) = try Self.linked(optimize: optimize)
        nonisolated(unsafe) let a = caller, shared = callee
        // Deep enough that the calls of the threads overlap; far from any thread's real limit.
        let depth: UInt32 = 3000
        let errors = Self.onThreads(3) { t in
            let start = Date()
            var rounds = 0
            while rounds < 300 || Date().timeIntervalSince(start) < 0.3 {
                let name = ["direct", "indirect", "ref", "rec"][(rounds + t) % 4]
                let target = name == "rec" ? shared : a
                let r = try target.call(name, [.i32(depth)])
                guard r == [.i32(depth)] else { throw WasmcError("\(name) returned \(r)") }
                rounds += 1
            }
        }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
    }

    @Test(arguments: [false, true]) func aRealOverflowStillTrapsOnEachThread(optimize: Bool) throws {
        nonisolated(unsafe) let a = try Self.linked(optimize: optimize).caller
        let errors = Self.onThreads(3) { t in
            for round in 0..<20 {
                let name = ["direct", "indirect", "ref"][(round + t) % 3]
                do {
                    let r = try a.call(name, [.i32(UInt32(Int32.max))])
                    throw WasmcError("\(name) returned \(r) instead of trapping")
                } catch let trap as Trap {
                    guard trap == Trap(.callStackExhausted) else { throw trap }
                }
                // The thread's calls run on afterwards.
                guard try a.call(name, [.i32(100)]) == [.i32(100)] else { throw WasmcError("\(name) after the trap") }
            }
        }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
    }
}
