// Spec types (WebAssembly 3.0 §2.3 without GC's composite types, plus the threads proposal's
// shared memories). Exception tags are function types (their parameters the payload).

/// A heap type (spec 3.0 §2.3.4): the abstract `func` and `extern` (and `exn`), or a concrete
/// function type by its index in the module's type section. Outside one module (the loader's
/// registry, the Swift API's objects) a concrete index is a process-wide canonical type id.
public enum HeapType: Sendable, Hashable, CustomStringConvertible {
    case `func`, extern, exn
    case type(UInt32)

    /// Whether values of this heap type are function references (`func` or a function type).
    public var isFunc: Bool {
        switch self {
        case .func, .type: true
        case .extern, .exn: false
        }
    }

    public var description: String {
        switch self {
        case .func: "func"
        case .extern: "extern"
        case .exn: "exn"
        case .type(let i): "\(i)"
        }
    }
}

/// A value type. `funcref` and `externref` are 2.0's names for `(ref null func)` and
/// `(ref null extern)`: one representation, so equal types compare equal.
public enum ValueType: Sendable, Hashable, CustomStringConvertible {
    case i32, i64, f32, f64, v128
    case ref(nullable: Bool, heap: HeapType)

    public static let funcref = ValueType.ref(nullable: true, heap: .func)
    public static let externref = ValueType.ref(nullable: true, heap: .extern)
    public static let exnref = ValueType.ref(nullable: true, heap: .exn)

    public var isReference: Bool {
        if case .ref = self { return true }
        return false
    }
    public var isNumeric: Bool { !isReference && self != .v128 }

    /// The heap type of a reference type.
    public var heapType: HeapType? {
        if case .ref(_, let h) = self { return h }
        return nil
    }

    /// The binary encoding (spec 3.0 §5.3): one byte, or 0x64/0x63 and the heap type (a type
    /// index as a signed LEB128).
    public var encoding: [UInt8] {
        switch self {
        case .i32: return [0x7F]
        case .i64: return [0x7E]
        case .f32: return [0x7D]
        case .f64: return [0x7C]
        case .v128: return [0x7B]
        case .ref(true, .func): return [0x70]
        case .ref(true, .extern): return [0x6F]
        case .ref(true, .exn): return [0x69]
        case .ref(let nullable, let heap):
            let prefix: UInt8 = nullable ? 0x63 : 0x64
            switch heap {
            case .func: return [prefix, 0x70]
            case .extern: return [prefix, 0x6F]
            case .exn: return [prefix, 0x69]
            case .type(var i):
                var out = [prefix]
                repeat {
                    let b = UInt8(i & 0x7F)
                    i >>= 7
                    // s33: a last byte with bit 6 set would read as negative.
                    let done = i == 0 && b & 0x40 == 0
                    out.append(done ? b : b | 0x80)
                    if done { break }
                } while true
                return out
            }
        }
    }

    /// A local of this type needs no initial value (spec 3.0 §3.2.6, "defaultable").
    public var isDefaultable: Bool {
        if case .ref(let nullable, _) = self { return nullable }
        return true
    }

    public var description: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .ref(true, .func): "funcref"
        case .ref(true, .extern): "externref"
        case .ref(true, .exn): "exnref"
        case .ref(let nullable, let heap): nullable ? "(ref null \(heap))" : "(ref \(heap))"
        }
    }
}

public struct FuncType: Sendable, Hashable, CustomStringConvertible {
    public var params: [ValueType]
    public var results: [ValueType]
    public init(params: [ValueType], results: [ValueType]) {
        self.params = params
        self.results = results
    }
    public var description: String {
        "(\(params.map(\.description).joined(separator: " "))) -> (\(results.map(\.description).joined(separator: " ")))"
    }

    /// The same type with each concrete heap type's index replaced by `f` of it.
    public func mapHeapTypes(_ f: (UInt32) -> UInt32) -> FuncType {
        func map(_ t: ValueType) -> ValueType {
            if case .ref(let n, .type(let i)) = t { return .ref(nullable: n, heap: .type(f(i))) }
            return t
        }
        return FuncType(params: params.map(map), results: results.map(map))
    }

    /// Whether any parameter or result is a reference to a concrete type.
    public var hasConcreteReferences: Bool {
        (params + results).contains { if case .ref(_, .type) = $0 { true } else { false } }
    }
}

/// `min` and optional `max`, in pages (memories) or elements (tables).
public struct Limits: Sendable, Hashable {
    public var min: UInt64
    public var max: UInt64?
    public init(min: UInt64, max: UInt64? = nil) {
        self.min = min
        self.max = max
    }
}

/// A memory's or table's address type (Wasm 3.0 `addrtype`): the type of the addresses,
/// indices and sizes its instructions take and return.
public enum AddressType: Sendable, Hashable {
    case i32, i64
    public var valueType: ValueType { self == .i32 ? .i32 : .i64 }
}

public struct MemoryType: Sendable, Hashable {
    public var limits: Limits
    public var shared: Bool
    public var address: AddressType
    public init(limits: Limits, shared: Bool = false, address: AddressType = .i32) {
        self.limits = limits
        self.shared = shared
        self.address = address
    }
    public var is64: Bool { address == .i64 }
    public static let pageSize: UInt64 = 65536
    /// 2^16 pages: the whole 32-bit address space.
    public static let maxPages: UInt64 = 65536
    /// 2^48 pages: the whole 64-bit address space.
    public static let maxPages64: UInt64 = 1 << 48
}

public struct TableType: Sendable, Hashable {
    public var elementType: ValueType
    public var limits: Limits
    public var address: AddressType
    public init(elementType: ValueType, limits: Limits, address: AddressType = .i32) {
        self.elementType = elementType
        self.limits = limits
        self.address = address
    }
    public var is64: Bool { address == .i64 }
}

public struct GlobalType: Sendable, Hashable {
    public var valueType: ValueType
    public var mutable: Bool
    public init(valueType: ValueType, mutable: Bool) {
        self.valueType = valueType
        self.mutable = mutable
    }
}

public enum ExternalKind: UInt8, Sendable, Hashable, CustomStringConvertible {
    case function = 0, table = 1, memory = 2, global = 3, tag = 4
    public var description: String {
        switch self {
        case .function: "func"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        }
    }
}

public enum BlockType: Sendable, Hashable {
    case empty
    case value(ValueType)
    case type(UInt32)
}
