import Synchronization
import WasmcRuntime

/// The instance a host function was called from: the instance that imported it (a funcref
/// copied into another instance's table still names its importer). Lets host functions read
/// and write the caller's linear memory, as Wasmtime's and WasmKit's `Caller` do.
public struct Caller {
    let storage: InstanceStorage
    /// The record the call came through: caches what the caller's export "memory" is.
    let target: HostCallTarget?

    /// The calling instance (the same object the host created, while it is alive).
    public var instance: Instance { storage.instance ?? Instance(adopting: storage) }

    /// The caller's exported memory `name` (WASI's convention: "memory").
    public func memory(_ name: String = "memory") -> Memory? { instance.memory(name) }

    /// The caller's export `name`.
    public func export(_ name: String) -> Extern? { instance.export(name) }
}

extension Caller {
    /// The caller's export "memory" as raw pointers, for host code on the hot path (WASI):
    /// no `Instance` or `Memory` object is made. Valid while the caller's instance lives.
    var exportedMemory: LinearMemory? {
        guard let target else { return storage.exportedMemory() }
        return target.exportedMemory.withLock { cached in
            if let cached { return cached }
            let found = storage.exportedMemory()
            cached = .some(found)
            return found
        }
    }
}

/// A linear memory by its runtime pointers (definition: base; object: size).
struct LinearMemory: @unchecked Sendable {
    let definition: UnsafeMutablePointer<wasmc_memory>
    let object: OpaquePointer

    var base: UnsafeMutableRawPointer? { definition.pointee.base.map(UnsafeMutableRawPointer.init) }
    var byteCount: UInt64 { wasmc_memory_pages(object) * 65536 }
}

extension InstanceStorage {
    /// The memory exported as "memory", if any (exports never change: callers may cache it).
    func exportedMemory() -> LinearMemory? {
        guard let e = module.module.exports.first(where: { $0.kind == .memory && $0.name == "memory" }),
              let definition = memories[Int(e.index)], let object = memoryObjectSlots[Int(e.index)] else { return nil }
        return LinearMemory(definition: definition, object: object)
    }
}

/// What a host-call record points at: the function and the instance that imported it.
final class HostCallTarget: @unchecked Sendable {
    let function: Function
    /// The record holding this target belongs to the caller's storage, which keeps it alive.
    unowned(unsafe) let caller: InstanceStorage
    let exportedMemory = Mutex<LinearMemory??>(nil)
    init(function: Function, caller: InstanceStorage) {
        self.function = function
        self.caller = caller
    }
}
