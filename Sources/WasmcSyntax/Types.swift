// Spec types (WebAssembly 2.0 §2.3 plus the threads proposal's shared memories).

public enum ValueType: UInt8, Sendable, Hashable, CustomStringConvertible {
    case i32 = 0x7F, i64 = 0x7E, f32 = 0x7D, f64 = 0x7C, v128 = 0x7B
    case funcref = 0x70, externref = 0x6F

    public var isReference: Bool { self == .funcref || self == .externref }
    public var isNumeric: Bool { !isReference && self != .v128 }

    public var description: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .funcref: "funcref"
        case .externref: "externref"
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
    case function = 0, table = 1, memory = 2, global = 3
    public var description: String {
        switch self {
        case .function: "func"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        }
    }
}

public enum BlockType: Sendable, Hashable {
    case empty
    case value(ValueType)
    case type(UInt32)
}
