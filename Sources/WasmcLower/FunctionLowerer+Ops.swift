import WasmcSyntax

// Instructions other than control flow: numeric templates from the opcode table, locals,
// globals, memory, tables, calls, references.

/// An opcode table C template split once into literal text and operand slots. A class: the
/// printer reads one per node printed (a struct's copy retained each of its arrays).
final class Template: @unchecked Sendable {
    private(set) var parts: [String] = []     // literal text between operand slots (one more than slots)
    private(set) var slots: [Int] = []        // operand index of each slot
    private(set) var uses: [Int] = [0, 0]     // occurrences of $0 and $1
    private(set) var traps: UInt8 = 0
    /// `(u32)(a OP b)`: a condition can test the parenthesised comparison directly.
    private(set) var isComparison = false
    /// For a comparison: the first part without its `(u32)`, as a condition prints it.
    private(set) var conditionHead = ""
    /// `OP` of a template `($0 OP $1)`.
    private(set) var infixOperator: String? = nil
    /// `?:` in the text: an assignment moved into it would run on one arm only.
    private(set) var hasConditional = false

    /// What a node of this template carries (`ExprNode.aux`): uses of $0 and $1, `?:`, comparison.
    var nodeBits: UInt8 {
        UInt8(min(uses[0], 3)) | UInt8(min(uses[1], 3)) << 2 | (hasConditional ? ExprNode.conditionalBit : 0)
            | (isComparison ? ExprNode.comparisonBit : 0)
    }

    /// Works on the UTF-8 bytes (the whole table is split once per process: the generic
    /// Character and StringProcessing paths made this half of a small module's translation).
    init(_ e: OpcodeInfo) {
        let b = Array(e.c.utf8)
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
                if b[i] == UInt8(ascii: "?") { hasConditional = true }
                i += 1
            }
        }
        parts.append(String(decoding: b[start..<b.count], as: UTF8.self))
        if slots == [0, 1], parts[0] == "(", parts[2] == ")", parts[1].utf8.count > 2,
           parts[1].utf8.first == UInt8(ascii: " "), parts[1].utf8.last == UInt8(ascii: " ") {
            infixOperator = String(parts[1].dropFirst().dropLast())
        }
        traps = TrapKind.of(e.traps)
        isComparison = Template.isComparison(b)
        if isComparison { conditionHead = String(decoding: b[5..<parts[0].utf8.count], as: UTF8.self) }
    }

    /// `(u32)(X REL Y)` with a relational or equality operator outside X's and Y's parentheses.
    private static func isComparison(_ b: [UInt8]) -> Bool {
        guard b.count > 6, b[0..<6].elementsEqual(u32Open), b.last == UInt8(ascii: ")") else { return false }
        var depth = 0
        var i = 6
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), eq = UInt8(ascii: "="), bang = UInt8(ascii: "!")
        while i < b.count - 1 {
            let c = b[i]
            if c == UInt8(ascii: "(") { depth += 1 } else if c == UInt8(ascii: ")") { depth -= 1 } else if depth == 0 {
                let next = b[i + 1]
                if (c == eq || c == bang) && next == eq { return true }
                if (c == lt || c == gt) && next != c && (i == 0 || b[i - 1] != c) { return true }
            }
            i += 1
        }
        return false
    }

    private static let u32Open: [UInt8] = Array("(u32)(".utf8)  // [UInt8], not String.UTF8View: the generic path was ~5 µs
}

