import WasmcRuntime

/// A linear memory: one owned by an instance, or created by the host (possibly shared, to
/// import into instances on several threads).
public final class Memory: @unchecked Sendable {
    let object: OpaquePointer
    /// The instance whose storage holds this memory's definition (owned memories).
    let owner: AnyObject?
    public let type: MemoryType

    /// A host-created memory. `limits.maxMemoryPages` caps it for every instance that imports
    /// it: over its minimum throws `ResourceLimitError`; growing past it fails (-1 in wasm).
    public init(_ type: MemoryType, limits: ResourceLimits = ResourceLimits()) throws {
        let range = type.is64 ? MemoryType.maxPages64 : MemoryType.maxPages
        guard type.limits.min <= range, (type.limits.max ?? 0) <= range else {
            throw WasmcError(type.is64 ? "memory size must be at most 2^48 pages" : "memory size must be at most 65536 pages (4 GiB)")
        }
        if type.shared && type.limits.max == nil { throw WasmcError("shared memory must have maximum") }
        self.object = try Memory.create(type, limits: limits, index: nil, definition: nil)
        self.owner = nil
        self.type = type
    }

    /// A view of an instance's memory object (retained for as long as this view lives).
    init(object: OpaquePointer, type: MemoryType, owner: AnyObject?) {
        wasmc_memory_retain(object)
        self.object = object
        self.owner = owner
        self.type = type
    }

    deinit { wasmc_memory_release(object) }

    /// Reserves a memory object whose size may never pass `limits`' cap.
    static func create(_ type: MemoryType, limits: ResourceLimits, index: Int?,
                       definition: UnsafeMutablePointer<wasmc_memory>?) throws -> OpaquePointer {
        // A 64-bit memory's minimum may be over the address space (128 TiB): a resource limit too.
        let limit = Swift.min(limits.maxMemoryPages ?? UInt64.max, wasmc_memory_reservable_pages(type.is64 ? 1 : 0))
        if type.limits.min > limit {
            throw ResourceLimitError(kind: .memory, index: index, requested: type.limits.min, limit: limit)
        }
        let cap = limits.memoryCap(type)
        let fixed = UInt64(WASMC_RESERVATION64_MAX) / 65536
        if type.is64 && type.shared && cap > fixed {
            // Its base can never move, so its maximum is reserved whole: 1 TiB at most.
            throw WasmcError("\(index.map { "memory \($0)" } ?? "memory"): a shared 64-bit memory's maximum of \(cap) pages is over the \(fixed) pages (1 TiB) wasmc can reserve for one; lower its maximum or set ResourceLimits.maxMemoryPages (wasmc run --max-memory-pages)")
        }
        guard let object = wasmc_memory_create(type.limits.min, cap, type.shared ? 1 : 0,
                                               type.is64 ? 1 : 0, definition) else {
            let failure = wasmc_memory_last_failure()
            if failure.reason == WASMC_MEMORY_FAILED_BUDGET.rawValue {
                throw AddressSpaceBudgetError(index: index, requested: failure.requested, reserved: failure.reserved,
                                              budget: failure.budget)
            }
            throw WasmcError(index.map { "cannot reserve memory \($0)" } ?? "cannot reserve memory")
        }
        return object
    }

    var definition: UnsafeMutablePointer<wasmc_memory> { wasmc_memory_definition(object) }

    public var pageCount: UInt64 { wasmc_memory_pages(object) }

    /// The type as import matching sees it: the current size as the minimum.
    var currentType: MemoryType {
        MemoryType(limits: Limits(min: pageCount, max: type.limits.max), shared: type.shared, address: type.address)
    }

    /// Grows by `pages`: the old size in pages, or nil when it cannot (`growOrThrow` says why).
    public func grow(by pages: UInt64) -> UInt64? { try? growOrThrow(by: pages) }

    /// Grows by `pages`: the old size in pages; throws `MemoryGrowError` saying why it cannot.
    /// A non-shared 64-bit memory whose maximum is over 1 TiB (or absent) moves to a larger
    /// reservation when it outgrows its own; that move is refused while another thread is
    /// inside a wasm call (`.inUseByAnotherThread`), whose code may hold the old base (such a
    /// memory is not meant to be used by two threads at once; grow it from the thread that
    /// runs it, or when no call is running).
    public func growOrThrow(by pages: UInt64) throws -> UInt64 {
        var why: UInt32 = 0
        let old = wasmc_memory_grow_why(object, pages, &why)
        guard old == UInt64.max else { return old }
        let reason: MemoryGrowError.Reason = switch why {
        case WASMC_GROW_IN_USE.rawValue: .inUseByAnotherThread
        case WASMC_GROW_NO_ADDRESS_SPACE.rawValue: .noAddressSpace
        default: .overMaximum
        }
        throw MemoryGrowError(reason: reason, pages: pages, current: pageCount, maximum: wasmc_memory_max_pages(object))
    }

    public func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard count >= 0 else { throw Trap(.memoryOutOfBounds) }
        var bytes = [UInt8](repeating: 0, count: count)
        let status = bytes.withUnsafeMutableBytes { wasmc_memory_host_copy(object, offset, $0.baseAddress, UInt64(count), 0) }
        guard status == 0 else { throw Trap(.memoryOutOfBounds) }
        return bytes
    }

    public func write(_ bytes: [UInt8], at offset: UInt64) throws {
        var copy = bytes
        let status = copy.withUnsafeMutableBytes { wasmc_memory_host_copy(object, offset, $0.baseAddress, UInt64(bytes.count), 1) }
        guard status == 0 else { throw Trap(.memoryOutOfBounds) }
    }
}

/// Why `Memory.growOrThrow` could not grow a memory.
public struct MemoryGrowError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Past the memory type's maximum or the resource limit's cap.
        case overMaximum
        /// The memory would have to move while another thread runs wasm code.
        case inUseByAnotherThread
        /// No address space for it: the budget (`AddressSpace.budget`) or the system refused.
        case noAddressSpace
    }
    public var reason: Reason
    /// The pages asked for, the size then (pages) and the most it may reach.
    public var pages: UInt64
    public var current: UInt64
    public var maximum: UInt64

    public var description: String {
        let what = "cannot grow memory of \(current) pages by \(pages)"
        switch reason {
        case .overMaximum:
            return "\(what): past its maximum of \(maximum) pages"
        case .inUseByAnotherThread:
            return "\(what): it would move to a larger reservation while another thread runs wasm code, which may "
                + "hold its old address (a non-shared 64-bit memory without a maximum of at most 1 TiB moves when it "
                + "outgrows its reservation); grow it from the thread that runs it, or when no call is running"
        case .noAddressSpace:
            return "\(what): no address space for it (wasmc's budget of \(AddressSpace.describe(AddressSpace.budget)), "
                + "\(AddressSpace.describe(AddressSpace.reserved)) reserved, or the system refused)"
        }
    }
}
