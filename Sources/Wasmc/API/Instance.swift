import Synchronization
import WasmcRuntime

/// An instantiated module. Use one instance per thread (its stack limit is per call chain);
/// share memories between threads by importing one shared `Memory` into several instances.
public final class Instance {
    public let module: CompiledModule
    /// What this instance's memories, tables and calls may take.
    public var limits: ResourceLimits { storage.limits }
    let storage: InstanceStorage
    /// By UTF-8 bytes: names are byte strings. Locked: threads may look up the exports of one
    /// instance at once (e.g. to import its shared memory into their own instances).
    private let exportCache = Mutex<[[UInt8]: Extern]>([:])

    /// Stops code running in this instance from other threads (`interrupts.interrupt()`).
    public var interrupts: InterruptHandle { storage.interrupts }

    /// Throws `LinkError` when imports don't match, `ResourceLimitError` when a memory or
    /// table the module defines is over `limits` at its minimum size, `Trap` when a segment is
    /// out of bounds or the start function traps. `interrupts`: a handle shared with other
    /// instances, to interrupt them together (nil: a handle of its own).
    public init(module: CompiledModule, imports: Imports = Imports(), limits: ResourceLimits = ResourceLimits(),
                interrupts: InterruptHandle? = nil) throws {
        self.module = module
        let externs = try Linker.resolve(module.module.imports, typeIDs: module.typeIDs, imports)
        storage = try InstanceStorage(module: module, limits: limits, interrupts: interrupts ?? InterruptHandle())
        storage.instance = self
        try storage.instantiate(imports: externs)
    }

    /// A new object for an instance whose host object is gone (a `Caller`'s instance).
    init(adopting storage: InstanceStorage) {
        self.module = storage.module
        self.storage = storage
        storage.instance = self
    }

    public var exports: [(name: String, value: Extern)] {
        module.module.exports.compactMap { e in export(e.name).map { (e.name, $0) } }
    }

    public func export(_ name: String) -> Extern? {
        let key = Array(name.utf8)
        if let cached = exportCache.withLock({ $0[key] }) { return cached }
        guard let e = module.module.exports.first(where: { $0.name.utf8.elementsEqual(key) }) else { return nil }
        return exportCache.withLock { cache in
            // Another thread may have made it meanwhile: one object per export.
            if let cached = cache[key] { return cached }
            let value = makeExtern(e)
            cache[key] = value
            return value
        }
    }

    private func makeExtern(_ e: Export) -> Extern {
        let m = module.module
        let i = Int(e.index)
        switch e.kind {
        case .function:
            let importedCount = m.importedFunctions.count
            if i < importedCount, let f = importedExtern(kind: .function, index: i), case .function(let fn) = f {
                return .function(fn)
            }
            let type = TypeRegistry.shared.type(of: module.typeIDs[Int(m.allFunctionTypeIndices[i])])
            return .function(Function(type: type, funcref: storage.funcs + i, owner: storage))
        case .memory:
            if let ext = importedExtern(kind: .memory, index: i) { return ext }
            let obj = storage.memoryObjects[i]
            return .memory(Memory(object: obj, type: m.allMemories[i], owner: storage))
        case .table:
            let table = storage.tables[i]
            // The table may hold this instance's funcrefs after the host lets go of it.
            if i >= m.importedTables.count { table.keepAlive.add(storage) }
            return .table(table)
        case .global:
            if let ext = importedExtern(kind: .global, index: i) { return ext }
            var type = m.allGlobals[i]
            type.valueType = TypeRegistry.canonical(type.valueType, module.typeIDs)
            return .global(Global(cell: storage.globals[i]!, type: type, owner: storage))
        case .tag:
            return .tag(storage.tags[i])
        }
    }

    /// The extern this instance imported as the `index`-th import of `kind`, if it is one.
    private func importedExtern(kind: ExternalKind, index: Int) -> Extern? {
        var k = 0
        for (imp, obj) in zip(module.module.imports, storage.imports) where imp.descriptor.kind == kind {
            defer { k += 1 }
            guard k == index else { continue }
            switch obj {
            case let f as Function: return .function(f)
            case let m as Memory: return .memory(m)
            case let t as Table: return .table(t)
            case let g as Global: return .global(g)
            case let t as Tag: return .tag(t)
            default: return nil
            }
        }
        return nil
    }

    public func function(_ name: String) -> Function? {
        if case .function(let f)? = export(name) { return f }
        return nil
    }
    public func memory(_ name: String) -> Memory? {
        if case .memory(let m)? = export(name) { return m }
        return nil
    }
    public func global(_ name: String) -> Global? {
        if case .global(let g)? = export(name) { return g }
        return nil
    }
    public func table(_ name: String) -> Table? {
        if case .table(let t)? = export(name) { return t }
        return nil
    }
    /// An exported exception tag: compare a `WasmException`'s `tag` with it, or throw one of it.
    public func tag(_ name: String) -> Tag? {
        if case .tag(let t)? = export(name) { return t }
        return nil
    }

    /// Calls an exported function. Throws `Trap`, `WasmcError` (no such export, wrong
    /// arguments), or the error a host function threw.
    public func call(_ name: String, _ args: [Value] = []) throws -> [Value] {
        guard let f = function(name) else { throw WasmcError("no exported function named \"\(name)\"") }
        return try f.call(args)
    }
}
