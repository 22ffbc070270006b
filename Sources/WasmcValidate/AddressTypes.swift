import WasmcSyntax

// Memory64 and table64 (Wasm 3.0): an instruction on a memory or table of address type i64
// takes i64 addresses, indices and sizes where the opcode table's signature (written for i32
// address types) says i32.

extension FunctionValidator {
    /// `signature` with its address operands and results retyped for the memory or table `ins` names.
    /// Only called for modules that have a 64-bit memory or table.
    func addressTyped(_ signature: InstructionSignature, _ ins: Instruction, _ typing: OpcodeTyping) -> InstructionSignature {
        func at(_ i: UInt32) -> ValueType { context.memories[Int(i)].address.valueType }
        var ops = [signature.operand0, signature.operand1, signature.operand2]
        var result = signature.result
        switch (typing.immediate, ins.immediate) {
        case (.memarg, .memarg(let m)), (.memargLane, .memargLane(let m, _)):
            ops[0] = at(m.memory)
        case (.memory, .index(let i)):
            let a = at(i)
            switch signature.operandCount {
            case 0: result = a                    // memory.size
            case 1: ops[0] = a; result = a        // memory.grow
            default: ops[0] = a; ops[2] = a       // memory.fill: destination and length
            }
        case (.memoryCopy, .indices(let dst, let src)):
            ops[0] = at(dst)
            ops[1] = at(src)
            // The length is i64 only when both memories are 64-bit.
            ops[2] = ops[0] == .i64 && ops[1] == .i64 ? .i64 : .i32
        case (.memoryInit, .indices(_, let mem)):
            ops[0] = at(mem)
        case (.table, .index(let i)) where signature.operandCount == 0:
            result = context.tables[Int(i)].address.valueType   // table.size
        default:
            return signature
        }
        return InstructionSignature(Array(ops.prefix(Int(signature.operandCount))),
                                    signature.resultCount == 0 ? [] : [result])
    }
}
