import WasmcSyntax

// Linear memory: the base never moves (reserved up front, guard pages trap by signal), so a
// function caches each memory K it uses in `mK` and an access is one dereference with no check
// and no call. A 64-bit memory too large to reserve whole moves when it grows (docs/memory64.md):
// its `mK` is reloaded after whatever may grow it (`reloadMovedBases`).

extension FunctionLowerer {
    /// Marks memory K's base as used and returns how the C names it (`mK`).
    mutating func base(_ m: MemArg) -> String {
        if m.memory < 64 {
            usedMemories |= 1 << UInt64(m.memory)
            return "m\(m.memory)"
        }
        tree.usesInst = true
        return ctx.memoryBase(Int(m.memory))
    }

    mutating func load(_ ins: Instruction, _ t: ValueType, _ bytes: Int, _ signed: Bool) {
        let m = ins.memarg
        _ = base(m)
        pureOp(1, ExprNode(op: .load, type: t, traps: TrapKind.memory, reads: ReadKind.memory,
                           aux: UInt8(bytes) | (signed ? ExprNode.signedBit : 0), index: m.memory,
                           value: m.offset))
    }

    mutating func store(_ m: MemArg, _ t: ValueType, _ bytes: Int) {
        _ = base(m)
        let start = stack.count - 2
        flushForEffect(below: start)
        orderOperands(2)
        let address = stack[start], value = stack[start + 1]
        if ctx.options.optimizingCompiler && m.memory == 0 && bytes < 16 {
            recentStores.stored(storeBase(address), offset: storeOffset(address, m), bytes: bytes)
        }
        let compound = ctx.options.optimizingCompiler ? nil : compoundStore(address, m, t, bytes, value)
        stack.removeLast(2)
        statementRoots.removeAll(keepingCapacity: true)
        statementRoots.append(address)
        statementRoots.append(compound?.operand ?? value)
        foldPendingSets(traps: tree[address].traps | tree[value].traps)
        flushPending()
        out += "  *"
        if t == .f32 || t == .f64 || bytes > 1 {
            out += "(wasmc_"
            out += MemoryView(t, bytes: bytes, signed: false).name
            out += "u *)"
        }
        tree.printAddress(address, offset: m.offset, memory: m.memory, bytes: bytes, into: &out)
        if let c = compound {
            out += " "
            out += c.op
            out += "= "
            tree.print(c.operand, into: &out)
        } else {
            out += " = "
            switch (t, bytes) {
            case (.f32, _), (.f64, _), (_, 8): break
            case (_, 1): out += "(u8)"
            case (_, 2): out += "(u16)"
            default: out += "(u32)"
            }
            tree.print(value, into: &out)
        }
        out += ";\n"
    }

    /// A full-width store of `load(same address) OP x` as `*p OP= x` (tcc tier): the address is
    /// computed once instead of twice (matmul's `C[i][j] += a * B[k][j]`: 14% faster under tcc).
    /// The operands are pure and any two that trap differently were ordered before, so reading
    /// `*p` and `x` in either order is the same; `+`, `*`, `&`, `|`, `^` also match `x OP load`
    /// (for floats only a NaN payload could differ, which wasm leaves unspecified).
    mutating func compoundStore(_ address: Int32, _ m: MemArg, _ t: ValueType, _ bytes: Int, _ value: Int32)
        -> (op: String, operand: Int32)? {
        switch (t, bytes) {
        case (.i32, 4), (.i64, 8), (.f32, _), (.f64, _): break
        default: return nil
        }
        let v = tree[value]
        guard v.op == .numeric, let op = ctx.templates[Int(v.index)]?.infixOperator else { return nil }
        let ops = t == .f32 || t == .f64 ? ["+", "-", "*"] : ["+", "-", "*", "&", "|", "^"]
        if !ops.contains(op) { return nil }
        func isLoad(_ n: Int32) -> Bool {
            let l = tree[n]
            guard l.op == .load, l.value == m.offset, l.index == m.memory, l.type == t,
                  MemoryView(t, bytes: Int(l.aux & 15), signed: l.aux & ExprNode.signedBit != 0).isFullWidth else { return false }
            return tree.same(l.a, address)
        }
        if isLoad(v.a) { return (op, v.b) }
        if op != "-" && isLoad(v.b) { return (op, v.a) }
        return nil
    }

    /// How a memory-0 access's address is known to `recentStores`.
    func storeBase(_ address: Int32) -> RecentStores.Base {
        if tree.i32Constant(address) != nil { return .constant }
        let a = tree[address]
        return a.op == .local ? .local(a.index) : .unknown
    }

    /// The access's offset from its `storeBase`: absolute for a constant address.
    func storeOffset(_ address: Int32, _ m: MemArg) -> UInt64 {
        constantAddress(address, m) ?? m.offset
    }

    // MARK: atomics — statements (they order other memory accesses), checked in the prelude

    /// The effective address when the address operand is an `i32.const` (32-bit memories).
    func constantAddress(_ a: Int32, _ m: MemArg) -> UInt64? {
        tree.i32Constant(a).map { UInt64($0) + m.offset }
    }

