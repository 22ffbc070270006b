import WasmcSyntax

// Lowering of one function body to C. The wasm operand stack becomes a compile-time stack of
// pending expression trees (ExprTree; tcc does no optimisation: nested expressions run ~4×
// faster than one temporary per stack slot). A pending value is written to a temporary only
// when it must be: before side effects it could observe or reorder, at control-flow joins, to
// keep the order of traps, or when an operand is needed twice.
//
// Temporaries are named after the stack depth and type they hold (`s3i`: depth 3, i32), so a
// block's results, a loop's parameters and a branch's values all meet in the same variables.
// Invariant: an entry at depth d only reads temporaries of depth >= d; writing `s<d>` first
// materializes any entry below d that reads a deeper temporary.

struct Frame {
    enum Kind { case function, block, loop, ifThen, ifElse }
    var kind: Kind
    var label: Int
    /// Stack height below the frame's parameters.
    var height: Int
    var params: [ValueType]
    var results: [ValueType]
    var targeted = false
    /// For `if`: the parameter entries (temporaries and literals: leaves), restored at `else`.
    var paramEntries: [ExprNode] = []
    var reachableAtEntry = true
    /// A loop written as `do { … } while (c);`: its only back edge is a `br_if` with no loop
    /// in between (DoWhileLoops); tcc then emits one conditional jump for it, not `jcc; jmp`.
    var doWhile = false
    var doWhileClosed = false
    /// A try_table: the number of its handler `h<N>`, which every way out of the body unlinks.
    var handler: Int? = nil
    var branchTypes: [ValueType] { kind == .loop ? params : results }
}

/// A `local.set` not printed yet: the next statement may take it into its one read of the local
/// (`foldPendingSets`).
struct PendingSet {
    var local: Int
    var value: Int32
    /// The traps of the value as it was set (before sets were moved into it).
    var traps: UInt8
}

/// An atomic read-modify-write statement `name = head rest;` not printed yet: if the next
/// thing done is a `drop` of its result, it is printed without the assignment.
struct PendingRMW {
    var name: String
    var head: String
    /// `mK, EA, V)`
    var rest: String
    /// What replaces `head` when the result is dropped; nil: the statement is cast to void.
    var voidHead: String?
}

struct FunctionLowerer {
    let ctx: ModuleContext
    let functionIndex: Int
    let typeIndex: UInt32
    let body: FunctionBody

    var out = ""
    /// The nodes of the pending expressions.
    var tree: ExprTree
    /// The operand stack: root nodes.
    var stack: [Int32] = []
    var control: [Frame] = []
    var reachable = true
    var skipDepth = 0
    var nextLabel = 0
    /// Which temporaries exist, per type kind, by depth.
    var usedTemps: [[Bool]] = Array(repeating: [], count: ValueType.byTempKind.count)
    var localTypes: [ValueType] = []
    /// `l0`, `l1`, … (formatting an integer per local access was a measurable part of lowering)
    var localNames: [String] = []
    /// Bit K: the function reads memory K's base, cached in `mK` at entry (K < 64; memories
    /// beyond are read through the instance at each access, `ExprTree.printBase`).
    var usedMemories: UInt64 = 0
    /// Bit K: memory K's base may move and this function accesses it, so `mK` is reloaded
    /// after every call and `memory.grow` and where a throw lands (`reloadMemoryCaches`).
    var movedBases: UInt64 = 0
    /// Bit K: memory K is an owned 64-bit memory this function accesses; its length is cached
    /// in `nK` for the bounds checks and reloaded where `mK` of a moving memory would be. Only
    /// this instance's code grows an owned memory (non-shared), and a length never shrinks, so
    /// even a stale `nK` could only make a check stricter.
    var cachedLengths: UInt64 = 0
    var usesFuncref = false
    /// A `return_call` of the function itself jumps to label `T` at its start.
    var selfTailCalls = false
    /// The function tail-calls other functions: its body is the tail entry `tfn<f>`, run by a
    /// trampoline in `fn<f>` (docs/tail-calls.md).
    var tailMode = false
    /// Signatures (canonical type indices) whose tail adapter a tail call here names.
    var tailAdapters: Set<Int> = []
    var callTuples: Set<Int> = []
    var usesReturnTuple = false
    /// Index of the instruction being lowered.
    var pc = 0
    /// The last `local.set`s, not printed yet (at most 4, in order); printed before any other
    /// statement that does not take them in.
    var pendingSets: [PendingSet] = []
    /// Roots of the statement being emitted, for `foldPendingSets` (reused).
    var statementRoots: [Int32] = []
    var pendingRMW: PendingRMW? = nil
    /// Loops written as do/while, by instruction index (computed at the first loop).
    var doWhileLoops: [Bool]? = nil
    /// Dead assignments and locals needing their zero (tcc tier; nil: everything live).
    var liveness: LocalLiveness? = nil
    /// Per local (with `liveness`): the last `local.get` lowered since its last emitted
    /// assignment, -1 if none.
    var lastGet: [Int] = []
    /// The try_tables' handlers (`wasmc_handler h<N>`), declared at the function's top.
    var handlers: [Int] = []
    /// Per local, with a try_table in the body: `volatile` (written in a try_table body).
    var volatileLocals: [Bool]? = nil
    /// -O tier: narrow stores a `v128.load` may read right after (RecentStores.swift).
    var recentStores = RecentStores()

