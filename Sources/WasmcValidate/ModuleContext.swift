import WasmcSyntax

/// The validation context C of the spec (§3.1.1), built once per module and shared, read-only,
/// by every function's validation (so functions can be checked independently, even in parallel).
final class ModuleContext: Sendable {
    let types: [FuncType]
    /// Type index of every function in the function index space (imports first).
    let functions: [UInt32]
    let tables: [TableType]
    let memories: [MemoryType]
    /// A memory or table has address type i64: signatures of instructions on them need retyping.
    let hasAddress64: Bool
    let globals: [GlobalType]
    /// Type index of every tag in the tag index space (imports first; Wasm 3.0).
    let tags: [UInt32]
    /// How many globals are imported: 2.0's constant expressions may only read those.
    let importedGlobalCount: Int
    let standard: CoreStandard
    let elementTypes: [ValueType]
    /// C.datas: the data count section's value when present, else the data section's length.
    let dataCount: Int
    /// C.refs: functions referenced outside function bodies, which `ref.func` may name.
    let declaredFunctions: FunctionIndexSet
    /// For each type index, the least index of a type equal to it (spec 3.0 §3.1.3: without
    /// recursion groups, types are equal when their structures are, with type indices inside
    /// compared the same way). Two concrete heap types are equal when these are.
    let canonicalTypes: [UInt32]

    init(_ module: Module, standard: CoreStandard = .wasm3) {
        self.standard = standard
        types = module.types
        functions = module.allFunctionTypeIndices
        tables = module.allTables
        memories = module.allMemories
        hasAddress64 = memories.contains { $0.is64 } || tables.contains { $0.is64 }
        globals = module.allGlobals
        tags = module.allTagTypeIndices
        importedGlobalCount = module.importedGlobals.count
        elementTypes = module.elements.map(\.type)
        dataCount = module.dataCount.map { Int($0) } ?? module.data.count
        declaredFunctions = ModuleContext.references(in: module)
        canonicalTypes = ModuleContext.canonicalIndices(module.types)
    }

    /// `canonicalTypes`: each type with the indices inside it replaced by their canonical
    /// ones, then looked up among the types before it. (Forward references are invalid, and
    /// reported by `validateTypes`; here they are left as they are.)
    static func canonicalIndices(_ types: [FuncType]) -> [UInt32] {
        var canonical: [UInt32] = []
        canonical.reserveCapacity(types.count)
        // Few types: searched in a list (a Dictionary keyed by FuncType costs a protocol
        // conformance lookup on first use, as much as validating a small module).
        let small = types.count <= 32
        var list: [(FuncType, UInt32)] = []
        var firstOf: [FuncType: UInt32] = [:]
        for (i, t) in types.enumerated() {
            let c = t.hasConcreteReferences ? t.mapHeapTypes { j in j < canonical.count ? canonical[Int(j)] : j } : t
            if let k = small ? list.first(where: { $0.0 == c })?.1 : firstOf[c] {
                canonical.append(k)
            } else if small {
                list.append((c, UInt32(i)))
                canonical.append(UInt32(i))
            } else {
                firstOf[c] = UInt32(i)
                canonical.append(UInt32(i))
            }
        }
        return canonical
    }

    /// `a` matches `b` (spec 3.0 §3.3.1, subtyping without GC): equal, or references whose
    /// nullability and heap types fit (a function type's heap type is below `func`).
    func matches(_ a: ValueType, _ b: ValueType) -> Bool {
        if a == b { return true }
        guard case .ref(let na, let ha) = a, case .ref(let nb, let hb) = b, !na || nb else { return false }
        return matches(ha, hb)
    }

    func matches(_ a: HeapType, _ b: HeapType) -> Bool {
        switch (a, b) {
        case (.type, .func): return true
        case (.type(let x), .type(let y)):
            return Int(x) < canonicalTypes.count && Int(y) < canonicalTypes.count && canonicalTypes[Int(x)] == canonicalTypes[Int(y)]
        default: return a == b
        }
    }

    func matches(_ a: [ValueType], _ b: [ValueType]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { matches($0, $1) }
    }

    /// A concrete heap type names a type of the module (before `limit`, in the type section).
    func checkValueType(_ t: ValueType, what: String, limit: Int? = nil) throws {
        if case .ref(_, .type(let i)) = t, Int(i) >= (limit ?? types.count) {
            throw WasmError(.invalid, "unknown type \(i) (\(what))")
        }
    }

    /// Function indices in exports, global initialisers and element segments (spec §3.4.10, C.refs).
    private static func references(in module: Module) -> FunctionIndexSet {
        var refs = FunctionIndexSet()
        func scan(_ e: ConstExpr) {
            for ins in e.instructions where ins.opcode.info.kind == .special(.refFunc) {
                if case .index(let f) = ins.immediate { refs.insert(f) }
            }
        }
        for g in module.globals { scan(g.initializer) }
        for seg in module.elements {
            seg.items.forEach(scan)
            if case .active(_, let offset) = seg.mode { scan(offset) }
        }
        for seg in module.data {
            if case .active(_, let offset) = seg.mode { scan(offset) }
        }
        for e in module.exports where e.kind == .function { refs.insert(e.index) }
        refs.seal()
        return refs
    }

    /// The function type of function `index`, if both the function and its type exist.
    func functionType(_ index: UInt32) -> FuncType? {
        guard Int(index) < functions.count else { return nil }
        let t = Int(functions[Int(index)])
        return t < types.count ? types[t] : nil
    }
}

/// A set of function indices as a sorted array: a `Set<UInt32>` costs a protocol-conformance
/// lookup the first time a process uses it (~0.2 ms, as much as validating a small module).
struct FunctionIndexSet: Sendable {
    private var indices: [UInt32] = []
    mutating func insert(_ i: UInt32) { indices.append(i) }
    /// Sorts and deduplicates once all indices are in.
    mutating func seal() {
        indices.sort()
        var out: [UInt32] = []
        out.reserveCapacity(indices.count)
        for i in indices where out.last != i { out.append(i) }
        indices = out
    }
    func contains(_ i: UInt32) -> Bool {
        var lo = 0, hi = indices.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if indices[mid] < i { lo = mid + 1 } else { hi = mid }
        }
        return lo < indices.count && indices[lo] == i
    }
}
