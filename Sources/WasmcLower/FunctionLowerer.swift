import WasmcSyntax

// Lowering of one function body to C. The wasm operand stack becomes a compile-time stack of
// pending C expressions (tcc does no optimisation: nested expressions run ~4× faster than one
// temporary per stack slot). A pending value is written to a temporary only when it must be:
// before side effects it could observe or reorder, at control-flow joins, to keep the order of
// traps, or when an operand is needed twice.
//
// Temporaries are named after the stack depth and type they hold (`s3i`: depth 3, i32), so a
// block's results, a loop's parameters and a branch's values all meet in the same variables.
// Invariant: an entry at depth d only reads temporaries of depth >= d; writing `s<d>` first
// materializes any entry below d that reads a deeper temporary.
//
// Every expression produced is "unary-safe" (an identifier, literal, call, cast or fully
// parenthesised form), so templates substitute operands without adding parentheses.

/// Trap kinds an expression may raise. Two pending expressions whose kinds differ must be
/// evaluated in wasm order (C leaves operand order unspecified); equal kinds need not.
enum TrapKind {
    static let memory: UInt8 = 1
    static let division: UInt8 = 2
    static let conversion: UInt8 = 4
    static let table: UInt8 = 8
}

/// State an expression reads that a side effect could change.
enum ReadKind {
    static let memory: UInt8 = 1  // linear memory, memory size, tables
    static let global: UInt8 = 2
}

struct Entry {
    var expr: String
    var type: ValueType
    var traps: UInt8 = 0
    var reads: UInt8 = 0
    /// Deepest stack temporary read, -1 if none.
    var maxTemp: Int = -1
    /// Bloom set of local indices read (bit `index % 64`).
    var locals: UInt64 = 0
    /// Invariant for the whole call (literals, ref.func, immutable globals): never materialized.
    var isConst = false
    /// For comparisons: the C truth value without the (u32) cast, for conditions.
    var cond: String? = nil
    var condition: String { cond ?? expr }
}

/// Whether two pending expressions must be evaluated in order (both may trap, differently).
@inline(__always) func tripsOrder(_ a: UInt8, _ b: UInt8) -> Bool {
    if a == 0 || b == 0 { return false }
    let u = a | b
    return u & (u &- 1) != 0
}

struct Frame {
    enum Kind { case function, block, loop, ifThen, ifElse }
    var kind: Kind
    var label: Int
    /// Stack height below the frame's parameters.
    var height: Int
    var params: [ValueType]
    var results: [ValueType]
    var targeted = false
    /// For `if`: the parameter entries, restored at `else`.
    var paramEntries: [Entry] = []
    var reachableAtEntry = true
    /// A loop written as `do { … } while (c);`: its only back edge is a `br_if` with no loop
    /// in between (findDoWhileLoops); tcc then emits one conditional jump for it, not `jcc; jmp`.
    var doWhile = false
    var doWhileClosed = false
    var branchTypes: [ValueType] { kind == .loop ? params : results }
}

/// A statement `l<local> = <expr>;` just emitted, ending at byte `end` of the output.
/// (A struct, not a tuple: one array element type fewer for the runtime to instantiate.)
struct RecentSet {
    var local: Int
    var expr: String
    var traps: UInt8
    var end: Int
}

/// An atomic read-modify-write statement just emitted (`name = HEAD m0, EA, V);`).
struct DroppableRMW {
    var name: String
    /// Length of `out` right after the statement.
    var end: Int
    /// The call up to its first argument, e.g. `(u32)wasmc_atomic_add32(`.
    var head: String
    /// What replaces `head` when the result is dropped; nil: the statement is cast to void.
    var voidHead: String?
}

struct FunctionLowerer {
    let ctx: ModuleContext
    let functionIndex: Int
    let typeIndex: UInt32
    let body: FunctionBody

