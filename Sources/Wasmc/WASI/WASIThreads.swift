import Foundation
import Synchronization

/// wasi-threads: `wasi` `thread-spawn(start_arg) -> tid` instantiates the module again with
/// the same imports (so the same shared memory) and runs `wasi_thread_start(tid, start_arg)`
/// on a new OS thread.
final class WASIThreads: @unchecked Sendable {
    static let moduleName = "wasi"
    static let spawnName = "thread-spawn"
    /// Thread ids are in [1, 2^29): the top bits are reserved by the proposal.
    static let maxThreadID: UInt32 = 1 << 29
    /// preview1 errno values returned negated on failure.
    static let eagain: Int32 = 6

    let module: CompiledModule
    let limits: ResourceLimits
    let ending: ProgramEnding
    /// Shared by the program's own instance and every thread's: interrupting it stops them all.
    let interrupts: InterruptHandle
    /// Set once, before the first instance exists: what every thread's instance imports.
    var imports = Imports()
    private let nextID = Atomic<UInt32>(1)
    private let handler = Mutex<(@Sendable (Error) -> Void)?>(nil)
    /// Instances of running threads, for `stopAll`.
    private let running = Mutex<[UInt32: ThreadInstance]>([:])

    var onEnding: (@Sendable (Error) -> Void)? {
        get { handler.withLock { $0 } }
        set { handler.withLock { $0 = newValue } }
    }

    init(module: CompiledModule, limits: ResourceLimits, ending: ProgramEnding, interrupts: InterruptHandle) {
        self.interrupts = interrupts
        self.module = module
        self.limits = limits
        self.ending = ending
    }

    var spawnFunction: Function {
        // Strong: threads may still spawn after the program object is gone (a small cycle per threaded program).
        Function(type: FuncType(params: [.i32], results: [.i32])) { [self] args in
            guard case .i32(let startArg) = args[0] else { return [.i32(UInt32(bitPattern: -Self.eagain))] }
            return [.i32(UInt32(bitPattern: self.spawn(startArg: startArg)))]
        }
    }

    /// A new thread's id, or a negative errno when none could be started.
    func spawn(startArg: UInt32) -> Int32 {
        let tid = nextID.add(1, ordering: .relaxed).oldValue
        guard tid < Self.maxThreadID else { return -Self.eagain }
        let instance: Instance
        let entry: Function
        do {
            instance = try Instance(module: module, imports: imports, limits: limits, interrupts: interrupts)
            guard let f = instance.function("wasi_thread_start"),
                  f.type == FuncType(params: [.i32, .i32], results: []) else { return -Self.eagain }
            entry = f
        } catch {
            return -Self.eagain
        }
        let box = ThreadInstance(instance)
        running.withLock { $0[tid] = box }
        let thread = Thread { [self] in
            do {
                _ = try entry.call([.i32(tid), .i32(startArg)])
            } catch {
                // Only the thread that ended the program reports it.
                if ending.record(error) { onEnding?(error) }
                stopAll()
            }
            running.withLock { _ = $0.removeValue(forKey: tid) }
        }
        thread.stackSize = 8 << 20
        thread.start()
        return Int32(bitPattern: tid)
    }

    /// Ends the other threads, wherever they are: busy in wasm code, in an atomic wait or
    /// waiting for input, they trap "interrupted" (the handle all the program's instances
    /// share); in a WASI call that blocks otherwise, they stop when it returns (ProgramEnding.check).
    func stopAll() { interrupts.interrupt() }

    /// Threads spawned and not yet ended.
    var runningCount: Int { running.withLock { $0.count } }
}

/// A thread's instance, held while the thread runs (used only on its own thread).
final class ThreadInstance: @unchecked Sendable {
    let instance: Instance
    init(_ instance: Instance) { self.instance = instance }
}