    init(ctx: ModuleContext, functionIndex: Int, body: FunctionBody) {
        self.ctx = ctx
        self.functionIndex = functionIndex
        self.typeIndex = ctx.functionTypes[functionIndex]
        self.body = body
        self.tree = ExprTree(ctx: ctx)
        out.reserveCapacity(body.instructions.count * 24)
        if ctx.movingBases | ctx.ownedMemories64 != 0 {
            for ins in body.instructions {
                switch ins.immediate {
                case .memarg(let m), .memargLane(let m, _):
                    if m.memory < 64 {
                        movedBases |= ctx.movingBases & (1 << UInt64(m.memory))
                        cachedLengths |= ctx.ownedMemories64 & (1 << UInt64(m.memory))
                    }
                default: break
                }
            }
            tree.cachedLengths = cachedLengths
        }
    }

    /// After a statement that may have grown or moved a memory (a call, `memory.grow`, a throw
    /// landing): this function's cached bases of memories that move and cached lengths, read
    /// again.
    mutating func reloadMemoryCaches() {
        var bases = movedBases
        while bases != 0 {
            let k = bases.trailingZeroBitCount
            emit("m\(k) = \(ctx.memoryBase(k));")
            bases &= bases &- 1
        }
        var lengths = cachedLengths
        while lengths != 0 {
            let k = lengths.trailingZeroBitCount
            emit("n\(k) = \(ctx.memoryLength(k));")
            lengths &= lengths &- 1
        }
    }

    // MARK: emission

    /// Prints what is pending before a statement that does not take it in.
    mutating func flushPending() {
        if let r = pendingRMW {
            pendingRMW = nil
            out += "  "
            out += r.name
            out += " = "
            out += r.head
            out += r.rest
            out += ";\n"
        }
        if !pendingSets.isEmpty {
            for p in pendingSets { printSet(p.local, p.value) }
            pendingSets.removeAll(keepingCapacity: true)
        }
    }

    mutating func printSet(_ local: Int, _ value: Int32) {
        if let h = halvesAssignment(localNames[local], .local, UInt32(local), value) {
            if !h.isEmpty { out += "  " + h + "\n" }
            return
        }
        out += "  "
        out += localNames[local]
        out += " = "
        tree.print(value, into: &out)
        out += ";\n"
    }

    /// `T.lo = <half 0>; T.hi = <half 1>;` when `value` is a v128 that prints as halves (tcc
    /// tier): no struct assignment, which tcc makes a memmove call. `T` is the variable `target`
    /// `index` (a local or a temporary), named `name`. When the second half could read the
    /// first half already written, the first is held in `h_` until both are computed.
    mutating func halvesAssignment(_ name: String, _ target: ExprOp, _ index: UInt32, _ value: Int32) -> String? {
        guard tree.printsHalves(value) else { return nil }
        let e = tree[value]
        if e.op == target && e.index == index { return "" }  // itself: nothing to do
        // f64 halves are written through an f64 view of the field (a frame slot: no conversion).
        let f64 = tree.printsF64Halves(value)
        let open = f64 ? "*(f64 *)&" : ""
        var s = ""
        if tree.readsAcrossHalves(value, target: target, index: index) {
            s += f64 ? "{ f64 h_ = " : "{ u64 h_ = "
            tree.print(value, half: 0, f64: f64, into: &s)
            s += "; " + open + name + ".hi" + " = "
            tree.print(value, half: 1, f64: f64, into: &s)
            s += "; " + open + name + ".lo" + " = h_; }"
            return s
        }
        s += open + name + ".lo" + " = "
        tree.print(value, half: 0, f64: f64, into: &s)
        s += "; " + open + name + ".hi" + " = "
        tree.print(value, half: 1, f64: f64, into: &s)
        s += ";"
        return s
    }