    var out = ""
    var stack: [Entry] = []
    var control: [Frame] = []
    var reachable = true
    var skipDepth = 0
    var nextLabel = 0
    /// Which temporaries exist, per type kind, by depth.
    var usedTemps: [[Bool]] = Array(repeating: [], count: 5)
    var localTypes: [ValueType] = []
    /// `l0`, `l1`, … (formatting an integer per local access was a measurable part of lowering)
    var localNames: [String] = []
    var usesMemory = false
    var usesFuncref = false
    var callTuples: Set<Int> = []
    var usesReturnTuple = false
    /// Index of the instruction being lowered.
    var pc = 0
    /// The last `l<local> = <expr>;` statements, consecutive in `out`, each with the length of
    /// `out` right after it (at most 4).
    var recentSets: [RecentSet] = []
    /// The atomic read-modify-write statement just emitted (`sN = RMW;`): its temporary and the
    /// length of `out` right after it, so that a `drop` of the old value can remove the store.
    var droppableResult: DroppableRMW? = nil
    /// Instruction indices of the loops written as do/while (computed at the first loop).
    var doWhileLoops: [Bool]? = nil
    /// Dead assignments and locals needing their zero (tcc tier; nil: everything live).
    var liveness: LocalLiveness? = nil
    /// Per local (with `liveness`): the last `local.get` lowered since its last emitted
    /// assignment, -1 if none.
    var lastGet: [Int] = []

    init(ctx: ModuleContext, functionIndex: Int, body: FunctionBody) {
        self.ctx = ctx
        self.functionIndex = functionIndex
        self.typeIndex = ctx.functionTypes[functionIndex]
        self.body = body
        out.reserveCapacity(body.instructions.count * 24)
    }

    // MARK: emission helpers

    /// Rewrites the last statement `  name = E;` as `  (void)E;` (or the RMW's `voidHead`
    /// form) when it is the atomic RMW recorded in `droppableResult` and nothing was emitted since. tcc stores every result
    /// into its stack slot; after a locked instruction that store is on the critical path of
    /// a counter loop (the wasm `drop`s the old value, as `atomic_fetch_add` loops do).
    mutating func dropAtomicResult(_ name: String) -> Bool {
        guard let d = droppableResult, d.name == name, out.utf8.count == d.end else { return false }
        let prefix = "  \(name) = "
        let u = out.utf8
        guard !u.isEmpty else { return false }
        let lineStart = u[..<u.index(before: u.endIndex)].lastIndex(of: 10).map { u.index(after: $0) } ?? u.startIndex
        guard out[lineStart...].hasPrefix(prefix) else { return false }
        let rest = String(out[out.utf8.index(lineStart, offsetBy: prefix.utf8.count)...])
        out.removeSubrange(lineStart...)
        if let v = d.voidHead, rest.hasPrefix(d.head) {
            out += "  "
            out += v
            out += rest.dropFirst(d.head.utf8.count)  // `m0, EA, V);`
        } else {
            out += "  (void)"
            out += rest
        }
        droppableResult = nil
        return true
    }

    mutating func emit(_ s: String) {
        droppableResult = nil
        out += "  "
        out += s
        out += "\n"
    }

    /// `emit("\(name) = \(value);")` without building the line first.
    mutating func emitAssign(_ name: String, _ value: String) {
        droppableResult = nil
        out += "  "
        out += name
        out += " = "
        out += value
        out += ";\n"
    }

    mutating func temp(_ depth: Int, _ type: ValueType) -> String {
        let k = type.tempKind
        if usedTemps[k].count <= depth {
            usedTemps[k] += Array(repeating: false, count: depth + 1 - usedTemps[k].count)
        }
        usedTemps[k][depth] = true
        return "s\(depth)\(type.tempSuffix)"
    }

    mutating func newLabel() -> Int {
        nextLabel += 1
        return nextLabel
    }

    // MARK: the expression stack

    mutating func push(_ e: Entry) { stack.append(e) }

    mutating func pop() -> Entry { stack.removeLast() }

    mutating func truncate(to height: Int) {
        if stack.count > height { stack.removeLast(stack.count - height) }
    }

