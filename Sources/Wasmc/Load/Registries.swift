import Foundation
import Synchronization

/// Process-wide canonical ids of function types, so `call_indirect` compares one integer and
/// funcrefs from different modules agree.
final class TypeRegistry: @unchecked Sendable {
    static let shared = TypeRegistry()
    private let lock = NSLock()
    /// Filled once there are more than `linearLimit` types: a Dictionary keyed by FuncType costs
    /// a protocol-conformance lookup on first use (~0.2 ms, a tenth of compiling a small module).
    private var ids: [FuncType: UInt32] = [:]
    private var types: [FuncType] = []
    private static let linearLimit = 32

    func id(of type: FuncType) -> UInt32 {
        lock.lock()
        defer { lock.unlock() }
        if types.count <= Self.linearLimit {
            if let i = types.firstIndex(of: type) { return UInt32(i) }
        } else if let id = ids[type] {
            return id
        }
        let id = UInt32(types.count)
        types.append(type)
        if types.count > Self.linearLimit {
            if ids.isEmpty {
                for (i, t) in types.enumerated() { ids[t] = UInt32(i) }
            } else {
                ids[type] = id
            }
        }
        return id
    }

    /// The ids of a module's types, in order. A type's references to earlier types of the
    /// module become references to their ids first, so equal types of different modules get
    /// one id (spec 3.0 §3.1.3; without recursion groups a type names only earlier ones).
    func ids(of types: [FuncType]) -> [UInt32] {
        var ids: [UInt32] = []
        ids.reserveCapacity(types.count)
        for t in types {
            ids.append(id(of: t.hasConcreteReferences ? t.mapHeapTypes { j in j < ids.count ? ids[Int(j)] : j } : t))
        }
        return ids
    }

    /// A value type of a module with its concrete heap type as a process-wide id.
    static func canonical(_ t: ValueType, _ ids: [UInt32]) -> ValueType {
        if case .ref(let n, .type(let i)) = t, Int(i) < ids.count { return .ref(nullable: n, heap: .type(ids[Int(i)])) }
        return t
    }

    func type(of id: UInt32) -> FuncType {
        lock.lock()
        defer { lock.unlock() }
        return types[Int(id)]
    }
}

/// Live instances by the address range of their `funcs` arrays, so a funcref pointer that
/// comes out of wasm finds the instance to keep alive.
final class InstanceRegistry: @unchecked Sendable {
    static let shared = InstanceRegistry()
    private struct Entry {
        var end: UInt
        weak var owner: AnyObject?
    }
    private let lock = NSLock()
    /// By start address: removing one is O(1) whatever the order instances go in (an array
    /// searched and shifted made dropping n instances O(n²), each shift moving weak references).
    private var entries: [UInt: Entry] = [:]

    func add(start: UnsafeMutableRawPointer, bytes: Int, owner: AnyObject) {
        lock.lock()
        defer { lock.unlock() }
        let s = UInt(bitPattern: start)
        entries[s] = Entry(end: s + UInt(bytes), owner: owner)
    }

    func remove(start: UnsafeMutableRawPointer) {
        lock.lock()
        defer { lock.unlock() }
        entries[UInt(bitPattern: start)] = nil
    }

    /// Live instances' ranges are disjoint (each its own allocation): at most one holds `p`.
    func owner(of p: UnsafeMutableRawPointer) -> AnyObject? {
        let a = UInt(bitPattern: p)
        lock.lock()
        defer { lock.unlock() }
        for (start, e) in entries where a >= start && a < e.end { return e.owner }
        return nil
    }
}

/// Objects to keep alive, shared across threads. Every table and global has one, so every
/// instance makes some: a Mutex is stored inline, where an NSLock is one more object.
final class KeepAlive: @unchecked Sendable {
    private let lock = Mutex(())
    private var objects: [ObjectIdentifier: AnyObject] = [:]
    func add(_ object: AnyObject?) {
        guard let object else { return }
        lock.withLock { _ in objects[ObjectIdentifier(object)] = object }
    }
}
