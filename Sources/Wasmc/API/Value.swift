import WasmcRuntime

/// A wasm value. Floats keep their NaN payload bits (compare with `.bitPattern`);
/// `externref(nil)` and `funcref(nil)` are null; a `v128` is its 16 bytes as two little-endian
/// halves (`V128.lo` holds bytes 0–7, lane 0 lowest).
public enum Value: Sendable, Hashable {
    case i32(UInt32)
    case i64(UInt64)
    case f32(Float)
    case f64(Double)
    case funcref(Function?)
    case externref(UInt?)
    /// A caught exception (Wasm 3.0), or null.
    case exnref(ExceptionReference?)
    case v128(V128)

    public var type: ValueType {
        switch self {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .funcref: .funcref
        case .externref: .externref
        case .exnref: .exnref
        case .v128: .v128
        }
    }

    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.i32(let x), .i32(let y)): x == y
        case (.i64(let x), .i64(let y)): x == y
        case (.f32(let x), .f32(let y)): x.bitPattern == y.bitPattern
        case (.f64(let x), .f64(let y)): x.bitPattern == y.bitPattern
        case (.funcref(let x), .funcref(let y)): x == y
        case (.externref(let x), .externref(let y)): x == y
        case (.exnref(let x), .exnref(let y)): x == y
        case (.v128(let x), .v128(let y)): x == y
        default: false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .i32(let x): h.combine(0); h.combine(x)
        case .i64(let x): h.combine(1); h.combine(x)
        case .f32(let x): h.combine(2); h.combine(x.bitPattern)
        case .f64(let x): h.combine(3); h.combine(x.bitPattern)
        case .funcref(let x): h.combine(4); h.combine(x)
        case .externref(let x): h.combine(5); h.combine(x)
        case .exnref(let x): h.combine(7); h.combine(x)
        case .v128(let x): h.combine(6); h.combine(x)
        }
    }

    /// The null reference of a reference type, zero of a numeric one.
    public static func defaultValue(_ type: ValueType) -> Value {
        switch type {
        case .i32: .i32(0)
        case .i64: .i64(0)
        case .f32: .f32(0)
        case .f64: .f64(0)
        case .ref(_, .exn): .exnref(nil)
        case .ref(_, let heap): heap.isFunc ? .funcref(nil) : .externref(nil)
        case .v128: .v128(V128(lo: 0, hi: 0))
        }
    }

    /// The value is of type `t` or a subtype: a function reference of a concrete type
    /// (`t` as the Swift API's objects hold it, with a process-wide type id) must be a
    /// function of that type, and null only where `t` is nullable.
    public func matches(_ t: ValueType) -> Bool {
        switch (self, t) {
        case (.funcref(let f), .ref(let nullable, let heap)) where heap.isFunc:
            guard let f else { return nullable }
            if case .type(let id) = heap { return TypeRegistry.shared.id(of: f.type) == id }
            return true
        case (.externref(let x), .ref(let nullable, .extern)):
            return x != nil || nullable
        default:
            return type == t
        }
    }
}

/// An exception reference that left wasm (a result, a global, a table element, a payload
/// value): the runtime's exception, held as a counted reference while this object lives
/// (docs/exceptions.md, lifetime). Equal when both refer to the same exception.
public final class ExceptionReference: @unchecked Sendable, Hashable {
    let address: UInt
    init(_ p: UnsafeMutableRawPointer) {
        wasmc_exception_retain(p.assumingMemoryBound(to: wasmc_exception.self))
        address = UInt(bitPattern: p)
    }
    deinit { wasmc_exception_release(pointer.assumingMemoryBound(to: wasmc_exception.self)) }
    var pointer: UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: address)! }
    public static func == (a: ExceptionReference, b: ExceptionReference) -> Bool { a.address == b.address }
    public func hash(into h: inout Hasher) { h.combine(address) }
}

// ---- The uniform representation (wasmc_value) ----------------------------------------------