    /// Writes entry `j` into its own temporary (no-op if it already is one).
    mutating func materializeOne(_ j: Int) {
        let e = stack[j]
        let name = temp(j, e.type)
        if e.expr == name { return }
        // Evaluating a trapping entry now moves its trap ahead of every pending entry below it:
        // those that may trap differently go first (found by the differential fuzzer:
        // `trunc(NaN)` pending below a rotate's out-of-bounds load operand).
        if e.traps != 0 {
            for i in 0..<j where tripsOrder(stack[i].traps, e.traps) { materialize(at: i) }
        }
        emitAssign(name, foldLastSet(into: e.expr, traps: e.traps, pending: j))
        stack[j] = Entry(expr: name, type: e.type, maxTemp: j)
    }

    /// Materializes, in stack order, the entries in [0, end) that satisfy `pred`, together with
    /// every entry below the last of them that reads a deeper temporary (which the writes could
    /// clobber). Stack order keeps the order of traps and reads.
    mutating func materialize(below end: Int, where pred: (Entry) -> Bool) {
        var hi = -1
        var j = end - 1
        while j >= 0 {
            if pred(stack[j]) { hi = j; break }
            j -= 1
        }
        if hi < 0 { return }
        for i in 0...hi where pred(stack[i]) || stack[i].maxTemp > i {
            materializeOne(i)
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
            if stack[i].maxTemp > i { materializeOne(i) }
            i += 1
        }
    }

