import WasmcSyntax

public struct DecodeOptions: Sendable {
    /// Decode a module whose code (and custom) sections were stripped, as embedded in a
    /// compiled .so: a missing code section is then not an error and `code` stays empty.
    public var metadataOnly: Bool = false
    /// Decode limits as the threads proposal does (flags 0–3, bit 1 = shared). Off: the plain
    /// 2.0 encoding (flag is a 1-bit LEB128), whose error wording the core spec tests expect
    /// (`binary.wast` and `threads/core-shared/binary.wast` disagree on identical bytes).
    public var threads: Bool = true
    /// `.wasm2`: 3.0's encodings are malformed, with 2.0's wording, as the 2.0 spec tests expect
    /// (exception handling: the tag section, tag imports and exports, exnref, throw,
    /// throw_ref, try_table); memory indices are 2.0's reserved zero bytes ("zero byte
    /// expected"), and limits and memarg offsets are 32-bit. `.wasm3` reads all of them.
    public var standard: CoreStandard = .wasm3

    public init(metadataOnly: Bool = false) {
        self.metadataOnly = metadataOnly
    }
    public init(metadataOnly: Bool = false, threads: Bool, standard: CoreStandard = .wasm3) {
        self.metadataOnly = metadataOnly
        self.threads = threads
        self.standard = standard
    }
}

public enum Decoder {
    /// Decodes a binary module (WebAssembly 2.0 plus threads). Throws `WasmError`.
    public static func decode(_ bytes: [UInt8], options: DecodeOptions = .init()) throws -> Module {
        try bytes.withUnsafeBufferPointer { buffer in
            var decoder = ModuleDecoder(Reader(buffer), options: options)
            return try decoder.decode()
        }
    }

    /// The module with every function body left undecoded: `code[j]` holds only `offset`
    /// (where body j starts; `decodeBody` decodes it). For compiling a large module one
    /// function at a time: the decoded bodies of the whole module take ~17× its size.
    /// Errors inside bodies, and "data count section required", show up only in `decodeBody`.
    public static func decodeDeferringBodies(_ bytes: [UInt8], options: DecodeOptions = .init()) throws -> Module {
        try bytes.withUnsafeBufferPointer { buffer in
            var decoder = ModuleDecoder(Reader(buffer), options: options)
            decoder.deferBodies = true
            return try decoder.decode()
        }
    }

    /// Body `j` of a module from `decodeDeferringBodies` (`offset`: its `code[j].offset`;
    /// `function`: its index in the function index space), and whether it uses
    /// memory.init or data.drop (which need a data count section).
    public static func decodeBody(_ bytes: [UInt8], offset: Int, function: UInt32,
                                  standard: CoreStandard = .wasm3) throws -> (FunctionBody, usesDataIndices: Bool) {
        try bytes.withUnsafeBufferPointer { buffer in
            var r = Reader(buffer)
            r.pos = offset
            r.function = function
            r.wasm2 = standard == .wasm2
            var decoder = BodyDecoder(standard: standard)
            let body = try decoder.decode(&r)
            return (body, decoder.usesDataIndices)
        }
    }
}

/// Section ids of the binary format (spec §5.5.2).
enum SectionID: UInt8 {
    case custom = 0, type, `import`, function, table, memory, global, export, start, element, code, data, dataCount
    case tag = 13

    /// Position in the required order: the data count section sits between element and code,
    /// the tag section (Wasm 3.0) between memory and global.
    var order: Int {
        switch self {
        case .custom: 0
        case .tag: 6
        case .global, .export, .start, .element: Int(rawValue) + 1
        case .dataCount: 11
        case .code: 12
        case .data: 13
        default: Int(rawValue)
        }
    }
}

struct ModuleDecoder {
    var r: Reader
    let options: DecodeOptions
    var module = Module()
    /// Set when a body uses memory.init or data.drop, which need a data count section.
    var usesDataIndices = false
    var sawCode = false
    var sawData = false
    /// `Decoder.decodeDeferringBodies`: bodies are skipped, only their offsets kept.
    var deferBodies = false

