import WasmcSyntax

// Instruction sequences (spec §5.4): function bodies and constant expressions, decoded with the
// opcode table's decoding view (`OpcodeTable.singleByte`, `prefixed`).

/// Block nesting while decoding, to find the `end` that closes the sequence and to reject an
/// `else` outside an `if` as the binary grammar does.
private enum Frame: UInt8 { case block, `if`, `else` }

struct InstructionDecoder {
    // Held here: a static read per instruction would check its lazy initialisation each time.
    private let singleByte = OpcodeTable.singleByte
    private let prefixed = OpcodeTable.prefixed
    private let prefixStart = OpcodeTable.prefixStart
    private let prefixSize = OpcodeTable.prefixSize
    private var frames: [Frame] = []

    /// The decoded sequence, until `take()` moves it out.
    let output: InstructionBuffer
    /// memory.init or data.drop seen: the module then needs a data count section.
    var usesDataIndices = false
    /// 3.0: memory indices where 2.0 has zero bytes, 64-bit memarg offsets.
    let standard: CoreStandard

    /// `capacity`: the scratch size to start with (bodies reuse theirs; const exprs are tiny).
    init(capacity: Int = 1024, standard: CoreStandard = .wasm3) {
        output = InstructionBuffer(capacity: capacity)
        self.standard = standard
    }

    /// Decodes instructions up to and including the `end` that closes the sequence.
    mutating func sequence(_ r: inout Reader) throws {
        frames.removeAll(keepingCapacity: true)
        output.removeAll()
        while true {
            let at = r.pos
            let b = try r.byte()
            let entry: OpcodeDecoding
            if let e = singleByte[Int(b)] {
                entry = e
            } else {
                let size = prefixSize[Int(b)]
                guard size > 0 else {
                    throw r.error("illegal opcode \(String(b, radix: 16))", at: at)
                }
                let sub = try r.u32()
                guard sub < size, let e = prefixed[prefixStart[Int(b)] + Int(sub)] else {
                    throw r.error("illegal opcode \(String(b, radix: 16)) \(sub)", at: at)
                }
                entry = e
            }
            if entry.wasm3 && r.wasm2 { throw r.error("illegal opcode \(String(b, radix: 16))", at: at) }
            let immediate: Immediate = entry.immediate == .none ? .none : try self.immediate(entry.immediate, &r)
            output.append(Instruction(entry.opcode, immediate), at: at)

            switch entry.control {
            case .none: break
            case .block: frames.append(.block)
            case .if: frames.append(.if)
            case .end:
                if frames.isEmpty { return }
                frames.removeLast()
            case .else:
                // The reference decoder ends the enclosing sequence at `else` and then wants `end`.
                guard frames.last == .if else { throw r.error("END opcode expected", at: at) }
                frames[frames.count &- 1] = .else
            }
        }
    }

    @inline(__always)
    private mutating func immediate(_ kind: ImmediateKind, _ r: inout Reader) throws -> Immediate {
        switch kind {
        case .none:
            return .none
        case .label, .function, .local, .global, .table, .element, .tag, .type:
            return .index(try r.u32())
        case .data:
            usesDataIndices = true
            return .index(try r.u32())
        case .i32:
            return .i32(UInt32(truncatingIfNeeded: try r.sleb(bits: 32)))
        case .i64:
            return .i64(UInt64(bitPattern: try r.sleb(bits: 64)))
        case .f32:
            return .f32(try r.fixed32())
        case .f64:
            return .f64(try r.fixed64())
        case .memarg:
            return .memarg(try memarg(&r))
        case .memargLane:
            let m = try memarg(&r)
            return .memargLane(m, try r.byte())
        case .lane:
            return .index(UInt32(try r.byte()))
        case .v128, .shuffle:
            let lo = try r.fixed64()
            return .v128(V128(lo: lo, hi: try r.fixed64()))
        case .block:
            return .block(try blockType(&r))
        case .brTable:
            let targets = try r.vector { try $0.u32() }
            return .brTable(BrTable(targets: targets, defaultTarget: try r.u32()))
        case .callIndirect, .tableInit, .tableCopy:
            let a = try r.u32()
            return .indices(a, try r.u32())
        case .memory:
            return .index(try memoryIndex(&r))
        case .memoryInit:
            usesDataIndices = true
            let data = try r.u32()
            return .indices(data, try memoryIndex(&r))
        case .memoryCopy:
            let dst = try memoryIndex(&r)
            return .indices(dst, try memoryIndex(&r))
        case .atomicFence:
            try r.zeroByte()
            return .none
        case .selectTypes:
            return .valueTypes(try r.vector { try $0.valueType() })
        case .refType:
            return .valueTypes([.ref(nullable: true, heap: try r.heapType())])
        case .tryTable:
            let bt = try blockType(&r)
            let catches = try r.vector { r -> CatchClause in
                let at = r.pos
                guard let kind = CatchClause.Kind(rawValue: try r.byte()) else { throw r.error("malformed catch clause", at: at) }
                let tag = kind.hasTag ? try r.u32() : 0
                return CatchClause(kind: kind, tag: tag, label: try r.u32())
            }
            return .tryTable(TryTable(blockType: bt, catches: catches))
        }
    }

    /// A memory index (3.0), or the reserved zero byte of 2.0.
    private func memoryIndex(_ r: inout Reader) throws -> UInt32 {
        if standard.multiMemory { return try r.u32() }
        try r.zeroByte()
        return 0
    }

    private func memarg(_ r: inout Reader) throws -> MemArg {
        let alignAt = r.pos
        var align = try r.u32()
        var memory: UInt32 = 0
        if standard.multiMemory {
            // 3.0: flags below 2^6 are the alignment; bit 6 says a memory index follows.
            guard align < 0x80 else { throw r.error("malformed memop flags", at: alignAt) }
            if align & 0x40 != 0 {
                align &= ~0x40
                memory = try r.u32()
            }
        } else {
            // 2^32 and beyond cannot be an alignment at all; smaller excesses are invalid.
            guard align < 32 else { throw r.error("malformed memop flags", at: alignAt) }
        }
        // 3.0 reads a u64 offset; one beyond a 32-bit memory's range is invalid, not malformed.
        let offset = standard.memory64 ? try r.uleb(bits: 64) : UInt64(try r.u32())
        return MemArg(align: align, offset: offset, memory: memory)
    }

    /// `blocktype`: 0x40, a value type, or a type index as a positive s33.
    private func blockType(_ r: inout Reader) throws -> BlockType {
        guard let b = r.peek() else { throw r.error(unexpectedEnd, at: r.pos) }
        if b == 0x40 {
            r.pos &+= 1
            return .empty
        }
        if b & 0xC0 == 0x40 { return .value(try r.valueType()) }
        let at = r.pos
        let index = try r.sleb(bits: 33)
        // A negative index names no type; the spec leaves that to validation.
        guard let type = UInt32(exactly: index) else {
            throw WasmError(.invalid, "unknown type", offset: at, function: r.function)
        }
        return .type(type)
    }
}

extension Reader {
    /// A constant expression, decoded like any instruction sequence (what it may contain is
    /// the validator's business); the closing `end` is dropped.
    mutating func constExpr() throws -> ConstExpr {
        // Constant expressions hold no memory instruction: the standard changes nothing here.
        var decoder = InstructionDecoder(capacity: 4)
        try decoder.sequence(&self)
        var instructions = decoder.output.take().instructions
        instructions.removeLast()
        return ConstExpr(instructions)
    }
}
