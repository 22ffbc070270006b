import WasmcSyntax

/// Loops (by instruction index) whose only branch is a `br_if` with no loop between it and
/// the loop. The loop is `do { … } while (c);` up to that `br_if`; what follows it in the
/// loop is reached only by falling out (or by branches out of the `do`), so it goes after
/// the `while`, and nested blocks still open there close after it (they are only labels).
/// Fed the control instructions in order: by the liveness walk when it runs (tcc tier, a
/// function with a loop), else by a walk of its own (`find`).
struct DoWhileLoops {
    /// Indexed by instruction: a [Bool] rather than a Set (a Set's first use costs a small
    /// module's compile a measurable share in generic-metadata setup).
    private(set) var result: [Bool]
    // Open frames: start index if a loop (-1 otherwise), and branches to it so far (such a
    // `br_if` counts 1, any other branch 2); the open loops' frame indices, so that "is there
    // a loop between here and the target" is one comparison, not a scan.
    private var starts: [Int] = []
    private var branches: [Int] = []
    private var loopFrames: [Int] = []

    init(count: Int) { result = [Bool](repeating: false, count: count) }

    static func find(_ code: [Instruction]) -> [Bool] {
        var d = DoWhileLoops(count: code.count)
        // Opcode classes from the liveness table (`ins.info` copies an OpcodeInfo per instruction).
        let kinds = LiveOp.table
        for (i, ins) in code.enumerated() {
            let k = kinds[Int(ins.opcode.rawValue)]
            if k >= LiveOp.block { d.visit(k, ins, at: i) }
        }
        return d.result
    }

    /// Control instruction `ins` (of `LiveOp` class `k`) at index `pc`.
    mutating func visit(_ k: UInt8, _ ins: Instruction, at pc: Int) {
        switch k {
        case LiveOp.block, LiveOp.if:
            starts.append(-1); branches.append(0)
        case LiveOp.loop:
            loopFrames.append(starts.count)
            starts.append(pc); branches.append(0)
        case LiveOp.br, LiveOp.brIf, LiveOp.brOn:
            guard case .index(let di) = ins.immediate else { return }
            let d = Int(di)
            guard d < branches.count else { return }
            let target = branches.count - 1 - d
            let direct = k == LiveOp.brIf && (loopFrames.last ?? -1) <= target
            branches[target] += direct ? 1 : 2
        case LiveOp.brTable:
            guard case .brTable(let t) = ins.immediate else { return }
            for d in t.targets + [t.defaultTarget] where Int(d) < branches.count {
                branches[branches.count - 1 - Int(d)] += 2
            }
        case LiveOp.end:
            guard let start = starts.popLast(), let n = branches.popLast() else { return }
            if start >= 0 {
                loopFrames.removeLast()
                if n == 1 { result[start] = true }
            }
        default:
            break
        }
    }
}
