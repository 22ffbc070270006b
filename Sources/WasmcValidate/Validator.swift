import Dispatch
import Foundation
import Synchronization
import WasmcSyntax

/// Validation of a decoded module: WebAssembly 2.0 (§3) plus the threads proposal, and of 3.0
/// what wasmc implements (`standard`: extended constant expressions).
public enum Validator {
    /// Throws `WasmError(.invalid, ...)` naming the first rule the module breaks, worded as the
    /// spec test suite words it; errors in code carry the function index and byte offset.
    public static func validate(_ module: Module, standard: CoreStandard = .wasm3) throws {
        let context = ModuleContext(module, standard: standard)
        try validateDeclarations(module, context)
        try validateCode(module, context)
        try validateStartAndExports(module, context)
    }

    /// Validation one function at a time, for a module whose bodies are decoded one at a time
    /// (`Decoder.decodeDeferringBodies`): `init` checks everything but the bodies, `validate`
    /// checks body `j`. Valid modules pass exactly when `validate(_:)` passes; an invalid one
    /// may fail at another of its errors than `validate(_:)` reports first.
    public struct Incremental: Sendable {
        let module: Module
        let context: ModuleContext
        var validator: FunctionValidator

        public init(_ module: Module, standard: CoreStandard = .wasm3) throws {
            self.module = module
            context = ModuleContext(module, standard: standard)
            try validateDeclarations(module, context)
            guard module.code.count == module.functions.count else {
                throw WasmError(.malformed, "function and code section have inconsistent lengths")
            }
            try validateStartAndExports(module, context)
            validator = FunctionValidator(context: context)
        }

        /// Validates `body` as the module's defined function `j`.
        public mutating func validate(_ body: FunctionBody, definedFunction j: Int) throws {
            try validator.validate(body, type: context.types[Int(module.functions[j])],
                                   index: UInt32(module.importedFunctions.count + j))
        }

        /// The same with a validator of its own: safe to call from several threads at once.
        public func validateConcurrently(_ body: FunctionBody, definedFunction j: Int) throws {
            var v = FunctionValidator(context: context)
            try v.validate(body, type: context.types[Int(module.functions[j])],
                           index: UInt32(module.importedFunctions.count + j))
        }
    }

    static func validateDeclarations(_ module: Module, _ c: ModuleContext) throws {
        for ti in module.functions + module.importedFunctions where Int(ti) >= c.types.count {
            throw WasmError(.invalid, "unknown type \(ti)")
        }
        // Without recursion groups a type may refer only to the types before it.
        for (i, t) in c.types.enumerated() {
            for v in t.params + t.results { try c.checkValueType(v, what: "type \(i)", limit: i) }
        }
        for (i, g) in c.globals.enumerated() { try c.checkValueType(g.valueType, what: "global \(i)") }
        for (i, t) in c.tables.enumerated() {
            try c.checkValueType(t.elementType, what: "table \(i)")
            try validateTableType(t, what: "table \(i)")
        }
        // A table of a non-nullable type needs an initialiser; the initialiser fits the type.
        let importedTables = module.importedTables.count
        for (k, t) in module.tables.enumerated() {
            let i = importedTables + k
            if let e = k < module.tableInitializers.count ? module.tableInitializers[k] : nil {
                try c.validateConstant(e, type: t.elementType, globalsBefore: c.importedGlobalCount, what: "initialiser of table \(i)")
            } else if !t.elementType.isDefaultable {
                throw WasmError(.invalid, "type mismatch: table \(i) of non-nullable \(t.elementType) needs an initialiser")
            }
        }
        for (i, m) in c.memories.enumerated() { try validateMemoryType(m, what: "memory \(i)") }
        if c.memories.count > 1 && !c.standard.multiMemory { throw WasmError(.invalid, "multiple memories") }
        for (i, t) in c.tags.enumerated() {
            guard Int(t) < c.types.count else { throw WasmError(.invalid, "unknown type \(t) (tag \(i))") }
            if !c.types[Int(t)].results.isEmpty { throw WasmError(.invalid, "non-empty tag result type (tag \(i))") }
        }
        for (i, g) in module.globals.enumerated() {
            // An initialiser may read only the globals before its own.
            try c.validateConstant(g.initializer, type: g.type.valueType, globalsBefore: c.importedGlobalCount + i,
                                   what: "initialiser of global \(c.importedGlobalCount + i)")
        }
        for (i, seg) in module.elements.enumerated() {
            guard seg.type.isReference else { throw WasmError(.malformed, "element segment \(i) has non-reference type \(seg.type)") }
            try c.checkValueType(seg.type, what: "element segment \(i)")
            for item in seg.items { try c.validateConstant(item, type: seg.type, what: "element segment \(i) item") }
            if case .active(let table, let offset) = seg.mode {
                guard Int(table) < c.tables.count else { throw WasmError(.invalid, "unknown table \(table) in element segment \(i)") }
                try c.validateConstant(offset, type: c.tables[Int(table)].address.valueType, what: "offset of element segment \(i)")
                let t = c.tables[Int(table)].elementType
                if !c.matches(seg.type, t) {
                    throw WasmError(.invalid, "type mismatch: element segment \(i) of \(seg.type) in a table of \(t)")
                }
            }
        }
        for (i, seg) in module.data.enumerated() {
            if case .active(let memory, let offset) = seg.mode {
                guard Int(memory) < c.memories.count else { throw WasmError(.invalid, "unknown memory \(memory) in data segment \(i)") }
                try c.validateConstant(offset, type: c.memories[Int(memory)].address.valueType, what: "offset of data segment \(i)")
            }
        }
    }

