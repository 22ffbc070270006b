import WasmcSyntax

/// Typing of the instructions the opcode table gives no fixed signature: control, parametric,
/// variables, references and tables (their types come from immediates or the module).
extension FunctionValidator {
    mutating func special(_ s: Special, _ ins: Instruction) throws {
        switch s {
        // Control
        case .unreachable:
            markUnreachable()
        case .block, .loop:
            let bt = try blockType(ins)
            try pop(bt.params)
            pushFrame(s == .block ? .block : .loop, params: bt.params, results: bt.results)
        case .if:
            let bt = try blockType(ins)
            try pop(.i32)
            try pop(bt.params)
            pushFrame(.if, params: bt.params, results: bt.results)
        case .else:
            guard frames[frames.count - 1].kind == .if else { throw malformed("else without matching if") }
            let frame = try popFrame()
            pushFrame(.else, params: frame.params, results: frame.results)
        case .end:
            let frame = try popFrame()
            // An `if` without `else` has an implicit empty else, which must map params to results.
            if frame.kind == .if && !context.matches(frame.params, frame.results) {
                throw invalid("type mismatch: if without else must leave its parameters as results")
            }
            if !frames.isEmpty { push(frame.results) }
        case .br:
            let f = try frameIndex(label: try index(ins))
            try pop(frames[f].labelTypes)
            markUnreachable()
        case .brIf:
            let f = try frameIndex(label: try index(ins))
            try pop(.i32)
            let types = frames[f].labelTypes
            try pop(types)
            push(types)
        case .brTable:
            guard case .brTable(let table) = ins.immediate else { throw malformed("br_table: bad immediate") }
            try brTable(table)
        case .return:
            try pop(frames[0].results)
            markUnreachable()
        case .call, .returnCall:
            let ft = try function(try index(ins))
            try pop(ft.params)
            try callResults(ft, tail: s == .returnCall)
        case .callIndirect, .returnCallIndirect:
            let (typeIndex, tableIndex) = try indices(ins)
            let tab = try table(tableIndex)
            let ft = try type(typeIndex)
            if !context.matches(tab.elementType, .funcref) { throw invalid("type mismatch: call_indirect needs a funcref table") }
            try pop(tab.address.valueType)
            try pop(ft.params)
            try callResults(ft, tail: s == .returnCallIndirect)
        case .callRef, .returnCallRef:
            let typeIndex = try index(ins)
            let ft = try type(typeIndex)
            try pop(.ref(nullable: true, heap: .type(typeIndex)))
            try pop(ft.params)
            try callResults(ft, tail: s == .returnCallRef)
        case .brOnNull:
            let f = try frameIndex(label: try index(ins))
            let heap = try popReference()
            let types = frames[f].labelTypes
            try pop(types)
            push(types)
            push(heap.map { .ref(nullable: false, heap: $0) })
        case .brOnNonNull:
            let f = try frameIndex(label: try index(ins))
            let heap = try popReference()
            let types = frames[f].labelTypes
            guard let last = types.last, last.isReference else {
                throw invalid("type mismatch: br_on_non_null needs a label whose last type is a reference")
            }
            push(heap.map { .ref(nullable: false, heap: $0) })
            try pop(types)
            push(Array(types.dropLast()))

        // Exceptions (Wasm 3.0)
        case .throw:
            try popOperands(try tag(try index(ins)))
            markUnreachable()
        case .throwRef:
            try pop(.exnref)
            markUnreachable()
        case .tryTable:
            guard case .tryTable(let table) = ins.immediate else { throw malformed("try_table: bad immediate") }
            let bt = try blockType(table.blockType)
            // Catch labels are resolved outside the try_table's own frame.
            for clause in table.catches {
                let f = try frameIndex(label: clause.label)
                var carried = clause.kind.hasTag ? try tag(clause.tag) : []
                // The reference a _ref clause passes is never null: (ref exn).
                if clause.kind.passesRef { carried.append(.ref(nullable: false, heap: .exn)) }
                let label = frames[f].labelTypes
                guard context.matches(carried, label) else {
                    throw invalid("type mismatch: catch clause passes [\(carried.map(\.description).joined(separator: " "))] to a label of [\(label.map(\.description).joined(separator: " "))]")
                }
            }
            try pop(bt.params)
            pushFrame(.block, params: bt.params, results: bt.results)

        // Parametric
        case .drop:
            _ = try pop()
        case .select:
            try pop(.i32)
            let t1 = try pop()
            let t2 = try pop()
            // Untyped select is for numeric (and vector) operands only; nil (Unknown) fits either.
            guard t1.map({ !$0.isReference }) ?? true, t2.map({ !$0.isReference }) ?? true else {
                throw invalid("type mismatch: select without type needs numeric operands")
            }
            if let t1, let t2, t1 != t2 { throw mismatch(expected: t1, got: t2) }
            push(t1 ?? t2)
        case .selectTyped:
            guard case .valueTypes(let ts) = ins.immediate else { throw malformed("select: bad immediate") }
            guard ts.count == 1 else { throw invalid("invalid result arity") }
            try requireType(ts[0])
            try pop(.i32)
            try pop(ts[0])
            try pop(ts[0])
            push(ts[0])

        // Variables
        case .localGet:
            let i = try index(ins)
            let t = try local(i)
            try requireInitialized(i, t)
            push(t)
        case .localSet:
            let i = try index(ins)
            try pop(try local(i))
            markInitialized(i)
        case .localTee:
            let i = try index(ins)
            let t = try local(i)
            try pop(t)
            markInitialized(i)
            push(t)
        case .globalGet:
            push(try global(try index(ins)).valueType)
        case .globalSet:
            let g = try global(try index(ins))
            // The same rule, worded differently by the 2.0 and 3.0 spec tests.
            if !g.mutable { throw invalid(context.standard == .wasm2 ? "global is immutable" : "immutable global") }
            try pop(g.valueType)

        // Tables (indices and sizes of the table's address type; table64 in 3.0)
        case .tableGet:
            let t = try table(try index(ins))
            try pop(t.address.valueType)
            push(t.elementType)
        case .tableSet:
            let t = try table(try index(ins))
            try pop(t.elementType)
            try pop(t.address.valueType)
        case .tableGrow:
            let t = try table(try index(ins))
            try pop(t.address.valueType)
            try pop(t.elementType)
            push(t.address.valueType)
        case .tableFill:
            let t = try table(try index(ins))
            try pop(t.address.valueType)
            try pop(t.elementType)
            try pop(t.address.valueType)
        case .tableCopy:
            let (dst, src) = try indices(ins)
            let d = try table(dst), s = try table(src)
            if !context.matches(s.elementType, d.elementType) { throw mismatch(expected: d.elementType, got: s.elementType) }
            // The length is i64 only when both tables are 64-bit.
            try pop(d.is64 && s.is64 ? .i64 : .i32)
            try pop(s.address.valueType)
            try pop(d.address.valueType)
        case .tableInit:
            let (elem, tableIndex) = try indices(ins)
            let t = try table(tableIndex)
            let e = try elementType(elem)
            if !context.matches(e, t.elementType) { throw mismatch(expected: t.elementType, got: e) }
            try pop(.i32)
            try pop(.i32)
            try pop(t.address.valueType)

        // References
        case .refNull:
            guard case .valueTypes(let ts) = ins.immediate, ts.count == 1, ts[0].isReference else {
                throw malformed("ref.null: bad immediate")
            }
            try requireType(ts[0])
            push(ts[0])
        case .refIsNull:
            let t = try pop()
            if let t, !t.isReference { throw invalid("type mismatch: ref.is_null needs a reference, got \(t)") }
            push(.i32)
        case .refFunc:
            let f = try index(ins)
            _ = try function(f)
            if !context.declaredFunctions.contains(f) { throw invalid("undeclared function reference \(f)") }
            push(.ref(nullable: false, heap: .type(context.functions[Int(f)])))
        case .refAsNonNull:
            let heap = try popReference()
            push(heap.map { .ref(nullable: false, heap: $0) })

        // Typed by their signature in the opcode table (`step`).
        case .nop, .tableSize, .elemDrop, .memorySize, .memoryGrow, .memoryInit, .dataDrop, .memoryCopy, .memoryFill,
             .i32Const, .i64Const, .f32Const, .f64Const, .atomicNotify, .atomicWait32, .atomicWait64, .atomicFence, .v128Const:
            throw malformed("\(ins.info.name): typed by its signature, not here")
        }
    }

