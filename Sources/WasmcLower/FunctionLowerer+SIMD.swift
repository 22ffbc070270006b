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
        if tree.splitsV128 {
            prepareHalves(ins.info, Int(sig.operandCount), node)
        } else if !ctx.options.byteShuffle, OpcodeTable.entries[Int(op.rawValue)].extend != nil, fuseExtendedShuffle(op) {
            return
        }
        pureOp(Int(sig.operandCount), node)
    }

    /// Before a SIMD node that may print as halves (tcc tier): a scalar operand printed once per
    /// half is written out first if it holds vector nodes itself (nesting would print them 2^depth
    /// times); an `extract_lane` of the low half and an `extend_low` read only that half, so an
    /// operand that may trap (a `v128.load` crossing the end by its high half) is evaluated
    /// first; a shuffle's operands are variables.
    private mutating func prepareHalves(_ row: OpcodeInfo, _ count: Int, _ node: ExprNode) {
        let start = stack.count - count
        switch row.halves {
        case .whole:
            return
        case .lanewise, .lanewiseF64:
            for k in start..<stack.count where entry(k).type != .v128 && !tree.isPlain(stack[k]) && tree.containsVector(stack[k]) {
                materialize(at: k)
            }
        case .fromLow:
            // Only the low half is read: a load crossing the end by its high half must trap.
            if entry(start).traps != 0 && tree.printsHalves(stack[start]) { materialize(at: start) }
        case .fromHigh:
            return
        case .shuffle:
            // Each operand half is read once per result half: variables, not expressions.
            for k in start..<stack.count where !tree.isLeaf(stack[k]) { materialize(at: k) }
        case .lane:
            guard node.type != .v128, case .vector(let lanes) = row.kind else { return }
            if Int(node.value) < Int(lanes) / 2 && entry(start).traps != 0 && tree.printsHalves(stack[start]) {
                materialize(at: start)
            }
        }
    }

    mutating func v128Const(_ ins: Instruction) {
        guard case .v128(let v) = ins.immediate else { return }
        tree.prelude.useSIMD()
        push(ExprNode(op: .const, type: .v128, isConst: true, value: UInt64(tree.addV128(v))))
    }

    /// `v128.load*` (`vector` false: the address alone) and `v128.loadN_lane` (address, vector).
    mutating func vectorLoad(_ ins: Instruction, vector: Bool) {
        let m = ins.memarg
        let mem = base(m)
        tree.prelude.useSIMD()
        var lane: UInt8 = 0
        if case .memargLane(_, let l) = ins.immediate { lane = l }
        if m.memory != 0 || ctx.memories[Int(m.memory)].is64 {
            // Another memory, or a 64-bit one (checked address): the scalar accesses' address
            // form, as a statement; memory 0's 32-bit loads stay foldable nodes below.
            let ea = effectiveAddress(vector ? 1 : 0, m, bytes: 1 << Int(ins.info.naturalAlignment ?? 4))
            let name = ins.info.c
            effect(vector ? 2 : 1, result: .v128, materializeTrapping: true) {
                "\(name)((\(mem) + \(ea($0[0])))" + (vector ? ", \($0[1]), \(lane))" : ")")
            }
            return
        }
        if ctx.options.optimizingCompiler, !vector, case .vectorLoad(let bytes) = ins.info.kind, bytes == 16 {
            let a = stack[stack.count - 1]
            if recentStores.mayOverlap(storeBase(a), offset: storeOffset(a, m), bytes: 16) { lane = ExprNode.splitLoad }
        }
        pureOp(vector ? 2 : 1, ExprNode(op: .vectorLoad, type: .v128, traps: TrapKind.memory, reads: ReadKind.memory,
                                        aux: lane, index: UInt32(ins.opcode.rawValue), value: ins.memarg.offset))
    }

    /// `v128.store` and `v128.storeN_lane`: `wasmc_…(mK + addr + offset, v[, lane]);`.
    mutating func vectorStore(_ ins: Instruction) {
        let m = ins.memarg
        let mem = base(m)
        tree.prelude.useSIMD()
        let name = ins.info.c, offset = m.offset
        var lane = ""
        if case .memargLane(_, let l) = ins.immediate { lane = ", \(l)" }
        if m.memory != 0 || ctx.memories[Int(m.memory)].is64 {
            let ea = effectiveAddress(1, m, bytes: 1 << Int(ins.info.naturalAlignment ?? 4))
            effect(2) { "\(name)((\(mem) + \(ea($0[0]))), \($0[1])\(lane))" }
            return
        }
        if tree.splitsV128 && ins.info.halves == .lanewise && tree.printsHalves(stack[stack.count - 1]) {
            storeHalves(offset)
            return
        }
        effect(2) { "\(name)((m0 + (u64)\($0[0])\(offset == 0 ? "" : " + \(offset)ull")), \($0[1])\(lane))" }
    }

    /// `v128.store` of a value that prints as halves (tcc tier), memory 0: two 8-byte stores,
    /// the high one first: if it traps (the access crosses the end) nothing was written. The
    /// value is computed before either store when it reads memory (the first store could change
    /// what the second half reads) or may trap; the address is printed twice, so it is written
    /// out first unless plain.
    private mutating func storeHalves(_ offset: UInt64) {
        let start = stack.count - 2
        flushForEffect(below: start)
        orderOperands(2)
        let v = entry(start + 1)
        if (v.reads != 0 || v.traps != 0) && !tree.isPlain(stack[start + 1]) { materialize(at: start + 1) }
        if !tree.isPlain(stack[start]) && tree.containsVector(stack[start]) { materialize(at: start) }
        flushPending()
        let value = stack[start + 1], address = stack[start]
        stack.removeLast(2)
        let f64 = tree.printsF64Halves(value)
        for half: Int8 in [1, 0] {
            out += f64 ? "  *(wasmc_f64u *)(m0 + (u64)" : "  *(wasmc_u64u *)(m0 + (u64)"
            tree.print(address, into: &out)
            let o = offset + UInt64(half) * 8
            if o != 0 {
                out += " + "
                out += String(o)
                out += "ull"
            }
            out += ") = "
            tree.print(value, half: half, f64: f64, into: &out)
            out += ";\n"
        }
    }
}
