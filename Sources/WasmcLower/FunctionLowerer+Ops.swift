import WasmcSyntax

// Instructions other than control flow: numeric templates from the opcode table, locals,
// globals, memory, tables, calls, references.

/// An opcode table C template split once into literal text and operand slots.
struct Template {
    var parts: [String] = []     // literal text between operand slots (one more than slots)
    var slots: [Int] = []        // operand index of each slot
    var uses: [Int] = [0, 0]     // occurrences of $0 and $1
    var traps: UInt8 = 0
    /// `(u32)(a OP b)`: a condition can test the parenthesised comparison directly.
    var isComparison = false

    /// Works on the UTF-8 bytes (the whole table is split once per process: the generic
    /// Character and StringProcessing paths made this half of a small module's translation).
    init(_ c: String, name: String) {
        let b = Array(c.utf8)
        var start = 0
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "$"), i + 1 < b.count, b[i + 1] >= UInt8(ascii: "0"), b[i + 1] <= UInt8(ascii: "9") {
                let d = Int(b[i + 1] - UInt8(ascii: "0"))
                parts.append(String(decoding: b[start..<i], as: UTF8.self))
                slots.append(d)
                uses[d] += 1
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        parts.append(String(decoding: b[start..<b.count], as: UTF8.self))
        if FunctionLowerer.containsBytes(c, "_div_") || FunctionLowerer.containsBytes(c, "_rem_") { traps = TrapKind.division }
        let n = Array(name.utf8)
        if FunctionLowerer.containsBytes(name, ".trunc_f") { traps = TrapKind.conversion }
        let op = String(decoding: n[((n.lastIndex(of: UInt8(ascii: ".")) ?? -1) + 1)...], as: UTF8.self)
        isComparison = b.count > 6 && b[0..<6].elementsEqual(Template.u32Open) && b.last == UInt8(ascii: ")")
            && Template.comparisons.contains(op)
    }

    private static let u32Open: [UInt8] = Array("(u32)(".utf8)  // [UInt8], not String.UTF8View: the generic path was ~5 µs
    private static let comparisons = ["eq", "ne", "lt", "lt_s", "lt_u", "gt", "gt_s", "gt_u", "le", "le_s", "le_u", "ge", "ge_s", "ge_u", "eqz"]

    /// The template over operands $0 and $1 (no array: one per operator was a malloc).
    func apply(_ a0: String, _ a1: String) -> String {
        var length = 0
        for p in parts { length += p.utf8.count }
        for slot in slots { length += slot == 0 ? a0.utf8.count : a1.utf8.count }
        var s = ""
        s.reserveCapacity(length)
        s += parts[0]
        for (i, slot) in slots.enumerated() {
            s += slot == 0 ? a0 : a1
            s += parts[i + 1]
        }
        return s
    }
}

extension Template {
    /// The template of a numeric opcode (nil for other opcodes).
    static func of(_ e: OpcodeInfo) -> Template? {
        switch e.kind {
        case .unary, .binary: Template(e.c, name: e.name)
        default: nil
        }
    }

    /// Every numeric opcode's template, split once per process: for bodies not known in
    /// advance (lowered as they are decoded).
    static let all: [Template?] = OpcodeTable.entries.map(Template.of)

    /// The templates of the numeric opcodes these bodies use (nil elsewhere): splitting all
    /// ~130 cost ~0.13 ms, a tenth of a small module's compile; a module uses a few dozen.
    static func used(by code: [FunctionBody]) -> [Template?] {
        let entries = OpcodeTable.entries
        var t = [Template?](repeating: nil, count: entries.count)
        var seen = [Bool](repeating: false, count: entries.count)
        for body in code {
            for ins in body.instructions where !seen[Int(ins.opcode.rawValue)] {
                let r = Int(ins.opcode.rawValue)
                seen[r] = true
                t[r] = Template.of(entries[r])
            }
        }
        return t
    }
}

