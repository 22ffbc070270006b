import WasmcSyntax

// The operand stack of one function as typed expression nodes. Nodes live in one flat array
// (children by index), reused once nothing pending refers to them; C text is produced from a
// tree only when the statement holding it is emitted (`ExprTree.print`). The tcc-shaping folds
// (a pending `local.set` moved into the next read, `*p OP= x`, constant addresses) are
// rewrites of nodes or choices made from them before printing.

/// Trap kinds an expression may raise. Two pending expressions whose kinds differ must be
/// evaluated in wasm order (C leaves operand order unspecified); equal kinds need not.
enum TrapKind {
    static let memory: UInt8 = 1
    static let division: UInt8 = 2
    static let conversion: UInt8 = 4
    static let table: UInt8 = 8

    /// The kind of a numeric opcode, from its table row.
    static func of(_ t: NumericTrap) -> UInt8 {
        switch t {
        case .none: 0
        case .division: division
        case .conversion: conversion
        }
    }
}

/// State an expression reads that a side effect could change.
enum ReadKind {
    static let memory: UInt8 = 1  // linear memory, memory size, tables
    static let global: UInt8 = 2
}

/// What a node computes; its immediates are in `ExprNode.index` / `value`.
enum ExprOp: UInt8 {
    /// `l<index>`
    case local
    /// The stack temporary `s<index><type>` (a value written out at depth `index`).
    case temp
    /// A literal of the node's type with bits `value` (v128: `value` indexes `ExprTree.v128Literals`).
    case const
    case refNull
    /// `index`: function index.
    case refFunc
    /// `index`: global index.
    case global
    /// A numeric opcode (`index`: opcode) over `a` (and `b`), printed by its table template.
    case numeric
    /// `index`: memory index, `value`: memarg offset, `a`: address; width and extension in `aux`.
    case load
    /// `a` or `b` by condition `c`.
    case select
    case refIsNull
    /// `index`: memory index.
    case memorySize
    /// `index`: table index, `a`: element index.
    case tableGet
    case tableSize
    /// A SIMD operation (`index`: opcode) over `a`, `b`, `c` (as many as its signature has), a
    /// lane immediate in `value`, or for `i8x16.shuffle` its lanes at `v128Literals[value]`.
    case vector
    /// A SIMD load (`index`: opcode, `value`: memarg offset, `a`: address, `b`: the vector of a
    /// lane load, whose lane is `aux`).
    case vectorLoad
    /// A pending `l<index> = a` folded into its one read: `(l<index> = a)`.
    case assign
    /// The same when the assignment is dead after this read: `(a)`.
    case paren
}

struct ExprNode {
    var op: ExprOp
    var type: ValueType
    var traps: UInt8 = 0
    var reads: UInt8 = 0
    /// Invariant for the whole call (literals, ref.func, immutable globals): never materialized.
    var isConst = false
    /// `.numeric`: `Template.nodeBits`; `.load`: the access width in bytes, `signedBit` if it
    /// sign-extends (what printing needs, without a table lookup per node).
    var aux: UInt8 = 0
    /// Deepest stack temporary read, -1 if none.
    var maxTemp: Int32 = -1
    var a: Int32 = -1, b: Int32 = -1, c: Int32 = -1
    var index: UInt32 = 0
    var value: UInt64 = 0
    /// Bloom set of local indices read (bit `index % 64`).
    var locals: UInt64 = 0
    /// A v128 node the tcc tier prints as two u64 half expressions (`ExprTree.printsHalves`).
    var halves = false
}

extension ExprNode {
    static let conditionalBit: UInt8 = 16, comparisonBit: UInt8 = 32, signedBit: UInt8 = 16
    /// `.vectorLoad` of `v128.load` (-O tier): as two 8-byte loads (RecentStores).
    static let splitLoad: UInt8 = 1
    /// A numeric node prints operand `k` this many times.
    @inline(__always) func uses(_ k: Int) -> Int { Int(aux >> (2 * UInt8(k))) & 3 }
}

/// Whether two pending expressions must be evaluated in order (both may trap, differently).
@inline(__always) func tripsOrder(_ a: UInt8, _ b: UInt8) -> Bool {
    if a == 0 || b == 0 { return false }
    let u = a | b
    return u & (u &- 1) != 0
}

struct ExprTree {
    let ctx: ModuleContext
    var nodes: [ExprNode] = []
    /// Something printed so far reads the instance (`inst->`): the function declares it.
    var usesInst = false
    /// The prelude helpers printed so far.
    var prelude = PreludeUse()
    /// 16-byte immediates of the nodes (`v128.const`, shuffles): a node's `value` holds 64 bits.
    var v128Literals: [V128] = []
    /// Scratch stacks of the tree walks.
    var work: [Int32] = []
    var frames: [PrintFrame] = []

    /// Bit K: the function caches owned 64-bit memory K's length in `nK` (FunctionLowerer
    /// .cachedLengths), which its bounds checks compare with.
    var cachedLengths: UInt64 = 0

    init(ctx: ModuleContext) { self.ctx = ctx }

    @inline(__always) subscript(_ n: Int32) -> ExprNode {
        get { nodes[Int(n)] }
        set { nodes[Int(n)] = newValue }
    }

    mutating func addV128(_ v: V128) -> Int {
        v128Literals.append(v)
        return v128Literals.count - 1
    }

    mutating func add(_ n: ExprNode) -> Int32 {
        nodes.append(n)
        return Int32(nodes.count - 1)
    }

    // MARK: questions a fold asks (walks with an explicit stack: a wasm expression can nest
    // as deep as the function is long)

