import WasmcSyntax

// Liveness of locals in one function body (tcc tier). tcc stores every assignment to its stack
// slot, and a store costs about as much as a load in a hot loop (matmul's inner loop is bound by
// its ~23 loads and stores per iteration): a `local.set`/`local.tee` whose value is never read
// need not be written, and a local read before any write on no path needs no zero-initialisation.
//
// A backwards dataflow over the basic blocks of the structured control flow: one forward pass
// cuts the body into blocks (at loop heads, after branches, at `else`/`end`), a few reverse
// passes (one per loop nesting level, plus one) settle the live sets, and a last backward pass
// over each block marks the dead assignments. Bit sets of one word per 64 locals; functions
// whose blocks × words exceed a bound are not analysed (everything counts as live).

/// Opcode classes the analysis looks at, by opcode (reading `Instruction.info` copies an
/// OpcodeInfo with its strings: a retain and release per instruction).
enum LiveOp {
    static let other: UInt8 = 0, get: UInt8 = 1, set: UInt8 = 2, tee: UInt8 = 3
    static let block: UInt8 = 4, loop: UInt8 = 5, `if`: UInt8 = 6, `else`: UInt8 = 7, end: UInt8 = 8
    static let br: UInt8 = 9, brIf: UInt8 = 10, brTable: UInt8 = 11, ret: UInt8 = 12, unreachable: UInt8 = 13
    /// `br_on_null`, `br_on_non_null`: conditional branches that are not a loop's `br_if`.
    static let brOn: UInt8 = 14
    static let table: [UInt8] = OpcodeTable.entries.map { e in
        guard case .special(let s) = e.kind else { return other }
        switch s {
        case .localGet: return get
        case .localSet: return set
        case .localTee: return tee
        case .block: return block
        case .loop: return loop
        case .if: return `if`
        case .else: return `else`
        case .end: return end
        case .br: return br
        case .brIf: return brIf
        case .brTable: return brTable
        case .return, .returnCall, .returnCallIndirect, .returnCallRef: return ret
        case .unreachable: return unreachable
        case .brOnNull, .brOnNonNull: return brOn
        default: return other
        }
    }
}

struct LocalLiveness {
    /// Per `local.get`/`local.set`/`local.tee`: its local is not read after it before being
    /// written again on any path (or before the function returns or traps). For a set or tee:
    /// the assignment is useless; for a get: it is the value's last read.
    var deadAfter: [Bool]
    /// Per local: read before written on some path from the entry (needs its zero).
    var liveAtEntry: [Bool]
    /// The loops written as do/while (`DoWhileLoops`), found in the same walk; nil when the
    /// function was not walked (no locals).
    var doWhileLoops: [Bool]? = nil

    /// Upper bound on blocks × words per function (8 bytes each, three sets).
    static let maxWords = 1 << 19
    /// Upper bound on the passes to the fixed point.
    static let maxPasses = 64

    /// Everything live: what a function too large to analyse gets.
    init(allLive code: Int, locals: Int) {
        deadAfter = [Bool](repeating: false, count: code)
        liveAtEntry = [Bool](repeating: true, count: locals)
    }