extension FunctionLowerer {
    mutating func numeric(_ ins: Instruction) {
        guard let t = ctx.templates[Int(ins.opcode.rawValue)] else { return }
        let count: Int
        let result: ValueType
        switch ins.opcode.kind {
        case .unary(_, let r): count = 1; result = r
        case .binary(_, let r): count = 2; result = r
        default: return
        }
        let n = stack.count
        // An operand the template reads twice (rotates) is held in a temporary first, unless it
        // already is one, a local or a literal: tcc does not inline, so rotates are written out
        // as shifts (sha256: 2.3x faster than a helper call), and tcc folds the literal counts.
        for k in 0..<count where t.uses[k] > 1 && !isPlainOperand(stack[n - count + k]) {
            materialize(at: n - count + k)
        }
        pureTemplate(t, count: count, type: result)
        if t.isComparison {
            let e = stack[stack.count - 1].expr
            stack[stack.count - 1].cond = String(e.dropFirst(5))
        }
    }

    /// A bare local, temporary or literal: reading it twice costs nothing and changes nothing.
    func isPlainOperand(_ e: Entry) -> Bool {
        let x = e.expr
        if e.isConst { return x.first?.isNumber == true && x.allSatisfy { $0.isNumber || $0.isLetter } }
        return (x.first == "l" || x.first == "s") && x.dropFirst().allSatisfy { $0.isNumber || $0.isLetter }
    }