    /// A `drop` of the pending RMW's result: the statement without its assignment. tcc stores
    /// every result into its stack slot; after a locked instruction that store is on the critical
    /// path of a counter loop (the wasm `drop`s the old value, as `atomic_fetch_add` loops do).
    mutating func dropPendingRMW(_ top: Int32) -> Bool {
        guard let r = pendingRMW, tree[top].op == .temp, r.name == tree.text(top) else { return false }
        pendingRMW = nil
        out += "  "
        if let v = r.voidHead {
            out += v
        } else {
            out += "(void)"
            out += r.head
        }
        out += r.rest
        out += ";\n"
        return true
    }

    mutating func emit(_ s: String) {
        flushPending()
        out += "  "
        out += s
        out += "\n"
    }

    /// `name = <tree>;` (pending sets already taken in or printed) where `name` is the
    /// temporary at `depth`.
    mutating func emitAssign(_ name: String, _ value: Int32, depth: Int) {
        flushPending()
        if let h = halvesAssignment(name, .temp, UInt32(depth), value) {
            if !h.isEmpty { out += "  " + h + "\n" }
            return
        }
        out += "  "
        out += name
        out += " = "
        tree.print(value, into: &out)
        out += ";\n"
    }

    mutating func temp(_ depth: Int, _ type: ValueType) -> String {
        markTemp(depth, type)
        return "s\(depth)\(type.tempSuffix)"
    }

    mutating func markTemp(_ depth: Int, _ type: ValueType) {
        let k = type.tempKind
        if usedTemps[k].count <= depth {
            usedTemps[k] += Array(repeating: false, count: depth + 1 - usedTemps[k].count)
        }
        usedTemps[k][depth] = true
    }

    mutating func newLabel() -> Int {
        nextLabel += 1
        return nextLabel
    }

    // MARK: the expression stack

    /// The node of stack entry `i`.
    @inline(__always) func entry(_ i: Int) -> ExprNode { tree[stack[i]] }

    mutating func push(_ n: ExprNode) { stack.append(tree.add(n)) }

    mutating func pop() -> Int32 { stack.removeLast() }

    mutating func truncate(to height: Int) {
        if stack.count > height { stack.removeLast(stack.count - height) }
    }

    /// A temporary's node.
    static func tempNode(_ depth: Int, _ type: ValueType) -> ExprNode {
        ExprNode(op: .temp, type: type, maxTemp: Int32(depth), index: UInt32(depth))
    }

    /// `n` is the temporary `s<depth>` of type `type`'s kind.
    func isTemp(_ n: Int32, _ depth: Int, _ type: ValueType) -> Bool {
        let e = tree[n]
        return e.op == .temp && Int(e.index) == depth && e.type.tempKind == type.tempKind
    }

    /// Writes entry `j` into its own temporary (no-op if it already is one).
    mutating func materializeOne(_ j: Int) {
        let e = entry(j)
        if isTemp(stack[j], j, e.type) { return }
        // Evaluating a trapping entry now moves its trap ahead of every pending entry below it:
        // those that may trap differently go first (found by the differential fuzzer:
        // `trunc(NaN)` pending below a rotate's out-of-bounds load operand).
        if e.traps != 0 {
            for i in 0..<j where tripsOrder(entry(i).traps, e.traps) { materialize(at: i) }
        }
        let name = temp(j, e.type)
        let v = stack[j]
        foldPendingSets(into: v, traps: e.traps, pending: j)
        emitAssign(name, v, depth: j)
        stack[j] = tree.add(Self.tempNode(j, e.type))
    }