    /// The effective address of the `bytes`-wide access on the stack `depth` entries below the
    /// top, computed before its operands are taken (their C comes in `args`). A 64-bit memory's
    /// is checked (no wrap, inside the current length) by `wasmc_ea64`.
    mutating func effectiveAddress(_ depth: Int, _ m: MemArg, bytes: Int, atomic: Bool = false) -> (String) -> String {
        let mi = Int(m.memory)
        if ctx.memories[mi].is64 {
            tree.prelude.use(.bound64)
            if ctx.ownedMemorySlot(mi) == nil { tree.prelude.use(.memoryLength) }
            let len = ctx.memoryLength(mi)
            let check = atomic ? "wasmc_ea64_atomic" : "wasmc_ea64"
            return { a in "\(check)(\(a), \(m.offset)ull, \(bytes), \(len))" }
        }
        if let c = constantAddress(stack[stack.count - 1 - depth], m) { return { _ in "\(c)ull" } }
        return { a in m.offset == 0 ? "(u64)\(a)" : "(u64)\(a) + \(m.offset)ull" }
    }

    mutating func atomicLoad(_ m: MemArg, _ t: ValueType, _ bytes: Int) {
        let mem = base(m)
        tree.prelude.use(.atomic)
        let cast = t == .i32 ? "(u32)" : ""
        let ea = effectiveAddress(0, m, bytes: bytes, atomic: true)
        effect(1, result: t, materializeTrapping: true) {
            "\(cast)wasmc_atomic_load\(bytes * 8)(\(mem), \(ea($0[0])))"
        }
    }

    mutating func atomicStore(_ m: MemArg, _ bytes: Int) {
        let mem = base(m)
        tree.prelude.use(.atomic)
        let ea = effectiveAddress(1, m, bytes: bytes, atomic: true)
        effect(2, materializeTrapping: true) {
            "wasmc_atomic_store\(bytes * 8)(\(mem), \(ea($0[0])), (u64)\($0[1]))"
        }
    }

    mutating func atomicRMW(_ m: MemArg, _ t: ValueType, _ bytes: Int, _ op: String) {
        let mem = base(m)
        tree.prelude.use(.atomic)
        let head = "\(t == .i32 ? "(u32)" : "")wasmc_atomic_\(op)\(bytes * 8)("
        let ea = effectiveAddress(1, m, bytes: bytes, atomic: true)
        // Dropped, add/sub/and/or/xor are one locked instruction with a memory destination
        // (`wasmc_atomic_rmw_void`); at a constant address that is aligned and fits a 32-bit
        // displacement, without a check at run time (`_k`).
        var void: String? = nil
        if ["add", "sub", "and", "or", "xor"].contains(op) {
            let k = ctx.memories[Int(m.memory)].is64 ? false : constantAddress(stack[stack.count - 2], m).map { $0 % UInt64(bytes) == 0 && $0 < 0x8000_0000 } ?? false
            void = "wasmc_atomic_rmw_void\(k ? "_k" : "")(\(op), \(bytes * 8), "
        }
        rmw(2, t, head: head, voidHead: void) { "\(mem), \(ea($0[0])), (u64)\($0[1]))" }
    }

    /// An RMW statement `sN = head rest;`, kept pending: a `drop` of its result next prints it
    /// without the assignment (`dropPendingRMW`).
    mutating func rmw(_ count: Int, _ t: ValueType, head: String, voidHead: String?, _ rest: ([String]) -> String) {
        let start = stack.count - count
        flushForEffect(below: start)
        orderOperands(count, materializeTrapping: true)
        protectSlot(start)
        let args = takeOperands(count)
        flushPending()
        pendingRMW = PendingRMW(name: temp(start, t), head: head, rest: rest(args), voidHead: voidHead)
        push(Self.tempNode(start, t))
    }

    mutating func atomicCmpxchg(_ m: MemArg, _ t: ValueType, _ bytes: Int) {
        let mem = base(m)
        tree.prelude.use(.atomic)
        let cast = t == .i32 ? "(u32)" : ""
        let ea = effectiveAddress(2, m, bytes: bytes, atomic: true)
        rmw(3, t, head: "\(cast)wasmc_atomic_cmpxchg\(bytes * 8)(", voidHead: nil) {
            "\(mem), \(ea($0[0])), (u64)\($0[1]), (u64)\($0[2]))"
        }
    }

    mutating func atomicWaitNotify(_ s: Special, _ m: MemArg) {
        let mi = Int(m.memory)
        let mem = ctx.memoryDefinition(mi)
        let obj = "inst->memory_objects[\(mi)]"
        let ea = effectiveAddress(s == .atomicNotify ? 1 : 2, m, bytes: s == .atomicWait64 ? 8 : 4, atomic: true)
        switch s {
        case .atomicNotify:
            effect(2, result: .i32, materializeTrapping: true) {
                "wasmc_rt_ptr->atomic_notify(\(obj), wasmc_atomic_check(\(mem), \(ea($0[0])), 4), \($0[1]))"
            }
        case .atomicWait32:
            effect(3, result: .i32, materializeTrapping: true) {
                "wasmc_rt_ptr->atomic_wait32(\(obj), wasmc_atomic_check(\(mem), \(ea($0[0])), 4), \($0[1]), (s64)\($0[2]))"
            }
        default:
            effect(3, result: .i32, materializeTrapping: true) {
                "wasmc_rt_ptr->atomic_wait64(\(obj), wasmc_atomic_check(\(mem), \(ea($0[0])), 8), \($0[1]), (s64)\($0[2]))"
            }
        }
    }
}
