import WasmcSyntax

/// The validation context C of the spec (§3.1.1), built once per module and shared, read-only,
/// by every function's validation (so functions can be checked independently, even in parallel).
final class ModuleContext: Sendable {
    let types: [FuncType]
    /// Type index of every function in the function index space (imports first).
    let functions: [UInt32]
    let tables: [TableType]
    let memories: [MemoryType]
    let globals: [GlobalType]
    /// How many globals are imported: constant expressions may only read those (spec 2.0).
    let importedGlobalCount: Int
    let elementTypes: [ValueType]
    /// C.datas: the data count section's value when present, else the data section's length.
    let dataCount: Int
    /// C.refs: functions referenced outside function bodies, which `ref.func` may name.
    let declaredFunctions: Set<UInt32>

    init(_ module: Module) {
        types = module.types
        functions = module.allFunctionTypeIndices
        tables = module.allTables
        memories = module.allMemories
        globals = module.allGlobals
        importedGlobalCount = module.importedGlobals.count
        elementTypes = module.elements.map(\.type)
        dataCount = module.dataCount.map { Int($0) } ?? module.data.count
        declaredFunctions = ModuleContext.references(in: module)
    }

    /// Function indices in exports, global initialisers and element segments (spec §3.4.10, C.refs).
    private static func references(in module: Module) -> Set<UInt32> {
        var refs = Set<UInt32>()
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
        return refs
    }

    /// The function type of function `index`, if both the function and its type exist.
    func functionType(_ index: UInt32) -> FuncType? {
        guard Int(index) < functions.count else { return nil }
        let t = Int(functions[Int(index)])
        return t < types.count ? types[t] : nil
    }
}
