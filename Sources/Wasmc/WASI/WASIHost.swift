import Foundation
import Synchronization
import WASI
import WasmTypes
import WasmcSyntax

/// WASI preview1 (`wasi_snapshot_preview1`) for wasmc instances: WasmKit's host bridge
/// (file system sandbox, clocks, poll, random, sockets) running over the caller's linear
/// memory. One host serves every thread of a program: its fd table is locked.
public final class WASIHost: @unchecked Sendable {
    public static let moduleName = "wasi_snapshot_preview1"
    /// preview1's errno for a bad guest address.
    static let efault: UInt32 = 21

    let bridge: WASIBridgeToHost
    let functions: [String: Function]
    let descriptors: HostDescriptors
    /// Set once any thread ends the program; later WASI calls on other threads end theirs too.
    let ending = ProgramEnding()

    public init(_ configuration: WASIConfiguration) throws {
        for preopen in configuration.preopens {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: preopen.hostPath, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw WasmcError("preopened folder \"\(preopen.hostPath)\" does not exist or is not a folder")
            }
        }
        descriptors = try HostDescriptors(preopens: configuration.preopens)
        var environment: [String: String] = [:]
        for (name, value) in configuration.environment { environment[name] = value }
        bridge = try WASIBridgeToHost(
            args: configuration.arguments, environment: environment,
            preopens: configuration.preopens.map { .init(guestPath: $0.guestPath, hostPath: $0.hostPath) },
            stdin: configuration.stdin, stdout: configuration.stdout, stderr: configuration.stderr)
        var preview1 = bridge.hostFunctions(capabilities: WASICapability<GuestMemoryView>.all)
            .mapValues(WASIAdditions.HostFunction.init)
        WASIAdditions.apply(to: &preview1)
        WASIPathAdditions.apply(to: &preview1, descriptors: descriptors)
        var functions: [String: Function] = [:]
        for (name, f) in preview1 { functions[name] = WASIHost.function(name, f, ending: ending) }
        self.functions = functions
    }

    deinit { try? bridge.close() }

    /// Closes the files the program left open and the preopens (stdio stays open).
    public func close() throws { try bridge.close() }

    /// Defines every preview1 function under `wasi_snapshot_preview1` (replacing any there).
    public func define(into imports: inout Imports) {
        for (name, f) in functions { imports.define(module: Self.moduleName, name: name, .function(f)) }
    }

    /// The preview1 function names, for telling a module that imports something else.
    public var functionNames: [String] { functions.keys.sorted() }

    private static func function(_ name: String, _ f: WASIAdditions.HostFunction, ending: ProgramEnding) -> Function {
        let type = FuncType(params: f.type.parameters.map(WasmcSyntax.ValueType.init(wasmKit:)),
                            results: f.type.results.map(WasmcSyntax.ValueType.init(wasmKit:)))
        let pointers = GuestPointers.ranges[name] ?? []
        return Function(type: type, caller: { caller, args in
            try ending.check()
            let memory = caller?.exportedMemory
            guard GuestPointers.inBounds(pointers, args, length: memory?.byteCount ?? 0) else { return [.i32(efault)] }
            let view = GuestMemoryView(memory: memory)
            let results: [WasmTypes.Value]
            do {
                results = try f.implementation(view, args.map(\.wasmKit))
            } catch let exit as WASIExitCode {
                throw WASIExit(code: exit.code)
            }
            // A call that blocked (poll_oneoff, fd_read on stdin) while another thread ended
            // the program does not go back into wasm.
            try ending.check()
            if view.faults.happened, type.results == [.i32] { return [.i32(WASIHost.efault)] }
            return results.map(Value.init(wasmKit:))
        })
    }
}

/// The first way a program ended, from whichever thread: later ones are ignored.
final class ProgramEnding: Sendable {
    private let state = Mutex<Error?>(nil)

    /// Records `error` unless the program has already ended; true when this ended it.
    @discardableResult
    func record(_ error: Error) -> Bool {
        state.withLock { current in
            if current != nil { return false }
            current = error
            return true
        }
    }

    var current: Error? { state.withLock { $0 } }

    func check() throws {
        if let current { throw current }
    }
}
