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
    /// A v128 node printed as one of its u64 halves (0: lo, 1: hi); -1: whole.
    var half: Int8 = -1
    /// The half printed as an f64 (`.lanewiseF64` operations and their operands).
    var f64 = false
}

extension ExprTree {
    /// Appends the C of `n` to `s`.
    mutating func print(_ n: Int32, into s: inout String) {
        walk(n, condition: false, half: -1, f64: false, into: &s)
    }

    /// Appends the C of half `half` (0: lanes in bytes 0–7, 1: bytes 8–15) of `n`, a node that
    /// `printsHalves`: a u64 expression.
    mutating func print(_ n: Int32, half: Int8, f64: Bool = false, into s: inout String) {
        walk(n, condition: false, half: half, f64: f64, into: &s)
    }

    /// `n` computes its halves as f64 values (`.lanewiseF64`): an assignment or store of it
    /// writes them through an f64 lvalue.
    func printsF64Halves(_ n: Int32) -> Bool {
        let e = nodes[Int(n)]
        return e.op == .vector && e.halves && OpcodeTable.entries[Int(e.index)].halves == .lanewiseF64
    }

    /// `n` as a C truth value: a comparison without its `(u32)` conversion.
    mutating func printCondition(_ n: Int32, into s: inout String) {
        walk(n, condition: true, half: -1, f64: false, into: &s)
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
    /// The largest 64-bit memory the runtime reserves whole (WASMC_RESERVATION64_MAX): beyond,
    /// a non-shared memory's base moves when it grows (`ModuleContext.baseMoves`).
    static let reservation64Max: UInt64 = 1 << 40

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
            s += ", "
            if m < 64 && cachedLengths & (1 << UInt64(m)) != 0 {
                s += "n"
                s += String(m)
            } else {
                if ctx.ownedMemorySlot(m) == nil { prelude.use(.memoryLength) }
                s += ctx.memoryLength(m)
            }
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
    private mutating func walk(_ root: Int32, condition: Bool, half: Int8, f64: Bool, into s: inout String) {
        if printLeaf(root, half: half, f64: f64, into: &s) { return }
        let base = frames.count
        frames.append(PrintFrame(node: root, step: 0, condition: condition, half: half, f64: f64))
        while frames.count > base {
            let f = frames[frames.count - 1]
            frames[frames.count - 1].step += 1
            let (child, childCondition) = piece(f, into: &s)
            if child < 0 {
                frames.removeLast()
                continue
            }
            let h = childHalf(f, child)
            // A node printed in the other view of itself (a u64 half of an f64 operation, an
            // f64 half of another node) or a v128 operand of an f64 operation.
            let g = child == f.node ? !f.f64 : f.f64 && h >= 0 && printsF64Halves(f.node)
            if !printLeaf(child, half: h, f64: g, into: &s) {
                frames.append(PrintFrame(node: child, step: 0, condition: childCondition, half: h, f64: g))
            }
        }
    }

    /// The half a child is printed as: a v128 operand of a node printed as a half is printed as
    /// the same half, but a `.fromLow`/`.fromHigh` node's as its low/high half and a shuffle's
    /// as each half in turn (`f.step`: the piece that returned the child); an `extract_lane`'s
    /// as the half holding the lane; -1 (whole) otherwise.
    private func childHalf(_ f: PrintFrame, _ child: Int32) -> Int8 {
        guard nodes[Int(child)].type == .v128 else { return -1 }
        let p = nodes[Int(f.node)]
        if f.half >= 0 {
            if child == f.node || p.op != .vector { return f.half }
            switch OpcodeTable.entries[Int(p.index)].halves {
            case .fromLow: return 0
            case .fromHigh: return 1
            case .shuffle: return Int8(f.step & 1)
            default: return f.half
            }
        }
        if p.op == .vector && p.type != .v128 && OpcodeTable.entries[Int(p.index)].halves == .lane && printsHalves(child) {
            return Int8(laneHalf(p).half)
        }
        return -1
    }

    /// A `.lane` node's lane as (the half holding it, the lane within that half).
    private func laneHalf(_ e: ExprNode) -> (half: Int, lane: Int) {
        guard case .vector(let lanes) = OpcodeTable.entries[Int(e.index)].kind else { return (0, 0) }
        let per = Int(lanes) / 2
        return (Int(e.value) / per, Int(e.value) % per)
    }

    /// Prints `n` if it has no operands.
    private mutating func printLeaf(_ n: Int32, half: Int8 = -1, f64: Bool = false, into s: inout String) -> Bool {
        let e = nodes[Int(n)]
        if half >= 0 && e.type == .v128 {
            if f64 { return printF64HalfLeaf(e, half, into: &s) }
            return printHalfLeaf(e, half, into: &s)
        }
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

    /// One half of a v128 leaf: a variable's field, a literal, a global's half in place.
    private mutating func printHalfLeaf(_ e: ExprNode, _ half: Int8, into s: inout String) -> Bool {
        switch e.op {
        case .local, .temp:
            s += e.op == .local ? "l" : "s"
            s += String(e.index)
            if e.op == .temp { s.append(e.type.tempSuffix) }
            s += half == 0 ? ".lo" : ".hi"
        case .const:
            let v = v128Literals[Int(e.value)]
            s += "0x"
            s += String(half == 0 ? v.lo : v.hi, radix: 16)
            s += "ull"
        case .global:
            usesInst = true
            s += half == 0 ? "WASMC_V128_LO(" : "WASMC_V128_HI("
            s += ctx.globalValue(Int(e.index))
            s += ")"
        default:
            return false
        }
        return true
    }

    /// A half of `e` is 8 bytes read from memory, readable as an f64 in place.
    private func readsF64(_ e: ExprNode) -> Bool {
        guard e.op == .vectorLoad, case .vectorLoad(let bytes) = OpcodeTable.entries[Int(e.index)].kind else { return false }
        return bytes != 4
    }

    /// One half of a v128 leaf as an f64: a variable's field read as f64 (a frame slot to tcc,
    /// no conversion), a literal, a global's half.
    private mutating func printF64HalfLeaf(_ e: ExprNode, _ half: Int8, into s: inout String) -> Bool {
        switch e.op {
        case .local, .temp:
            s += "(*(f64 *)&"
            _ = printHalfLeaf(e, half, into: &s)
            s += ")"
        case .const:
            let v = v128Literals[Int(e.value)]
            let bits = half == 0 ? v.lo : v.hi
            if CLiteral.f64NeedsBits(bits) { prelude.use(.f64Bits) }
            s += CLiteral.f64(bits)
        case .global:
            s += "WASMC_HG_OF("
            _ = printHalfLeaf(e, half, into: &s)
            s += ")"
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
        case _ where f.half >= 0 && f.f64 != printsF64Halves(f.node) && !(f.f64 && readsF64(e)):
            // The other view of this node's half: its bits as an f64, or an f64's bits.
            if step == 0 {
                s += f.f64 ? "WASMC_HG_OF(" : "WASMC_HG_BITS("
                return (f.node, false)
            }
            s += ")"
        case .vector:
            if f.half >= 0 { return halfVectorPiece(e, step, half: Int(f.half), into: &s) }
            if e.type != .v128 && OpcodeTable.entries[Int(e.index)].halves == .lane && printsHalves(e.a) {
                // extract_lane from the half holding the lane.
                if step == 0 {
                    s += OpcodeTable.entries[Int(e.index)].halfC
                    s += "("
                    return (e.a, false)
                }
                s += ", "
                s += String(laneHalf(e).lane)
                s += ")"
                return (-1, false)
            }
            return vectorPiece(e, step, into: &s)
        case .vectorLoad where f.half >= 0:
            // A half of v128.load: 8 bytes at the address (+ 8 for the high half); of a splat
            // load, the splat of the one read (each half reads it: either may be printed alone).
            guard case .vectorLoad(let bytes) = OpcodeTable.entries[Int(e.index)].kind else { break }
            if step == 0 {
                s += bytes == 4 ? "wasmc_h_i32x4_splat(*(wasmc_u32u *)(m0 + (u64)"
                    : f.f64 ? "(*(wasmc_f64u *)(m0 + (u64)" : "(*(wasmc_u64u *)(m0 + (u64)"
                return (e.a, false)
            }
            addressTail(e.value + (bytes == 16 ? UInt64(f.half) * 8 : 0), into: &s)
            s += ")"
        case .vectorLoad:
            switch step {
            case 0:
                s += e.b < 0 && e.aux == ExprNode.splitLoad ? "wasmc_v128_load_split" : OpcodeTable.entries[Int(e.index)].c
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

    /// One half of a `.lanewise` node, `wasmc_h_<name>(a, b, …)` with the operands' same halves
    /// and its scalar operands; of a `replace_lane`, the operand's half with the lane replaced if
    /// the lane is in it.
    private func halfVectorPiece(_ e: ExprNode, _ step: Int, half: Int, into s: inout String) -> (Int32, Bool) {
        let row = OpcodeTable.entries[Int(e.index)]
        if row.halves == .shuffle {
            // wasmc_h_i8x16_shuffle(a.lo, a.hi, b.lo, b.hi, 8 indices of this half)
            if step == 0 {
                s += row.halfC
                s += "("
            }
            if step < 4 {
                if step > 0 { s += ", " }
                return (step < 2 ? e.a : e.b, false)
            }
            let v = v128Literals[Int(e.value)]
            for i in 0..<8 {
                s += ", "
                s += String(v[8 * half + i])
            }
            s += ")"
            return (-1, false)
        }
        if row.halves == .fromLow || row.halves == .fromHigh {
            if step == 0 {
                s += row.halfC
                s += "("
                return (e.a, false)
            }
            s += ", "
            s += String(half)
            s += ")"
            return (-1, false)
        }
        if row.halves == .lane {
            let (h, lane) = laneHalf(e)
            if h != half { return (step == 0 ? e.a : -1, false) }
            switch step {
            case 0:
                s += row.halfC
                s += "("
                return (e.a, false)
            case 1:
                s += ", "
                s += String(lane)
                s += ", "
                return (e.b, false)
            default:
                s += ")"
                return (-1, false)
            }
        }
        let children = e.c >= 0 ? 3 : e.b >= 0 ? 2 : e.a >= 0 ? 1 : 0
        if step == 0 {
            s += row.halfC
            s += "("
        }
        if step < children {
            if step > 0 { s += ", " }
            return (step == 0 ? e.a : step == 1 ? e.b : e.c, false)
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