    /// Materializes, in stack order, the entries in [0, end) that satisfy `pred`, together with
    /// every entry below the last of them that reads a deeper temporary (which the writes could
    /// clobber). Stack order keeps the order of traps and reads.
    mutating func materialize(below end: Int, where pred: (ExprNode) -> Bool) {
        var hi = -1
        var j = end - 1
        while j >= 0 {
            if pred(entry(j)) { hi = j; break }
            j -= 1
        }
        if hi < 0 { return }
        for i in 0...hi {
            let e = entry(i)
            if pred(e) || Int(e.maxTemp) > i { materializeOne(i) }
        }
    }

    /// Materializes entry `k` alone (and whatever below it reads its temporary).
    mutating func materialize(at k: Int) {
        protectSlot(k)
        materializeOne(k)
    }

    /// Before writing temporaries of depth >= d: entries below d reading deeper temporaries
    /// are written out first.
    mutating func protectSlot(_ d: Int) {
        var i = 0
        while i < d {
            if Int(entry(i).maxTemp) > i { materializeOne(i) }
            i += 1
        }
    }

    /// Everything below `end` into temporaries (literals excepted): before control flow, so
    /// that no later write inside a branch can leave a pending value stale on another path.
    mutating func flushAll(below end: Int) {
        for i in 0..<end where !entry(i).isConst { materializeOne(i) }
    }

    /// Before a side effect: pending traps must happen first, pending reads must see the old state.
    mutating func flushForEffect(below end: Int) {
        materialize(below: end) { $0.traps != 0 || $0.reads != 0 }
    }

    /// The last `count` entries are operands of one C construct: if an earlier one may trap
    /// with a different kind than a later one, it is evaluated first.
    mutating func orderOperands(_ count: Int, materializeTrapping: Bool = false) {
        let n = stack.count
        guard count > 0 else { return }
        // Which operands must be written first, decided before any is (a bit set: an array
        // here was a malloc per operator).
        var later: UInt8 = 0
        var needs: UInt64 = 0
        var overflow: [Int] = []  // operands past 64 (calls with many arguments)
        var i = count - 1
        while i >= 0 {
            let t = entry(n - count + i).traps
            if (materializeTrapping && t != 0) || tripsOrder(t, later) {
                if i < 64 { needs |= 1 << UInt64(i) } else { overflow.append(i) }
            }
            later |= t
            i -= 1
        }
        if needs == 0 && overflow.isEmpty { return }
        for i in 0..<min(count, 64) where needs & (1 << UInt64(i)) != 0 { materialize(at: n - count + i) }
        for i in overflow.reversed() { materialize(at: n - count + i) }
    }

    /// Takes the top `count` entries as the operands of a statement: pending sets are moved into
    /// them where they can be, and their C returned.
    mutating func takeOperands(_ count: Int) -> [String] {
        let start = stack.count - count
        var traps: UInt8 = 0
        statementRoots.removeAll(keepingCapacity: true)
        for i in start..<stack.count {
            traps |= entry(i).traps
            statementRoots.append(stack[i])
        }
        stack.removeLast(count)
        foldPendingSets(traps: traps)
        var args: [String] = []
        args.reserveCapacity(count)
        for r in statementRoots { args.append(tree.text(r)) }
        return args
    }

    /// Side-effecting statement over the top `count` operands. `make` builds the C from the
    /// operand expressions; with a result type, the statement's value is assigned to the
    /// temporary where the result lands and pushed.
    mutating func effect(_ count: Int, result: ValueType? = nil, materializeTrapping: Bool = false,
                         _ make: ([String]) -> String) {
        let start = stack.count - count
        flushForEffect(below: start)
        orderOperands(count, materializeTrapping: materializeTrapping)
        if result != nil { protectSlot(start) }
        let args = takeOperands(count)
        let c = make(args)
        if let r = result {
            let name = temp(start, r)
            emit("\(name) = \(c);")
            push(Self.tempNode(start, r))
        } else {
            emit("\(c);")
        }
    }

