import Foundation
import Testing
import WAT
@testable import Wasmc
import WasmcRuntime

/// InterruptHandle: code running on another thread (a loop, a recursion without loops, a
/// blocked memory.atomic.wait) traps "interrupted"; memory keeps what the code wrote, and after
/// `reset()` the same instance runs again. Both tiers.
@Suite struct InterruptTests {
    static let wat = """
    (module
      (memory (export "memory") 1 1 shared)
      ;; Counts at address 0 forever.
      (func (export "spin")
        (loop $l (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1))) (br $l)))
      ;; The same as a do/while loop (its only back edge is a br_if at the end).
      (func (export "spin_while") (param $n i32)
        (loop $l (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
          (br_if $l (i32.ne (local.get $n) (i32.const 0)))))
      ;; 2^n calls, n deep, and no loop: only function entries can stop it.
      (func $tree (export "tree") (param $n i32) (result i32)
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (if (result i32) (i32.eqz (local.get $n))
          (then (i32.const 1))
          (else (i32.add (call $tree (i32.sub (local.get $n) (i32.const 1)))
                         (call $tree (i32.sub (local.get $n) (i32.const 1)))))))
      ;; Waits at 8 with no timeout; nothing notifies.
      (func (export "wait") (result i32)
        (i32.atomic.store (i32.const 0) (i32.const 1))
        (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1)))
      ;; Calls a function on every iteration: interruptible at that function's entry.
      (func $count (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1))))
      (func (export "spin_calls") (loop $l (call $count) (br $l)))
      (func (export "read") (result i32) (i32.atomic.load (i32.const 0)))
      (func (export "reset") (i32.atomic.store (i32.const 0) (i32.const 0)))
      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
    """

    static let polls = CompileOptions(interruptibleLoops: true)

    static func instantiate(optimize: Bool, interrupts: InterruptHandle? = nil, loops: Bool = false) throws -> Instance {
        let options = CompileOptions(optimize: optimize, interruptibleLoops: loops)
        let module = try CompiledModule.compile(wasm: wat2wasm(wat), options: options)
        return try Instance(module: module, interrupts: interrupts)
    }

    /// Calls `name` on a new thread; the result arrives in the box when the call ends. This
    /// thread meanwhile touches only the instance's memory and interrupt handle.
    static func start(_ instance: Instance, _ name: String, _ args: [Value] = []) -> CallOutcome {
        let outcome = CallOutcome()
        nonisolated(unsafe) let target = instance
        let thread = Thread {
            do { outcome.finish(.success(try target.call(name, args))) }
            catch { outcome.finish(.failure(error)) }
        }
        thread.stackSize = 8 << 20
        thread.start()
        return outcome
    }

    /// Waits (up to 10 s) until the code running in `instance` has counted at address 0.
    static func waitUntilRunning(_ instance: Instance) throws {
        let deadline = Date().addingTimeInterval(10)
        while try instance.memory("memory")!.read(at: 0, count: 1) == [0] {
            guard Date() < deadline else { Issue.record("the call never started"); return }
            usleep(1000)
        }
    }

    static func expectInterrupted(_ outcome: CallOutcome) {
        switch outcome.wait(seconds: 10) {
        case nil: Issue.record("the call was not interrupted within 10 s")
        case .success(let r)?: Issue.record("the call returned \(r)")
        case .failure(let e)?: #expect(e as? Trap == Trap(.interrupted), "\(e)")
        }
    }

    @Test(arguments: [(false, "spin"), (true, "spin"), (false, "spin_while"), (true, "spin_while"),
                      (false, "spin_calls"), (true, "spin_calls")])
    func loopOnAnotherThreadIsInterrupted(optimize: Bool, function: String) throws {
        let instance = try Self.instantiate(optimize: optimize)
        let outcome = Self.start(instance, function, function == "spin_while" ? [.i32(1)] : [])
        try Self.waitUntilRunning(instance)
        instance.interrupts.interrupt()
        Self.expectInterrupted(outcome)
        // Memory holds what the loop counted; until reset, calls trap at once; then they run.
        let counted = try instance.memory("memory")!.read(at: 0, count: 4)
        #expect(counted != [0, 0, 0, 0])
        #expect(throws: Trap(.interrupted)) { try instance.call("add", [.i32(1), .i32(2)]) }
        #expect(instance.interrupts.isInterrupted)
        instance.interrupts.reset()
        #expect(!instance.interrupts.isInterrupted)
        #expect(try instance.call("add", [.i32(1), .i32(2)]) == [.i32(3)])
        let n = counted.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
        #expect(try instance.call("read") == [.i32(n)])
    }

