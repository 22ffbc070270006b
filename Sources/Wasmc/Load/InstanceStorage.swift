import Foundation
import WasmcRuntime

/// The native instance (`instance_size` bytes laid out by the generated code) and everything
/// it points at. Funcrefs, owned memory definitions and global cells live inside it, so
/// whatever hands those out (Function, Memory, Global) retains this object.
final class InstanceStorage: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    let module: CompiledModule
    let limits: ResourceLimits
    /// Its `word` is what generated code polls; retained as long as this instance.
    let interrupts: InterruptHandle
    /// Retained memory objects, one per memory index.
    var memoryObjects: [OpaquePointer] = []
    /// Memories that can move (a non-shared 64-bit one outgrowing its reservation) which code
    /// run by a call into this instance may use: each call marks itself as their user
    /// (wasmc_memory_enter), so a grow on another thread does not move them under it.
    var movingMemories: [OpaquePointer] = []
    /// One per table index (imported or defined).
    var tables: [Table] = []
    /// Imported externs, kept alive as long as this instance.
    var imports: [AnyObject] = []
    var hostRecords: [UnsafeMutablePointer<wasmc_host_function>] = []
    var hostTargets: [HostCallTarget] = []
    /// The `Instance` the host holds for this storage, handed to host functions as their caller.
    weak var instance: Instance?
    var buffers: [UnsafeMutableRawPointer] = []
    /// One per tag index (imported or defined), held as long as this instance.
    var tags: [Tag] = []
    private var registered = false

    init(module: CompiledModule, limits: ResourceLimits, interrupts: InterruptHandle) throws {
        self.module = module
        self.limits = limits
        self.interrupts = interrupts
        let size = max(Int(module.descriptor.instance_size), MemoryLayout<wasmc_instance>.size)
        var p: UnsafeMutableRawPointer?
        guard posix_memalign(&p, 16, size) == 0, let p else { throw WasmcError("out of memory") }
        memset(p, 0, size)
        raw = p
        raw.assumingMemoryBound(to: wasmc_instance.self).pointee.host = Unmanaged.passUnretained(self).toOpaque()
        interrupts.add(header)
    }

    deinit {
        interrupts.remove(header)
        if registered { InstanceRegistry.shared.remove(start: UnsafeMutableRawPointer(funcs)) }
        for (k, g) in module.module.globals.enumerated() where g.type.valueType.heapType == .exn {
            wasmc_exception_release(definedGlobals[k].ref?.assumingMemoryBound(to: wasmc_exception.self))
        }
        for m in memoryObjects { wasmc_memory_release(m) }
        for r in hostRecords { r.deallocate() }
        for b in buffers { free(b) }
        free(raw)
    }

    /// Makes funcref pointers into this instance resolvable back to it.
    func register(functionCount: Int) {
        InstanceRegistry.shared.add(start: UnsafeMutableRawPointer(funcs),
                                    bytes: max(functionCount, 1) * MemoryLayout<wasmc_funcref>.stride, owner: self)
        registered = true
    }

    var header: UnsafeMutablePointer<wasmc_instance> { raw.assumingMemoryBound(to: wasmc_instance.self) }

    private func field<T>(_ offset: UInt32, _: T.Type) -> UnsafeMutablePointer<T> {
        (raw + Int(offset)).assumingMemoryBound(to: T.self)
    }

    private var d: wasmc_descriptor { module.descriptor }
    var memories: UnsafeMutablePointer<UnsafeMutablePointer<wasmc_memory>?> { field(d.off_memories, UnsafeMutablePointer<wasmc_memory>?.self) }
    var ownedMemories: UnsafeMutablePointer<wasmc_memory> { field(d.off_owned_memories, wasmc_memory.self) }
    var memoryObjectSlots: UnsafeMutablePointer<OpaquePointer?> { field(d.off_memory_objects, OpaquePointer?.self) }
    var tableSlots: UnsafeMutablePointer<UnsafeMutablePointer<wasmc_table>?> { field(d.off_tables, UnsafeMutablePointer<wasmc_table>?.self) }
    var globals: UnsafeMutablePointer<UnsafeMutablePointer<wasmc_value>?> { field(d.off_globals, UnsafeMutablePointer<wasmc_value>?.self) }
    var definedGlobals: UnsafeMutablePointer<wasmc_value> { field(d.off_defined_globals, wasmc_value.self) }
    var funcs: UnsafeMutablePointer<wasmc_funcref> { field(d.off_funcs, wasmc_funcref.self) }
    var typeIDs: UnsafeMutablePointer<UInt32> { field(d.off_type_ids, UInt32.self) }
    var dataSegments: UnsafeMutablePointer<UnsafePointer<UInt8>?> { field(d.off_data_segments, UnsafePointer<UInt8>?.self) }
    var dataSizes: UnsafeMutablePointer<UInt32> { field(d.off_data_sizes, UInt32.self) }
    var elemSegments: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutableRawPointer?>?> { field(d.off_elem_segments, UnsafeMutablePointer<UnsafeMutableRawPointer?>?.self) }
    var elemSizes: UnsafeMutablePointer<UInt32> { field(d.off_elem_sizes, UInt32.self) }
    /// Only in a module with tags (`off_tags` is 0 otherwise).
    var tagSlots: UnsafeMutablePointer<UnsafePointer<wasmc_tag>?> { field(d.off_tags, UnsafePointer<wasmc_tag>?.self) }

    /// A buffer freed with this instance.
    func allocate(bytes: Int) throws -> UnsafeMutableRawPointer {
        guard let p = malloc(max(bytes, 1)) else { throw WasmcError("out of memory") }
        buffers.append(p)
        return p
    }

    /// Calls function `index` of this instance's function space with `args`.
    func invoke(function index: Int, type: FuncType, _ args: [Value]) throws -> [Value] {
        let f = funcs + index
        let count = max(type.params.count, type.results.count, 1)
        let buffer = UnsafeMutablePointer<wasmc_value>.allocate(capacity: count)
        defer { buffer.deallocate() }
        for (i, a) in args.enumerated() { try a.store(into: buffer + i) }
        let code = try usingMovingMemories {
            wasmc_invoke_with_stack(f.pointee.array_call, f.pointee.code, f.pointee.ctx, buffer, limits.stackBytes)
        }
        if code != 0 { throw HostCalls.error(forTrap: code) }
        return type.results.enumerated().map { Value.load($0.element, from: buffer + $0.offset) }
    }

    /// Runs `call` marked as a user of this instance's moving memories (nothing to do for most
    /// instances, which have none).
    func usingMovingMemories<T>(_ call: () -> T) throws -> T {
        guard !movingMemories.isEmpty else { return call() }
        var entered = 0
        defer { for m in movingMemories.prefix(entered) { wasmc_memory_leave(m) } }
        for m in movingMemories {
            guard wasmc_memory_enter(m) == 0 else { throw WasmcError("out of memory") }
            entered += 1
        }
        return call()
    }
}