    mutating func lowerSpecial(_ s: Special, _ ins: Instruction) throws {
        switch s {
        case .unreachable:
            materialize(below: stack.count) { $0.traps != 0 }
            emit("WASMC_TRAP(WASMC_TRAP_UNREACHABLE);")
            markUnreachable()
        case .nop: break
        case .block, .loop, .if:
            guard case .block(let bt) = ins.immediate else { return }
            enterBlock(s == .block ? .block : s == .loop ? .loop : .ifThen, bt)
        case .else: elseInstruction()
        case .end: endInstruction()
        case .br: br(Int(ins.index))
        case .brIf: brIf(Int(ins.index))
        case .brTable:
            guard case .brTable(let t) = ins.immediate else { return }
            brTable(t)
        case .return: returnInstruction()
        case .call: call(Int(ins.index))
        case .callIndirect:
            guard case .indices(let t, let table) = ins.immediate else { return }
            callIndirect(t, table)
        case .drop:
            if dropAtomicResult(stack[stack.count - 1].expr) {
                _ = pop()
                return
            }
            if stack[stack.count - 1].traps != 0 {
                // Evaluated for its trap: stored, since tcc skips the load of a value cast to void.
                materialize(below: stack.count) { $0.traps != 0 }
            }
            _ = pop()
        case .select, .selectTyped:
            let n = stack.count
            if stack[n - 3].traps | stack[n - 2].traps != 0 {
                // C evaluates one arm only; wasm evaluates both.
                materialize(at: n - 3)
                materialize(at: n - 2)
            }
            let type = stack[n - 3].type
            let c = stack[n - 1].condition
            pureOp(3, type: type) { "(\(c) ? \($0[0]) : \($0[1]))" }
        case .localGet:
            let i = Int(ins.index)
            if liveness != nil { lastGet[i] = pc }
            push(Entry(expr: localNames[i], type: localTypes[i], locals: 1 << UInt64(i & 63)))
        case .localSet, .localTee:
            let i = Int(ins.index)
            if let l = liveness, l.deadAfter[pc] {
                // Never read again: no C assignment (tcc would store it). A tee leaves its
                // value pending as it is; a set drops it, evaluated only for its trap.
                if s == .localSet {
                    if stack[stack.count - 1].traps != 0 { materialize(below: stack.count) { $0.traps != 0 } }
                    _ = pop()
                }
                return
            }
            let bit: UInt64 = 1 << UInt64(i & 63)
            let v = stack[stack.count - 1]
            materialize(below: stack.count - 1) { $0.locals & bit != 0 || (v.traps != 0 && $0.traps != 0) }
            let e = pop()
            if e.expr != localNames[i] {
                let x = foldLastSet(into: e.expr, traps: e.traps, excluding: i)
                emitAssign(localNames[i], x)
                recordSet(i, x, e.traps, lineLength: localNames[i].utf8.count + x.utf8.count + 7)  // "  lN = x;\n"
                if liveness != nil { lastGet[i] = -1 }
            }
            if s == .localTee { push(Entry(expr: localNames[i], type: localTypes[i], locals: bit)) }
        case .globalGet:
            let i = Int(ins.index)
            let g = ctx.globals[i]
            push(Entry(expr: globalCell(i) + "." + g.valueType.valueField, type: g.valueType,
                       reads: g.mutable ? ReadKind.global : 0, isConst: !g.mutable))
        case .globalSet:
            let i = Int(ins.index)
            let cell = globalCell(i) + "." + ctx.globals[i].valueType.valueField
            effect(1) { "\(cell) = \($0[0])" }
        case .i32Const:
            guard case .i32(let v) = ins.immediate else { return }
            push(Entry(expr: CLiteral.i32(v), type: .i32, isConst: true))
        case .i64Const:
            guard case .i64(let v) = ins.immediate else { return }
            push(Entry(expr: CLiteral.i64(v), type: .i64, isConst: true))
        case .f32Const:
            guard case .f32(let v) = ins.immediate else { return }
            push(Entry(expr: CLiteral.f32(v), type: .f32, isConst: true))
        case .f64Const:
            guard case .f64(let v) = ins.immediate else { return }
            push(Entry(expr: CLiteral.f64(v), type: .f64, isConst: true))
        case .refNull:
            guard case .valueTypes(let ts) = ins.immediate, let t = ts.first else { return }
            push(Entry(expr: "((void *)0)", type: t, isConst: true))
        case .refIsNull:
            pureOp(1, type: .i32) { "(u32)(\($0[0]) == 0)" }
            stack[stack.count - 1].cond = String(stack[stack.count - 1].expr.dropFirst(5))
        case .refFunc:
            push(Entry(expr: "((void *)&inst->funcs[\(ins.index)])", type: .funcref, isConst: true))
        case .memorySize:
            let m = Int(ins.index)
            // An owned memory is never shared: a plain read; others may grow concurrently.
            let len = ctx.ownedMemorySlot(m).map { "inst->owned_memories[\($0)].current_length" }
                ?? "wasmc_memory_length(\(ctx.memoryDefinition(m)))"
            push(Entry(expr: "(u32)(\(len) >> 16)", type: .i32, reads: ReadKind.memory))
        case .memoryGrow:
            let m = Int(ins.index)
            effect(1, result: .i32) { "wasmc_rt_ptr->memory_grow(inst->memory_objects[\(m)], \($0[0]))" }
        case .memoryFill:
            let mem = ctx.memoryDefinition(Int(ins.index))
            effect(3) { "wasmc_rt_ptr->memory_fill(\(mem), \($0[0]), \($0[1]), \($0[2]))" }
        case .memoryCopy:
            guard case .indices(let d, let sIdx) = ins.immediate else { return }
            let dm = ctx.memoryDefinition(Int(d)), sm = ctx.memoryDefinition(Int(sIdx))
            effect(3) { "wasmc_rt_ptr->memory_copy(\(dm), \($0[0]), \(sm), \($0[1]), \($0[2]))" }
        case .memoryInit:
            guard case .indices(let seg, let m) = ins.immediate else { return }
            let mem = ctx.memoryDefinition(Int(m))
            effect(3) {
                "wasmc_rt_ptr->memory_init(\(mem), \($0[0]), inst->data_segments[\(seg)], inst->data_sizes[\(seg)], \($0[1]), \($0[2]))"
            }
        case .dataDrop:
            let d = ins.index
            effect(0) { _ in "wasmc_drop_data(&inst->data_segments[\(d)], &inst->data_sizes[\(d)])" }
        case .tableGet:
            let t = ins.index
            pureOp(1, type: ctx.tableType(Int(t)), traps: TrapKind.table, reads: ReadKind.memory) {
                "wasmc_table_get(inst->tables[\(t)], \($0[0]))"
            }
        case .tableSet:
            let t = ins.index
            effect(2) { "wasmc_table_set(inst->tables[\(t)], \($0[0]), \($0[1]))" }
        case .tableSize:
            push(Entry(expr: "inst->tables[\(ins.index)]->size", type: .i32, reads: ReadKind.memory))
        case .tableGrow:
            let t = ins.index
            effect(2, result: .i32) { "wasmc_rt_ptr->table_grow(inst->tables[\(t)], \($0[0]), \($0[1]))" }
        case .tableFill:
            let t = ins.index
            effect(3) { "wasmc_rt_ptr->table_fill(inst->tables[\(t)], \($0[0]), \($0[1]), \($0[2]))" }
        case .tableCopy:
            guard case .indices(let d, let sIdx) = ins.immediate else { return }
            effect(3) { "wasmc_rt_ptr->table_copy(inst->tables[\(d)], \($0[0]), inst->tables[\(sIdx)], \($0[1]), \($0[2]))" }
        case .tableInit:
            guard case .indices(let e, let t) = ins.immediate else { return }
            effect(3) {
                "wasmc_rt_ptr->table_init(inst->tables[\(t)], \($0[0]), (void *const *)inst->elem_segments[\(e)], inst->elem_sizes[\(e)], \($0[1]), \($0[2]))"
            }
        case .elemDrop:
            let e = ins.index
            effect(0) { _ in "wasmc_drop_elem(&inst->elem_segments[\(e)], &inst->elem_sizes[\(e)])" }
        case .atomicNotify, .atomicWait32, .atomicWait64:
            atomicWaitNotify(s, ins.memarg)
        case .atomicFence:
            effect(0) { _ in "wasmc_atomic_fence()" }
        }
    }