extension Template {
    /// The template of a numeric opcode (nil for other opcodes).
    static func of(_ e: OpcodeInfo) -> Template? {
        switch e.kind {
        case .unary, .binary: Template(e)
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
        for k in 0..<count where t.uses[k] > 1 && !tree.isPlain(stack[n - count + k]) {
            materialize(at: n - count + k)
        }
        pureOp(count, ExprNode(op: .numeric, type: result, traps: t.traps, aux: t.nodeBits, index: UInt32(ins.opcode.rawValue)))
    }

    mutating func lowerSpecial(_ s: Special, _ ins: Instruction) throws {
        switch s {
        case .memoryGrow, .memoryFill, .memoryCopy, .memoryInit, .dataDrop, .tableSet, .tableGrow, .tableFill,
             .tableCopy, .tableInit, .elemDrop, .atomicNotify, .atomicWait32, .atomicWait64:
            tree.usesInst = true  // their statements name the instance
        default: break
        }
        switch s {
        case .tableSet: tree.prelude.use(.tableSet)
        case .dataDrop: tree.prelude.use(.dropData)
        case .elemDrop: tree.prelude.use(.dropElem)
        case .atomicNotify, .atomicWait32, .atomicWait64, .atomicFence: tree.prelude.use(.atomic)
        default: break
        }
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
        case .callRef: callRef(ins.index)
        case .returnCall: returnCall(Int(ins.index))
        case .returnCallIndirect:
            guard case .indices(let t, let table) = ins.immediate else { return }
            if tailMode && Self.fitsTailSlots(ctx.type(t)) {
                tailCall(t, index: nil, table: table)
            } else {
                leaveTryTablesForTailCall()
                callIndirect(t, table)
                returnInstruction()
            }
        case .returnCallRef:
            if tailMode && Self.fitsTailSlots(ctx.type(ins.index)) {
                tailCall(ins.index, index: nil, table: nil)
            } else {
                leaveTryTablesForTailCall()
                callRef(ins.index)
                returnInstruction()
            }
        case .refAsNonNull:
            let n = stack.count
            flushForEffect(below: n - 1)
            materialize(at: n - 1)
            emit("if (!\(tree.text(stack[n - 1]))) WASMC_TRAP(WASMC_TRAP_NULL_REFERENCE);")
        case .brOnNull:
            flushAll(below: stack.count)
            let r = pop()
            let c = tree.text(r)
            emit("if (!\(c)) { \(branchStatements(Int(ins.index)).joined(separator: " ")) }")
            push(tree[r])
        case .brOnNonNull:
            flushAll(below: stack.count)
            let c = tree.text(stack[stack.count - 1])
            emit("if (\(c)) { \(branchStatements(Int(ins.index)).joined(separator: " ")) }")
            _ = pop()
        case .drop:
            if dropPendingRMW(stack[stack.count - 1]) {
                _ = pop()
                return
            }
            if entry(stack.count - 1).traps != 0 {
                // Evaluated for its trap: stored, since tcc skips the load of a value cast to void.
                materialize(below: stack.count) { $0.traps != 0 }
            }
            _ = pop()
        case .select, .selectTyped:
            let n = stack.count
            if entry(n - 3).traps | entry(n - 2).traps != 0 {
                // C evaluates one arm only; wasm evaluates both.
                materialize(at: n - 3)
                materialize(at: n - 2)
            }
            pureOp(3, ExprNode(op: .select, type: entry(n - 3).type))
        case .localGet:
            let i = Int(ins.index)
            if liveness != nil { lastGet[i] = pc }
            push(ExprNode(op: .local, type: localTypes[i], index: UInt32(i), locals: 1 << UInt64(i & 63)))
        case .localSet, .localTee:
            let i = Int(ins.index)
            if let l = liveness, l.deadAfter[pc] {
                // Never read again: no C assignment (tcc would store it). A tee leaves its
                // value pending as it is; a set drops it, evaluated only for its trap.
                if s == .localSet {
                    if entry(stack.count - 1).traps != 0 { materialize(below: stack.count) { $0.traps != 0 } }
                    _ = pop()
                }
                return
            }
            let bit: UInt64 = 1 << UInt64(i & 63)
            let vt = entry(stack.count - 1).traps
            materialize(below: stack.count - 1) { $0.locals & bit != 0 || (vt != 0 && $0.traps != 0) }
            let v = pop()
            let e = tree[v]
            if !(e.op == .local && Int(e.index) == i) {
                setLocal(i, v)
                if liveness != nil { lastGet[i] = -1 }
            }
            if s == .localTee { push(ExprNode(op: .local, type: localTypes[i], index: UInt32(i), locals: bit)) }
        case .globalGet:
            let i = Int(ins.index)
            let g = ctx.globals[i]
            push(ExprNode(op: .global, type: g.valueType, reads: g.mutable ? ReadKind.global : 0, isConst: !g.mutable,
                          index: UInt32(i)))
        case .globalSet:
            let cell = ctx.globalCell(Int(ins.index)), t = ctx.globals[Int(ins.index)].valueType
            tree.usesInst = true
            if t.heapType == .exn {
                // A counted reference (docs/exceptions.md, lifetime).
                effect(1) { "wasmc_rt_ptr->exn_store((wasmc_exception **)&\(cell).ref, (wasmc_exception *)\($0[0]))" }
            } else {
                effect(1) { t.writeCell(cell, $0[0]) }
            }
        case .i32Const:
            guard case .i32(let v) = ins.immediate else { return }
            push(ExprNode(op: .const, type: .i32, isConst: true, value: UInt64(v)))
        case .i64Const:
            guard case .i64(let v) = ins.immediate else { return }
            push(ExprNode(op: .const, type: .i64, isConst: true, value: v))
        case .f32Const:
            guard case .f32(let v) = ins.immediate else { return }
            push(ExprNode(op: .const, type: .f32, isConst: true, value: UInt64(v)))
        case .f64Const:
            guard case .f64(let v) = ins.immediate else { return }
            push(ExprNode(op: .const, type: .f64, isConst: true, value: v))
        case .refNull:
            guard case .valueTypes(let ts) = ins.immediate, let t = ts.first else { return }
            push(ExprNode(op: .refNull, type: t, isConst: true))
        case .refIsNull:
            pureOp(1, ExprNode(op: .refIsNull, type: .i32))
        case .refFunc:
            push(ExprNode(op: .refFunc, type: .ref(nullable: false, heap: .type(ctx.functionTypes[Int(ins.index)])), isConst: true,
                          index: ins.index))
        case .memorySize:
            let at = ctx.memories[Int(ins.index)].address.valueType
            push(ExprNode(op: .memorySize, type: at, reads: ReadKind.memory, index: ins.index))
        case .memoryGrow:
            let m = Int(ins.index)
            effect(1, result: ctx.memories[m].address.valueType) { "wasmc_rt_ptr->memory_grow(inst->memory_objects[\(m)], \($0[0]))" }
            reloadMemoryCaches()
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
            pureOp(1, ExprNode(op: .tableGet, type: ctx.tableType(Int(ins.index)), traps: TrapKind.table, reads: ReadKind.memory,
                               index: ins.index))
        case .tableSet:
            let t = ins.index
            let i = index64(t)
            let set = ctx.tableType(Int(t)).heapType == .exn ? "wasmc_table_set_exn" : "wasmc_table_set"
            effect(2) { "\(set)(inst->tables[\(t)], \(i($0[0])), \($0[1]))" }
        case .tableSize:
            push(ExprNode(op: .tableSize, type: ctx.tables[Int(ins.index)].address.valueType, reads: ReadKind.memory, index: ins.index))
        case .tableGrow:
            let t = ins.index
            let i = index64(t)
            if ctx.tables[Int(t)].is64 {
                effect(2, result: .i64) { "wasmc_table_grow64(wasmc_rt_ptr->table_grow(inst->tables[\(t)], \($0[0]), \(i($0[1]))))" }
            } else {
                effect(2, result: .i32) { "wasmc_rt_ptr->table_grow(inst->tables[\(t)], \($0[0]), \($0[1]))" }
            }
        case .tableFill:
            let t = ins.index
            let i = index64(t)
            effect(3) { "wasmc_rt_ptr->table_fill(inst->tables[\(t)], \(i($0[0])), \($0[1]), \(i($0[2])))" }
        case .tableCopy:
            guard case .indices(let d, let sIdx) = ins.immediate else { return }
            let di = index64(d), si = index64(sIdx)
            // The length is i64 only when both tables are.
            let ni = ctx.tables[Int(d)].is64 && ctx.tables[Int(sIdx)].is64 ? di : { $0 }
            effect(3) { "wasmc_rt_ptr->table_copy(inst->tables[\(d)], \(di($0[0])), inst->tables[\(sIdx)], \(si($0[1])), \(ni($0[2])))" }
        case .tableInit:
            guard case .indices(let e, let t) = ins.immediate else { return }
            let i = index64(t)
            effect(3) {
                "wasmc_rt_ptr->table_init(inst->tables[\(t)], \(i($0[0])), (void *const *)inst->elem_segments[\(e)], inst->elem_sizes[\(e)], \($0[1]), \($0[2]))"
            }
        case .elemDrop:
            let e = ins.index
            effect(0) { _ in "wasmc_drop_elem(&inst->elem_segments[\(e)], &inst->elem_sizes[\(e)])" }
        case .atomicNotify, .atomicWait32, .atomicWait64:
            atomicWaitNotify(s, ins.memarg)
        case .atomicFence:
            effect(0) { _ in "wasmc_atomic_fence()" }
        case .throw: throwInstruction(ins.index)
        case .throwRef: throwRefInstruction()
        case .tryTable:
            guard case .tryTable(let t) = ins.immediate else { return }
            tryTableInstruction(t)
        case .v128Const:
            v128Const(ins)
        }
    }

