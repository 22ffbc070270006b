import WasmcSyntax

/// What every function's lowering needs to know about the module, computed once.
struct ModuleContext {
    let module: Module
    let options: LowerOptions
    /// Type index of every function in the function index space.
    let functionTypes: [UInt32]
    let importedFunctionCount: Int
    let globals: [GlobalType]
    let importedGlobalCount: Int
    /// Per type index: the first type index with an equal signature (C types are per canonical type).
    let canonicalType: [Int]
    /// Per memory index: slot in `owned_memories` for defined non-shared memories, else -1
    /// (not `[Int?]`: one array element type fewer for the runtime to instantiate).
    private let ownedSlots: [Int]
    let memories: [MemoryType]
    /// Bit K (K < 64): memory K's base may move (`baseMoves`).
    let movingBases: UInt64
    /// Bit K (K < 64): memory K is a defined non-shared 64-bit memory (its length can be cached).
    let ownedMemories64: UInt64
    let tables: [TableType]
    /// Type index of every tag (imports first).
    let tags: [UInt32]
    /// Per opcode, its numeric template (`Template`), for at least the opcodes lowered.
    let templates: [Template?]

    init(_ module: Module, options: LowerOptions, templates: [Template?]) {
        self.module = module
        self.options = options
        self.templates = templates
        functionTypes = module.allFunctionTypeIndices
        importedFunctionCount = module.importedFunctions.count
        globals = module.allGlobals
        importedGlobalCount = module.importedGlobals.count
        var canon: [Int] = []
        if module.types.count <= 64 {
            // Pairwise: a Dictionary's first use in a process costs a conformance lookup (~0.1 ms).
            for (i, t) in module.types.enumerated() {
                canon.append(module.types[..<i].firstIndex(of: t) ?? i)
            }
        } else {
            var firstOf: [FuncType: Int] = [:]
            for (i, t) in module.types.enumerated() {
                if let f = firstOf[t] { canon.append(f) } else { firstOf[t] = i; canon.append(i) }
            }
        }
        canonicalType = canon
        memories = module.allMemories
        var moving: UInt64 = 0
        for (i, m) in module.allMemories.prefix(64).enumerated() where Self.baseMoves(m) { moving |= 1 << UInt64(i) }
        movingBases = moving
        tables = module.allTables
        tags = module.allTagTypeIndices
        var slots = [Int](repeating: -1, count: module.importedMemories.count)
        var next = 0
        for m in module.memories {
            if m.shared { slots.append(-1) } else { slots.append(next); next += 1 }
        }
        ownedSlots = slots
        ownedMemoryCount = next
        var owned64: UInt64 = 0
        for (i, m) in module.allMemories.prefix(64).enumerated() where m.is64 && slots[i] >= 0 { owned64 |= 1 << UInt64(i) }
        ownedMemories64 = owned64
    }

    /// Slot in `owned_memories` of memory `i`, if it is a defined non-shared memory.
    func ownedMemorySlot(_ i: Int) -> Int? { ownedSlots[i] >= 0 ? ownedSlots[i] : nil }
    let ownedMemoryCount: Int

    func type(_ index: UInt32) -> FuncType { module.types[Int(index)] }

    /// C return type of functions of this type (a per-canonical-type tuple for several results).
    func returnType(_ typeIndex: UInt32) -> String {
        let t = type(typeIndex)
        switch t.results.count {
        case 0: return "void"
        case 1: return t.results[0].cType
        default: return "wasmc_res\(canonicalType[Int(typeIndex)])"
        }
    }
    /// Name of the function-pointer typedef for this type.
    func fnType(_ typeIndex: UInt32) -> String { "wasmc_fn\(canonicalType[Int(typeIndex)])" }

    /// Expression for memory `i`'s definition (a `wasmc_memory *`).
    func memoryDefinition(_ i: Int) -> String {
        if let s = ownedMemorySlot(i) { return "(&inst->owned_memories[\(s)])" }
        return "inst->memories[\(i)]"
    }
    /// Memory `i`'s current length in bytes: owned memories (never shared) by a plain read,
    /// others atomically (`wasmc_memory_length`, a prelude part the caller records).
    func memoryLength(_ i: Int) -> String {
        if let s = ownedMemorySlot(i) { return "inst->owned_memories[\(s)].current_length" }
        return "wasmc_memory_length(inst->memories[\(i)])"
    }
    /// Whether memory `i`'s base may move when it grows: a non-shared 64-bit memory whose
    /// maximum (or none) is over what the runtime reserves whole (wasmc_memory64_base_moves).
    /// A function caching such a base in `mK` reloads it after every call and `memory.grow`.
    func baseMoves(_ i: Int) -> Bool { Self.baseMoves(memories[i]) }
    static func baseMoves(_ m: MemoryType) -> Bool {
        m.is64 && !m.shared && (m.limits.max ?? .max) > ExprTree.reservation64Max / 65536
    }
    /// Base pointer initialiser: owned memories are read without the pointer indirection.
    func memoryBase(_ i: Int) -> String {
        if let s = ownedMemorySlot(i) { return "inst->owned_memories[\(s)].base" }
        return "inst->memories[\(i)]->base"
    }
}
