import Foundation
import Testing
import WAT
import Wasmc

/// After any trap, from any thread, the same instance and the others keep working, and memory
/// keeps what was written before the trap.
@Suite struct TrapHealthTests {
    static let wat = """
    (module
      (import "env" "memory" (memory 1 4 shared))
      (import "env" "fail" (func $fail))
      (table 2 funcref) (elem (i32.const 0) $unreachable)
      (type $v (func))
      (func $unreachable unreachable)
      (func (export "unreachable") unreachable)
      (func (export "oob") (drop (i32.load (i32.const 0x7fff_fff0))))
      (func (export "div0") (drop (i32.div_u (i32.const 1) (i32.const 0))))
      (func (export "overflow") (drop (i32.div_s (i32.const 0x8000_0000) (i32.const -1))))
      (func (export "conversion") (drop (i32.trunc_f64_s (f64.const nan))))
      (func (export "undefined") (call_indirect (type $v) (i32.const 7)))
      (func (export "uninitialized") (call_indirect (type $v) (i32.const 1)))
      (func (export "signature") (drop (call_indirect (result i32) (i32.const 0))))
      (func (export "unaligned") (drop (i32.atomic.load (i32.const 1))))
      (func (export "table") (drop (table.get 0 (i32.const 9))))
      (func (export "host") (call $fail))
      (func $down (export "stack") (call $down))
      (func (export "bump") (param i32) (result i32)
        (i32.atomic.rmw.add (local.get 0) (i32.const 1)))
      (func (export "read") (param i32) (result i32) (i32.atomic.load (local.get 0)))
    )
    """
    static let traps: [(String, TrapCode)] = [
        ("unreachable", .unreachable), ("oob", .memoryOutOfBounds), ("div0", .integerDivideByZero),
        ("overflow", .integerOverflow), ("conversion", .invalidConversionToInteger),
        ("undefined", .undefinedElement), ("uninitialized", .uninitializedElement),
        ("signature", .indirectCallTypeMismatch), ("unaligned", .unalignedAtomic), ("stack", .callStackExhausted),
        ("table", .tableOutOfBounds),
    ]
    /// Waiting needs a shared memory: this one's is not.
    static let unsharedWat = """
    (module (memory 1 1)
      (func (export "wait") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0)))
      (func (export "size") (result i32) (memory.size)))
    """
    struct HostFailure: Error, Equatable {}

    func setUp() throws -> (CompiledModule, Memory, Imports) {
        let module = try CompiledModule.compile(wasm: wat2wasm(Self.wat))
        let memory = try Memory(MemoryType(limits: Limits(min: 1, max: 4), shared: true))
        var imports = Imports()
        imports.define(module: "env", name: "memory", .memory(memory))
        imports.define(module: "env", name: "fail", .function(Function(type: FuncType(params: [], results: [])) { _ in throw HostFailure() }))
        return (module, memory, imports)
    }

    @Test func everyTrapLeavesTheInstanceUsable() throws {
        let (module, memory, imports) = try setUp()
        let instance = try Instance(module: module, imports: imports)
        for (round, (name, code)) in Self.traps.enumerated() {
            #expect(try instance.call("bump", [.i32(64)]) == [.i32(UInt32(round))])
            // By code: messages may carry details ("uninitialized element 1").
            let trap = #expect(throws: Trap.self, "\(name)") { try instance.call(name) }
            #expect(trap?.code == code, "\(name): \(String(describing: trap))")
        }
        #expect(try instance.call("read", [.i32(64)]) == [.i32(UInt32(Self.traps.count))])
        #expect(try memory.read(at: 64, count: 1) == [UInt8(Self.traps.count)])
        // A host function's error (trap code hostError inside) reaches the caller as itself.
        #expect(throws: HostFailure()) { try instance.call("host") }
        #expect(try instance.call("bump", [.i32(64)]) == [.i32(UInt32(Self.traps.count))])
        // Waiting on an unshared memory, in a module of its own.
        let unshared = try Instance(module: CompiledModule.compile(wasm: wat2wasm(Self.unsharedWat)))
        #expect(throws: Trap(.expectedSharedMemory)) { try unshared.call("wait") }
        #expect(try unshared.call("size") == [.i32(1)])
        // An interruption requested while nothing runs stops the next call at its first
        // function entry; after reset the instance runs again (InterruptTests: running code).
        instance.interrupts.interrupt()
        #expect(throws: Trap(.interrupted)) { try instance.call("bump", [.i32(64)]) }
        instance.interrupts.reset()
        #expect(try instance.call("bump", [.i32(64)]) == [.i32(UInt32(Self.traps.count) + 1)])
        // Every trap code is covered: the list, the host error, the unshared wait, the interruption.
        let covered = Set(Self.traps.map(\.1)).union([.hostError, .expectedSharedMemory, .interrupted])
        #expect(covered.count == 14 && covered == Set((1...14).compactMap { TrapCode(rawValue: $0) }))
    }

    @Test func trapsOnManyThreadsAtOnce() throws {
        let (module, memory, imports) = try setUp()
        let threads = 4, rounds = 25
        let group = DispatchGroup()
        nonisolated(unsafe) var failures = [String](repeating: "", count: threads)
        for t in 0..<threads {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    let instance = try Instance(module: module, imports: imports)
                    for r in 0..<rounds {
                        let (name, code) = Self.traps[(t + r) % Self.traps.count]
                        do { _ = try instance.call(name); failures[t] = "\(name) did not trap"; return }
                        catch let trap as Trap where trap.code == code {}
                        _ = try instance.call("bump", [.i32(128)])
                    }
                } catch {
                    failures[t] = "thread \(t): \(error)"
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        #expect(failures.allSatisfy { $0.isEmpty }, "\(failures)")
        #expect(try memory.read(at: 128, count: 1) == [UInt8(threads * rounds)])
        // A fresh instance on this thread, and the shared memory, still work.
        let after = try Instance(module: module, imports: imports)
        #expect(try after.call("read", [.i32(128)]) == [.i32(UInt32(threads * rounds))])
        #expect(throws: Trap(.memoryOutOfBounds)) { try after.call("oob") }
    }
}