    /// A pure (possibly trapping) expression over the top `count` operands (`a`, `b`, `c` in
    /// stack order).
    mutating func pureOp(_ count: Int, _ node: ExprNode) {
        orderOperands(count)
        var e = node
        let start = stack.count - count
        for k in start..<stack.count {
            let o = entry(k)
            e.traps |= o.traps
            e.reads |= o.reads
            e.maxTemp = max(e.maxTemp, o.maxTemp)
            e.locals |= o.locals
        }
        if count > 0 { e.a = stack[start] }
        if count > 1 { e.b = stack[start + 1] }
        if count > 2 { e.c = stack[start + 2] }
        if e.type == .v128 && tree.splitsV128 { e.halves = computesHalves(e) }
        stack.removeLast(count)
        push(e)
    }

    /// A new v128 node prints as halves (tcc tier): its opcode row has a half form (`halves` is
    /// not `.whole`), or it is a `select`, and its v128 operands print as halves.
    func computesHalves(_ e: ExprNode) -> Bool {
        switch e.op {
        case .vector, .vectorLoad:
            if OpcodeTable.entries[Int(e.index)].halves == .whole { return false }
        case .select:
            break
        default:
            return false
        }
        func halves(_ k: Int32) -> Bool { k < 0 || tree[k].type != .v128 || tree.printsHalves(k) }
        return halves(e.a) && halves(e.b) && halves(e.c)
    }

    // MARK: branches

    /// The C statements of a branch to the frame `depth` levels out (values already ordered).
    /// Values go to the frame's temporaries upwards; each value only reads temporaries at or
    /// above its own depth, which is above the slot being written.
    mutating func branchStatements(_ depth: Int) -> [String] {
        let fi = control.count - 1 - depth
        control[fi].targeted = true
        let f = control[fi]
        let leave = handlers.isEmpty ? nil : leaveStatement(to: fi)
        if f.kind == .function { return (leave.map { [$0] } ?? []) + [returnStatement()] }
        let types = f.branchTypes
        let n = stack.count
        var s: [String] = []
        for i in 0..<types.count {
            let v = stack[n - types.count + i]
            let name = temp(f.height + i, types[i])
            if isTemp(v, f.height + i, types[i]) { continue }
            s.append(halvesAssignment(name, .temp, UInt32(f.height + i), v) ?? "\(name) = \(tree.text(v));")
        }
        if let leave { s.append(leave) }
        s.append("goto L\(f.label);")
        return s
    }

    mutating func returnStatement() -> String {
        let k = ctx.type(typeIndex).results.count
        let n = stack.count
        return returnOf((0..<k).map { tree.text(stack[n - k + $0]) })
    }

    /// `return` of `values`, C expressions one per result (the stack's, or a catch clause's).
    mutating func returnOf(_ values: [String]) -> String {
        let results = ctx.type(typeIndex).results
        if tailMode {
            // To the trampoline: the results where the arguments came, and no next call.
            var s = ""
            for (i, t) in results.enumerated() { s += t.writeCell("tc->args[\(i)]", values[i]) + "; " }
            return s + "tc->entry = 0; return;"
        }
        switch results.count {
        case 0: return "return;"
        case 1: return "return \(values[0]);"
        default:
            usesReturnTuple = true
            var s = ""
            for i in 0..<results.count { s += "rv.r\(i) = \(values[i]); " }
            return s + "return rv;"
        }
    }

    /// The C condition of `cond` (popped), with pending sets moved into it where they can be.
    mutating func conditionText(_ cond: Int32) -> String {
        statementRoots.removeAll(keepingCapacity: true)
        statementRoots.append(cond)
        foldPendingSets(traps: tree[cond].traps)
        var s = ""
        tree.printCondition(cond, into: &s)
        return s
    }

    /// A `local.set` of a value that is not the local itself.
    mutating func setLocal(_ i: Int, _ v: Int32) {
        let traps = tree[v].traps
        foldPendingSets(into: v, traps: traps, excluding: i)
        if ctx.options.optimizingCompiler || tree.hasAssignment(v) || tree.printsHalves(v) {
            // (A v128 assigned by halves is two statements: nothing to move into a read.)
            // One assignment per expression: one that already holds another is not moved.
            flushPending()
            printSet(i, v)
            return
        }
        if pendingRMW != nil { flushPending() }
        if pendingSets.count == 4 {
            let first = pendingSets.removeFirst()
            printSet(first.local, first.value)
        }
        pendingSets.append(PendingSet(local: i, value: v, traps: traps))
    }