    /// Pops `types` like `pop(_:)`, with the 3.0 reference interpreter's wording on a mismatch
    /// ("type mismatch: instruction requires [i32] but stack has [i64]", which the 3.0 suite's
    /// `throw` tests expect in full).
    mutating func popOperands(_ types: [ValueType]) throws {
        let top = frames.count - 1
        let available = operands.count - frames[top].height
        let n = min(types.count, available)
        let actual = operands[(operands.count - n)...]
        var fits = n == types.count || frames[top].unreachable
        if fits {
            for (want, got) in zip(types.suffix(n), actual) where got.map({ !context.matches($0, want) }) ?? false { fits = false }
        }
        guard fits else {
            let have = actual.map { $0?.description ?? "_" }.joined(separator: " ")
            throw invalid("type mismatch: instruction requires [\(types.map(\.description).joined(separator: " "))] but stack has [\(have)]")
        }
        try pop(types)
    }

    /// A call's results; a tail call's must fit the caller's results, and ends the block's code.
    private mutating func callResults(_ ft: FuncType, tail: Bool) throws {
        guard tail else { return push(ft.results) }
        guard context.matches(ft.results, frames[0].results) else {
            throw invalid("type mismatch: tail call results \(ft.results) do not match the function's \(frames[0].results)")
        }
        markUnreachable()
    }

    /// Pops a reference of any type and returns its heap type; nil for Unknown (unreachable code).
    private mutating func popReference() throws -> HeapType? {
        guard let t = try pop() else { return nil }
        guard case .ref(_, let heap) = t else { throw invalid("type mismatch: expected a reference, got \(t)") }
        return heap
    }

    /// Every target must take the same number of values as the default, and the operands must
    /// fit each target's label types (spec appendix: pop and push back per target).
    private mutating func brTable(_ table: BrTable) throws {
        try pop(.i32)
        let m = try frameIndex(label: table.defaultTarget)
        let arity = frames[m].labelTypes.count
        for n in table.targets {
            let types = frames[try frameIndex(label: n)].labelTypes
            if types.count != arity {
                throw invalid("type mismatch: br_table targets take \(arity) and \(types.count) values")
            }
            var popped = scratch
            scratch = []
            popped.removeAll(keepingCapacity: true)
            defer { scratch = popped }
            for t in types.reversed() { popped.append(try pop(t)) }
            for v in popped.reversed() { push(v) }
        }
        try pop(frames[m].labelTypes)
        markUnreachable()
    }
}
