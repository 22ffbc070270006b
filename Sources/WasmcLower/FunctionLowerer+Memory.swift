import WasmcSyntax

// Linear memory: the base never moves (reserved up front, guard pages trap by signal), so a
// function caches it in `m0` and an access is one dereference with no check and no call.

extension FunctionLowerer {
    mutating func load(_ m: MemArg, _ t: ValueType, _ bytes: Int, _ signed: Bool) {
        usesMemory = true
        let off = m.offset
        let forced = ctx.options.optimizingCompiler
        pureOp(1, type: t, traps: TrapKind.memory, reads: ReadKind.memory) { a in
            let p = off == 0 ? "(m0 + (u64)\(a[0]))" : "(m0 + (u64)\(a[0]) + \(off)ull)"
            let wide = t == .i64 ? "u64" : "u32"
            let swide = t == .i64 ? "s64" : "s32"
            let view: String
            switch (t, bytes, signed) {
            case (.f32, _, _): view = "f32"
            case (.f64, _, _): view = "f64"
            case (_, 1, false): view = "u8"
            case (_, 1, true): view = "s8"
            case (_, 2, false): view = "u16"
            case (_, 2, true): view = "s16"
            case (_, 4, false): view = "u32"
            case (_, 4, true): view = "s32"
            default: view = "u64"
            }
            // cc -O2 would drop a load whose value is unused, and its trap with it: the -O
            // tier loads through helpers that force the read (as wasm2c's FORCE_READ does).
            let raw: String
            if forced {
                raw = "wasmc_load_\(view)(\(p))"
            } else {
                switch view {
                case "u8": raw = "*\(p)"
                case "s8": raw = "*(s8 *)\(p)"
                default: raw = "*(wasmc_\(view)u *)\(p)"
                }
            }
            switch view {
            case "f32", "f64": return forced ? raw : "(\(raw))"
            case "u32" where t == .i32, "u64": return forced ? raw : "(\(raw))"
            case "s8", "s16", "s32": return "((\(wide))(\(swide))\(raw))"
            default: return "((\(wide))\(raw))"
            }
        }
    }

    mutating func store(_ m: MemArg, _ t: ValueType, _ bytes: Int) {
        usesMemory = true
        let off = m.offset
        let forced = ctx.options.optimizingCompiler
        effect(2) { a in
            let p = off == 0 ? "(m0 + (u64)\(a[0]))" : "(m0 + (u64)\(a[0]) + \(off)ull)"
            if !forced, let c = Self.compoundStore(p, t, bytes, a[1]) { return c }
            switch (t, bytes) {
            case (.f32, _): return "*(wasmc_f32u *)\(p) = \(a[1])"
            case (.f64, _): return "*(wasmc_f64u *)\(p) = \(a[1])"
            case (_, 1): return "*\(p) = (u8)\(a[1])"
            case (_, 2): return "*(wasmc_u16u *)\(p) = (u16)\(a[1])"
            case (_, 4): return "*(wasmc_u32u *)\(p) = (u32)\(a[1])"
            default: return "*(wasmc_u64u *)\(p) = \(a[1])"
            }
        }
    }

    /// A full-width store of `load(same address) OP x` as `*p OP= x` (tcc tier): the address is
    /// computed once instead of twice (matmul's `C[i][j] += a * B[k][j]`: 14% faster under tcc).
    /// The operands are pure and any two that trap differently were ordered before, so reading
    /// `*p` and `x` in either order is the same; `+`, `*`, `&`, `|`, `^` also match `x OP load`
    /// (for floats only a NaN payload could differ, which wasm leaves unspecified).
    static func compoundStore(_ p: String, _ t: ValueType, _ bytes: Int, _ v: String) -> String? {
        let view: String
        switch (t, bytes) {
        case (.i32, 4): view = "u32"
        case (.i64, 8): view = "u64"
        case (.f32, _): view = "f32"
        case (.f64, _): view = "f64"
        default: return nil
        }
        let lhs = "*(wasmc_\(view)u *)\(p)"
        let load = "(\(lhs))"
        let ops = t == .f32 || t == .f64 ? ["+", "-", "*"] : ["+", "-", "*", "&", "|", "^"]
        // `(load OP x)`
        let pre = "(" + load + " "
        if v.hasPrefix(pre) {
            let rest = v.utf8.dropFirst(pre.utf8.count).dropLast()  // `OP x`
            for op in ops where rest.starts(with: (op + " ").utf8) {
                let x = Substring(rest.dropFirst(op.utf8.count + 1))
                if isBalanced(x) { return "\(lhs) \(op)= \(x)" }
            }
        }
        // `(x OP load)`
        let suf = " " + load + ")"
        if v.hasSuffix(suf) {
            let head = v.utf8.dropFirst().dropLast(suf.utf8.count)  // `x OP`
            for op in ops where op != "-" && head.reversed().starts(with: (" " + op).utf8.reversed()) {
                let x = Substring(head.dropLast(op.utf8.count + 1))
                if isBalanced(x) { return "\(lhs) \(op)= \(x)" }
            }
        }
        return nil
    }

