import WasmcSyntax

// C text of expression trees, produced once, when the statement holding them is emitted.
// Every form printed is "unary-safe" (an identifier, literal, call, cast or fully parenthesised
// form), so templates substitute operands without adding parentheses.

/// A node being printed: `step` counts the text pieces printed so far (an operand follows each
/// piece but the last).
struct PrintFrame {
    var node: Int32
    var step: Int32
    /// Printed as a C truth value (`printCondition`).
    var condition: Bool
}

extension ExprTree {
    /// Appends the C of `n` to `s`.
    mutating func print(_ n: Int32, into s: inout String) {
        walk(n, condition: false, into: &s)
    }

    /// `n` as a C truth value: a comparison without its `(u32)` conversion.
    mutating func printCondition(_ n: Int32, into s: inout String) {
        walk(n, condition: true, into: &s)
    }

    /// The C of `n` as a new string (for statements assembled around several operands).
    mutating func text(_ n: Int32) -> String {
        var s = ""
        print(n, into: &s)
        return s
    }

    /// `(mK + (u64)ADDR + OFFull)`: the one place an access's address is formed (with
    /// `addressHead`/`addressTail`, which loads print around their operand). A 64-bit memory's
    /// address is checked against its current length: `(mK + WASMC_BOUND64(ADDR, LEN) + OFFull)`.
    mutating func printAddress(_ a: Int32, offset: UInt64, memory: UInt32, bytes: Int, into s: inout String) {
        addressHead(memory, offset: offset, bytes: bytes, into: &s)
        print(a, into: &s)
        addressTail(offset, memory: memory, bytes: bytes, into: &s)
    }

    /// The guard after a 64-bit memory's reservation (WASMC_GUARD64 in wasmc_abi.h): a static
    /// offset plus access size up to this needs only `addr <= length` checked.
    static let guard64: UInt64 = 4 << 30

    /// A 64-bit access's `offset + bytes`, nil when the one-compare check covers it (the guard
    /// takes the rest); UInt64.max when the sum overflows (always out of bounds).
    private static func fullCheckEnd(_ offset: UInt64, _ bytes: Int) -> UInt64? {
        let (end, overflow) = offset.addingReportingOverflow(UInt64(bytes))
        if overflow { return UInt64.max }
        return end <= guard64 ? nil : end
    }

    private mutating func addressHead(_ memory: UInt32, offset: UInt64, bytes: Int, into s: inout String) {
        s += "("
        printBase(memory, into: &s)
        if ctx.memories[Int(memory)].is64 {
            usesInst = true
            prelude.use(.bound64)
            s += Self.fullCheckEnd(offset, bytes) == nil ? " + WASMC_BOUND64(" : " + wasmc_bound64_full("
        } else {
            s += " + (u64)"
        }
    }

    private mutating func addressTail(_ offset: UInt64, memory: UInt32, bytes: Int, into s: inout String) {
        let m = Int(memory)
        if ctx.memories[m].is64 {
            if ctx.ownedMemorySlot(m) == nil { prelude.use(.memoryLength) }
            s += ", "
            s += ctx.memoryLength(m)
            if let end = Self.fullCheckEnd(offset, bytes) {
                s += ", "
                s += String(end)
                s += "ull"
            }
            s += ")"
        }
        addressTail(offset, into: &s)
    }

    /// Memory K's base: the C local `mK` the function caches it in at entry, or for K ≥ 64
    /// (beyond `FunctionLowerer.usedMemories`) a read through the instance.
    mutating func printBase(_ k: UInt32, into s: inout String) {
        if k < 64 {
            s += "m"
            s += String(k)
        } else {
            usesInst = true
            s += ctx.memoryBase(Int(k))
        }
    }

    private func addressTail(_ offset: UInt64, into s: inout String) {
        if offset != 0 {
            s += " + "
            s += String(offset)
            s += "ull"
        }
        s += ")"
    }

