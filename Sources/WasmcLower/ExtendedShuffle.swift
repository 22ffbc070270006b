import WasmcSyntax

// -O tier: an `extend` chain over an `i8x16.shuffle` (docs/simd.md "Extended shuffles"). The
// extends keep only some bytes of the shuffle; when each result lane takes its field from the
// same lane of one operand, at one byte offset for all lanes, the chain is that operand's lanes
// shifted and masked. cc -O2 for baseline x86-64 has no byte shuffle instruction (pshufb is
// SSSE3) and builds a constant shuffle byte by byte through the stack.

/// An extend chain, read from the outermost extend inwards, as a gather of one field per result
/// lane from the shuffle under it.
struct ExtendedShuffle: Equatable {
    /// Bytes per result lane: 2, 4 or 8.
    let laneBytes: Int
    /// Bytes of the field each result lane is built from (the innermost extend's operand lanes).
    let fieldBytes: Int
    /// The field is sign-extended up to this many bytes, then zero-extended to `laneBytes`
    /// (`fieldBytes`: zero-extended only). A `_u` step leaves the top bit clear, so any `_s`
    /// step after it extends zeros.
    let signedBytes: Int
    /// Per result lane, the index of the shuffle lane (of `fieldBytes`) it reads.
    let sources: [Int]

    /// `chain`: the extends, outermost first. Nil unless each one's operand lanes are the lanes
    /// the next one produces (wasm does not type lanes: `i32x4.extend_low_i16x8_u` may read the
    /// result of another `i32x4.extend_low_i16x8_u`).
    init?(chain: [(extend: VectorExtend, high: Bool)]) {
        guard let outer = chain.first else { return nil }
        var width = 2 * Int(outer.extend.fromBytes)
        laneBytes = width
        var sources = Array(0..<(16 / width))
        for step in chain {
            guard Int(step.extend.fromBytes) * 2 == width else { return nil }
            if step.high {
                let count = 16 / width
                for j in sources.indices { sources[j] += count }
            }
            width /= 2
        }
        fieldBytes = width
        var signed = width
        for step in chain.reversed() {
            guard step.extend.signed && Int(step.extend.fromBytes) == signed else { break }
            signed *= 2
        }
        signedBytes = signed
        self.sources = sources
    }

    /// The field's place when the shuffle's `lanes` put, in every result lane j, bytes
    /// `j * laneBytes + offset ..< + fieldBytes` of one operand (`second`: the shuffle's second
    /// operand, lane indices 16 and up) where the field is read. `sameOperands`: both operands
    /// are the same value, so an index reads byte `index % 16` either way.
    func field(lanes: V128, sameOperands: Bool) -> (second: Bool, offset: Int)? {
        var second: Bool?
        var offset: Int?
        for (j, lane) in sources.enumerated() {
            for t in 0..<fieldBytes {
                let index = Int(lanes[lane * fieldBytes + t])
                let fromSecond = !sameOperands && index >= 16
                if second == nil { second = fromSecond } else if second != fromSecond { return nil }
                let o = index % 16 - j * laneBytes - t
                if offset == nil { offset = o } else if offset != o { return nil }
            }
        }
        guard let second, let offset, offset >= 0, offset + fieldBytes <= laneBytes else { return nil }
        return (second, offset)
    }
}

