/// Caps on what an instance may take, set by the embedder when instantiating (Wasmtime's
/// `StoreLimits` in spirit). A limit only ever lowers what the module's own types allow:
///
/// - A memory or table the module defines whose minimum is over its cap fails instantiation
///   with a `ResourceLimitError` naming it and both numbers.
/// - Growing past a cap fails the way the spec lets growth fail: `memory.grow` and
///   `table.grow` return -1 (no trap), `Memory.grow` / `Table.grow` return nil.
/// - The caps belong to the memory or table object: imported ones keep the limits they were
///   created with (`Memory(_:limits:)`, `Table(_:initial:limits:)`, or their defining
///   instance's), whichever instance grows them. Unlike Wasmtime, shared memories are capped too.
/// - `maxStackBytes` is measured from the outermost call into wasm on a thread; nested calls
///   (wasm → host → wasm) share that call's limit, whatever their instances' settings.
public struct ResourceLimits: Sendable, Hashable {
    /// Most pages (64 KiB each) any memory may have; nil: only the memory type's maximum
    /// applies (32-bit memories: at most 65,536 pages, 4 GiB; 64-bit ones: at most 2^31 pages,
    /// the 128 TiB of x86-64 user address space). It also bounds what a shared 64-bit memory
    /// reserves, which must fit in 1 TiB (docs/memory64.md).
    public var maxMemoryPages: UInt64?
    /// Most elements any table may have; nil: `defaultMaxTableElements`.
    public var maxTableElements: UInt64?
    /// Most bytes of native stack wasm code may use below the call that enters it, before
    /// "call stack exhausted"; nil: the thread's whole stack less a reserve for host code
    /// and the runtime (an eighth of the stack, between 128 KiB and 1 MiB); 0 or less counts as
    /// nil. A larger value than the thread has gets the thread's limit.
    public var maxStackBytes: Int?

    /// The table size wasmc never passes unless told to (a table of 10 million elements takes
    /// 80 MB).
    public static let defaultMaxTableElements: UInt64 = 10_000_000

    public init(maxMemoryPages: UInt64? = nil, maxTableElements: UInt64? = nil, maxStackBytes: Int? = nil) {
        self.maxMemoryPages = maxMemoryPages
        self.maxTableElements = maxTableElements
        self.maxStackBytes = maxStackBytes
    }

    /// The largest size a memory of `type` may reach under these limits.
    func memoryCap(_ type: MemoryType) -> UInt64 {
        let range = type.is64 ? MemoryType.maxPages64 : MemoryType.maxPages
        return Swift.min(type.limits.max ?? range, maxMemoryPages ?? range, range)
    }

    /// The largest size a table of `type` may reach under these limits.
    func tableCap(_ type: TableType) -> UInt64 {
        Swift.min(type.limits.max ?? UInt64(UInt32.max), maxTableElements ?? Self.defaultMaxTableElements, UInt64(UInt32.max))
    }

    /// The stack budget for wasmc_invoke_with_stack (0: the thread's limit).
    var stackBytes: Int { Swift.max(maxStackBytes ?? 0, 0) }
}

/// A memory or table whose minimum size is over a `ResourceLimits` cap.
public struct ResourceLimitError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case memory, table }
    public var kind: Kind
    /// Index in the module's memory or table index space; nil for a host-created one.
    public var index: Int?
    /// The minimum the type asks for (pages or elements).
    public var requested: UInt64
    /// The cap it is over.
    public var limit: UInt64

    public init(kind: Kind, index: Int?, requested: UInt64, limit: UInt64) {
        self.kind = kind
        self.index = index
        self.requested = requested
        self.limit = limit
    }

    /// "memory 0: minimum size of 100 pages exceeds the limit of 16 pages".
    public var description: String {
        func count(_ n: UInt64) -> String { "\(n) \(kind == .memory ? "page" : "element")\(n == 1 ? "" : "s")" }
        let what = index.map { "\(kind.rawValue) \($0)" } ?? kind.rawValue
        return "\(what): minimum size of \(count(requested)) exceeds the limit of \(count(limit))"
    }
}
