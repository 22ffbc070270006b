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

    public func grow(by pages: UInt64) -> UInt64? {
        let old = wasmc_memory_grow(object, pages)
        return old == UInt64.max ? nil : old
    }

    public func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        let def = definition
        let length = wasmc_memory_pages(object) * 65536
        guard count >= 0, offset <= length, UInt64(count) <= length - offset else { throw Trap(.memoryOutOfBounds) }
        return Array(UnsafeBufferPointer(start: def.pointee.base! + Int(offset), count: count))
    }

    public func write(_ bytes: [UInt8], at offset: UInt64) throws {
        let def = definition
        let length = wasmc_memory_pages(object) * 65536
        guard offset <= length, UInt64(bytes.count) <= length - offset else { throw Trap(.memoryOutOfBounds) }
        bytes.withUnsafeBufferPointer { src in
            guard let base = src.baseAddress, !src.isEmpty else { return }
            (def.pointee.base! + Int(offset)).update(from: base, count: src.count)
        }
    }
}