    /// Parentheses balanced and never closed below zero (a whole operand, not a fragment).
    static func isBalanced(_ s: Substring) -> Bool {
        var depth = 0
        for c in s.utf8 {
            if c == UInt8(ascii: "(") { depth += 1 }
            else if c == UInt8(ascii: ")") { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0 && !s.isEmpty
    }

    // MARK: atomics — statements (they order other memory accesses), checked in the prelude

    /// The effective address when the address operand is an `i32.const` (lowered as `123u`).
    static func constantAddress(_ a: String, _ m: MemArg) -> UInt64? {
        guard a.utf8.count > 1, a.utf8.last == UInt8(ascii: "u"), let c = UInt64(a.dropLast()) else { return nil }
        return c + m.offset
    }

    static func effectiveAddress(_ a: String, _ m: MemArg) -> String {
        if let c = constantAddress(a, m) { return "\(c)ull" }
        return m.offset == 0 ? "(u64)\(a)" : "(u64)\(a) + \(m.offset)ull"
    }

    mutating func atomicLoad(_ m: MemArg, _ t: ValueType, _ bytes: Int) {
        usesMemory = true
        let cast = t == .i32 ? "(u32)" : ""
        effect(1, result: t, materializeTrapping: true) {
            "\(cast)wasmc_atomic_load\(bytes * 8)(m0, \(Self.effectiveAddress($0[0], m)))"
        }
    }

    mutating func atomicStore(_ m: MemArg, _ bytes: Int) {
        usesMemory = true
        effect(2, materializeTrapping: true) {
            "wasmc_atomic_store\(bytes * 8)(m0, \(Self.effectiveAddress($0[0], m)), (u64)\($0[1]))"
        }
    }

    mutating func atomicRMW(_ m: MemArg, _ t: ValueType, _ bytes: Int, _ op: String) {
        usesMemory = true
        let head = "\(t == .i32 ? "(u32)" : "")wasmc_atomic_\(op)\(bytes * 8)("
        var ea: UInt64? = nil
        effect(2, result: t, materializeTrapping: true) {
            ea = Self.constantAddress($0[0], m)
            return "\(head)m0, \(Self.effectiveAddress($0[0], m)), (u64)\($0[1]))"
        }
        // Dropped, add/sub/and/or/xor are one locked instruction with a memory destination
        // (`wasmc_atomic_rmw_void`); at a constant address that is aligned and fits a 32-bit
        // displacement, without a check at run time (`_k`).
        var void: String? = nil
        if ["add", "sub", "and", "or", "xor"].contains(op) {
            let k = ea.map { $0 % UInt64(bytes) == 0 && $0 < 0x8000_0000 } ?? false
            void = "wasmc_atomic_rmw_void\(k ? "_k" : "")(\(op), \(bytes * 8), "
        }
        droppableResult = DroppableRMW(name: stack[stack.count - 1].expr, end: out.utf8.count, head: head, voidHead: void)
    }

    mutating func atomicCmpxchg(_ m: MemArg, _ t: ValueType, _ bytes: Int) {
        usesMemory = true
        let cast = t == .i32 ? "(u32)" : ""
        effect(3, result: t, materializeTrapping: true) {
            "\(cast)wasmc_atomic_cmpxchg\(bytes * 8)(m0, \(Self.effectiveAddress($0[0], m)), (u64)\($0[1]), (u64)\($0[2]))"
        }
        droppableResult = DroppableRMW(name: stack[stack.count - 1].expr, end: out.utf8.count, head: "", voidHead: nil)
    }

    mutating func atomicWaitNotify(_ s: Special, _ m: MemArg) {
        let mi = Int(m.memory)
        let mem = ctx.memoryDefinition(mi)
        let obj = "inst->memory_objects[\(mi)]"
        switch s {
        case .atomicNotify:
            effect(2, result: .i32, materializeTrapping: true) {
                "wasmc_rt_ptr->atomic_notify(\(obj), wasmc_atomic_check(\(mem), \(Self.effectiveAddress($0[0], m)), 4), \($0[1]))"
            }
        case .atomicWait32:
            effect(3, result: .i32, materializeTrapping: true) {
                "wasmc_rt_ptr->atomic_wait32(\(obj), wasmc_atomic_check(\(mem), \(Self.effectiveAddress($0[0], m)), 4), \($0[1]), (s64)\($0[2]))"
            }
        default:
            effect(3, result: .i32, materializeTrapping: true) {
                "wasmc_rt_ptr->atomic_wait64(\(obj), wasmc_atomic_check(\(mem), \(Self.effectiveAddress($0[0], m)), 8), \($0[1]), (s64)\($0[2]))"
            }
        }
    }
}
