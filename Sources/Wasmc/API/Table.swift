import WasmcRuntime

/// A table of references. Holds strong references to the instances whose functions it may
/// contain (host `set`s, and instances that import it and may store their own funcrefs).
public final class Table: @unchecked Sendable {
    let table: UnsafeMutablePointer<wasmc_table>
    public let type: TableType
    let keepAlive = KeepAlive()

    /// A host-created table. `limits.maxTableElements` (default 10,000,000) caps it for every
    /// instance that imports it: over its minimum throws `ResourceLimitError`; growing past it
    /// fails (-1 in wasm).
    public convenience init(_ type: TableType, initial: Value, limits: ResourceLimits = ResourceLimits()) throws {
        try self.init(type, initial: initial, limits: limits, index: nil)
    }

    init(_ type: TableType, initial: Value, limits: ResourceLimits, index: Int?) throws {
        guard initial.matches(type.elementType) else { throw WasmcError("initial value is not a \(type.elementType)") }
        let min = type.limits.min
        guard min <= UInt64(UInt32.max) else { throw WasmcError("table too large") }
        if let max = type.limits.max, min > max { throw WasmcError("table minimum \(min) is over its maximum \(max)") }
        let limit = limits.maxTableElements ?? ResourceLimits.defaultMaxTableElements
        if min > limit { throw ResourceLimitError(kind: .table, index: index, requested: min, limit: limit) }
        let raw = try initial.rawReference()
        guard let t = wasmc_table_create(UInt32(min), UInt32(limits.tableCap(type)), Self.elementTypeByte(type.elementType), raw) else {
            throw WasmcError(index.map { "cannot allocate table \($0)" } ?? "cannot allocate table")
        }
        self.table = t
        self.type = type
        if case .funcref(let f) = initial { keepAlive.add(f?.owner) }
    }

    deinit { wasmc_table_destroy(table) }

    /// The runtime's element kind: exnref tables count their references.
    private static func elementTypeByte(_ t: ValueType) -> UInt32 {
        t.heapType?.isFunc == true ? 0x70 : t.heapType == .exn ? 0x69 : 0x6F
    }

    public var size: UInt32 { wasmc_table_length(table) }

    var currentType: TableType {
        TableType(elementType: type.elementType, limits: Limits(min: UInt64(size), max: type.limits.max), address: type.address)
    }

    public func get(_ i: UInt32) throws -> Value {
        guard i < wasmc_table_length(table) else { throw Trap(.tableOutOfBounds) }
        return Value.loadHeld(type.elementType, from: table.pointee.elements + Int(i))
    }

    public func set(_ i: UInt32, _ v: Value) throws {
        guard v.matches(type.elementType) else { throw WasmcError("value is not a \(type.elementType)") }
        guard i < wasmc_table_length(table) else { throw Trap(.tableOutOfBounds) }
        let raw = try v.rawReference()
        if case .funcref(let f) = v { keepAlive.add(f?.owner) }
        if type.elementType.heapType == .exn {
            (table.pointee.elements + Int(i)).withMemoryRebound(to: UnsafeMutablePointer<wasmc_exception>?.self, capacity: 1) {
                wasmc_exception_store($0, raw?.assumingMemoryBound(to: wasmc_exception.self))
            }
            return
        }
        table.pointee.elements[Int(i)] = raw
    }

    public func grow(by delta: UInt32, initial: Value) -> UInt32? {
        guard initial.matches(type.elementType), let raw = try? initial.rawReference() else { return nil }
        if case .funcref(let f) = initial { keepAlive.add(f?.owner) }
        let old = wasmc_table_grow_host(table, raw, delta)
        return old == UInt32.max ? nil : old
    }
}
