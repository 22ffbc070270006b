import WasmcSyntax

// Wasm 3.0 exception handling (docs/exceptions.md). A `try_table` saves the registers in a
// handler in this function's frame (`wasmc_try`, a setjmp) and links it as the thread's
// innermost (`exn_enter`); a throw lands back at that `wasmc_try`, which returns 1, and the
// catch clauses compare the tag and branch to their labels with the payload, as a `br` would.
// Every way out of a try_table body unlinks its handler: the fall-through end, and each branch
// or return, which unlinks all the handlers it leaves with one `exn_leave` of the outermost.
// Functions without try_table are lowered as before: nothing here runs for them.

extension FunctionLowerer {
    /// `throw x`: the payload into a new exception, then unwind to the innermost handler.
    mutating func throwInstruction(_ tagIndex: UInt32) {
        let params = ctx.tagType(Int(tagIndex)).params
        tree.usesInst = true
        // Exnrefs in the payload are counted references (docs/exceptions.md, lifetime).
        let mask = ctx.exnrefMask(Int(tagIndex))
        // Operands that may trap are evaluated before the exception is allocated.
        effect(params.count, materializeTrapping: true) { args in
            var c = "{ wasmc_exception *e = wasmc_rt_ptr->exn_new(inst->tags[\(tagIndex)], \(params.count)u); "
            for (i, (t, a)) in zip(params, args).enumerated() { c += t.writeCell("e->payload[\(i)]", a) + "; " }
            if mask != 0 { c += "wasmc_rt_ptr->exn_refs(e, \(mask)ull); " }
            return c + "wasmc_rt_ptr->exn_throw(e); }"
        }
        markUnreachable()
    }

    /// `throw_ref`: the runtime traps on a null reference.
    mutating func throwRefInstruction() {
        effect(1) { "wasmc_rt_ptr->exn_throw((wasmc_exception *)\($0[0]))" }
        markUnreachable()
    }

    /// `try_table`: the catch clauses (run when a throw lands here), then the handler linked.
    mutating func tryTableInstruction(_ table: TryTable) {
        let sig = blockSignature(table.blockType)
        flushAll(below: stack.count)
        let label = newLabel()
        handlers.append(label)
        tree.usesInst = true
        tree.prelude.use(.tryTable)
        let h = "h\(label)"
        emit("if (wasmc_try(&\(h))) {")
        // A call in the body may have moved a memory, and after the longjmp a local changed
        // since wasmc_try is indeterminate: the bases are read again first.
        reloadMemoryCaches()
        var catchesAll = false
        for clause in table.catches {
            let fi = control.count - 1 - Int(clause.label)
            control[fi].targeted = true
            let f = control[fi]
            let types = f.kind == .function ? f.results : f.branchTypes
            var values: [String] = []
            if clause.kind.hasTag {
                for (i, t) in ctx.tagType(Int(clause.tag)).params.enumerated() {
                    values.append(t.readCell("\(h).exception->payload[\(i)]"))
                }
            }
            var body = ""
            if clause.kind.passesRef {
                body += "wasmc_rt_ptr->exn_keep(\(h).exception); "
                values.append("\(h).exception")
            }
            for (i, v) in values.enumerated() { body += "\(temp(f.height + i, types[i])) = \(v); " }
            if !clause.kind.passesRef { body += "wasmc_rt_ptr->exn_drop(\(h).exception); " }
            if let leave = leaveStatement(to: fi) { body += leave + " " }
            // To the function's label: a return of the values, through the temporaries (read
            // before the exception is freed).
            body += f.kind == .function ? returnOf(types.indices.map { temp($0, types[$0]) }) : "goto L\(f.label);"
            if clause.kind.hasTag {
                emit("  if (\(h).exception->tag == inst->tags[\(clause.tag)]) { \(body) }")
            } else {
                emit("  { \(body) }")
                catchesAll = true
                break
            }
        }
        if !catchesAll { emit("  wasmc_rt_ptr->exn_throw(\(h).exception);") }
        emit("}")
        emit("wasmc_rt_ptr->exn_enter(&\(h));")
        let height = stack.count - sig.params.count
        var f = Frame(kind: .block, label: label, height: height, params: sig.params, results: sig.results)
        f.handler = label
        control.append(f)
    }

    /// The statement unlinking every handler a branch to frame `fi` leaves (nil: none): the
    /// outermost try_table frame at or inside `fi`.
    func leaveStatement(to fi: Int) -> String? {
        var i = max(fi, 0)
        while i < control.count {
            if let h = control[i].handler { return "wasmc_rt_ptr->exn_leave(&h\(h));" }
            i += 1
        }
        return nil
    }

    /// A tail call leaves the function before its callee runs: the callee's exceptions are not
    /// this function's try_tables' to catch (their handlers are unlinked first).
    mutating func leaveTryTablesForTailCall() {
        if !handlers.isEmpty, let leave = leaveStatement(to: 0) { emit(leave) }
    }

    /// Per local: written by a `local.set`/`local.tee` inside a try_table body, so declared
    /// `volatile` (cc -O2 must not keep it in a register that the throw's jump restores to
    /// its value at `wasmc_try`). Nil when the body has no try_table.
    static func localsWrittenInTry(_ code: [Instruction], localCount: Int) -> [Bool]? {
        var written: [Bool]? = nil
        var opens: [Bool] = []  // per open block: is it a try_table
        var depth = 0           // open try_tables
        for ins in code {
            guard case .special(let s) = ins.opcode.kind else { continue }
            switch s {
            case .block, .loop, .if: opens.append(false)
            case .tryTable:
                opens.append(true)
                depth += 1
                if written == nil { written = [Bool](repeating: false, count: localCount) }
            case .end:
                if opens.popLast() == true { depth -= 1 }
            case .localSet, .localTee:
                if depth > 0, case .index(let i) = ins.immediate, Int(i) < localCount { written![Int(i)] = true }
            default: break
            }
        }
        return written
    }
}

extension ModuleContext {
    /// The function type of tag `i` (its parameters are the payload).
    func tagType(_ i: Int) -> FuncType { module.types[Int(tags[i])] }

    /// Bit k: parameter k of tag `i` is an exnref (the runtime's `exnref_mask`; the lowering
    /// rejects an exnref past the first WASMC_EXN_MASK_BITS, `Lowerer.checkTags`).
    func exnrefMask(_ i: Int) -> UInt64 {
        var mask: UInt64 = 0
        for (k, t) in tagType(i).params.enumerated() where t.heapType == .exn && k < 64 { mask |= 1 << UInt64(k) }
        return mask
    }
}