    init(_ reader: Reader, options: DecodeOptions) {
        self.r = reader
        self.r.wasm2 = options.standard == .wasm2
        self.options = options
    }

    mutating func decode() throws -> Module {
        let magic = try r.fixed32()
        guard magic == 0x6D73_6100 else { throw r.error("magic header not detected", at: 0) }
        let version = try r.fixed32()
        guard version == 1 else { throw r.error("unknown binary version", at: 4) }

        var lastOrder = 0
        while !r.atEnd {
            let idOffset = r.pos
            let idByte = try r.byte()
            guard let id = SectionID(rawValue: idByte), !(r.wasm2 && id == .tag) else {
                throw r.error("malformed section id", at: idOffset)
            }
            // A repeated or out-of-order section: the reference decoder stops at it and then
            // finds bytes left over.
            if id != .custom {
                guard id.order > lastOrder else {
                    throw r.error("unexpected content after last section", at: idOffset)
                }
                lastOrder = id.order
            }
            let size = try r.length()
            let start = r.pos
            try section(id, size: size)
            guard r.pos == start &+ size else { throw r.error("section size mismatch", at: start) }
        }

        let end = r.end
        if !(options.metadataOnly && !sawCode) {
            guard module.functions.count == module.code.count else {
                throw r.error("function and code section have inconsistent lengths", at: end)
            }
        }
        if let count = module.dataCount, Int(count) != module.data.count {
            throw r.error("data count and data section have inconsistent lengths", at: end)
        }
        if module.dataCount == nil && usesDataIndices {
            throw r.error("data count section required", at: end)
        }
        return module
    }

    mutating func section(_ id: SectionID, size: Int) throws {
        switch id {
        case .custom: try customSection(size: size)
        case .type: module.types = try r.vector { try $0.funcType() }
        case .import: module.imports = try r.vector { r in try r.importEntry(options) }
        case .function: module.functions = try r.vector { try $0.u32() }
        case .table:
            let tables = try r.vector { r in try r.tableDefinition(options) }
            module.tables = tables.map(\.0)
            module.tableInitializers = tables.map(\.1)
        case .memory: module.memories = try r.vector { r in try r.memoryType(options) }
        case .global: module.globals = try r.vector { try $0.global() }
        case .tag: module.tags = try r.vector { try $0.tagType() }
        case .export: module.exports = try r.vector { try $0.exportEntry() }
        case .start: module.start = try r.u32()
        case .element: module.elements = try r.vector { try $0.elementSegment() }
        case .dataCount: module.dataCount = try r.u32()
        case .code:
            sawCode = true
            try codeSection()
        case .data:
            sawData = true
            module.data = try r.vector { try $0.dataSegment() }
        }
    }

    /// A custom section: a name, then opaque bytes up to the section's end. The `name`
    /// section's function names are picked up when they parse; a broken one is ignored.
    mutating func customSection(size: Int) throws {
        let start = r.pos
        let name = try r.name()
        let used = r.pos &- start
        guard used <= size else { throw r.error(unexpectedEnd, at: start &+ size) }
        let payload = try r.take(size &- used)
        if name == "name" {
            if let names = parseFunctionNames(payload) { module.functionNames = names }
        }
        module.customSections.append(CustomSection(name: name, bytes: Array(payload)))
    }

    mutating func codeSection() throws {
        let count = try r.length()
        module.code.reserveCapacity(count)
        let firstIndex = UInt32(truncatingIfNeeded: module.importedFunctions.count)
        if deferBodies {
            for _ in 0..<count {
                let offset = r.pos
                let size = try r.length()
                _ = try r.take(size)
                module.code.append(FunctionBody(locals: [], instructions: [], offsets: [], offset: UInt32(truncatingIfNeeded: offset)))
            }
            return
        }
        var body = BodyDecoder(standard: options.standard)
        for i in 0..<count {
            r.function = firstIndex &+ UInt32(truncatingIfNeeded: i)
            module.code.append(try body.decode(&r))
            usesDataIndices = usesDataIndices || body.usesDataIndices
        }
        r.function = nil
    }
}