    /// Everything below `end` into temporaries (literals excepted): before control flow, so
    /// that no later write inside a branch can leave a pending value stale on another path.
    mutating func flushAll(below end: Int) {
        for i in 0..<end where !stack[i].isConst { materializeOne(i) }
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
            let t = stack[n - count + i].traps
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

    /// Side-effecting statement over the top `count` operands. `make` builds the C from the
    /// operand expressions; with a result type, the statement's value is assigned to the
    /// temporary where the result lands and pushed.
    mutating func effect(_ count: Int, result: ValueType? = nil, materializeTrapping: Bool = false,
                         _ make: ([String]) -> String) {
        let start = stack.count - count
        flushForEffect(below: start)
        orderOperands(count, materializeTrapping: materializeTrapping)
        if result != nil { protectSlot(start) }
        let args = stack[start...].map(\.expr)
        let traps = stack[start...].reduce(0) { $0 | $1.traps }
        stack.removeLast(count)
        let c = foldLastSet(into: make(args), traps: traps)
        if let r = result {
            let name = temp(start, r)
            emitAssign(name, c)
            push(Entry(expr: name, type: r, maxTemp: start))
        } else {
            emit("\(c);")
        }
    }

    /// A pure (possibly trapping) expression over the top `count` operands.
    mutating func pureOp(_ count: Int, type: ValueType, traps: UInt8 = 0, reads: UInt8 = 0,
                         _ make: ([String]) -> String) {
        orderOperands(count)
        let start = stack.count - count
        var e = Entry(expr: "", type: type, traps: traps, reads: reads)
        var args: [String] = []
        args.reserveCapacity(count)
        for o in stack[start...] {
            e.traps |= o.traps
            e.reads |= o.reads
            e.maxTemp = max(e.maxTemp, o.maxTemp)
            e.locals |= o.locals
            args.append(o.expr)
        }
        stack.removeLast(count)
        e.expr = make(args)
        push(e)
    }

    /// `pureOp` for a numeric template over one or two operands, without the operand array.
    mutating func pureTemplate(_ t: Template, count: Int, type: ValueType) {
        orderOperands(count)
        let n = stack.count
        var e = Entry(expr: "", type: type, traps: t.traps)
        for k in (n - count)..<n {
            e.traps |= stack[k].traps
            e.reads |= stack[k].reads
            e.maxTemp = max(e.maxTemp, stack[k].maxTemp)
            e.locals |= stack[k].locals
        }
        e.expr = count == 1 ? t.apply(stack[n - 1].expr, "") : t.apply(stack[n - 2].expr, stack[n - 1].expr)
        stack.removeLast(count)
        push(e)
    }

    // MARK: branches

    /// The C statements of a branch to the frame `depth` levels out (values already ordered).
    /// Values go to the frame's temporaries upwards; each value only reads temporaries at or
    /// above its own depth, which is above the slot being written.
    mutating func branchStatements(_ depth: Int) -> [String] {
        let fi = control.count - 1 - depth
        control[fi].targeted = true
        let f = control[fi]
        if f.kind == .function { return [returnStatement()] }
        let types = f.branchTypes
        let n = stack.count
        var s: [String] = []
        for i in 0..<types.count {
            let name = temp(f.height + i, types[i])
            let e = stack[n - types.count + i]
            if e.expr != name { s.append("\(name) = \(e.expr);") }
        }
        s.append("goto L\(f.label);")
        return s
    }

    mutating func returnStatement() -> String {
        let results = ctx.type(typeIndex).results
        let n = stack.count
        switch results.count {
        case 0: return "return;"
        case 1: return "return \(stack[n - 1].expr);"
        default:
            usesReturnTuple = true
            var s = ""
            for i in 0..<results.count { s += "rv.r\(i) = \(stack[n - results.count + i].expr); " }
            return s + "return rv;"
        }
    }

    /// The C condition of `cond`, with the statement just emitted folded in (`foldLastSet`).
    mutating func conditionFoldingLastSet(_ cond: Entry) -> String {
        foldLastSet(into: cond.condition, traps: cond.traps)
    }

    /// Records `l<local> = <expr>;`, just emitted, for `foldLastSet`.
    mutating func recordSet(_ local: Int, _ expr: String, _ traps: UInt8, lineLength: Int) {
        let end = out.utf8.count
        // One assignment per expression: one that already holds another is not moved.
        if Self.containsBytes(expr, " = ") { recentSets.removeAll(); return }
        if let last = recentSets.last, last.end != end - lineLength { recentSets.removeAll() }
        if recentSets.count == 4 { recentSets.removeFirst() }
        recentSets.append(RecentSet(local: local, expr: expr, traps: traps, end: end))
    }

    /// When the statements just emitted are `lN = E;` (one or a few in a row) and `text` (an
    /// expression evaluated in full right after them) reads lN exactly once, the statement is
    /// taken back and `text` gets `(lN = E)` in place of that read: tcc keeps the value in a
    /// register instead of storing and reloading it (loop counters, addresses; means over 8
    /// code alignments: lz77 -13%, matmul -20%, nbody -8%). Several statements move together
    /// only if none of them reads a local another one sets (their order becomes unspecified).
    /// Not when a moved expression and the rest may trap differently, not into a select
    /// (`?:` evaluates one arm) and not into an assignment to lN itself (`excluding`). The tcc
    /// tier only: gcc -O2 gains nothing from it and ran sha256 12% slower with it.
    ///
    /// When the folded local is dead after the last `local.get` read so far (liveness) and no
    /// pending entry reads it, the assignment itself goes: `text` gets `(E)`. matmul's
    /// `*(… (u64)(l0 = (l0 + 8u))) += …` reads l0 twice in wasm (the address and the load of
    /// the compound store) but once in C. `pending`: a stack entry being written out (its
    /// reads are `text`).
    mutating func foldLastSet(into text: String, traps: UInt8, excluding: Int = -1, pending: Int = -1) -> String {
        guard !ctx.options.optimizingCompiler, !recentSets.isEmpty, recentSets[recentSets.count - 1].end == out.utf8.count,
              !text.utf8.contains(UInt8(ascii: "?")) else { return text }
        var result = text
        var kinds = traps
        var taken: [RecentSet] = []
        var cut = out.utf8.count
        var k = recentSets.count - 1
        while k >= 0 {
            let ls = recentSets[k]
            if ls.end != cut || ls.local == excluding { break }
            if tripsOrder(ls.traps, kinds) { break }  // it could trap before or after another kind
            let name = "l\(ls.local)"
            if taken.contains(where: { $0.local == ls.local || Self.identifierCount($0.expr, name) > 0 })
                || taken.contains(where: { Self.identifierCount(ls.expr, "l\($0.local)") > 0 }) { break }
            // Only a self-update (`lN = lN + 8u`, E reads lN) loses its assignment: measured on
            // this machine (AMD Zen 3), dropping nbody's `l32 = (l19 + 80u)` between two `+=`
            // to neighbouring doubles made it 3-4% slower (a stack store there in its place
            // restores the speed: a memory-dependence artifact, not the work removed), while
            // matmul's `l0 = (l0 + 8u)` pays 3.6% and nbody's `l19 = (l19 + 96u)` is neutral.
            let keep = !isDeadAfterLastRead(ls.local, pending: pending) || Self.identifierCount(ls.expr, name) == 0
            guard let folded = Self.replaceIdentifierOnce(result, name, keep ? "(\(name) = \(ls.expr))" : "(\(ls.expr))")
            else { break }
            result = folded
            kinds |= ls.traps
            taken.append(ls)
            cut -= name.utf8.count + ls.expr.utf8.count + 7  // "  lN = E;\n"
            k -= 1
        }
        if taken.isEmpty { return text }
        let drop = out.utf8.count - cut
        out.removeLast(drop)  // generated C is ASCII: characters = bytes
        recentSets.removeLast(taken.count)
        if let last = recentSets.last, last.end != out.utf8.count { recentSets.removeAll() }
        return result
    }

    /// Local `i` (just assigned) is read by no later wasm instruction before being written again,
    /// and by no pending stack entry other than `pending`: the one C read left is the one the
    /// assignment is folded into.
    func isDeadAfterLastRead(_ i: Int, pending: Int) -> Bool {
        guard let l = liveness, lastGet[i] >= 0, l.deadAfter[lastGet[i]] else { return false }
        let bit: UInt64 = 1 << UInt64(i & 63)
        for (k, e) in stack.enumerated() where k != pending && e.locals & bit != 0 { return false }
        return true
    }

    /// Occurrences of identifier `name` in `s` (0, 1 or 2 meaning "more").
    static func identifierCount(_ s: String, _ name: String) -> Int {
        identifierSearch(s, name).count
    }

    /// Byte offset of the first occurrence of identifier `name` in `s` and how many there are
    /// (counting stops at 2).
    static func identifierSearch(_ s: String, _ name: String) -> (first: Int, count: Int) {
        var s = s, name = name
        return s.withUTF8 { b in
            name.withUTF8 { n in
                var first = -1, count = 0
                var i = 0
                let m = n.count
                while i + m <= b.count {
                    if b[i] == n[0] && (i == 0 || !isIdentByte(b[i - 1])) {
                        var k = 1
                        while k < m && b[i + k] == n[k] { k += 1 }
                        if k == m && (i + m == b.count || !isIdentByte(b[i + m])) {
                            if first < 0 { first = i }
                            count += 1
                            if count == 2 { break }
                            i += m
                            continue
                        }
                    }
                    i += 1
                }
                return (first, count)
            }
        }
    }

    /// Byte search (String.contains(String) searches by Characters: it took a fifth of the
    /// lowering time of a large module).
    static func containsBytes(_ s: String, _ needle: StaticString) -> Bool {
        let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        var s = s
        return s.withUTF8 { b in
            guard n.count <= b.count else { return false }
            var i = 0
            let last = b.count - n.count
            while i <= last {
                if b[i] == n[0] {
                    var k = 1
                    while k < n.count && b[i + k] == n[k] { k += 1 }
                    if k == n.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    static func isIdentByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
    }

    /// `s` with the one occurrence of identifier `name` replaced; nil unless exactly one.
    static func replaceIdentifierOnce(_ s: String, _ name: String, _ with: String) -> String? {
        let (at, count) = identifierSearch(s, name)
        guard count == 1 else { return nil }
        let u = s.utf8
        let a = u.index(u.startIndex, offsetBy: at), b = u.index(a, offsetBy: name.utf8.count)
        return String(s[..<a]) + with + String(s[b...])
    }

    mutating func markUnreachable() {
        reachable = false
        skipDepth = 0
    }
}
