import Foundation

/// A module instantiated with WASI: a command (`_start`) or a reactor (`_initialize`, then
/// its exports). Imports the module needs that the host did not give are provided here:
/// `wasi_snapshot_preview1` (from `wasi`), wasi-threads' `wasi` `thread-spawn`, and any
/// imported memory, created from the import's own limits (threaded programs import a shared
/// one under any name).
public final class WASIProgram {
    public let instance: Instance
    public let wasi: WASIHost
    /// Shared by the program's instance and every spawned thread's: `interrupt()` stops them
    /// all (`wasmc run --timeout`).
    public let interrupts: InterruptHandle
    let threads: WASIThreads?

    /// Called once when a spawned thread ends the program (`proc_exit` or a trap in
    /// `wasi_thread_start`), on that thread. The CLI ends the process here; without a
    /// handler the ending is recorded, `runCommand()` reports it, and the other threads'
    /// next WASI call ends them.
    public var onThreadEnding: (@Sendable (Error) -> Void)? {
        get { threads?.onEnding }
        set { threads?.onEnding = newValue }
    }

    /// Throws `WasmcError` naming an unknown WASI function, `LinkError`, `ResourceLimitError`,
    /// or `Trap` (a start function that traps).
    public init(module: CompiledModule, wasi: WASIHost, imports given: Imports = Imports(),
                limits: ResourceLimits = ResourceLimits()) throws {
        var imports = given
        // One handle for this instance and every thread's, so that ending the program stops them all.
        let interrupts = InterruptHandle()
        self.interrupts = interrupts
        let m = module.module
        let known = Set(wasi.functionNames)
        for imp in m.imports where imp.module == WASIHost.moduleName && imports.lookup(module: imp.module, name: imp.name) == nil {
            guard known.contains(imp.name) else {
                throw WasmcError("unknown WASI function \(WASIHost.moduleName).\(imp.name) imported")
            }
        }
        // The host's own definitions win (a replaced fd_write, say).
        for (name, f) in wasi.functions where imports.lookup(module: WASIHost.moduleName, name: name) == nil {
            imports.define(module: WASIHost.moduleName, name: name, .function(f))
        }
        for imp in m.imports where imports.lookup(module: imp.module, name: imp.name) == nil {
            if case .memory(let type) = imp.descriptor {
                imports.define(module: imp.module, name: imp.name, .memory(try Memory(type, limits: limits)))
            }
        }
        if m.imports.contains(where: { $0.module == WASIThreads.moduleName && $0.name == WASIThreads.spawnName }),
           imports.lookup(module: WASIThreads.moduleName, name: WASIThreads.spawnName) == nil {
            let threads = WASIThreads(module: module, limits: limits, ending: wasi.ending, interrupts: interrupts)
            imports.define(module: WASIThreads.moduleName, name: WASIThreads.spawnName, .function(threads.spawnFunction))
            threads.imports = imports
            self.threads = threads
        } else {
            self.threads = nil
        }
        self.wasi = wasi
        self.instance = try Instance(module: module, imports: imports, limits: limits, interrupts: interrupts)
    }

    /// Runs `_start` and returns the exit code: `proc_exit`'s, or 0 when `_start` returns.
    /// A trap (in this or a spawned thread) is thrown as `Trap`. However the program ends,
    /// its other threads are stopped: busy in wasm code, in `memory.atomic.wait` or waiting in
    /// `fd_read` or waiting or sleeping in `poll_oneoff`, they trap "interrupted" and end; in a
    /// WASI call that blocks otherwise (`fd_write` to a full pipe), they end when it returns. The instances stay interrupted
    /// (`instance.interrupts`) afterwards.
    public func runCommand() throws -> UInt32 {
        guard let start = instance.function("_start") else {
            throw WasmcError("the module has no _start function: not a WASI command (use --invoke for a reactor)")
        }
        guard start.type.params.isEmpty, start.type.results.isEmpty else {
            throw WasmcError("_start must take and return nothing, has type \(start.type)")
        }
        do {
            _ = try start.call([])
            wasi.ending.record(WASIExit(code: 0))
        } catch {
            wasi.ending.record(error)
        }
        threads?.stopAll()
        // The first ending wins: a thread's proc_exit before _start's own return or trap.
        let ending = wasi.ending.current ?? WASIExit(code: 0)
        if let exit = ending as? WASIExit { return exit.code }
        throw ending
    }

    /// Threads spawned by the program (wasi-threads) that have not ended yet.
    public var runningThreads: Int { threads?.runningCount ?? 0 }

    /// A reactor's `_initialize`, when it has one; call before its other exports.
    public func initializeReactor() throws {
        guard let initialize = instance.function("_initialize") else { return }
        _ = try initialize.call([])
    }
}
