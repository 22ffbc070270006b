// The state a script (or one of its threads) runs in: named instances, the `register`
// registry, the current module. A `(thread ...)` gets a fresh one (WAST-THREADS.md).
import Foundation
import Wasmc

/// What every script thread of one file shares.
final class FileContext: @unchecked Sendable {
    let report: FileReport
    let spectest: Spectest
    /// How this script's modules are compiled (which proposals' encodings are accepted).
    let options: CompileOptions
    init(report: FileReport, spectest: Spectest, options: CompileOptions = .init()) {
        self.report = report
        self.spectest = spectest
        self.options = options
    }
}

/// An instance that scripts may hand to other script threads. Instances are only shared by
/// `(shared (module $M))`, which the suite uses for modules that just export a shared memory.
struct SharedInstance: @unchecked Sendable {
    let instance: Instance
}

/// A failed import lookup, found before wasmc sees the module (spec wording "unknown import").
struct UnknownImport: Error, CustomStringConvertible {
    var module: String, name: String
    var description: String { "unknown import \(module).\(name)" }
}

final class ScriptContext {
    let file: FileContext
    var named: [String: Instance] = [:]
    var registry: [String: Instance] = [:]
    var current: Instance?
    /// Why the current module is unavailable when it was skipped (SIMD); commands on it skip too.
    var currentSkip: String?
    var namedSkip: [String: String] = [:]
    /// Registered names whose module was skipped: importing from them skips too.
    var registrySkip: [String: String] = [:]
    /// Line of the module that failed to load, so commands on it say why they cannot run.
    var currentFailedAt: Int?
    var namedFailedAt: [String: Int] = [:]
    /// Line of the command now running.
    var line = 0
    /// The command now running (where its text's parser errors are placed).
    var form: ScriptForm?
    var definitions: [String: CompiledModule] = [:]
    var lastDefinition: CompiledModule?
    var threads: [String: ScriptThread] = [:]

    init(file: FileContext) {
        self.file = file
    }

    func instance(named name: String?) throws -> Instance {
        if let name {
            if let reason = namedSkip[name] { throw Unsupported(reason: reason) }
            if let at = namedFailedAt[name] { throw ScriptError("module \(name) (line \(at)) did not load") }
            guard let i = named[name] else { throw ScriptError("unknown module \(name)") }
            return i
        }
        if let reason = currentSkip { throw Unsupported(reason: reason) }
        if let at = currentFailedAt { throw ScriptError("the module (line \(at)) did not load") }
        guard let i = current else { throw ScriptError("no current module") }
        return i
    }

    /// Recent instances' exports keyed by the names' bytes: Swift's `String ==` takes
    /// canonically equivalent names ("Å" as one or as two scalars) as equal, but wasm names
    /// are byte strings and names.wast exports both.
    private var exportCache: [(instance: Instance, byName: [[UInt8]: Extern])] = []
    /// Export tables of instances shared with script threads, resolved once before the thread
    /// starts: an `Instance` is not safe to query from several threads at once.
    private(set) var pinned: [(instance: Instance, byName: [[UInt8]: Extern])] = []

    func export(_ inst: Instance, _ name: String) -> Extern? {
        exportTable(inst)[Array(name.utf8)]
    }

    func exportTable(_ inst: Instance) -> [[UInt8]: Extern] {
        if let hit = pinned.first(where: { $0.instance === inst }) { return hit.byName }
        if let hit = exportCache.first(where: { $0.instance === inst }) { return hit.byName }
        var byName: [[UInt8]: Extern] = [:]
        for (n, e) in inst.exports { byName[Array(n.utf8)] = e }
        // A few entries are enough (commands mostly use the current module); keeping every
        // instance alive would keep every memory reservation alive too.
        if exportCache.count >= 8 { exportCache.removeFirst() }
        exportCache.append((inst, byName))
        return byName
    }

    /// Resolves `inst`'s exports for good, here and in `child`, which may run on another thread.
    func share(_ inst: Instance, with child: ScriptContext) {
        let table = exportTable(inst)
        if !pinned.contains(where: { $0.instance === inst }) { pinned.append((inst, table)) }
        child.pinned.append((inst, table))
    }

    /// Resolves the module's imports from `spectest` and the registry.
    func imports(for module: CompiledModule) throws -> Imports {
        var imports = Imports()
        for imp in module.module.imports {
            let value: Extern?
            if imp.module == "spectest" {
                value = file.spectest.externs[imp.name]
            } else {
                value = registry[imp.module].flatMap { export($0, imp.name) }
            }
            if value == nil, let reason = registrySkip[imp.module] { throw Unsupported(reason: reason) }
            guard let value else { throw UnknownImport(module: imp.module, name: imp.name) }
            imports.define(module: imp.module, name: imp.name, value)
        }
        return imports
    }

    func instantiate(_ module: CompiledModule) throws -> Instance {
        try Instance(module: module, imports: imports(for: module))
    }

    /// Waits for every thread not yet waited for (a script that forgot a `wait`).
    func joinAll() {
        for (_, t) in threads { t.join() }
        threads = [:]
    }
}

/// One `(thread $T ...)` block running on its own OS thread.
final class ScriptThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var joined = false

    /// Stack for script threads: generated code and deep (but legal) recursion need room.
    static let stackSize = 64 << 20

    init(_ body: @escaping @Sendable () -> Void) {
        let done = self.done
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = Self.stackSize
        thread.start()
    }

    func join() {
        guard !joined else { return }
        done.wait()
        joined = true
    }
}