    /// How often `l<local>` is printed in `n` (0, 1, or 2 meaning "more").
    mutating func occurrences(of local: Int, in n: Int32) -> Int {
        work.removeAll(keepingCapacity: true)
        work.append(n)
        var k = 0
        while let x = work.popLast() {
            let e = nodes[Int(x)]
            switch e.op {
            case .local:
                if Int(e.index) == local { k += 1 }
            case .assign:
                if Int(e.index) == local { k += 1 }
                work.append(e.a)
            case .numeric:
                // A template may print an operand twice (rotates).
                for _ in 0..<e.uses(0) { work.append(e.a) }
                for _ in 0..<e.uses(1) { work.append(e.b) }
            default:
                pushChildren(e)
            }
            if k >= 2 { return 2 }
        }
        return k
    }

    /// The `l<local>` read node printed in `n`, if any (the caller knows there is exactly one).
    mutating func readNode(of local: Int, in n: Int32) -> Int32? {
        work.removeAll(keepingCapacity: true)
        work.append(n)
        while let x = work.popLast() {
            let e = nodes[Int(x)]
            if e.op == .local && Int(e.index) == local { return x }
            pushChildren(e)
        }
        return nil
    }

    /// `n` prints a `?:` (an assignment moved into it would run on one arm only).
    mutating func hasConditional(_ n: Int32) -> Bool {
        any(in: n) { e in e.op == .select || (e.op == .numeric && e.aux & ExprNode.conditionalBit != 0) }
    }

    /// `n` holds an assignment moved into it.
    mutating func hasAssignment(_ n: Int32) -> Bool {
        any(in: n) { e in e.op == .assign }
    }

    private mutating func any(in n: Int32, _ pred: (ExprNode) -> Bool) -> Bool {
        work.removeAll(keepingCapacity: true)
        work.append(n)
        while let x = work.popLast() {
            let e = nodes[Int(x)]
            if pred(e) { return true }
            pushChildren(e)
        }
        return false
    }

    @inline(__always) private mutating func pushChildren(_ e: ExprNode) {
        if e.a >= 0 { work.append(e.a) }
        if e.b >= 0 { work.append(e.b) }
        if e.c >= 0 { work.append(e.c) }
    }

    /// The two trees print the same C (and so compute the same value at the same point).
    mutating func same(_ x: Int32, _ y: Int32) -> Bool {
        work.removeAll(keepingCapacity: true)
        work.append(x)
        work.append(y)
        while work.count >= 2 {
            let q = nodes[Int(work.removeLast())], p = nodes[Int(work.removeLast())]
            guard p.op == q.op, p.index == q.index, p.value == q.value, p.type == q.type, p.aux == q.aux,
                  p.op != .assign, p.op != .paren,
                  (p.a < 0) == (q.a < 0), (p.b < 0) == (q.b < 0), (p.c < 0) == (q.c < 0) else { return false }
            if p.a >= 0 { work.append(p.a); work.append(q.a) }
            if p.b >= 0 { work.append(p.b); work.append(q.b) }
            if p.c >= 0 { work.append(p.c); work.append(q.c) }
        }
        return true
    }

    /// A bare local, temporary or integer literal: reading it twice costs nothing and changes nothing.
    func isPlain(_ n: Int32) -> Bool {
        let e = nodes[Int(n)]
        switch e.op {
        case .local, .temp: return true
        case .const: return e.type == .i32 || e.type == .i64
        default: return false
        }
    }

    // MARK: v128 as halves (tcc tier, docs/simd.md "Halves")

    /// The tcc tier keeps v128 variables' halves apart: `l3.lo`, `s2v.hi` (a struct's fields
    /// are separate stack slots to tcc), and computes lane-independent operations per half.
    var splitsV128: Bool { !ctx.options.optimizingCompiler }

    /// `n` can be printed one half at a time (`print(_:half:into:)`): a v128 variable, literal
    /// or global, or an operation built from such by `.lanewise`/`.lane` rows, `v128.load` or
    /// `select`. Anything else is printed whole, by the whole-vector functions.
    func printsHalves(_ n: Int32) -> Bool {
        guard splitsV128 else { return false }
        let e = nodes[Int(n)]
        return e.type == .v128 && (isLeaf(n) || e.halves)
    }

    /// `n` is a v128 variable, literal or global: reading a half of it costs one read.
    func isLeaf(_ n: Int32) -> Bool {
        switch nodes[Int(n)].op {
        case .local, .temp, .const, .global: return true
        default: return false
        }
    }

    /// `n` holds a SIMD node (printing it as halves prints its scalar operands twice).
    mutating func containsVector(_ n: Int32) -> Bool {
        any(in: n) { e in e.type == .v128 || e.op == .vector || e.op == .vectorLoad }
    }

    /// Assigning `n` half by half to the variable `target` (a `.local` or `.temp` leaf, by op
    /// and index) could let the second half read the first half already written: `n` reads the
    /// variable and reads across halves (an `extract_lane`).
    mutating func readsAcrossHalves(_ n: Int32, target: ExprOp, index: UInt32) -> Bool {
        var readsTarget = false, crosses = false
        work.removeAll(keepingCapacity: true)
        work.append(n)
        while let x = work.popLast() {
            let e = nodes[Int(x)]
            if e.op == target && e.index == index && e.type == .v128 { readsTarget = true }
            if e.op == .vector && (e.type != .v128 || OpcodeTable.entries[Int(e.index)].halves.readsOtherHalves) { crosses = true }
            if readsTarget && crosses { return true }
            pushChildren(e)
        }
        return false
    }

    /// The value of an `i32.const` node.
    func i32Constant(_ n: Int32) -> UInt32? {
        let e = nodes[Int(n)]
        return e.op == .const && e.type == .i32 ? UInt32(truncatingIfNeeded: e.value) : nil
    }
}