    @Test(arguments: [false, true]) func recursionWithoutLoopsIsInterruptedAtFunctionEntry(optimize: Bool) throws {
        let instance = try Self.instantiate(optimize: optimize)
        let outcome = Self.start(instance, "tree", [.i32(60)])
        try Self.waitUntilRunning(instance)
        instance.interrupts.interrupt()
        Self.expectInterrupted(outcome)
        instance.interrupts.reset()
        #expect(try instance.call("tree", [.i32(3)]) == [.i32(8)])
    }

    @Test(arguments: [false, true]) func blockedWaitIsInterrupted(optimize: Bool) throws {
        let instance = try Self.instantiate(optimize: optimize)
        let memory = instance.memory("memory")!
        let outcome = Self.start(instance, "wait")
        try Self.waitUntilRunning(instance)
        // Until the waiter is queued, the interruption could also catch it before it waits.
        let deadline = Date().addingTimeInterval(10)
        while wasmc_memory_waiter_count(memory.object, 8) == 0 && Date() < deadline { usleep(1000) }
        #expect(wasmc_memory_waiter_count(memory.object, 8) == 1)
        instance.interrupts.interrupt()
        Self.expectInterrupted(outcome)
        #expect(wasmc_memory_waiter_count(memory.object, 8) == 0)
        instance.interrupts.reset()
        _ = try instance.call("reset")
        #expect(try instance.call("add", [.i32(2), .i32(2)]) == [.i32(4)])
    }

    @Test func loopsThatCallFirstNeedNoPoll() throws {
        // The callee's entry check stops every iteration; a call after a branch does not.
        let first = try Compiler.lowerToC(wasm: wat2wasm("(module (func $f) (func (loop $l (call $f) (br $l))))"), options: Self.polls)
        #expect(!first.contains("WASMC_POLL_INTERRUPT();"))
        let later = try Compiler.lowerToC(wasm: wat2wasm("(module (func $f) (func (param i32) (loop $l (br_if 1 (local.get 0)) (call $f) (br $l))))"), options: Self.polls)
        #expect(later.contains("WASMC_POLL_INTERRUPT();"))
        let imported = try Compiler.lowerToC(wasm: wat2wasm("(module (import \"m\" \"f\" (func $f)) (func (loop $l (call $f) (br $l))))"), options: Self.polls)
        #expect(imported.contains("WASMC_POLL_INTERRUPT();"))
    }

    @Test(arguments: [false, true]) func withoutLoopPollsFunctionEntriesStillStop(optimize: Bool) throws {
        let c = try Compiler.lowerToC(wasm: wat2wasm(Self.wat), options: CompileOptions(optimize: optimize, interruptibleLoops: false))
        #expect(!c.contains("WASMC_POLL_INTERRUPT();"))
        #expect(try Compiler.lowerToC(wasm: wat2wasm(Self.wat), options: CompileOptions(optimize: optimize, interruptibleLoops: true)).contains("WASMC_POLL_INTERRUPT();"))
        // Off by default (the polls cost up to a third on tight loops).
        #expect(!(try Compiler.lowerToC(wasm: wat2wasm(Self.wat), options: CompileOptions(optimize: optimize)).contains("WASMC_POLL_INTERRUPT();")))
        let instance = try Self.instantiate(optimize: optimize, loops: false)
        let outcome = Self.start(instance, "spin_calls")
        try Self.waitUntilRunning(instance)
        instance.interrupts.interrupt()
        Self.expectInterrupted(outcome)
    }

    @Test func oneHandleStopsEveryInstanceSharingIt() throws {
        let handle = InterruptHandle()
        let instances = try (0..<3).map { _ in try Self.instantiate(optimize: false, interrupts: handle) }
        #expect(instances.allSatisfy { $0.interrupts === handle })
        let outcomes = instances.map { Self.start($0, "spin") }
        for i in instances { try Self.waitUntilRunning(i) }
        handle.interrupt()
        for o in outcomes { Self.expectInterrupted(o) }
        // Another instance's handle is untouched.
        let other = try Self.instantiate(optimize: false)
        #expect(try other.call("add", [.i32(5), .i32(6)]) == [.i32(11)])
    }
}

/// The outcome of a call on another thread.
final class CallOutcome: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<[Value], Error>?
    func finish(_ r: Result<[Value], Error>) { result = r; done.signal() }
    /// nil when the call has not ended within `seconds`.
    func wait(seconds: Double) -> Result<[Value], Error>? {
        done.wait(timeout: .now() + seconds) == .success ? result : nil
    }
}
