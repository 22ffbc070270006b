import WasmcSyntax

// C text of expression trees, produced once, when the statement holding them is emitted.
// Every form printed is "unary-safe" (an identifier, literal, call, cast or fully parenthesised
// form), so templates substitute operands without adding parentheses.

extension ExprTree {
    /// Appends the C of `n` to `s`.
    mutating func print(_ n: Int32, into s: inout String) {
        let e = nodes[Int(n)]
        switch e.op {
        case .local:
            s += "l"
            s += String(e.index)
        case .temp:
            s += "s"
            s += String(e.index)
            s.append(e.type.tempSuffix)
        case .const:
            switch e.type {
            case .i32: s += CLiteral.i32(UInt32(truncatingIfNeeded: e.value))
            case .i64: s += CLiteral.i64(e.value)
            case .f32: s += CLiteral.f32(UInt32(truncatingIfNeeded: e.value))
            default: s += CLiteral.f64(e.value)
            }
        case .refNull:
            s += "((void *)0)"
        case .refFunc:
            usesInst = true
            s += "((void *)&inst->funcs["
            s += String(e.index)
            s += "])"
        case .global:
            usesInst = true
            s += ctx.globalValue(Int(e.index))
        case .numeric:
            printTemplate(e, dropU32: false, into: &s)
        case .load:
            printLoad(e, into: &s)
        case .select:
            s += "("
            printCondition(e.c, into: &s)
            s += " ? "
            print(e.a, into: &s)
            s += " : "
            print(e.b, into: &s)
            s += ")"
        case .refIsNull:
            s += "(u32)"
            printCondition(n, into: &s)
        case .memorySize:
            usesInst = true
            s += "(u32)("
            if let slot = ctx.ownedMemorySlot(Int(e.index)) {
                // An owned memory is never shared: a plain read; others may grow concurrently.
                s += "inst->owned_memories[\(slot)].current_length"
            } else {
                s += "wasmc_memory_length(\(ctx.memoryDefinition(Int(e.index))))"
            }
            s += " >> 16)"
        case .tableGet:
            usesInst = true
            s += "wasmc_table_get(inst->tables[\(e.index)], "
            print(e.a, into: &s)
            s += ")"
        case .tableSize:
            usesInst = true
            s += "inst->tables[\(e.index)]->size"
        case .assign:
            s += "(l"
            s += String(e.index)
            s += " = "
            print(e.a, into: &s)
            s += ")"
        case .paren:
            s += "("
            print(e.a, into: &s)
            s += ")"
        }
    }

    /// `n` as a C truth value: a comparison without its `(u32)` conversion.
    mutating func printCondition(_ n: Int32, into s: inout String) {
        let e = nodes[Int(n)]
        switch e.op {
        case .numeric where ctx.templates[Int(e.index)]?.isComparison == true:
            printTemplate(e, dropU32: true, into: &s)
        case .refIsNull:
            s += "("
            print(e.a, into: &s)
            s += " == 0)"
        default:
            print(n, into: &s)
        }
    }

    /// The C of `n` as a new string (for statements assembled around several operands).
    mutating func text(_ n: Int32) -> String {
        var s = ""
        print(n, into: &s)
        return s
    }

    private mutating func printTemplate(_ e: ExprNode, dropU32: Bool, into s: inout String) {
        guard let t = ctx.templates[Int(e.index)] else { return }
        s += dropU32 ? Substring(t.parts[0].utf8.dropFirst(5)) : Substring(t.parts[0])
        for i in 0..<t.slots.count {
            print(t.slots[i] == 0 ? e.a : e.b, into: &s)
            s += t.parts[i + 1]
        }
    }

    /// Linear memory: the base never moves (reserved up front, guard pages trap by signal), so a
    /// function caches it in `m0` and an access is one dereference with no check and no call.
    private mutating func printLoad(_ e: ExprNode, into s: inout String) {
        guard case .load(let t, let bytes, let signed) = OpcodeTable.entries[Int(e.index)].kind else { return }
        let view = MemoryView(t, bytes: bytes, signed: signed)
        let wide = t == .i64 ? "u64" : "u32"
        let swide = t == .i64 ? "s64" : "s32"
        // cc -O2 would drop a load whose value is unused, and its trap with it: the -O
        // tier loads through helpers that force the read (as wasm2c's FORCE_READ does).
        let forced = ctx.options.optimizingCompiler
        let extends = !view.isFullWidth
        if extends { s += view.isSigned ? "((\(wide))(\(swide))" : "((\(wide))" } else if !forced { s += "(" }
        if forced {
            s += "wasmc_load_"
            s += view.name
            s += "("
        } else {
            switch view.name {
            case "u8": s += "*"
            case "s8": s += "*(s8 *)"
            default:
                s += "*(wasmc_"
                s += view.name
                s += "u *)"
            }
        }
        printAddress(e.a, offset: e.value, into: &s)
        if forced { s += ")" }
        if extends || !forced { s += ")" }
    }

    /// `(m0 + (u64)ADDR + OFFull)`
    mutating func printAddress(_ a: Int32, offset: UInt64, into s: inout String) {
        s += "(m0 + (u64)"
        print(a, into: &s)
        if offset != 0 {
            s += " + "
            s += String(offset)
            s += "ull"
        }
        s += ")"
    }
}

/// The C type a memory access reads or writes through.
struct MemoryView {
    var name: String
    /// Sign-extended to the value's type.
    var isSigned = false
    /// As wide as the value's type (no extension).
    var isFullWidth = false

    init(_ t: ValueType, bytes: Int, signed: Bool) {
        switch (t, bytes, signed) {
        case (.f32, _, _): name = "f32"
        case (.f64, _, _): name = "f64"
        case (_, 1, false): name = "u8"
        case (_, 1, true): name = "s8"
        case (_, 2, false): name = "u16"
        case (_, 2, true): name = "s16"
        case (_, 4, false): name = "u32"
        case (_, 4, true): name = "s32"
        default: name = "u64"
        }
        isSigned = (t == .i32 || t == .i64) && signed && bytes <= 4
        isFullWidth = !(t == .i32 || t == .i64) || (bytes == 4 && t == .i32 && !signed) || bytes == 8
    }
}

extension ModuleContext {
    /// The `wasmc_value` cell of global `i`: own globals live in the instance.
    func globalCell(_ i: Int) -> String {
        if i >= importedGlobalCount { return "inst->defined_globals[\(i - importedGlobalCount)]" }
        return "(*inst->globals[\(i)])"
    }

    /// Global `i`'s value as an lvalue of its C type.
    func globalValue(_ i: Int) -> String { globalCell(i) + "." + globals[i].valueType.valueField }
}
