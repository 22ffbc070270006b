// The decoded module (spec §2.5). Produced by WasmcDecode, checked by WasmcValidate,
// consumed by WasmcLower and by the loader, which decodes the same shape back out of a
// compiled .so's descriptor.

public enum ImportDescriptor: Sendable, Hashable {
    case function(typeIndex: UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    /// An exception tag (Wasm 3.0) of function type `typeIndex` (its parameters are the payload).
    case tag(typeIndex: UInt32)

    public var kind: ExternalKind {
        switch self {
        case .function: .function
        case .table: .table
        case .memory: .memory
        case .global: .global
        case .tag: .tag
        }
    }
}

public struct Import: Sendable, Hashable {
    public var module: String
    public var name: String
    public var descriptor: ImportDescriptor
    public init(module: String, name: String, descriptor: ImportDescriptor) {
        self.module = module
        self.name = name
        self.descriptor = descriptor
    }
}

public struct Export: Sendable, Hashable {
    public var name: String
    public var kind: ExternalKind
    public var index: UInt32
    public init(name: String, kind: ExternalKind, index: UInt32) {
        self.name = name
        self.kind = kind
        self.index = index
    }
}

/// A constant expression (global initialisers, segment offsets, element items), without its `end`.
public struct ConstExpr: Sendable, Hashable {
    public var instructions: [Instruction]
    public init(_ instructions: [Instruction]) { self.instructions = instructions }
}

public struct Global: Sendable, Hashable {
    public var type: GlobalType
    public var initializer: ConstExpr
    public init(type: GlobalType, initializer: ConstExpr) {
        self.type = type
        self.initializer = initializer
    }
}

public enum ElementMode: Sendable, Hashable {
    case passive
    case active(table: UInt32, offset: ConstExpr)
    case declarative
}

public struct ElementSegment: Sendable, Hashable {
    public var type: ValueType
    /// Each item is a constant expression; the `funcidx*` encodings become `ref.func` items.
    public var items: [ConstExpr]
    public var mode: ElementMode
    public init(type: ValueType, items: [ConstExpr], mode: ElementMode) {
        self.type = type
        self.items = items
        self.mode = mode
    }
}

public enum DataMode: Sendable, Hashable {
    case passive
    case active(memory: UInt32, offset: ConstExpr)
}

public struct DataSegment: Sendable, Hashable {
    public var mode: DataMode
    public var bytes: [UInt8]
    public init(mode: DataMode, bytes: [UInt8]) {
        self.mode = mode
        self.bytes = bytes
    }
}

/// Run-length local declarations as in the binary format: `count` locals of `type`.
public struct LocalDecl: Sendable, Hashable {
    public var count: UInt32
    public var type: ValueType
    public init(count: UInt32, type: ValueType) {
        self.count = count
        self.type = type
    }
}

public struct FunctionBody: Sendable, Hashable {
    public var locals: [LocalDecl]
    /// The body's instructions, the final `end` included.
    public var instructions: [Instruction]
    /// Byte offset in the module of each instruction, parallel to `instructions`, for error messages.
    public var offsets: [UInt32]
    /// Byte offset of the body (its size field) in the module.
    public var offset: UInt32
    public init(locals: [LocalDecl], instructions: [Instruction], offsets: [UInt32], offset: UInt32) {
        self.locals = locals
        self.instructions = instructions
        self.offsets = offsets
        self.offset = offset
    }
}

public struct CustomSection: Sendable, Hashable {
    public var name: String
    public var bytes: [UInt8]
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

public struct Module: Sendable, Hashable {
    public var types: [FuncType] = []
    public var imports: [Import] = []
    /// Type index of each defined (non-imported) function.
    public var functions: [UInt32] = []
    public var tables: [TableType] = []
    /// The initialiser of each defined table's elements (3.0), parallel to `tables`; nil: null.
    public var tableInitializers: [ConstExpr?] = []
    public var memories: [MemoryType] = []
    public var globals: [Global] = []
    /// Type index of each defined exception tag (tag section, Wasm 3.0).
    public var tags: [UInt32] = []
    public var exports: [Export] = []
    public var start: UInt32?
    public var elements: [ElementSegment] = []
    public var dataCount: UInt32?
    public var data: [DataSegment] = []
    /// Bodies of the defined functions, parallel to `functions`.
    public var code: [FunctionBody] = []
    /// Function names from the `name` custom section, by function index (debug only: never trusted).
    public var functionNames: [UInt32: String] = [:]
    public var customSections: [CustomSection] = []

    public init() {}

    // Index spaces: imports come first (spec §2.5.1).
    public var importedFunctions: [UInt32] {
        imports.compactMap { if case .function(let t) = $0.descriptor { t } else { nil } }
    }
    public var importedTables: [TableType] {
        imports.compactMap { if case .table(let t) = $0.descriptor { t } else { nil } }
    }
    public var importedMemories: [MemoryType] {
        imports.compactMap { if case .memory(let t) = $0.descriptor { t } else { nil } }
    }
    public var importedGlobals: [GlobalType] {
        imports.compactMap { if case .global(let t) = $0.descriptor { t } else { nil } }
    }
    public var importedTags: [UInt32] {
        imports.compactMap { if case .tag(let t) = $0.descriptor { t } else { nil } }
    }
    /// Type index of every tag in the tag index space.
    public var allTagTypeIndices: [UInt32] { importedTags + tags }
    /// Type index of every function in the function index space.
    public var allFunctionTypeIndices: [UInt32] { importedFunctions + functions }
    public var allTables: [TableType] { importedTables + tables }
    public var allMemories: [MemoryType] { importedMemories + memories }
    public var allGlobals: [GlobalType] { importedGlobals + globals.map(\.type) }
}
