import WasmcSyntax

// Element and data segments (spec §5.5.12, §5.5.14): a flags field selects one of 8 (element)
// or 3 (data) encodings.

extension Reader {
    mutating func elementSegment() throws -> ElementSegment {
        let at = pos
        let flags = try u32()
        guard flags < 8 else { throw error("malformed elements segment kind", at: at) }
        let passiveOrDeclarative = flags & 1 != 0
        let explicitTable = flags & 2 != 0
        let usesExpressions = flags & 4 != 0

        var mode: ElementMode
        if passiveOrDeclarative {
            mode = explicitTable ? .declarative : .passive
        } else {
            let table = explicitTable ? try u32() : 0
            mode = .active(table: table, offset: try constExpr())
        }
        // Encodings 0 and 4 leave the type implicit; the others spell it out. Function indices
        // are never null: their segments are of type (ref func) (3.0), expressions' funcref.
        let hasType = passiveOrDeclarative || explicitTable
        var type = ValueType.ref(nullable: false, heap: .func)
        if usesExpressions {
            type = hasType ? try referenceType() : .funcref
            let items = try vector { try $0.constExpr() }
            return ElementSegment(type: type, items: items, mode: mode)
        }
        if hasType {
            let kindAt = pos
            guard try byte() == 0x00 else { throw error("malformed element kind", at: kindAt) }
        }
        let refFunc = Opcode(.refFunc)
        let items = try vector { r in ConstExpr([Instruction(refFunc, .index(try r.u32()))]) }
        return ElementSegment(type: type, items: items, mode: mode)
    }

    mutating func dataSegment() throws -> DataSegment {
        let at = pos
        let mode: DataMode
        switch try u32() {
        case 0: mode = .active(memory: 0, offset: try constExpr())
        case 1: mode = .passive
        case 2:
            let memory = try u32()
            mode = .active(memory: memory, offset: try constExpr())
        default: throw error("malformed data segment kind", at: at)
        }
        let n = try length()
        return DataSegment(mode: mode, bytes: Array(try take(n)))
    }
}
