/// Import matching (spec §4.5.3 "external types" and §3.3 "import subtyping").
enum Linker {
    /// The extern for each of a module's imports (`wanted`), in import order.
    /// Types are compared as process-wide ids (`typeIDs`: the module's, by type index), so
    /// a reference to a function type matches the same type of another module.
    /// (The module's import list, not the whole `Module`: a copy of that retains every field.)
    static func resolve(_ wanted: [Import], typeIDs: [UInt32], _ imports: Imports) throws -> [Extern] {
        func canonical(_ t: ValueType) -> ValueType { TypeRegistry.canonical(t, typeIDs) }
        return try wanted.map { imp in
            guard let ext = imports.lookup(module: imp.module, name: imp.name) else {
                throw LinkError("unknown import \(imp.module).\(imp.name)")
            }
            // Built when thrown only: every instantiation passes here once per import.
            var incompatible: LinkError { LinkError("incompatible import type \(imp.module).\(imp.name)") }
            switch (imp.descriptor, ext) {
            case (.function(let t), .function(let f)):
                guard Int(t) < typeIDs.count, typeIDs[Int(t)] == TypeRegistry.shared.id(of: f.type) else { throw incompatible }
            case (.table(let expected), .table(let table)):
                guard canonical(expected.elementType) == table.type.elementType, expected.address == table.type.address,
                      limitsMatch(table.currentType.limits, expected.limits) else { throw incompatible }
            case (.memory(let expected), .memory(let memory)):
                guard expected.shared == memory.type.shared, expected.address == memory.type.address,
                      limitsMatch(memory.currentType.limits, expected.limits) else { throw incompatible }
            case (.global(let expected), .global(let global)):
                // Immutable: the actual type may be a subtype; mutable: the same type.
                let want = canonical(expected.valueType), have = global.type.valueType
                guard expected.mutable == global.type.mutable,
                      want == have || (!expected.mutable && subtype(have, want)) else { throw incompatible }
            case (.tag(let t), .tag(let tag)):
                // Tag types must be equal (spec 3.0 §4.5.2: matching is both ways for tags).
                guard Int(t) < typeIDs.count, typeIDs[Int(t)] == tag.raw.pointee.type_id else { throw incompatible }
            default:
                throw incompatible
            }
            return ext
        }
    }

    /// Reference subtyping between canonical types (ids: equal types have one id).
    static func subtype(_ a: ValueType, _ b: ValueType) -> Bool {
        guard case .ref(let na, let ha) = a, case .ref(let nb, let hb) = b, !na || nb else { return a == b }
        if ha == hb { return true }
        if case .type = ha, hb == .func { return true }
        return false
    }

    static func limitsMatch(_ actual: Limits, _ expected: Limits) -> Bool {
        guard actual.min >= expected.min else { return false }
        guard let emax = expected.max else { return true }
        guard let amax = actual.max else { return false }
        return amax <= emax
    }
}
