import WasmcSyntax

/// What the validator reads from each entry of the shared opcode table, copied once into a
/// trivially copyable form indexed by opcode: reading `Instruction.info` on the hot path copies
/// the whole entry (names and C templates included), which costs reference counting per
/// instruction. Derived from `OpcodeTable.entries`, so there is still one table of opcodes.
struct OpcodeTyping {
    let kind: OpcodeKind
    /// Natural alignment exponent for memory accesses; nil when the opcode has no memarg.
    let naturalAlignment: UInt32?
    /// Threads-proposal accesses, whose alignment must be exactly natural.
    let isAtomic: Bool

    static let all: [OpcodeTyping] = OpcodeTable.entries.map {
        OpcodeTyping(kind: $0.kind, naturalAlignment: $0.naturalAlignment, isAtomic: $0.isAtomic)
    }
}
