import WasmcSyntax

/// Constant expressions (spec §3.3.10): global initialisers, segment offsets, element items.
/// Only the opcode table's `constant` rows may appear (spec 2.0: `*.const`, `ref.null`,
/// `ref.func`, and `global.get` of an imported immutable global; 3.0 adds integer `add`, `sub`,
/// `mul`, and `global.get` of any immutable global before `globalsBefore`), and together they
/// must produce exactly one value of `type`. Rows with a signature are typed by it.
extension ModuleContext {
    func validateConstant(_ expr: ConstExpr, type expected: ValueType, globalsBefore: Int? = nil, what: String) throws {
        let readable = standard.extendedConstants ? globalsBefore ?? globals.count : importedGlobalCount
        var stack: [ValueType] = []
        for ins in expr.instructions {
            let info = ins.info
            guard info.constant, standard.extendedConstants || !Self.extendedConstantKinds(info.kind) else {
                throw WasmError(.invalid, "constant expression required: \(info.name) in \(what)")
            }
            if let sig = info.signature {
                for t in sig.operands.reversed() {
                    guard stack.popLast() == t else {
                        throw WasmError(.invalid, "type mismatch: \(info.name) in \(what) needs \(sig.operands.map(\.description).joined(separator: " "))")
                    }
                }
                stack += sig.results
                continue
            }
            switch info.kind {
            case .special(.refNull):
                guard case .valueTypes(let ts) = ins.immediate, ts.count == 1, ts[0].isReference else {
                    throw WasmError(.malformed, "ref.null: bad immediate in \(what)")
                }
                try checkValueType(ts[0], what: what)
                stack.append(ts[0])
            case .special(.refFunc):
                guard case .index(let f) = ins.immediate else { throw WasmError(.malformed, "ref.func: bad immediate in \(what)") }
                guard Int(f) < functions.count else { throw WasmError(.invalid, "unknown function \(f) in \(what)") }
                stack.append(.ref(nullable: false, heap: .type(functions[Int(f)])))
            case .special(.globalGet):
                guard case .index(let g) = ins.immediate else { throw WasmError(.malformed, "global.get: bad immediate in \(what)") }
                guard Int(g) < readable else { throw WasmError(.invalid, "unknown global \(g) in \(what)") }
                if globals[Int(g)].mutable {
                    throw WasmError(.invalid, "constant expression required: \(what) reads mutable global \(g)")
                }
                stack.append(globals[Int(g)].valueType)
            default:
                throw WasmError(.malformed, "\(info.name): a constant row without a typing rule in \(what)")
            }
        }
        guard stack.count == 1, matches(stack[0], expected) else {
            let got = stack.map(\.description).joined(separator: " ")
            throw WasmError(.invalid, "type mismatch: \(what) must be one \(expected), got [\(got)]")
        }
    }

    /// The constant rows 3.0 added (extended constants): the integer binary ones.
    static func extendedConstantKinds(_ kind: OpcodeKind) -> Bool {
        if case .binary = kind { return true }
        return false
    }
}