    static func validateTableType(_ t: TableType, what: String) throws {
        guard t.elementType.isReference else { throw WasmError(.malformed, "\(what) has non-reference type \(t.elementType)") }
        if t.is64 {
            try validateLimits(t.limits, range: UInt64.max, "table size must be at most 2^64-1", what: what)
        } else {
            try validateLimits(t.limits, range: UInt64(UInt32.max), "table size must be at most 2^32-1", what: what)
        }
    }

    static func validateMemoryType(_ m: MemoryType, what: String) throws {
        if m.is64 {
            try validateLimits(m.limits, range: MemoryType.maxPages64, "memory size must be at most 2^48 pages", what: what)
        } else {
            try validateLimits(m.limits, range: MemoryType.maxPages, "memory size must be at most 65536 pages (4GiB)", what: what)
        }
        if m.shared && m.limits.max == nil { throw WasmError(.invalid, "shared memory must have maximum (\(what))") }
    }

    /// Messages start with the suite's wording; `what` names the table or memory after it.
    static func validateLimits(_ l: Limits, range: UInt64, _ tooLarge: String, what: String) throws {
        if l.min > range || (l.max ?? 0) > range { throw WasmError(.invalid, "\(tooLarge) (\(what))") }
        if let max = l.max, l.min > max {
            throw WasmError(.invalid, "size minimum must not be greater than maximum (\(what): \(l.min) > \(max))")
        }
    }

    static func validateCode(_ module: Module, _ c: ModuleContext) throws {
        guard module.code.count == module.functions.count else {
            throw WasmError(.malformed, "function and code section have inconsistent lengths")
        }
        let count = module.code.count
        // (activeProcessorCount reads cgroup files: only asked when there is work to share.)
        let shares = count / minimumFunctionsPerWorker
        let workers = shares > 1 ? min(ProcessInfo.processInfo.activeProcessorCount, shares) : shares
        guard workers > 1 else {
            try validateFunctions(0..<count, module, c)
            return
        }
        // Contiguous chunks, each stopping at its own first error: the error reported is then
        // that of the lowest-numbered invalid function, as in a sequential run.
        let errors = Mutex<[Int: Error]>([:])
        let chunk = (count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let range = (w * chunk)..<min(count, (w + 1) * chunk)
            do { try validateFunctions(range, module, c) } catch {
                errors.withLock { $0[w] = error }
            }
        }
        if let first = errors.withLock({ $0.min { $0.key < $1.key } }) { throw first.value }
    }

    /// Below this many functions per core, threads cost more than they save.
    static let minimumFunctionsPerWorker = 64

    /// Validates the defined functions in `range` (indices into `module.code`).
    static func validateFunctions(_ range: Range<Int>, _ module: Module, _ c: ModuleContext) throws {
        let firstDefined = module.importedFunctions.count
        var validator = FunctionValidator(context: c)
        for i in range {
            // Type indices were checked in validateDeclarations.
            try validator.validate(module.code[i], type: c.types[Int(module.functions[i])], index: UInt32(firstDefined + i))
        }
    }

    static func validateStartAndExports(_ module: Module, _ c: ModuleContext) throws {
        if let start = module.start {
            guard Int(start) < c.functions.count else { throw WasmError(.invalid, "unknown function \(start) (start)") }
            let t = c.types[Int(c.functions[Int(start)])]
            if !t.params.isEmpty || !t.results.isEmpty {
                throw WasmError(.invalid, "start function must have type [] -> [], has \(t)")
            }
        }
        // Compared as bytes: Swift's String equality would merge canonically equivalent names
        // ("\u{C5}" and "A\u{30A}"), which wasm treats as distinct.
        // Few exports: compared pairwise (a Set's first use in a process costs more than that).
        var names = Set<[UInt8]>()
        var seen: [[UInt8]] = []
        let pairwise = module.exports.count <= 32
        for e in module.exports {
            let count = switch e.kind {
            case .function: c.functions.count
            case .table: c.tables.count
            case .memory: c.memories.count
            case .global: c.globals.count
            case .tag: c.tags.count
            }
            guard Int(e.index) < count else { throw WasmError(.invalid, "unknown \(e.kind.name) \(e.index) (export \"\(e.name)\")") }
            let name = Array(e.name.utf8)
            let duplicate = pairwise ? seen.contains(name) : !names.insert(name).inserted
            guard !duplicate else { throw WasmError(.invalid, "duplicate export name \"\(e.name)\"") }
            if pairwise { seen.append(name) }
        }
    }
}

extension ExternalKind {
    /// The noun the spec test suite uses in "unknown ..." messages.
    var name: String {
        switch self {
        case .function: "function"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        }
    }
}