    /// Prints with an explicit stack (an expression can nest as deep as the function is long).
    private mutating func walk(_ root: Int32, condition: Bool, into s: inout String) {
        if printLeaf(root, into: &s) { return }
        let base = frames.count
        frames.append(PrintFrame(node: root, step: 0, condition: condition))
        while frames.count > base {
            let f = frames[frames.count - 1]
            frames[frames.count - 1].step += 1
            let (child, childCondition) = piece(f, into: &s)
            if child < 0 {
                frames.removeLast()
            } else if !printLeaf(child, into: &s) {
                frames.append(PrintFrame(node: child, step: 0, condition: childCondition))
            }
        }
    }

    /// Prints `n` if it has no operands.
    private mutating func printLeaf(_ n: Int32, into s: inout String) -> Bool {
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
            case .v128:
                let v = v128Literals[Int(e.value)]
                s += "wasmc_v128_const(0x"
                s += String(v.lo, radix: 16)
                s += "ull, 0x"
                s += String(v.hi, radix: 16)
                s += "ull)"
            case .f32:
                let bits = UInt32(truncatingIfNeeded: e.value)
                if CLiteral.f32NeedsBits(bits) { prelude.use(.f32Bits) }
                s += CLiteral.f32(bits)
            default:
                if CLiteral.f64NeedsBits(e.value) { prelude.use(.f64Bits) }
                s += CLiteral.f64(e.value)
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
        case .memorySize:
            usesInst = true
            s += e.type == .i64 ? "(" : "(u32)("
            if let slot = ctx.ownedMemorySlot(Int(e.index)) {
                // An owned memory is never shared: a plain read; others may grow concurrently.
                s += "inst->owned_memories[\(slot)].current_length"
            } else {
                prelude.use(.memoryLength)
                s += "wasmc_memory_length(\(ctx.memoryDefinition(Int(e.index))))"
            }
            s += " >> 16)"
        case .tableSize:
            usesInst = true
            s += e.type == .i64 ? "(u64)inst->tables[\(e.index)]->size" : "inst->tables[\(e.index)]->size"
        default:
            return false
        }
        return true
    }

    /// Prints text piece `f.step` of an inner node; returns the operand that follows it (-1:
    /// the node is done) and whether that operand is printed as a condition.
    private mutating func piece(_ f: PrintFrame, into s: inout String) -> (Int32, Bool) {
        let e = nodes[Int(f.node)]
        let step = Int(f.step)
        switch e.op {
        case .numeric:
            // All pieces up to the next operand that is not a leaf (one template read per node
            // and inner operand).
            guard let t = ctx.templates[Int(e.index)] else { return (-1, false) }
            var i = step
            while true {
                if i == 0 {
                    prelude.use(opcode: Int(e.index))
                    s += f.condition && t.isComparison ? t.conditionHead : t.parts[0]
                } else {
                    s += t.parts[i]
                }
                if i == t.slots.count { return (-1, false) }
                let child = t.slots[i] == 0 ? e.a : e.b
                i += 1
                if !printLeaf(child, into: &s) {
                    frames[frames.count - 1].step = Int32(i)
                    return (child, false)
                }
            }
        case .select:
            switch step {
            case 0: s += "("; return (e.c, true)
            case 1: s += " ? "; return (e.a, false)
            case 2: s += " : "; return (e.b, false)
            default: s += ")"; return (-1, false)
            }
        case .refIsNull:
            if step == 0 {
                s += f.condition ? "(" : "(u32)("
                return (e.a, false)
            }
            s += " == 0)"
        case .tableGet:
            if step == 0 {
                usesInst = true
                // An exnref table's element is read through the runtime (as a global's).
                let exn = ctx.tableType(Int(e.index)).heapType == .exn
                prelude.use(exn ? .tableGetExn : .tableGet)
                s += exn ? "wasmc_table_get_exn(" : "wasmc_table_get("
                s += "inst->tables[\(e.index)], "
                if ctx.tables[Int(e.index)].is64 {
                    prelude.use(.table64)
                    s += "wasmc_table_index64("
                }
                return (e.a, false)
            }
            s += ctx.tables[Int(e.index)].is64 ? "))" : ")"
        case .assign:
            if step == 0 {
                s += "(l"
                s += String(e.index)
                s += " = "
                return (e.a, false)
            }
            s += ")"
        case .paren:
            if step == 0 {
                s += "("
                return (e.a, false)
            }
            s += ")"
        case .load:
            return loadPiece(e, step, into: &s)
        case .vector:
            return vectorPiece(e, step, into: &s)
        case .vectorLoad:
            switch step {
            case 0:
                s += OpcodeTable.entries[Int(e.index)].c
                s += "((m0 + (u64)"
                return (e.a, false)
            case 1:
                addressTail(e.value, into: &s)
                if e.b >= 0 {
                    s += ", "
                    return (e.b, false)
                }
                s += ")"
            default:
                s += ", "
                s += String(e.aux)
                s += ")"
            }
        default:
            break
        }
        return (-1, false)
    }

    /// `wasmc_<name>(a[, lane][, b[, c]][, shuffle lanes])`: a lane immediate follows the vector.
    private func vectorPiece(_ e: ExprNode, _ step: Int, into s: inout String) -> (Int32, Bool) {
        let children = e.c >= 0 ? 3 : e.b >= 0 ? 2 : e.a >= 0 ? 1 : 0
        let immediate = OpcodeTable.typing[Int(e.index)].immediate
        if step == 0 {
            s += OpcodeTable.entries[Int(e.index)].c
            s += "("
        }
        if step == 1 && immediate == .lane {
            s += ", "
            s += String(e.value)
        }
        if step < children {
            if step > 0 { s += ", " }
            return (step == 0 ? e.a : step == 1 ? e.b : e.c, false)
        }
        if immediate == .shuffle {
            let v = v128Literals[Int(e.value)]
            for i in 0..<16 {
                s += ", "
                s += String(v[i])
            }
        }
        s += ")"
        return (-1, false)
    }

    /// Linear memory: the base never moves (reserved up front, guard pages trap by signal), so a
    /// function caches it in `mK` and an access is one dereference with no check and no call.
    private mutating func loadPiece(_ e: ExprNode, _ step: Int, into s: inout String) -> (Int32, Bool) {
        let t = e.type
        let view = MemoryView(t, bytes: Int(e.aux & 15), signed: e.aux & ExprNode.signedBit != 0)
        // cc -O2 would drop a load whose value is unused, and its trap with it: the -O
        // tier loads through helpers that force the read (as wasm2c's FORCE_READ does).
        let forced = ctx.options.optimizingCompiler
        let extends = !view.isFullWidth
        if step == 0 {
            if extends {
                s += t == .i64 ? (view.isSigned ? "((u64)(s64)" : "((u64)") : (view.isSigned ? "((u32)(s32)" : "((u32)")
            } else if !forced {
                s += "("
            }
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
            addressHead(e.index, offset: e.value, bytes: Int(e.aux & 15), into: &s)
            return (e.a, false)
        }
        addressTail(e.value, memory: e.index, bytes: Int(e.aux & 15), into: &s)
        if forced { s += ")" }
        if extends || !forced { s += ")" }
        return (-1, false)
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

    /// Global `i`'s value as an expression of its C type.
    /// An exnref global's is read through the runtime, which may mark the exception shared
    /// (docs/exceptions.md, lifetime: other threads).
    func globalValue(_ i: Int) -> String {
        let t = globals[i].valueType
        if t.heapType == .exn { return "(void *)wasmc_rt_ptr->exn_load((wasmc_exception *const *)&\(globalCell(i)).ref)" }
        return t.readCell(globalCell(i))
    }
}