    init(_ code: [Instruction], locals: Int) {
        self.init(allLive: code.count, locals: locals)
        let words = (locals + 63) / 64
        if words == 0 { return }

        // MARK: basic blocks. Node 0 is the exit (nothing live). A node covers [start, end).
        var start: [Int] = [code.count]
        var end: [Int] = [code.count]
        // Edges as (from, to) pairs, gathered per node afterwards (one array, not one per node).
        var edgeFrom: [Int32] = [], edgeTo: [Int32] = []
        func newNode(_ s: Int) -> Int {
            start.append(s); end.append(s)
            return start.count - 1
        }
        func edge(_ a: Int, _ b: Int) { edgeFrom.append(Int32(a)); edgeTo.append(Int32(b)) }
        // Open frames: label (the node a branch to it goes to), the node after the frame,
        // and for `if` the node of the false path until `else` is seen (-1 afterwards).
        var labels: [Int] = [0]
        var conts: [Int] = [0]
        var elses: [Int] = [-1]
        var cur = newNode(0)
        let kinds = LiveOp.table
        var doWhile = DoWhileLoops(count: code.count)
        defer { doWhileLoops = doWhile.result }
        // The local accesses in code order (pc, local, kind): the later passes read only these.
        var evPC: [Int32] = [], evLocal: [Int32] = [], evKind: [UInt8] = []
        code.withUnsafeBufferPointer { c in
        for pc in 0..<c.count {
            let k = kinds[Int(c[pc].opcode.rawValue)]
            if k == LiveOp.other { continue }
            if k < LiveOp.block {
                guard case .index(let i) = c[pc].immediate else { continue }
                evPC.append(Int32(pc)); evLocal.append(Int32(i)); evKind.append(k)
                continue
            }
            doWhile.visit(k, c[pc], at: pc)
            switch k {
            case LiveOp.block:
                let c = newNode(-1)
                labels.append(c); conts.append(c); elses.append(-1)
            case LiveOp.loop:
                end[cur] = pc + 1
                let head = newNode(pc + 1)
                edge(cur, head)
                cur = head
                labels.append(head); conts.append(newNode(-1)); elses.append(-1)
            case LiveOp.if:
                end[cur] = pc + 1
                let then = newNode(pc + 1), other = newNode(-1), c = newNode(-1)
                edge(cur, then); edge(cur, other)
                cur = then
                labels.append(c); conts.append(c); elses.append(other)
            case LiveOp.else:
                guard let e = elses.last, e >= 0 else { continue }
                end[cur] = pc
                edge(cur, conts[conts.count - 1])
                start[e] = pc + 1
                cur = e
                elses[elses.count - 1] = -1
            case LiveOp.end:
                end[cur] = pc
                let c = conts.removeLast()
                edge(cur, c)
                labels.removeLast()
                if let e = elses.popLast(), e >= 0 {  // `if` without `else`: the false path
                    start[e] = pc; end[e] = pc
                    edge(e, c)
                }
                if c == 0 { cur = newNode(pc + 1); break }  // the function's end
                start[c] = pc + 1
                cur = c
            case LiveOp.br, LiveOp.brIf, LiveOp.brOn:
                end[cur] = pc + 1
                guard case .index(let di) = c[pc].immediate else { break }
                let d = Int(di)
                if d < labels.count { edge(cur, labels[labels.count - 1 - d]) }
                let next = newNode(pc + 1)
                if k != LiveOp.br { edge(cur, next) }
                cur = next
            case LiveOp.brTable:
                end[cur] = pc + 1
                if case .brTable(let t) = c[pc].immediate {
                    for d in t.targets + [t.defaultTarget] where Int(d) < labels.count {
                        edge(cur, labels[labels.count - 1 - Int(d)])
                    }
                }
                cur = newNode(pc + 1)
            case LiveOp.ret, LiveOp.unreachable:
                end[cur] = pc + 1
                edge(cur, 0)
                cur = newNode(pc + 1)
            default:
                break
            }
        }
        }
        end[cur] = max(end[cur], start[cur])
        let n = start.count
        if n * words > Self.maxWords { return }
        for i in 0..<n where start[i] < 0 { start[i] = code.count; end[i] = code.count }  // never reached
        var succStart = [Int](repeating: 0, count: n + 1)
        for f in edgeFrom { succStart[Int(f) + 1] += 1 }
        for i in 0..<n { succStart[i + 1] += succStart[i] }
        var succ = [Int32](repeating: 0, count: edgeTo.count)
        var fill = succStart
        for (f, t) in zip(edgeFrom, edgeTo) { succ[fill[Int(f)]] = t; fill[Int(f)] += 1 }

        // MARK: gen (read before written in the node) and kill (written), per node.
        var gen = [UInt64](repeating: 0, count: n * words)
        var kill = [UInt64](repeating: 0, count: n * words)
        // Each node's accesses: a slice of the events (they are in pc order).
        func firstEvent(atOrAfter pc: Int) -> Int {
            var lo = 0, hi = evPC.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if Int(evPC[mid]) < pc { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        var evStart = [Int](repeating: 0, count: n), evEnd = [Int](repeating: 0, count: n)
        for b in 1..<n where end[b] > start[b] {
            evStart[b] = firstEvent(atOrAfter: start[b])
            evEnd[b] = firstEvent(atOrAfter: end[b])
        }
        for b in 1..<n {
            let base = b * words
            for e in evStart[b]..<evEnd[b] {
                let i = Int(evLocal[e])
                let w = base + i >> 6, bit: UInt64 = 1 << UInt64(i & 63)
                if evKind[e] == LiveOp.get {
                    if kill[w] & bit == 0 { gen[w] |= bit }
                } else {
                    kill[w] |= bit
                }
            }
        }

        // MARK: live-in sets, to the fixed point; nodes in reverse code order.
        let order = (1..<n).sorted { start[$0] != start[$1] ? start[$0] > start[$1] : end[$0] > end[$1] }
        var liveIn = [UInt64](repeating: 0, count: n * words)
        var out = [UInt64](repeating: 0, count: words)
        var changed = true
        var passes = 0
        while changed {
            // One pass per loop nesting level (plus one) in practice; a pathological nest of
            // thousands of loops is left unanalysed rather than slow.
            passes += 1
            if passes > Self.maxPasses { return }
            changed = false
            for b in order {
                for w in 0..<words { out[w] = 0 }
                for e in succStart[b]..<succStart[b + 1] {
                    let sb = Int(succ[e]) * words
                    for w in 0..<words { out[w] |= liveIn[sb + w] }
                }
                let base = b * words
                for w in 0..<words {
                    let v = gen[base + w] | (out[w] & ~kill[base + w])
                    if v != liveIn[base + w] { liveIn[base + w] = v; changed = true }
                }
            }
        }

        // MARK: dead assignments: each node backwards from its live-out set.
        for b in 1..<n where end[b] > start[b] {
            for w in 0..<words { out[w] = 0 }
            for e in succStart[b]..<succStart[b + 1] {
                let sb = Int(succ[e]) * words
                for w in 0..<words { out[w] |= liveIn[sb + w] }
            }
            var e = evEnd[b] - 1
            while e >= evStart[b] {
                let i = Int(evLocal[e])
                let bit: UInt64 = 1 << UInt64(i & 63)
                if out[i >> 6] & bit == 0 { deadAfter[Int(evPC[e])] = true }
                if evKind[e] == LiveOp.get { out[i >> 6] |= bit } else { out[i >> 6] &= ~bit }
                e -= 1
            }
        }
        let entry = 1 * words
        for i in 0..<locals { liveAtEntry[i] = liveIn[entry + i >> 6] & (1 << UInt64(i & 63)) != 0 }
    }
}