    // MARK: calls

    mutating func call(_ f: Int) {
        let ti = ctx.functionTypes[f]
        if f >= ctx.importedFunctionCount {
            callWith(ti) { "fn\(f)(\((["ctx"] + $0).joined(separator: ", ")))" }
        } else {
            let fr = "inst->funcs[\(f)]"
            tree.usesInst = true
            let fn = ctx.fnType(ti)
            callWith(ti) {
                "((\(fn))\(fr).code)(\(([fr + ".ctx"] + $0).joined(separator: ", ")))"
            }
        }
    }

    /// An index or length operand of table `t` as the 32-bit runtime takes it: a 64-bit table's
    /// saturates (`wasmc_table_index64`; nothing past 2^32-1 is inside a table).
    mutating func index64(_ t: UInt32) -> (String) -> String {
        guard ctx.tables[Int(t)].is64 else { return { $0 } }
        tree.prelude.use(.table64)
        return { "wasmc_table_index64(\($0))" }
    }

    mutating func callIndirect(_ ti: UInt32, _ table: UInt32) {
        usesFuncref = true
        let nargs = ctx.type(ti).params.count
        let n = stack.count
        flushForEffect(below: n - 1 - nargs)
        // The checks run in their own statement, after every argument is evaluated.
        orderOperands(nargs + 1, materializeTrapping: true)
        let index = pop()
        tree.usesInst = true
        tree.prelude.use(.indirect)
        let i = index64(table)
        emit("fr = wasmc_indirect(inst->tables[\(table)], \(i(tree.text(index))), inst->type_ids[\(ti)]);")
        let fn = ctx.fnType(ti)
        callWith(ti) { "((\(fn))fr->code)(\((["fr->ctx"] + $0).joined(separator: ", ")))" }
    }

