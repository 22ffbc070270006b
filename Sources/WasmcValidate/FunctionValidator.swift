import WasmcSyntax

/// Type-checks function bodies with the operand/control stack algorithm of the spec's appendix.
/// One validator checks any number of functions in turn, reusing its stacks; independent
/// validators may check different functions of the same module concurrently.
/// Iterative throughout: nesting depth costs heap, never native stack.
struct FunctionValidator {
    let context: ModuleContext
    private let typings = OpcodeTable.typing
    var operands: [Operand] = []
    var frames: [ControlFrame] = []
    var locals = LocalTypes()
    /// Non-defaultable locals (3.0 typed references) must be set before they are read: the
    /// ones set so far, and the order they were set in, to forget them at the end of a block.
    var tracksInitialization = false
    var initializedLocals = Set<UInt32>()
    var initializationOrder: [UInt32] = []
    /// Values popped and pushed back while checking each `br_table` target.
    var scratch: [Operand] = []
    /// Where errors point: function index and the current instruction's byte offset.
    private var functionIndex: UInt32 = 0
    private var bodyOffset = 0
    private var offsets: [UInt32] = []
    private var pc = -1
    /// The current instruction's byte offset, else the body's (errors are rare: computed on demand).
    private var offset: Int { offsets.indices.contains(pc) ? Int(offsets[pc]) : bodyOffset }

    init(context: ModuleContext) { self.context = context }

    /// Validates `body` as function `index` (function index space) of type `type`.
    mutating func validate(_ body: FunctionBody, type: FuncType, index: UInt32) throws {
        functionIndex = index
        bodyOffset = Int(body.offset)
        pc = -1
        operands.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        locals.reset(params: type.params, declarations: body.locals)
        tracksInitialization = false
        for d in body.locals {
            try requireType(d.type)
            if d.count > 0 && !d.type.isDefaultable { tracksInitialization = true }
        }
        if tracksInitialization {
            initializedLocals.removeAll()
            initializationOrder.removeAll()
            for p in 0..<UInt32(type.params.count) { initializedLocals.insert(p) }
        }
        frames.append(ControlFrame(kind: .function, params: [], results: type.results, height: 0, unreachable: false))
        offsets = body.offsets
        try body.instructions.withUnsafeBufferPointer { instructions in
            for pc in instructions.indices {
                self.pc = pc
                if frames.isEmpty { throw malformed("instruction after the function's final end") }
                try step(instructions[pc])
            }
        }
        if !frames.isEmpty { throw malformed("function body does not end with end") }
    }

    // MARK: Errors

    func invalid(_ message: String) -> WasmError {
        WasmError(.invalid, message, offset: offset, function: functionIndex)
    }
    func malformed(_ message: String) -> WasmError {
        WasmError(.malformed, message, offset: offset, function: functionIndex)
    }
    func mismatch(expected: ValueType, got: ValueType?) -> WasmError {
        invalid("type mismatch: expected \(expected), got \(got.map(\.description) ?? "nothing")")
    }

    // MARK: Operand and control stacks

    mutating func push(_ t: Operand) { operands.append(t) }
    mutating func push(_ ts: [ValueType]) { for t in ts { operands.append(t) } }

    mutating func pop() throws -> Operand {
        let top = frames.count - 1
        if operands.count == frames[top].height {
            if frames[top].unreachable { return nil }
            throw invalid("type mismatch: operand stack is empty")
        }
        return operands.removeLast()
    }

    @discardableResult
    mutating func pop(_ expected: ValueType) throws -> Operand {
        let actual = try pop()
        if let actual, actual != expected, !context.matches(actual, expected) { throw mismatch(expected: expected, got: actual) }
        return actual
    }

    mutating func pop(_ expected: [ValueType]) throws {
        for t in expected.reversed() { try pop(t) }
    }

    mutating func pushFrame(_ kind: FrameKind, params: [ValueType], results: [ValueType]) {
        frames.append(ControlFrame(kind: kind, params: params, results: results, height: operands.count, unreachable: false,
                                   initHeight: initializationOrder.count))
        push(params)
    }

