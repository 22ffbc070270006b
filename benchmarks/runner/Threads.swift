// The threaded workloads: one compiled module, one shared memory imported by one instance per
// thread, each thread calling its export at once (released together by a barrier).
import Foundation
import Wasmc

enum ThreadedWorkload: String {
    case counter      // atomic_counter.wasm: N × worker(iters), expect total() == N × iters
    case pingpong     // wait_notify.wasm: ping(iters) ‖ pong(iters), expect rounds() == iters
}

struct ThreadedResult {
    var seconds: Double
    var operations: Int   // atomic RMWs (counter) or hand-offs of the token (pingpong: 2 per round)
    var ok: Bool
}

func runThreaded(_ compiled: CompiledModule, _ workload: ThreadedWorkload, threads: Int, iters: UInt32) throws -> ThreadedResult {
    guard let memType = compiled.module.importedMemories.first else {
        throw WasmcError("the threaded workload must import its (shared) memory")
    }
    let memory = try Memory(memType)
    var imports = Imports()
    imports.define(module: "env", name: "memory", .memory(memory))
    let n = workload == .pingpong ? 2 : threads
    let instances = try (0..<n).map { _ in try Instance(module: compiled, imports: imports) }
    _ = try instances[0].call("reset")

    let start = DispatchSemaphore(value: 0)
    let group = DispatchGroup()
    let errors = ErrorBox()
    var workers: [Thread] = []
    for (i, instance) in instances.enumerated() {
        let export = workload == .counter ? "worker" : (i == 0 ? "ping" : "pong")
        group.enter()
        let box = InstanceBox(instance)
        let t = Thread {
            pinToCPU(i)
            start.wait()
            do { _ = try box.instance.call(export, [.i32(iters)]) } catch { errors.set(error) }
            group.leave()
        }
        t.stackSize = 8 << 20
        workers.append(t)
        t.start()
    }
    Thread.sleep(forTimeInterval: 0.05)  // let every thread reach the barrier
    let t0 = now()
    for _ in 0..<n { start.signal() }
    group.wait()
    let dt = now() - t0
    if let e = errors.error { throw e }
    let check = try instances[0].call(workload == .counter ? "total" : "rounds")
    let expected = workload == .counter ? UInt64(iters) * UInt64(n) : UInt64(iters)
    let got = check.first.flatMap(scalar)
    let ops = workload == .counter ? Int(iters) * n : Int(iters) * 2
    return ThreadedResult(seconds: dt, operations: ops, ok: got == expected)
}

/// Hands one instance to the one thread that uses it (instances are not shared between threads).
final class InstanceBox: @unchecked Sendable {
    let instance: Instance
    init(_ instance: Instance) { self.instance = instance }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Error?
    func set(_ e: Error) { lock.lock(); if first == nil { first = e }; lock.unlock() }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return first }
}

/// The cost of one more thread's instance: `count` instantiations of `compiled` against one
/// existing shared memory, each dropped at once (µs each, wall and the process's CPU time: the
/// latter is less disturbed by other load on a shared machine), then `count` kept alive at once
/// (resident bytes each, beyond the memory: the instance, its tables, globals and funcrefs).
func measureInstantiation(_ compiled: CompiledModule, count: Int) throws -> (microseconds: Double, cpuMicroseconds: Double, bytesPerInstance: Double) {
    guard let memType = compiled.module.importedMemories.first else {
        throw WasmcError("the instantiation workload must import its (shared) memory")
    }
    let memory = try Memory(memType)
    var imports = Imports()
    imports.define(module: "env", name: "memory", .memory(memory))
    _ = try Instance(module: compiled, imports: imports)  // warm-up: registries, caches
    let t0 = now(), c0 = cpuNow()
    for _ in 0..<count { _ = try Instance(module: compiled, imports: imports) }
    let dt = now() - t0, dc = cpuNow() - c0
    let before = residentBytes()
    var live: [Instance] = []
    live.reserveCapacity(count)
    for _ in 0..<count { live.append(try Instance(module: compiled, imports: imports)) }
    let grown = residentBytes() - before
    withExtendedLifetime(live) {}
    return (dt * 1e6 / Double(count), dc * 1e6 / Double(count), Double(grown) / Double(count))
}

/// Resident set size from /proc/self/statm (pages × page size).
func residentBytes() -> Int {
    guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = s.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Runs the calling thread on the i-th CPU this process may use (mod their count), as the native
/// and Wasmtime drivers do: two threads on one CPU would take turns instead of contending.
/// (glibc's sched_{get,set}affinity need _GNU_SOURCE, which Swift's Glibc module lacks: dlsym.)
func pinToCPU(_ i: Int) {
    typealias Affinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer?) -> Int32
    guard let g = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_getaffinity"),
          let s = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_setaffinity") else { return }
    let get = unsafeBitCast(g, to: Affinity.self), set = unsafeBitCast(s, to: Affinity.self)
    var allowed = [UInt8](repeating: 0, count: 128)  // cpu_set_t: 1024 bits
    guard allowed.withUnsafeMutableBytes({ get(0, 128, $0.baseAddress) }) == 0 else { return }
    let cpus = (0..<1024).filter { allowed[$0 / 8] & (1 << ($0 % 8)) != 0 }
    guard !cpus.isEmpty else { return }
    let cpu = cpus[i % cpus.count]
    var one = [UInt8](repeating: 0, count: 128)
    one[cpu / 8] |= UInt8(1 << (cpu % 8))
    _ = one.withUnsafeMutableBytes { set(0, 128, $0.baseAddress) }
}