    /// `call_ref`: the reference on top, the arguments below it; null traps.
    mutating func callRef(_ ti: UInt32) {
        usesFuncref = true
        let nargs = ctx.type(ti).params.count
        let n = stack.count
        flushForEffect(below: n - 1 - nargs)
        orderOperands(nargs + 1, materializeTrapping: true)
        let ref = pop()
        emit("fr = (wasmc_funcref *)\(tree.text(ref));")
        emit("if (!fr) WASMC_TRAP(WASMC_TRAP_NULL_FUNCTION_REFERENCE);")
        let fn = ctx.fnType(ti)
        callWith(ti) { "((\(fn))fr->code)(\((["fr->ctx"] + $0).joined(separator: ", ")))" }
    }

    /// `return_call f`: to this function itself, a jump to its start with the arguments as
    /// its parameters and its other locals zeroed again (constant stack); to another function,
    /// a call and a return.
    mutating func returnCall(_ f: Int) {
        guard f == functionIndex else {
            let ti = ctx.functionTypes[f]
            if tailMode && Self.fitsTailSlots(ctx.type(ti)) {
                tailCall(ti, index: f, table: nil)
            } else {
                leaveTryTablesForTailCall()
                call(f)
                returnInstruction()
            }
            return
        }
        let params = ctx.type(typeIndex).params
        let k = params.count
        let start = stack.count - k
        materialize(below: start) { $0.traps != 0 }
        // Every argument into its temporary first (an argument may read a parameter that an
        // earlier assignment would already have changed), but a parameter passed on unchanged.
        func unchanged(_ i: Int) -> Bool { tree[stack[start + i]].op == .local && tree[stack[start + i]].index == UInt32(i) }
        for i in 0..<k where !unchanged(i) { materializeOne(start + i) }
        var s: [String] = []
        for i in 0..<k where !unchanged(i) { s.append("l\(i) = \(tree.text(stack[start + i]));") }
        for i in k..<localTypes.count where liveness.map({ $0.liveAtEntry[i] }) ?? true {
            s.append("l\(i) = \(Self.zero(localTypes[i]));")
        }
        if !handlers.isEmpty, let leave = leaveStatement(to: 0) { s.append(leave) }
        s.append("goto T;")
        emit(s.joined(separator: " "))
        selfTailCalls = true
        markUnreachable()
    }

