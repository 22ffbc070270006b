import Foundation
import Synchronization
import WAT
import Wasmc

/// Compiles a module written as text (threads proposal on).
func compile(_ wat: String, optimize: Bool = false) throws -> CompiledModule {
    try CompiledModule.compile(wasm: wat2wasm(wat), options: CompileOptions(optimize: optimize))
}

func sharedMemory(min: UInt64 = 1, max: UInt64) throws -> Memory {
    try Memory(MemoryType(limits: Limits(min: min, max: max), shared: true))
}

func imports(_ memory: Memory, module: String = "env", name: String = "mem") -> Imports {
    var imports = Imports()
    imports.define(module: module, name: name, .memory(memory))
    return imports
}

/// Runs `body(i)` for i in 0..<count, each on its own OS thread (not a dispatch pool: waiters
/// block, and the pool would run only as many as there are cores). All threads start
/// together after a barrier, to make them race. Returns each thread's result or error.
func onThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) -> [Result<T, any Error>] {
    let results = Mutex<[Result<T, any Error>?]>(Array(repeating: nil, count: count))
    let ready = Atomic<Int>(0)
    let done = DispatchGroup()
    for i in 0..<count {
        done.enter()
        let thread = Thread {
            ready.add(1, ordering: .sequentiallyConsistent)
            while ready.load(ordering: .sequentiallyConsistent) < count { sched_yield() }
            let r = Result { try body(i) }
            results.withLock { $0[i] = r }
            done.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    done.wait()
    return results.withLock { $0.map { $0! } }
}

/// The values of `results`, or the first error thrown.
func values<T>(_ results: [Result<T, any Error>]) throws -> [T] {
    try results.map { try $0.get() }
}

func i32(_ values: [Value]) -> UInt32? {
    if values.count == 1, case .i32(let v) = values[0] { return v }
    return nil
}

func i64(_ values: [Value]) -> UInt64? {
    if values.count == 1, case .i64(let v) = values[0] { return v }
    return nil
}

/// Little-endian bytes of `value`, `width` of them.
func littleEndian(_ value: UInt64, width: Int) -> [UInt8] {
    (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}
