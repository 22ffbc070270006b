import WasmcSyntax

// Structured control flow → labels and gotos. Block results, loop parameters and branch values
// travel through the depth-named temporaries; code after an unconditional transfer is skipped
// up to the matching `else`/`end` (no recursion: one loop over the instructions).

extension FunctionLowerer {
    func blockSignature(_ bt: BlockType) -> (params: [ValueType], results: [ValueType]) {
        switch bt {
        case .empty: return ([], [])
        case .value(let t): return ([], [t])
        case .type(let i): let t = ctx.type(i); return (t.params, t.results)
        }
    }

    /// Lowers the body; returns the complete C definition of the function.
    mutating func lower() throws -> String {
        let ft = ctx.type(typeIndex)
        localTypes = ft.params
        for d in body.locals {
            if d.type == .v128 { tree.prelude.useSIMD() }
            localTypes += Array(repeating: d.type, count: Int(d.count))
        }
        localNames = (0..<localTypes.count).map { "l\($0)" }
        volatileLocals = Self.localsWrittenInTry(body.instructions, localCount: localTypes.count)
        // gcc -O2 finds dead stores itself; tcc stores every assignment. Only where a store can
        // repeat, in a function with a loop: the analysis is a pass over the body, and it cost
        // the 5.2 MB benchmark module (536 loops in 6,001 functions) ~12% of its compile CPU when
        // run on every function; the kernels gain only in their loops (matmul 3.5%).
        // A throw is an edge neither analysis sees: functions with a try_table go without them.
        if volatileLocals != nil {
            doWhileLoops = [Bool](repeating: false, count: body.instructions.count)
        } else if !ctx.options.optimizingCompiler && Self.hasLoop(body.instructions) {
            liveness = LocalLiveness(body.instructions, locals: localTypes.count)
            doWhileLoops = liveness?.doWhileLoops  // found in the same walk
            lastGet = [Int](repeating: -1, count: localTypes.count)
        }
        tailMode = Self.makesTailCalls(body.instructions, functionIndex) && Self.fitsTailSlots(ft)
        control.append(Frame(kind: .function, label: 0, height: 0, params: [], results: ft.results))
        for (pc, ins) in body.instructions.enumerated() {
            if control.isEmpty { break }
            self.pc = pc
            // Nothing pending refers to a node: their storage is reused.
            if stack.isEmpty && pendingSets.isEmpty {
                tree.nodes.removeAll(keepingCapacity: true)
                tree.v128Literals.removeAll(keepingCapacity: true)
            }
            do {
                try lowerInstruction(ins)
            } catch var e as WasmError {
                if e.functionIndex == nil { e.functionIndex = UInt32(functionIndex) }
                if e.offset == nil, pc < body.offsets.count { e.offset = Int(body.offsets[pc]) }
                throw e
            }
        }
        flushPending()
        return assemble(ft)
    }

    /// Whether the body tail-calls another function (a self tail call is a jump).
    static func makesTailCalls(_ code: [Instruction], _ index: Int) -> Bool {
        let direct = tailOpcodes.direct, indirect = tailOpcodes.indirect, ref = tailOpcodes.ref
        return code.contains { ins in
            let op = ins.opcode.rawValue
            return op == indirect || op == ref || (op == direct && ins.index != UInt32(index))
        }
    }
    static let tailOpcodes = (direct: Opcode(.returnCall).rawValue, indirect: Opcode(.returnCallIndirect).rawValue,
                              ref: Opcode(.returnCallRef).rawValue)

    /// Arguments and results of a tail call travel in `wasmc_tail_call.args`.
    static let tailSlots = 32  // WASMC_TAIL_SLOTS
    static func fitsTailSlots(_ t: FuncType) -> Bool { t.params.count <= tailSlots && t.results.count <= tailSlots }

    static func hasLoop(_ code: [Instruction]) -> Bool {
        let kinds = LiveOp.table
        return code.contains { kinds[Int($0.opcode.rawValue)] == LiveOp.loop }
    }

    mutating func lowerInstruction(_ ins: Instruction) throws {
        let kind = ins.opcode.kind
        if !reachable {
            // Skipping dead code: only nesting matters until the frame's else/end.
            guard case .special(let s) = kind else { return }
            switch s {
            case .block, .loop, .if, .tryTable: skipDepth += 1
            case .else: if skipDepth == 0 { elseInstruction() }
            case .end: if skipDepth > 0 { skipDepth -= 1 } else { endInstruction() }
            default: break
            }
            return
        }
        if ctx.options.optimizingCompiler, case .special(let s) = kind, s == .localSet || s == .localTee {
            recentStores.reassigned(ins.index)
        }
        switch kind {
        case .special(let s): try lowerSpecial(s, ins)
        case .unary, .binary: numeric(ins)
        case .load(let t, let bytes, let signed): load(ins, t, bytes, signed)
        case .atomicLoad(let t, let bytes): atomicLoad(ins.memarg, t, bytes)
        case .atomicStore(_, let bytes): atomicStore(ins.memarg, bytes)
        case .atomicRMW(let t, let bytes, let op): atomicRMW(ins.memarg, t, bytes, op.rawValue)
        case .atomicCmpxchg(let t, let bytes): atomicCmpxchg(ins.memarg, t, bytes)
        case .store(let t, let bytes): store(ins.memarg, t, bytes)
        case .vector: vector(ins)
        case .vectorLoad: vectorLoad(ins, vector: false)
        case .vectorLoadLane: vectorLoad(ins, vector: true)
        case .vectorStore, .vectorStoreLane: vectorStore(ins)
        }
    }

