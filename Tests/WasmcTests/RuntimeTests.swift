import Foundation
import Testing
import WasmcRuntime
@testable import Wasmc

/// The C runtime on its own and through the hand-written module: shared memories,
/// wait/notify, compile tiers and output files.
@Suite struct RuntimeTests {
    func sharedInstance(_ memory: Memory) throws -> Instance {
        // The hand-written module imports an unshared memory; link a variant that wants a
        // shared one by changing only its metadata.
        var m = HandWritten.module
        m.imports[1] = Import(module: "env", name: "mem", descriptor: .memory(MemoryType(limits: Limits(min: 1, max: 4), shared: true)))
        let code = try Tcc.compileInMemory(HandWritten.selfContained())
        _ = try code.attach()
        return try Instance(module: CompiledModule(code: code, module: m), imports: HandWritten.imports(memory: memory) { $0 })
    }

    @Test func waitOnUnsharedMemoryTraps() throws {
        let memory = try Memory(MemoryType(limits: Limits(min: 1)))
        let inst = try Instance(module: try HandWritten.compiled(), imports: HandWritten.imports(memory: memory) { $0 })
        #expect(throws: Trap(.expectedSharedMemory)) { try inst.call("wait", [.i32(10)]) }
        #expect(try inst.call("notify", [.i32(1)]) == [.i32(0)])
    }

    @Test func waitTimesOutOrSeesAnotherValue() throws {
        let memory = try Memory(MemoryType(limits: Limits(min: 1, max: 4), shared: true))
        let inst = try sharedInstance(memory)
        let start = DispatchTime.now().uptimeNanoseconds
        #expect(try inst.call("wait", [.i32(50)]) == [.i32(2)])  // timed out
        // Never early (a wait lasts at least its timeout); how late is up to the machine's load.
        #expect(DispatchTime.now().uptimeNanoseconds - start >= 50_000_000)
        try memory.write([1, 0, 0, 0], at: 0)
        #expect(try inst.call("wait", [.i32(50)]) == [.i32(1)])  // not equal
    }

    @Test func notifyWakesWaitersInOrder() throws {
        // Waiters join the queue one at a time (the next starts once the runtime counts the
        // previous one as waiting), then each notify(1) must wake the longest waiting: FIFO.
        let memory = try Memory(MemoryType(limits: Limits(min: 1, max: 4), shared: true))
        let waiters = 3
        let results = ResultsBox()
        let deadline = Date().addingTimeInterval(30)
        for i in 0..<waiters {
            let t = Thread {
                // One instance per thread, all sharing the memory.
                let r = (try? sharedInstance(memory).call("wait", [.i32(0)])) ?? [.i32(99)]
                results.append([.i32(UInt32(i))] + r)
            }
            t.start()
            while wasmc_memory_waiter_count(memory.object, 0) < UInt32(i + 1) && Date() < deadline { usleep(1000) }
            #expect(wasmc_memory_waiter_count(memory.object, 0) == UInt32(i + 1), "waiter \(i) never queued")
        }
        let notifier = try sharedInstance(memory)
        for i in 0..<waiters {
            #expect(try notifier.call("notify", [.i32(1)]) == [.i32(1)])
            while results.count < i + 1 && Date() < deadline { usleep(1000) }
            // Woken in the order they queued, each with "ok" (0).
            #expect(results.all.last == [.i32(UInt32(i)), .i32(0)], "\(results.all)")
        }
        #expect(wasmc_memory_waiter_count(memory.object, 0) == 0)
        #expect(try notifier.call("notify", [.i32(5)]) == [.i32(0)])
    }

