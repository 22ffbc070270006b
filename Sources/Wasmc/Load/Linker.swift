/// Import matching (spec §4.5.3 "external types" and §3.3 "import subtyping").
enum Linker {
    /// The extern for each import of `module`, in import order.
    static func resolve(_ module: Module, _ imports: Imports) throws -> [Extern] {
        try module.imports.map { imp in
            guard let ext = imports.lookup(module: imp.module, name: imp.name) else {
                throw LinkError("unknown import \(imp.module).\(imp.name)")
            }
            let incompatible = LinkError("incompatible import type \(imp.module).\(imp.name)")
            switch (imp.descriptor, ext) {
            case (.function(let t), .function(let f)):
                guard Int(t) < module.types.count, module.types[Int(t)] == f.type else { throw incompatible }
            case (.table(let expected), .table(let table)):
                guard expected.elementType == table.type.elementType, expected.address == table.type.address,
                      limitsMatch(table.currentType.limits, expected.limits) else { throw incompatible }
            case (.memory(let expected), .memory(let memory)):
                guard expected.shared == memory.type.shared, expected.address == memory.type.address,
                      limitsMatch(memory.currentType.limits, expected.limits) else { throw incompatible }
            case (.global(let expected), .global(let global)):
                guard expected == global.type else { throw incompatible }
            default:
                throw incompatible
            }
            return ext
        }
    }

    static func limitsMatch(_ actual: Limits, _ expected: Limits) -> Bool {
        guard actual.min >= expected.min else { return false }
        guard let emax = expected.max else { return true }
        guard let amax = actual.max else { return false }
        return amax <= emax
    }
}
