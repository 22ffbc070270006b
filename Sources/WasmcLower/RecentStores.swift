/// The narrow (under 16 bytes) stores to memory 0 that the -O tier lowered since the innermost
/// enclosing loop's header, in program order, loops that ended since included. A `v128.load`
/// that may read bytes one of them wrote is printed as two 8-byte loads
/// (`wasmc_v128_load_split`): the CPU cannot forward a narrower store to a wider load and waits
/// for the store to reach the cache, while each 8-byte half is forwarded (benchmarks/TCC-SHAPE.md,
/// nbody). Either form reads the same bytes and traps the same way, so this only chooses the
/// faster one; a load with no such store stays one 16-byte load.
struct RecentStores {
    enum Base: Equatable {
        /// Offsets are absolute addresses.
        case constant
        /// Offsets are from this local's value, unchanged since the store.
        case local(UInt32)
        /// Anything else: may be anywhere.
        case unknown
    }

    struct Store {
        var base: Base
        var lo: UInt64
        var hi: UInt64
    }

    /// More stores than this in one loop body become one `.unknown` entry.
    static let limit = 32
    private(set) var stores: [Store] = []
    private var outer: [[Store]] = []

    mutating func enterLoop() {
        outer.append(stores)
        stores.removeAll()
    }

    /// The stores of the body precede what follows the loop.
    mutating func leaveLoop() {
        guard let saved = outer.popLast() else { return }
        stores = saved + stores
        capped()
    }

    mutating func stored(_ base: Base, offset: UInt64, bytes: Int) {
        stores.append(Store(base: base, lo: offset, hi: offset + UInt64(bytes)))
        capped()
    }

    /// `local.set`/`local.tee` of `local`: its earlier stores are now at unknown addresses.
    mutating func reassigned(_ local: UInt32) {
        for i in stores.indices where stores[i].base == .local(local) { stores[i].base = .unknown }
    }

    /// Whether bytes [offset, offset + bytes) from `base` may have been written by a recent store.
    func mayOverlap(_ base: Base, offset: UInt64, bytes: Int) -> Bool {
        stores.contains { s in
            guard s.base == base, base != .unknown else { return true }
            return s.lo < offset + UInt64(bytes) && offset < s.hi
        }
    }

    private mutating func capped() {
        if stores.count > Self.limit { stores = [Store(base: .unknown, lo: 0, hi: 0)] }
    }
}