    /// `wasmc_value` cell of global `i`: own globals live in the instance.
    func globalCell(_ i: Int) -> String {
        if i >= ctx.importedGlobalCount { return "inst->defined_globals[\(i - ctx.importedGlobalCount)]" }
        return "(*inst->globals[\(i)])"
    }

    // MARK: calls

    mutating func call(_ f: Int) {
        let ti = ctx.functionTypes[f]
        if f >= ctx.importedFunctionCount {
            callWith(ti, prelude: nil) { "fn\(f)(\((["ctx"] + $0).joined(separator: ", ")))" }
        } else {
            let fr = "inst->funcs[\(f)]"
            let fn = ctx.fnType(ti)
            callWith(ti, prelude: "\(fr).ctx->stack_limit = ctx->stack_limit;") {
                "((\(fn))\(fr).code)(\(([fr + ".ctx"] + $0).joined(separator: ", ")))"
            }
        }
    }

    mutating func callIndirect(_ ti: UInt32, _ table: UInt32) {
        usesFuncref = true
        let nargs = ctx.type(ti).params.count
        let n = stack.count
        flushForEffect(below: n - 1 - nargs)
        // The checks run in their own statement, after every argument is evaluated.
        orderOperands(nargs + 1, materializeTrapping: true)
        let index = pop()
        emit("fr = wasmc_indirect(ctx, inst->tables[\(table)], \(index.expr), inst->type_ids[\(ti)]);")
        let fn = ctx.fnType(ti)
        callWith(ti, prelude: nil) { "((\(fn))fr->code)(\((["fr->ctx"] + $0).joined(separator: ", ")))" }
    }

    mutating func callWith(_ ti: UInt32, prelude: String?, _ make: ([String]) -> String) {
        let ft = ctx.type(ti)
        let k = ft.params.count
        let start = stack.count - k
        flushForEffect(below: start)
        orderOperands(k)
        protectSlot(start)
        let args = stack[start...].map(\.expr)
        let traps = stack[start...].reduce(0) { $0 | $1.traps }
        stack.removeLast(k)
        if let prelude { emit(prelude) }
        let c = foldLastSet(into: make(args), traps: traps)
        switch ft.results.count {
        case 0:
            emit("\(c);")
        case 1:
            let name = temp(start, ft.results[0])
            emitAssign(name, c)
            push(Entry(expr: name, type: ft.results[0], maxTemp: start))
        default:
            let canon = ctx.canonicalType[Int(ti)]
            callTuples.insert(canon)
            emit("c\(canon) = \(c);")
            for (i, t) in ft.results.enumerated() {
                let name = temp(start + i, t)
                emit("\(name) = c\(canon).r\(i);")
                push(Entry(expr: name, type: t, maxTemp: start + i))
            }
        }
    }
}

extension ModuleContext {
    func tableType(_ i: Int) -> ValueType { tables[i].elementType }
}