extension FunctionLowerer {
    /// Before the extend `op` is pushed (-O tier): if it and the extends under it on the stack
    /// top read an `i8x16.shuffle` in a form `ExtendedShuffle` accepts, the stack top becomes the
    /// operand's lanes shifted and masked, and the extend is done. The shuffle's other operand is
    /// dropped, so it must have no effect (no trap).
    mutating func fuseExtendedShuffle(_ op: Opcode) -> Bool {
        let row = OpcodeTable.entries[Int(op.rawValue)]
        guard let outer = row.extend else { return false }
        var chain = [(extend: outer, high: row.halves == .fromHigh)]
        var n = stack[stack.count - 1]
        while tree[n].op == .vector, let x = OpcodeTable.entries[Int(tree[n].index)].extend {
            chain.append((x, OpcodeTable.entries[Int(tree[n].index)].halves == .fromHigh))
            n = tree[n].a
        }
        let shuffle = tree[n]
        guard shuffle.op == .vector, OpcodeTable.typing[Int(shuffle.index)].immediate == .shuffle,
              let gather = ExtendedShuffle(chain: chain) else { return false }
        let same = tree.same(shuffle.a, shuffle.b)
        guard let (second, offset) = gather.field(lanes: tree.v128Literals[Int(shuffle.value)], sameOperands: same)
        else { return false }
        let kept = second ? shuffle.b : shuffle.a, dropped = second ? shuffle.a : shuffle.b
        guard same || (tree[dropped].traps == 0 && !tree.hasAssignment(dropped)) else { return false }
        stack[stack.count - 1] = shiftedField(kept, gather, offset: offset)
        return true
    }

    /// Lanes of `laneBytes` of `v`: the field at byte `offset`, `fieldBytes` wide, extended as
    /// `gather` says: `v >> 8·offset & mask` (unsigned), `v << left >> right` (signed), masked
    /// if the sign extension stops short of the lane.
    private mutating func shiftedField(_ v: Int32, _ gather: ExtendedShuffle, offset: Int) -> Int32 {
        let ops = LaneShiftOpcodes.forLane(bytes: gather.laneBytes)
        let w = gather.laneBytes, f = gather.fieldBytes
        var x = v
        var maskBytes = f
        if gather.signedBytes == f {
            if offset > 0 { x = laneShift(ops.shrU, x, by: 8 * offset) }
            if offset + f == w { maskBytes = w }
        } else {
            let left = w - offset - f
            if left > 0 { x = laneShift(ops.shl, x, by: 8 * left) }
            x = laneShift(ops.shrS, x, by: 8 * (w - f))
            maskBytes = gather.signedBytes
        }
        if maskBytes < w {
            let lane: UInt64 = (1 << UInt64(8 * maskBytes)) - 1
            var half: UInt64 = 0
            for k in 0..<(8 / w) { half |= lane << UInt64(8 * w * k) }
            let mask = tree.add(ExprNode(op: .const, type: .v128, isConst: true,
                                         value: UInt64(tree.addV128(V128(lo: half, hi: half)))))
            x = vectorNode(LaneShiftOpcodes.and, x, mask)
        }
        return x
    }

    private mutating func laneShift(_ op: Opcode, _ v: Int32, by bits: Int) -> Int32 {
        let count = tree.add(ExprNode(op: .const, type: .i32, isConst: true, value: UInt64(bits)))
        return vectorNode(op, v, count)
    }

    /// A vector node over `a` (whose effects it carries) and a literal `b`.
    private mutating func vectorNode(_ op: Opcode, _ a: Int32, _ b: Int32) -> Int32 {
        let x = tree[a]
        return tree.add(ExprNode(op: .vector, type: .v128, traps: x.traps, reads: x.reads, maxTemp: x.maxTemp,
                                 a: a, b: b, index: UInt32(op.rawValue), locals: x.locals))
    }
}

/// The shift opcodes of one lane width, and `v128.and`.
private struct LaneShiftOpcodes {
    let shl, shrS, shrU: Opcode
    static let and = Opcode.named("v128.and")
    static let byWidth: [LaneShiftOpcodes] = ["i16x8", "i32x4", "i64x2"].map {
        LaneShiftOpcodes(shl: .named("\($0).shl"), shrS: .named("\($0).shr_s"), shrU: .named("\($0).shr_u"))
    }
    static func forLane(bytes: Int) -> LaneShiftOpcodes { byWidth[bytes.trailingZeroBitCount - 1] }
}