    /// A tail call from a tail entry (`tailMode`): the arguments go to `tc->args`, the callee
    /// to `tc->entry`/`code`/`ctx`, and the function returns to the trampoline, which makes
    /// the call. The callee: function `index`, else the `table` element on top of the
    /// arguments (`return_call_indirect`), else the reference on top (`return_call_ref`).
    mutating func tailCall(_ ti: UInt32, index: Int?, table: UInt32?) {
        usesFuncref = true
        tree.usesInst = true
        let nargs = ctx.type(ti).params.count
        let callee = index == nil ? 1 : 0
        let n = stack.count
        // Values below the call are discarded, but their traps still happen first.
        materialize(below: n - nargs - callee) { $0.traps != 0 }
        orderOperands(nargs + callee, materializeTrapping: true)
        if let index {
            emit("fr = &inst->funcs[\(index)];")
        } else if let table {
            tree.prelude.use(.indirect)
            let i = pop()
            // A table64's i64 index is checked whole, as call_indirect's (not cut to 32 bits).
            let index = index64(table)
            emit("fr = wasmc_indirect(inst->tables[\(table)], \(index(tree.text(i))), inst->type_ids[\(ti)]);")
        } else {
            let r = pop()
            emit("fr = (wasmc_funcref *)\(tree.text(r));")
            emit("if (!fr) WASMC_TRAP(WASMC_TRAP_NULL_FUNCTION_REFERENCE);")
        }
        let args = takeOperands(nargs)
        let stores = ctx.type(ti).params.enumerated().map { $0.element.writeCell("tc->args[\($0.offset)]", args[$0.offset]) + ";" }
        if !stores.isEmpty { emit(stores.joined(separator: " ")) }
        let k = ctx.canonicalType[Int(ti)]
        tailAdapters.insert(k)
        leaveTryTablesForTailCall()
        emit("tc->entry = fr->tail ? fr->tail : (void *)wasmc_tadapt\(k); tc->code = fr->code; tc->ctx = fr->ctx; return;")
        markUnreachable()
    }

    mutating func callWith(_ ti: UInt32, _ make: ([String]) -> String) {
        let ft = ctx.type(ti)
        let k = ft.params.count
        let start = stack.count - k
        flushForEffect(below: start)
        orderOperands(k)
        protectSlot(start)
        let c = make(takeOperands(k))
        switch ft.results.count {
        case 0:
            emit("\(c);")
        case 1:
            let name = temp(start, ft.results[0])
            emit("\(name) = \(c);")
            push(Self.tempNode(start, ft.results[0]))
        default:
            let canon = ctx.canonicalType[Int(ti)]
            callTuples.insert(canon)
            emit("c\(canon) = \(c);")
            for (i, t) in ft.results.enumerated() {
                let name = temp(start + i, t)
                emit("\(name) = c\(canon).r\(i);")
                push(Self.tempNode(start + i, t))
            }
        }
        reloadMemoryCaches()
    }
}

extension ModuleContext {
    func tableType(_ i: Int) -> ValueType { tables[i].elementType }
}
