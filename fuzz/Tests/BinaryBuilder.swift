import WasmcSyntax

/// Builds module binaries directly, for inputs too large or too deep for the text parser.
struct BinaryBuilder {
    struct Func {
        var params: [ValueType] = []
        var results: [ValueType] = []
        var locals: [(UInt32, ValueType)] = []
        var body: [UInt8]           // instructions, without the final `end`
        var export: String? = nil
    }
    var funcs: [Func] = []
    var memory: (min: UInt32, max: UInt32?)? = nil
    var data: [UInt8]? = nil        // one active segment at offset 0
    var table: UInt32? = nil        // funcref table of this many elements

    static func leb(_ v: UInt64) -> [UInt8] {
        var v = v, out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7F); v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }
    static func sleb(_ v: Int64) -> [UInt8] {
        var v = v, out: [UInt8] = []
        while true {
            let b = UInt8(v & 0x7F); v >>= 7
            if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) { out.append(b); return out }
            out.append(b | 0x80)
        }
    }
    static func vec(_ items: [[UInt8]]) -> [UInt8] { leb(UInt64(items.count)) + items.flatMap { $0 } }
    static func name(_ s: String) -> [UInt8] { leb(UInt64(s.utf8.count)) + Array(s.utf8) }
    static func section(_ id: UInt8, _ body: [UInt8]) -> [UInt8] { [id] + leb(UInt64(body.count)) + body }

    func build() -> [UInt8] {
        var out: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
        let types = funcs.map { f in [0x60] + Self.vec(f.params.map(\.encoding)) + Self.vec(f.results.map(\.encoding)) }
        out += Self.section(1, Self.vec(types))
        out += Self.section(3, Self.vec(funcs.indices.map { Self.leb(UInt64($0)) }))
        if let table { out += Self.section(4, Self.vec([[0x70, 0x00] + Self.leb(UInt64(table))])) }
        if let memory {
            let limits: [UInt8] = memory.max.map { [0x01] + Self.leb(UInt64(memory.min)) + Self.leb(UInt64($0)) } ?? ([0x00] + Self.leb(UInt64(memory.min)))
            out += Self.section(5, Self.vec([limits]))
        }
        let exports = funcs.enumerated().compactMap { i, f in f.export.map { Self.name($0) + [0x00] + Self.leb(UInt64(i)) } }
        out += Self.section(7, Self.vec(exports))
        let bodies = funcs.map { f -> [UInt8] in
            let b = Self.vec(f.locals.map { Self.leb(UInt64($0.0)) + $0.1.encoding }) + f.body + [0x0B]
            return Self.leb(UInt64(b.count)) + b
        }
        out += Self.section(10, Self.vec(bodies))
        if let data { out += Self.section(11, Self.vec([[0x00, 0x41, 0x00, 0x0B] + Self.leb(UInt64(data.count)) + data])) }
        return out
    }
}

// The builder's value types are numeric or the 2.0 reference shorthands, one byte each.
fileprivate extension ValueType {
    var rawValue: UInt8 {
        switch self {
        case .i32: 0x7F
        case .i64: 0x7E
        case .f32: 0x7D
        case .f64: 0x7C
        case .v128: 0x7B
        case .ref(_, .extern): 0x6F
        case .ref(_, .exn): 0x69
        case .ref: 0x70
        }
    }
}
