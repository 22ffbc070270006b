import WasmcSyntax

// Code section entries (spec §5.5.13): size, run-length locals, then the body's instructions.

struct BodyDecoder {
    private var instructions: InstructionDecoder
    var usesDataIndices: Bool { instructions.usesDataIndices }

    init(standard: CoreStandard = .wasm3) {
        instructions = InstructionDecoder(standard: standard)
    }

    mutating func decode(_ r: inout Reader) throws -> FunctionBody {
        let offset = r.pos
        let size = try r.length()
        let start = r.pos

        let locals = try r.vector { r -> LocalDecl in
            let count = try r.u32()
            return LocalDecl(count: count, type: try r.valueType())
        }
        var total: UInt64 = 0
        for decl in locals { total &+= UInt64(decl.count) }
        guard total <= UInt64(UInt32.max) else { throw r.error("too many locals", at: start) }

        try instructions.sequence(&r)
        guard r.pos == start &+ size else { throw r.error("section size mismatch", at: start) }

        let (body, offsets) = instructions.output.take()
        return FunctionBody(locals: locals, instructions: body, offsets: offsets,
                            offset: UInt32(truncatingIfNeeded: offset))
    }
}
