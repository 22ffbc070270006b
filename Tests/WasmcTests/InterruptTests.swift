import Foundation
import Testing
import WAT
@testable import Wasmc
import WasmcRuntime

/// InterruptHandle: code running on another thread (a loop without calls, a loop calling the
/// host, a recursion, a blocked memory.atomic.wait, a call nested in a host function) traps
/// "interrupted"; memory keeps what the code wrote, and after `reset()` the same instance runs
/// again. Interrupting a loop that is often inside the runtime (memory.grow, under its lock)
/// corrupts nothing. Both tiers; no module is compiled with anything for interruption.
@Suite struct InterruptTests {
    static let wat = """
    (module
      (import "host" "tick" (func $tick))
      (import "host" "reenter" (func $reenter))
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
      ;; Calls the host on every iteration.
      (func (export "spin_host") (loop $l (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1))) (call $tick) (br $l)))
      ;; Asks the host to call "spin" (a call nested in a host call).
      (func (export "nested") (call $reenter))
      (func (export "read") (result i32) (i32.atomic.load (i32.const 0)))
      (func (export "reset") (i32.atomic.store (i32.const 0) (i32.const 0)))
      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
    """

    static func instantiate(optimize: Bool, interrupts: InterruptHandle? = nil) throws -> Instance {
        let module = try CompiledModule.compile(wasm: wat2wasm(wat), options: CompileOptions(optimize: optimize))
        let ticks = Function(type: FuncType(params: [], results: [])) { _ in [] }
        // The instance this host function re-enters, set once it exists.
        let target = Box<Instance>()
        let reenter = Function(type: FuncType(params: [], results: [])) { _ in try target.value!.call("spin") }
        var imports = Imports()
        imports.define(module: "host", name: "tick", .function(ticks))
        imports.define(module: "host", name: "reenter", .function(reenter))
        let instance = try Instance(module: module, imports: imports, interrupts: interrupts)
        target.value = instance
        return instance
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
                      (false, "spin_calls"), (true, "spin_calls"), (false, "spin_host"), (true, "spin_host"),
                      (false, "nested"), (true, "nested")])
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

    /// The generated C has nothing for interruption, whatever the (former) option says.
    @Test(arguments: [false, true]) func generatedCIsTheSameWithOrWithoutInterruptibleLoops(optimize: Bool) throws {
        let wasm = try wat2wasm(Self.wat)
        let plain = try Compiler.lowerToC(wasm: wasm, options: CompileOptions(optimize: optimize))
        let loops = try Compiler.lowerToC(wasm: wasm, options: CompileOptions(optimize: optimize, interruptibleLoops: true))
        #expect(plain == loops)
    }

    /// A loop that spends its time in memory.grow (the runtime, under the memory's lock) and
    /// storing to the pages it got, interrupted 100 times: each interruption either lands in
    /// the module's code or waits until the loop is back there, so the size, the contents and
    /// the lock stay consistent (a crash, a hang on the lock or a size that disagrees with the
    /// committed pages would show).
    @Test(arguments: [false, true]) func interruptingGrowLoopsCorruptsNothing(optimize: Bool) throws {
        let module = try CompiledModule.compile(wasm: wat2wasm("""
            (module
              (memory (export "memory") 1 100)
              ;; Grows by one page while it can, then by zero pages forever; marks each new
              ;; page's first byte with its number and counts rounds at address 0.
              (func (export "grow_loop") (local $old i32)
                (loop $l
                  (local.set $old (memory.grow (i32.const 1)))
                  (if (i32.ne (local.get $old) (i32.const -1))
                    (then (i32.store8 (i32.mul (local.get $old) (i32.const 65536)) (local.get $old)))
                    (else (drop (memory.grow (i32.const 0)))))
                  (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (i32.const 1)))
                  (br $l)))
              (func (export "size") (result i32) (memory.size))
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
            """), options: CompileOptions(optimize: optimize))
        let instance = try Instance(module: module)
        let memory = instance.memory("memory")!
        for _ in 0..<100 {
            let outcome = Self.start(instance, "grow_loop")
            // Until the loop has run at least once more (address 4 counts its rounds).
            let before = try memory.read(at: 4, count: 4)
            let deadline = Date().addingTimeInterval(10)
            while try memory.read(at: 4, count: 4) == before && Date() < deadline { usleep(100) }
            instance.interrupts.interrupt()
            Self.expectInterrupted(outcome)
            instance.interrupts.reset()
        }
        let pages = try #require(try instance.call("size").first)
        guard case .i32(let n) = pages else { Issue.record("size returned \(pages)"); return }
        #expect(n >= 2 && n <= 100)
        #expect(memory.pageCount == UInt64(n))
        // Every page the loop got carries its number, or 0 when an interruption came between
        // the grow and the store; every page is committed (the host can write its last byte).
        for page in 1..<Int(n) {
            let mark = try memory.read(at: UInt64(page) * 65536, count: 1)[0]
            #expect(mark == UInt8(page) || mark == 0, "page \(page) holds \(mark)")
        }
        try memory.write([1], at: UInt64(n) * 65536 - 1)
        #expect(throws: (any Error).self) { try memory.read(at: UInt64(n) * 65536, count: 1) }
        // The lock is free: growing works from wasm and from the host.
        #expect(try instance.call("grow", [.i32(0)]) == [.i32(n)])
        if n < 100 { #expect(try instance.call("grow", [.i32(1)]) == [.i32(n)]) }
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

/// A value set after the fact (a host function that needs the instance it is imported into).
final class Box<T>: @unchecked Sendable {
    var value: T?
}