    /// Forgets the locals set since the frame was entered (at its `else` and `end`).
    mutating func resetInitialization(to height: Int) {
        while initializationOrder.count > height { initializedLocals.remove(initializationOrder.removeLast()) }
    }

    /// `local.get` of a non-defaultable local needs it set on every path to here.
    func requireInitialized(_ i: UInt32, _ t: ValueType) throws {
        if tracksInitialization && !t.isDefaultable && !initializedLocals.contains(i) { throw invalid("uninitialized local \(i)") }
    }

    mutating func markInitialized(_ i: UInt32) {
        if tracksInitialization && initializedLocals.insert(i).inserted { initializationOrder.append(i) }
    }

    mutating func popFrame() throws -> ControlFrame {
        let top = frames.count - 1
        try pop(frames[top].results)
        if operands.count != frames[top].height {
            throw invalid("type mismatch: \(operands.count - frames[top].height) extra values at end of block")
        }
        if tracksInitialization { resetInitialization(to: frames[top].initHeight) }
        return frames.removeLast()
    }

    mutating func markUnreachable() {
        let top = frames.count - 1
        operands.removeSubrange(frames[top].height...)
        frames[top].unreachable = true
    }

    /// The control stack index of the frame that label `depth` names.
    func frameIndex(label depth: UInt32) throws -> Int {
        guard Int(depth) < frames.count else { throw invalid("unknown label \(depth)") }
        return frames.count - 1 - Int(depth)
    }

    // MARK: Immediates (checked, so a hand-built module with a wrong shape cannot crash us)

    func index(_ ins: Instruction) throws -> UInt32 {
        if case .index(let i) = ins.immediate { return i }
        throw malformed("\(ins.info.name): bad immediate")
    }
    func indices(_ ins: Instruction) throws -> (UInt32, UInt32) {
        if case .indices(let a, let b) = ins.immediate { return (a, b) }
        throw malformed("\(ins.info.name): bad immediate")
    }

    // MARK: Module lookups, with the suite's wording

    func table(_ i: UInt32) throws -> TableType {
        guard Int(i) < context.tables.count else { throw invalid("unknown table \(i)") }
        return context.tables[Int(i)]
    }
    @discardableResult
    func requireMemory(_ i: UInt32) throws -> MemoryType {
        guard Int(i) < context.memories.count else { throw invalid("unknown memory \(i)") }
        return context.memories[Int(i)]
    }
    func global(_ i: UInt32) throws -> GlobalType {
        guard Int(i) < context.globals.count else { throw invalid("unknown global \(i)") }
        return context.globals[Int(i)]
    }
    /// A concrete heap type in the body names a type of the module.
    func requireType(_ t: ValueType) throws {
        if case .ref(_, .type(let i)) = t, Int(i) >= context.types.count { throw invalid("unknown type \(i)") }
    }
    func local(_ i: UInt32) throws -> ValueType {
        guard let t = locals[i] else { throw invalid("unknown local \(i)") }
        return t
    }
    func type(_ i: UInt32) throws -> FuncType {
        guard Int(i) < context.types.count else { throw invalid("unknown type \(i)") }
        return context.types[Int(i)]
    }
    func elementType(_ i: UInt32) throws -> ValueType {
        guard Int(i) < context.elementTypes.count else { throw invalid("unknown elem segment \(i)") }
        return context.elementTypes[Int(i)]
    }
    func requireData(_ i: UInt32) throws {
        guard Int(i) < context.dataCount else { throw invalid("unknown data segment \(i)") }
    }
    func function(_ i: UInt32) throws -> FuncType {
        guard Int(i) < context.functions.count else { throw invalid("unknown function \(i)") }
        guard let t = context.functionType(i) else { throw invalid("unknown type \(context.functions[Int(i)])") }
        return t
    }

    /// The parameter types (the payload) of tag `i`'s type.
    func tag(_ i: UInt32) throws -> [ValueType] {
        guard Int(i) < context.tags.count else { throw invalid("unknown tag \(i)") }
        return try type(context.tags[Int(i)]).params
    }

