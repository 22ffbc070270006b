/// Something an instance exports or imports.
public enum Extern {
    case function(Function)
    case table(Table)
    case memory(Memory)
    case global(Global)

    var kind: ExternalKind {
        switch self {
        case .function: .function
        case .table: .table
        case .memory: .memory
        case .global: .global
        }
    }
}

/// What an instance's imports resolve to, by (module, name).
public struct Imports {
    struct Key: Hashable {
        var module: String
        var name: String
    }
    var definitions: [Key: Extern] = [:]

    public init() {}

    public mutating func define(module: String, name: String, _ value: Extern) {
        definitions[Key(module: module, name: name)] = value
    }

    /// Every export of `instance` under `module` (the spec scripts' `register`).
    public mutating func define(module: String, instance: Instance) {
        for (name, value) in instance.exports { define(module: module, name: name, value) }
    }

    func lookup(module: String, name: String) -> Extern? { definitions[Key(module: module, name: name)] }
}