    // MARK: blocks

    mutating func enterBlock(_ kind: Frame.Kind, _ bt: BlockType) {
        let sig = blockSignature(bt)
        let label = newLabel()
        let height = stack.count - sig.params.count
        var f = Frame(kind: kind, label: label, height: height, params: sig.params, results: sig.results)
        switch kind {
        case .loop:
            recentStores.enterLoop()
            flushAll(below: stack.count)
            for i in height..<stack.count { materializeOne(i) }  // literals too: back edges write them
            if doWhileLoops == nil { doWhileLoops = DoWhileLoops.find(body.instructions) }
            if sig.params.isEmpty && doWhileLoops![pc] {
                f.doWhile = true
                emit("do {")
            } else {
                emit("L\(label):;")
            }
        case .ifThen:
            // The condition stays on the stack while the rest is flushed: a folded assignment
            // must see that it reads the local (isDeadAfterLastRead).
            flushAll(below: stack.count - 1)
            let cond = pop()
            f.height = stack.count - sig.params.count
            f.paramEntries = stack[f.height...].map { tree[$0] }
            emit("if (!\(conditionText(cond))) goto E\(label);")
        default:
            flushAll(below: stack.count)
        }
        control.append(f)
    }

    mutating func elseInstruction() {
        let fi = control.count - 1
        let f = control[fi]
        if reachable {
            for s in branchStatements(0) { emit(s) }
        }
        emit("E\(f.label):;")
        truncate(to: f.height)
        for e in f.paramEntries { push(e) }
        control[fi].kind = .ifElse
        reachable = f.reachableAtEntry
        skipDepth = 0
    }

    mutating func endInstruction() {
        var f = control[control.count - 1]
        if f.kind == .ifThen {
            // No else: the false path carries the parameters through as results.
            elseInstruction()
            f = control[control.count - 1]
        }
        switch f.kind {
        case .function:
            if reachable { emit(returnStatement()) }
            control.removeLast()
            return
        case .loop:
            if f.doWhile && !f.doWhileClosed { emit("} while (0);") }  // its br_if was unreachable
            recentStores.leaveLoop()
            control.removeLast()
            return  // results stay where they are; nothing branches to a loop's end
        default:
            break
        }
        if reachable {
            let k = f.results.count
            let n = stack.count
            for i in 0..<k {
                let name = temp(f.height + i, f.results[i])
                let v = stack[n - k + i]
                if !isTemp(v, f.height + i, f.results[i]) { emitAssign(name, v, depth: f.height + i) }
            }
            if let h = f.handler { emit("wasmc_rt_ptr->exn_leave(&h\(h));") }
        }
        let f2 = control.removeLast()
        if f2.targeted { emit("L\(f2.label):;") }
        let after = reachable || f2.targeted
        truncate(to: f.height)
        if after {
            for (i, t) in f.results.enumerated() {
                markTemp(f.height + i, t)
                push(Self.tempNode(f.height + i, t))
            }
            reachable = true
        } else {
            markUnreachable()
        }
    }

    // MARK: branches

    mutating func br(_ depth: Int) {
        let f = control[control.count - 1 - Int(depth)]
        let k = f.kind == .function ? f.results.count : f.branchTypes.count
        // Values left below the branch values are discarded, but their traps still happen.
        materialize(below: stack.count - k) { $0.traps != 0 }
        orderOperands(k)
        for s in branchStatements(depth) { emit(s) }
        markUnreachable()
    }

    mutating func brIf(_ depth: Int) {
        flushAll(below: stack.count - 1)  // the condition still on the stack, as for `if`
        let cond = pop()
        let fi = control.count - 1 - depth
        if control[fi].doWhile && !control[fi].doWhileClosed {
            // The loop's only back edge; the rest of the loop follows the `while`.
            emit("} while (\(conditionText(cond)));")
            control[fi].doWhileClosed = true
            return
        }
        let c = conditionText(cond)
        let s = branchStatements(depth)
        emit("if (\(c)) { \(s.joined(separator: " ")) }")
    }

    mutating func brTable(_ table: BrTable) {
        flushAll(below: stack.count - 1)  // the index still on the stack, as for `if`
        let index = pop()
        // One arm per distinct target, in order of first use; cases listed linearly.
        var order: [UInt32] = []
        var cases: [UInt32: [Int]] = [:]
        for (i, t) in table.targets.enumerated() {
            if cases[t] == nil { order.append(t); cases[t] = [] }
            cases[t]!.append(i)
        }
        emit("switch (\(tree.text(index))) {")
        for t in order where t != table.defaultTarget {
            var line = ""
            for c in cases[t]! { line += "case \(c): " }
            emit(line)
            for s in branchStatements(Int(t)) { emit("  " + s) }
        }
        var line = ""
        for c in cases[table.defaultTarget] ?? [] { line += "case \(c): " }
        emit(line + "default:")
        for s in branchStatements(Int(table.defaultTarget)) { emit("  " + s) }
        emit("}")
        markUnreachable()
    }

    mutating func returnInstruction() {
        let k = ctx.type(typeIndex).results.count
        materialize(below: stack.count - k) { $0.traps != 0 }
        orderOperands(k)
        if !handlers.isEmpty, let leave = leaveStatement(to: 0) { emit(leave) }
        emit(returnStatement())
        markUnreachable()
    }
}