/// externref n is stored as pointer n+1 so that `ref.extern 0` differs from null.
func externPointer(_ v: UInt?) -> UnsafeMutableRawPointer? {
    guard let v else { return nil }
    return UnsafeMutableRawPointer(bitPattern: v &+ 1)
}

func externValue(_ p: UnsafeMutableRawPointer?) -> UInt? {
    guard let p else { return nil }
    return UInt(bitPattern: p) &- 1
}

extension Value {
    /// Raw reference pointer for tables and globals; throws for a host function that no
    /// instance has imported (it has no native funcref yet).
    func rawReference() throws -> UnsafeMutableRawPointer? {
        switch self {
        case .funcref(let f):
            guard let f else { return nil }
            guard let p = f.funcref else {
                throw WasmcError("a host function must be imported into an instance before it is used as a funcref")
            }
            return UnsafeMutableRawPointer(p)
        case .externref(let x): return externPointer(x)
        case .exnref(let x): return x?.pointer
        default: throw WasmcError("\(type) is not a reference")
        }
    }

    func store(into slot: UnsafeMutablePointer<wasmc_value>) throws {
        switch self {
        case .i32(let x): slot.pointee.i64 = 0; slot.pointee.i32 = x
        case .i64(let x): slot.pointee.i64 = x
        case .f32(let x): slot.pointee.i64 = 0; slot.pointee.f32 = x
        case .f64(let x): slot.pointee.f64 = x
        case .funcref, .externref, .exnref: slot.pointee.ref = try rawReference()
        case .v128(let v): v.store(into: slot)
        }
    }

    /// Stores into a cell that lives on (a global's): an exnref there is a counted reference,
    /// the old one released.
    func storeHeld(into slot: UnsafeMutablePointer<wasmc_value>, type: ValueType) throws {
        guard type.heapType == .exn else { return try store(into: slot) }
        let p = try rawReference()
        withUnsafeMutablePointer(to: &slot.pointee.ref) {
            $0.withMemoryRebound(to: UnsafeMutablePointer<wasmc_exception>?.self, capacity: 1) {
                wasmc_exception_store($0, p?.assumingMemoryBound(to: wasmc_exception.self))
            }
        }
    }

    static func load(_ type: ValueType, from slot: UnsafePointer<wasmc_value>) -> Value {
        switch type {
        case .i32: .i32(slot.pointee.i32)
        case .i64: .i64(slot.pointee.i64)
        case .f32: .f32(slot.pointee.f32)
        case .f64: .f64(slot.pointee.f64)
        case .v128: .v128(V128(from: slot))
        case .ref: fromReference(type, slot.pointee.ref)
        }
    }

    /// Loads from a cell that lives on (a global's, a table element) and other threads may
    /// overwrite: an exnref there is read through the runtime (docs/exceptions.md, lifetime).
    static func loadHeld(_ type: ValueType, from slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> Value {
        guard type.heapType == .exn else { return fromReference(type, slot.pointee) }
        let p = slot.withMemoryRebound(to: UnsafeMutablePointer<wasmc_exception>?.self, capacity: 1) { wasmc_exception_load($0) }
        return fromReference(type, p.map(UnsafeMutableRawPointer.init))
    }

    static func fromReference(_ type: ValueType, _ p: UnsafeMutableRawPointer?) -> Value {
        switch type.heapType {
        case .exn?: .exnref(p.map(ExceptionReference.init))
        case let h? where h.isFunc: .funcref(Function.fromRaw(p))
        default: .externref(externValue(p))
        }
    }
}

extension V128 {
    /// Into `wasmc_value.v128`: the 16 bytes in memory order.
    func store(into slot: UnsafeMutablePointer<wasmc_value>) {
        UnsafeMutableRawPointer(slot).storeBytes(of: lo.littleEndian, toByteOffset: 0, as: UInt64.self)
        UnsafeMutableRawPointer(slot).storeBytes(of: hi.littleEndian, toByteOffset: 8, as: UInt64.self)
    }

    init(from slot: UnsafePointer<wasmc_value>) {
        let p = UnsafeRawPointer(slot)
        self.init(lo: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                  hi: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }
}