    @Test func concurrentGrowersGetDistinctOldSizes() throws {
        let memory = try Memory(MemoryType(limits: Limits(min: 0, max: 100), shared: true))
        let results = ResultsBox()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<20 { results.append([.i64(memory.grow(by: 1) ?? UInt64.max)]) }
        }
        let olds = results.all.compactMap { r -> UInt64? in if case .i64(let x) = r[0] { x } else { nil } }
        let grown = olds.filter { $0 != UInt64.max }
        #expect(grown.count == 100)
        #expect(Set(grown) == Set(0..<100))
        #expect(memory.pageCount == 100)
        try memory.write([7], at: 100 * 65536 - 1)
        #expect(throws: Trap.self) { try memory.write([7], at: 100 * 65536) }
    }

    @Test func compileFromManyThreadsAtOnce() throws {
        let errors = ResultsBox()
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do {
                let memory = try Memory(MemoryType(limits: Limits(min: 1)))
                let inst = try Instance(module: try HandWritten.compiled(), imports: HandWritten.imports(memory: memory) { $0 })
                errors.append(try inst.call("div", [.i32(5)]))
            } catch {
                errors.append([])
            }
        }
        #expect(errors.all == Array(repeating: [Value.i32(20)], count: 6))
    }

    @Test func optimizingTierRuns() throws {
        let memory = try Memory(MemoryType(limits: Limits(min: 1)))
        let inst = try Instance(module: try HandWritten.compiled(tier: .native), imports: HandWritten.imports(memory: memory) { $0 })
        #expect(try inst.call("div", [.i32(4)]) == [.i32(25)])
        #expect(throws: Trap(.memoryOutOfBounds)) { try inst.call("load", [.i32(70000)]) }
        #expect(throws: Trap(.callStackExhausted)) { try inst.call("recurse", [.i32(0)]) }
    }

    @Test func sharedObjectNeedsNothingFromTheLoader() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/m.so"
        try Compiler.writeAtomically(path: path) { try Tcc.compileSharedObject(HandWritten.selfContained(), path: $0) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.so"])
        let nm = Process()
        nm.executableURL = URL(fileURLWithPath: "/usr/bin/nm")
        nm.arguments = ["-D", "--undefined-only", path]
        let pipe = Pipe()
        nm.standardOutput = pipe
        try nm.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        nm.waitUntilExit()
        #expect(nm.terminationStatus == 0)
        // Weak references (tcc's `__gmon_start__`) may stay unresolved; strong ones may not.
        let strong = out.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("w ") }
        #expect(strong.isEmpty, "undefined symbols: \(out)")

        let code = try NativeCode(sharedObject: path)
        _ = try code.attach()
        let memory = try Memory(MemoryType(limits: Limits(min: 1)))
        let inst = try Instance(module: CompiledModule(code: code, module: HandWritten.module),
                                imports: HandWritten.imports(memory: memory) { $0 })
        #expect(try inst.call("div", [.i32(10)]) == [.i32(10)])
    }

    @Test func failedWriteLeavesNoFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/bad.so"
        #expect(throws: WasmcError.self) {
            try Compiler.writeAtomically(path: path) { try Tcc.compileSharedObject("int broken( {", path: $0) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func abiVersionMismatchIsRejected() throws {
        let source = HandWritten.source.replacingOccurrences(of: "WASMC_DESCRIPTOR_MAGIC, WASMC_ABI_VERSION,", with: "WASMC_DESCRIPTOR_MAGIC, 999,")
        let code = try Tcc.compileInMemory(HandWritten.selfContained(source))
        do {
            _ = try code.attach()
            Issue.record("expected an ABI error")
        } catch let e as WasmcError {
            #expect(e.message.contains("ABI version 999"))
        }
    }

    @Test func trapMessagesMatchTheSpec() {
        // Every trap code (16 of 16), in the spec test suite's wording where it has one.
        let expected: [(TrapCode, String)] = [
            (.unreachable, "unreachable"),
            (.memoryOutOfBounds, "out of bounds memory access"),
            (.tableOutOfBounds, "out of bounds table access"),
            (.undefinedElement, "undefined element"),
            (.uninitializedElement, "uninitialized element"),
            (.indirectCallTypeMismatch, "indirect call type mismatch"),
            (.integerDivideByZero, "integer divide by zero"),
            (.integerOverflow, "integer overflow"),
            (.invalidConversionToInteger, "invalid conversion to integer"),
            (.callStackExhausted, "call stack exhausted"),
            (.unalignedAtomic, "unaligned atomic"),
            (.expectedSharedMemory, "expected shared memory"),
            (.hostError, "host function error"),
            (.interrupted, "interrupted"),
            (.nullReference, "null reference"),
            (.nullFunctionReference, "null function reference"),
            (.nullExceptionReference, "null exception reference"),
        ]
        // WASMC_TRAP_EXCEPTION is no trap: an uncaught wasm exception, thrown as WasmException.
        let exception = UInt32(WASMC_TRAP_EXCEPTION.rawValue)
        #expect(String(cString: wasmc_trap_message(exception)) == "uncaught exception")
        #expect(expected.count == Int(WASMC_TRAP_COUNT.rawValue) - 2)
        #expect(Set(expected.map(\.0.rawValue)) == Set(1..<WASMC_TRAP_COUNT.rawValue).subtracting([exception]))
        for (code, message) in expected { #expect(Trap(code).message == message, "\(code)") }
    }
}

final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [[Value]] = []
    func append(_ r: [Value]) { lock.lock(); results.append(r); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return results.count }
    var all: [[Value]] { lock.lock(); defer { lock.unlock() }; return results }
}
