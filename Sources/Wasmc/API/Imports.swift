/// Something an instance exports or imports.
public enum Extern: Sendable {
    case function(Function)
    case table(Table)
    case memory(Memory)
    case global(Global)
    case tag(Tag)

    var kind: ExternalKind {
        switch self {
        case .function: .function
        case .table: .table
        case .memory: .memory
        case .global: .global
        case .tag: .tag
        }
    }
}

/// What an instance's imports resolve to, by (module, name).
public struct Imports: Sendable {
    /// Names are byte strings in wasm: Swift's String equality would merge canonically
    /// equivalent names ("\u{C5}" and "A\u{30A}"), so keys are the UTF-8 bytes.
    struct Key: Hashable {
        var module: [UInt8]
        var name: [UInt8]
        init(module: String, name: String) {
            self.module = Array(module.utf8)
            self.name = Array(name.utf8)
        }
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
