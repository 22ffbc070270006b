import WasmcSyntax

// SIMD: every operation is a call of the vector library's `wasmc_<name>` (docs/simd.md), the
// name in the opcode row's `c`. Operations are pure nodes; loads are memory-reading nodes whose
// address is computed as for scalar accesses (guard pages trap); stores are statements.

extension FunctionLowerer {
    mutating func vector(_ ins: Instruction) {
        tree.prelude.useSIMD()
        let op = ins.opcode
        guard let sig = OpcodeTable.typing[Int(op.rawValue)].signature, case .vector = op.kind else { return }
        var node = ExprNode(op: .vector, type: sig.results.first ?? .v128, index: UInt32(op.rawValue))
        switch ins.immediate {
        case .index(let lane): node.value = UInt64(lane)
        case .v128(let lanes): node.value = UInt64(tree.addV128(lanes))
        default: break
        }
        pureOp(Int(sig.operandCount), node)
    }

    mutating func v128Const(_ ins: Instruction) {
        guard case .v128(let v) = ins.immediate else { return }
        tree.prelude.useSIMD()
        push(ExprNode(op: .const, type: .v128, isConst: true, value: UInt64(tree.addV128(v))))
    }

    /// `v128.load*` (`vector` false: the address alone) and `v128.loadN_lane` (address, vector).
    mutating func vectorLoad(_ ins: Instruction, vector: Bool) {
        _ = base(ins.memarg)
        tree.prelude.useSIMD()
        var lane: UInt8 = 0
        if case .memargLane(_, let l) = ins.immediate { lane = l }
        pureOp(vector ? 2 : 1, ExprNode(op: .vectorLoad, type: .v128, traps: TrapKind.memory, reads: ReadKind.memory,
                                        aux: lane, index: UInt32(ins.opcode.rawValue), value: ins.memarg.offset))
    }

    /// `v128.store` and `v128.storeN_lane`: `wasmc_…(m0 + addr + offset, v[, lane]);`.
    mutating func vectorStore(_ ins: Instruction) {
        _ = base(ins.memarg)
        tree.prelude.useSIMD()
        let name = ins.info.c, offset = ins.memarg.offset
        var lane = ""
        if case .memargLane(_, let l) = ins.immediate { lane = ", \(l)" }
        effect(2) { "\(name)((m0 + (u64)\($0[0])\(offset == 0 ? "" : " + \(offset)ull")), \($0[1])\(lane))" }
    }
}
