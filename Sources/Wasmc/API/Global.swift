import WasmcRuntime

/// A global variable: a cell in an instance, or one the host created to import.
public final class Global: @unchecked Sendable {
    let cell: UnsafeMutablePointer<wasmc_value>
    /// The instance holding the cell; nil when this object allocated it.
    let owner: AnyObject?
    public let type: GlobalType
    let keepAlive = KeepAlive()

    public init(_ type: GlobalType, value: Value) throws {
        guard value.matches(type.valueType) else { throw WasmcError("value is not a \(type.valueType)") }
        cell = .allocate(capacity: 1)
        cell.pointee.i64 = 0
        owner = nil
        self.type = type
        try value.storeHeld(into: cell, type: type.valueType)
        if case .funcref(let f) = value { keepAlive.add(f?.owner) }
    }

    init(cell: UnsafeMutablePointer<wasmc_value>, type: GlobalType, owner: AnyObject) {
        self.cell = cell
        self.type = type
        self.owner = owner
    }

    deinit {
        guard owner == nil else { return }
        if type.valueType.heapType == .exn { try? Value.exnref(nil).storeHeld(into: cell, type: type.valueType) }
        cell.deallocate()
    }

    public var value: Value {
        guard type.valueType.heapType == .exn else { return Value.load(type.valueType, from: cell) }
        return withUnsafeMutablePointer(to: &cell.pointee.ref) { Value.loadHeld(type.valueType, from: $0) }
    }

    public func set(_ v: Value) throws {
        guard type.mutable else { throw WasmcError("global is immutable") }
        guard v.matches(type.valueType) else { throw WasmcError("value is not a \(type.valueType)") }
        if case .funcref(let f) = v { keepAlive.add(f?.owner) }
        try v.storeHeld(into: cell, type: type.valueType)
    }
}