    mutating func foldPendingSets(into root: Int32, traps: UInt8, excluding: Int = -1, pending: Int = -1) {
        statementRoots.removeAll(keepingCapacity: true)
        statementRoots.append(root)
        foldPendingSets(traps: traps, excluding: excluding, pending: pending)
    }

    /// When the statements pending are `lN = E;` (one or a few in a row) and the statement about
    /// to be emitted (its operand trees in `statementRoots`, evaluated in full right after them)
    /// reads lN exactly once, that read becomes `(lN = E)`: tcc keeps the value in a register
    /// instead of storing and reloading it (loop counters, addresses; means over 8 code
    /// alignments: lz77 -13%, matmul -20%, nbody -8%). Several sets move together only if none
    /// of them reads a local another one sets (their order becomes unspecified). Not when a
    /// moved expression and the rest may trap differently, not into a select (`?:` evaluates
    /// one arm) and not into an assignment to lN itself (`excluding`). The tcc tier only: gcc
    /// -O2 gains nothing from it and ran sha256 12% slower with it.
    ///
    /// When the folded local is dead after the last `local.get` read so far (liveness) and no
    /// pending entry reads it, the assignment itself goes: the read becomes `(E)`. matmul's
    /// `*(… (u64)(l0 = (l0 + 8u))) += …` reads l0 twice in wasm (the address and the load of
    /// the compound store) but once in C. `pending`: a stack entry being written out (its
    /// reads are the statement's).
    mutating func foldPendingSets(traps: UInt8, excluding: Int = -1, pending: Int = -1) {
        guard !pendingSets.isEmpty, !ctx.options.optimizingCompiler else { return }
        for r in statementRoots where tree.hasConditional(r) { return }
        // A v128 value assigned by halves prints its operands once per half: an assignment moved
        // in would run twice.
        for r in statementRoots where tree.printsHalves(r) { return }
        var kinds = traps
        let top = pendingSets.count
        var k = top - 1
        while k >= 0 {
            let ls = pendingSets[k]
            if ls.local == excluding { break }
            if tripsOrder(ls.traps, kinds) { break }  // it could trap before or after another kind
            var clash = false
            for t in pendingSets[(k + 1)...] where t.local == ls.local || tree.occurrences(of: ls.local, in: t.value) > 0
                || tree.occurrences(of: t.local, in: ls.value) > 0 {
                clash = true
                break
            }
            if clash { break }
            var count = 0
            var holder: Int32 = -1
            for r in statementRoots {
                let c = tree.occurrences(of: ls.local, in: r)
                if c > 0 { holder = r }
                count += c
            }
            guard count == 1, let read = tree.readNode(of: ls.local, in: holder) else { break }
            // Only a self-update (`lN = lN + 8u`, E reads lN) loses its assignment: measured on
            // this machine (AMD Zen 3), dropping nbody's `l32 = (l19 + 80u)` between two `+=`
            // to neighbouring doubles made it 3-4% slower (a stack store there in its place
            // restores the speed: a memory-dependence artifact, not the work removed), while
            // matmul's `l0 = (l0 + 8u)` pays 3.6% and nbody's `l19 = (l19 + 96u)` is neutral.
            let keep = !isDeadAfterLastRead(ls.local, pending: pending) || tree.occurrences(of: ls.local, in: ls.value) == 0
            tree[read] = ExprNode(op: keep ? .assign : .paren, type: tree[read].type, a: ls.value, index: UInt32(ls.local))
            kinds |= ls.traps
            k -= 1
        }
        pendingSets.removeLast(top - 1 - k)
    }

    /// Local `i` (just assigned) is read by no later wasm instruction before being written again,
    /// and by no pending stack entry other than `pending`: the one C read left is the one the
    /// assignment is folded into.
    func isDeadAfterLastRead(_ i: Int, pending: Int) -> Bool {
        guard let l = liveness, lastGet[i] >= 0, l.deadAfter[lastGet[i]] else { return false }
        let bit: UInt64 = 1 << UInt64(i & 63)
        for k in 0..<stack.count where k != pending && entry(k).locals & bit != 0 { return false }
        return true
    }

    mutating func markUnreachable() {
        reachable = false
        skipDepth = 0
    }
}
