/// The instance a host function was called from: the instance that imported it (a funcref
/// copied into another instance's table still names its importer). Lets host functions read
/// and write the caller's linear memory, as Wasmtime's and WasmKit's `Caller` do.
public struct Caller {
    let storage: InstanceStorage

    /// The calling instance (the same object the host created, while it is alive).
    public var instance: Instance { storage.instance ?? Instance(adopting: storage) }

    /// The caller's exported memory `name` (WASI's convention: "memory").
    public func memory(_ name: String = "memory") -> Memory? { instance.memory(name) }

    /// The caller's export `name`.
    public func export(_ name: String) -> Extern? { instance.export(name) }
}

/// What a host-call record points at: the function and the instance that imported it.
final class HostCallTarget {
    let function: Function
    /// The record holding this target belongs to the caller's storage, which keeps it alive.
    unowned(unsafe) let caller: InstanceStorage
    init(function: Function, caller: InstanceStorage) {
        self.function = function
        self.caller = caller
    }
}