    func blockType(_ ins: Instruction) throws -> (params: [ValueType], results: [ValueType]) {
        guard case .block(let bt) = ins.immediate else { throw malformed("\(ins.info.name): bad immediate") }
        return try blockType(bt)
    }

    func blockType(_ bt: BlockType) throws -> (params: [ValueType], results: [ValueType]) {
        switch bt {
        case .empty: return ([], [])
        case .value(let t):
            try requireType(t)
            return ([], SingleType.list(t))
        case .type(let i):
            let ft = try type(i)
            return (ft.params, ft.results)
        }
    }

    /// Memory exists; alignment at most natural, and for atomics exactly natural.
    func checkMemArg(_ ins: Instruction, _ typing: OpcodeTyping) throws {
        let m: MemArg
        switch ins.immediate {
        case .memarg(let a): m = a
        case .memargLane(let a, _): m = a
        default: throw malformed("\(ins.info.name): bad immediate")
        }
        guard let natural = typing.naturalAlignment else { throw malformed("\(ins.info.name): bad immediate") }
        let memory = try requireMemory(m.memory)
        if m.align > natural { throw invalid("alignment must not be larger than natural") }
        if !memory.is64 && m.offset > UInt64(UInt32.max) { throw invalid("offset out of range") }
        if typing.isAtomic && m.align != natural { throw invalid("atomic alignment must be natural") }
    }

    // MARK: Instructions

    mutating func step(_ ins: Instruction) throws {
        let typing = typings[Int(ins.opcode.rawValue)]
        guard var signature = typing.signature else {
            guard case .special(let s) = typing.kind else { throw malformed("\(ins.info.name): no typing rule") }
            return try special(s, ins)
        }
        // Typed by the table: check what the immediate names, then pop operands, push results.
        if typing.immediate != .none {
            try checkImmediate(ins, typing)
            if context.hasAddress64 { signature = addressTyped(signature, ins, typing) }
        }
        switch signature.operandCount {
        case 0: break
        case 1:
            try pop(signature.operand0)
        case 2:
            try pop(signature.operand1)
            try pop(signature.operand0)
        default:
            try pop(signature.operand2)
            try pop(signature.operand1)
            try pop(signature.operand0)
        }
        if signature.resultCount != 0 { push(signature.result) }
    }

    /// The module entities an instruction of fixed signature names exist, and a memarg's
    /// alignment fits (spec §3.3: the side conditions of its typing rule).
    private func checkImmediate(_ ins: Instruction, _ typing: OpcodeTyping) throws {
        switch typing.immediate {
        case .memarg:
            try checkMemArg(ins, typing)
        case .memory:
            try requireMemory(try index(ins))
        case .memoryInit:
            let (data, memory) = try indices(ins)
            try requireMemory(memory)
            try requireData(data)
        case .memoryCopy:
            let (dst, src) = try indices(ins)
            try requireMemory(dst)
            try requireMemory(src)
        case .data:
            try requireData(try index(ins))
        case .element:
            _ = try elementType(try index(ins))
        case .table:
            _ = try table(try index(ins))
        case .none, .i32, .i64, .f32, .f64, .atomicFence, .v128:
            break
        case .lane:
            guard case .vector(let lanes) = typing.kind else { throw malformed("\(ins.info.name): bad immediate") }
            if try index(ins) >= UInt32(lanes) { throw invalid("invalid lane index") }
        case .shuffle:
            guard case .v128(let v) = ins.immediate else { throw malformed("\(ins.info.name): bad immediate") }
            for i in 0..<16 where v[i] >= 32 { throw invalid("invalid lane index") }
        case .memargLane:
            try checkMemArg(ins, typing)
            guard case .memargLane(_, let lane) = ins.immediate, let natural = typing.naturalAlignment else {
                throw malformed("\(ins.info.name): bad immediate")
            }
            if UInt32(lane) >= 16 >> natural { throw invalid("invalid lane index") }
        case .block, .label, .brTable, .function, .callIndirect, .local, .global, .selectTypes, .refType,
             .tableInit, .tableCopy, .tag, .tryTable, .type:
            throw malformed("\(ins.info.name): its immediate needs a typing rule of its own")
        }
    }
}
