import WasmcSyntax

extension FunctionLowerer {
    /// The C initial value of a local of type `t` (wasm zero-initialises locals): a `v128` is a
    /// struct or vector, to which the integer 0 does not convert.
    static func zero(_ t: ValueType) -> String {
        t == .v128 ? "wasmc_v128_const(0, 0)" : "0"
    }

    /// C signature of function `index` (parameters are locals l0..l(n-1)).
    /// `volatileLocals`: parameters a try_table body writes (the definition's, not the prototype's).
    static func signature(_ ctx: ModuleContext, _ index: Int, volatileLocals: [Bool]? = nil) -> String {
        let ti = ctx.functionTypes[index]
        var s = "static \(ctx.returnType(ti)) fn\(index)(wasmc_instance *ctx"
        for (i, p) in ctx.type(ti).params.enumerated() {
            s += ", \(p.cType)\(volatileLocals?[i] == true ? " volatile" : "") l\(i)"
        }
        return s + ")"
    }

    /// Declarations, the stack check, then the body.
    func assemble(_ ft: FuncType) -> String {
        var s = ""
        if tailMode {
            // The adapters this body names are defined after every function.
            for k in tailAdapters.sorted() { s += "static void wasmc_tadapt\(k)(wasmc_instance *, wasmc_tail_call *);\n" }
            s += "static void tfn\(functionIndex)(wasmc_instance *ctx, wasmc_tail_call *tc) {\n"
            for (i, p) in ft.params.enumerated() {
                let qualifier = volatileLocals?[i] == true ? "volatile " : ""
                s += "  \(p.isReference ? "void *" + qualifier : p.cType + " " + qualifier)l\(i) = " + p.readCell("tc->args[\(i)]") + ";\n"
            }
        } else {
            s += Self.signature(ctx, functionIndex, volatileLocals: volatileLocals) + " {\n"
        }
        // tcc keeps the copy in a stack slot: a function that never reads it (fib) goes without.
        let usesInst = usedMemories != 0 || tree.usesInst
        if usesInst { s += "  wasmc_module_instance *inst = (wasmc_module_instance *)ctx;\n" }
        var slots = localTypes.count
        // Locals in runs of one type; wasm zero-initialises them.
        var i = ft.params.count
        while i < localTypes.count {
            if volatileLocals?[i] == true {
                // One per line: `volatile` qualifies the declarator.
                s += "  \(localTypes[i].cType) volatile l\(i) = \(Self.zero(localTypes[i]));\n"
                i += 1
                continue
            }
            let t = localTypes[i]
            var line = t.isReference ? "  void " : "  \(t.cType) "
            var n = 0
            while i < localTypes.count, localTypes[i] == t, n < 16, volatileLocals?[i] != true {
                // A local written before any read on every path needs no zero (tcc stores it).
                let zero = liveness.map { $0.liveAtEntry[i] } ?? true
                line += (n == 0 ? "" : ", ") + (t.isReference ? "*" : "") + "l\(i)" + (zero ? " = " + Self.zero(t) : "")
                i += 1
                n += 1
            }
            s += line + ";\n"
        }
        for k in ValueType.byTempKind.indices {
            let t = ValueType.byTempKind[k]
            var names: [String] = []
            for (d, used) in usedTemps[k].enumerated() where used {
                names.append((t.isReference ? "*" : "") + "s\(d)\(t.tempSuffix)")
                slots += 1
            }
            var j = 0
            while j < names.count {
                let chunk = names[j..<min(j + 16, names.count)]
                s += "  \(t.isReference ? "void " : t.cType + " ")\(chunk.joined(separator: ", "));\n"
                j += 16
            }
        }
        // Read once here, one dereference per access (bases that move are read again after
        // calls and grows).
        var bases = usedMemories | movedBases
        while bases != 0 {
            let k = bases.trailingZeroBitCount
            s += "  u8 *m\(k) = \(ctx.memoryBase(k));\n"
            bases &= bases &- 1
        }
        var lengths = cachedLengths
        while lengths != 0 {
            let k = lengths.trailingZeroBitCount
            s += "  u64 n\(k) = \(ctx.memoryLength(k));\n"
            lengths &= lengths &- 1
        }
        if usesFuncref { s += "  wasmc_funcref *fr;\n" }
        for c in callTuples.sorted() { s += "  wasmc_res\(c) c\(c);\n" }
        if usesReturnTuple { s += "  \(ctx.returnType(typeIndex)) rv;\n" }
        for h in handlers { s += "  wasmc_handler h\(h);\n" }
        // Stack exhaustion: the frame (estimated generously) must fit above the limit.
        let frame = 256 + 8 * slots + 32 * callTuples.count + 96 * handlers.count
        // (An interruption raises the limit, so this check also stops calls: see WASMC_CHECK_STACK.)
        if selfTailCalls { s += "T:\n" }
        s += "  WASMC_CHECK_STACK(\(frame)u);\n"
        if usesInst { s += "  (void)inst;\n" }
        s += out
        s += "}\n"
        if tailMode { s += trampoline(ft) }
        return s
    }

    /// The ordinary entry of a function with a tail entry: the trampoline loop, which makes
    /// each tail call after the caller's frame is gone (constant stack).
    func trampoline(_ ft: FuncType) -> String {
        var s = Self.signature(ctx, functionIndex) + " {\n  wasmc_tail_call tc;\n"
        for (i, p) in ft.params.enumerated() { s += "  " + p.writeCell("tc.args[\(i)]", "l\(i)") + ";\n" }
        s += "  tc.entry = (void *)tfn\(functionIndex);\n  tc.ctx = ctx;\n"
        s += "  while (tc.entry) ((wasmc_tail_fn)tc.entry)(tc.ctx, &tc);\n"
        switch ft.results.count {
        case 0: break
        case 1: s += "  return " + ft.results[0].readCell("tc.args[0]") + ";\n"
        default:
            s += "  {\n    \(ctx.returnType(typeIndex)) r;\n"
            for (i, r) in ft.results.enumerated() { s += "    r.r\(i) = " + r.readCell("tc.args[\(i)]") + ";\n" }
            s += "    return r;\n  }\n"
        }
        return s + "}\n"
    }
}
