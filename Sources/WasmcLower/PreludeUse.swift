import WasmcSyntax

/// The runtime prelude's helpers that generated C names, recorded by the lowering as it prints
/// (numeric templates by opcode, other helpers by `PreludeUse.Helper`). The compile step gives
/// libtcc only the prelude parts (`wasmc:part` sections of wasmc_prelude.h) defining these.
public struct PreludeUse: Sendable {
    /// Helpers named outside the opcode table's templates.
    enum Helper: Int {
        case tableGet, tableGetExn, tableSet, indirect, dropData, dropElem, memoryLength, atomic, f32Bits, f64Bits, tryTable, bound64, table64

        /// A name the part defining the helper answers to.
        var name: String {
            switch self {
            case .tableGet: "wasmc_table_get"
            case .tableGetExn: "wasmc_table_get_exn"
            case .tableSet: "wasmc_table_set"
            case .indirect: "wasmc_indirect"
            case .dropData: "wasmc_drop_data"
            case .dropElem: "wasmc_drop_elem"
            case .memoryLength: "wasmc_memory_length"
            case .atomic: "wasmc_atomic_check"
            case .f32Bits: "wasmc_f32_reinterpret_i32"
            case .f64Bits: "wasmc_f64_reinterpret_i64"
            case .tryTable: "wasmc_try"
            case .bound64: "wasmc_bound64"
            case .table64: "wasmc_table_index64"
            }
        }
    }

    /// One bit per opcode whose template was printed (fixed words: no allocation per function).
    private var opcodes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
        = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private static let words = 12
    private var helpers: UInt32 = 0
    /// The code uses v128: the C needs the vector library (wasmc_simd.h).
    public private(set) var usesSIMD = false

    public init() {
        precondition(OpcodeTable.entries.count <= Self.words * 64, "PreludeUse: more opcodes than bits")
    }

    @inline(__always) mutating func use(opcode: Int) {
        withUnsafeMutableBytes(of: &opcodes) { $0.storeBytes(of: $0.load(fromByteOffset: (opcode >> 6) * 8, as: UInt64.self)
            | 1 << UInt64(opcode & 63), toByteOffset: (opcode >> 6) * 8, as: UInt64.self) }
    }

    mutating func useSIMD() { usesSIMD = true }

    @inline(__always) mutating func use(_ h: Helper) {
        helpers |= 1 << UInt32(h.rawValue)
    }

    private func word(_ i: Int) -> UInt64 {
        withUnsafeBytes(of: opcodes) { $0.load(fromByteOffset: i * 8, as: UInt64.self) }
    }

    public mutating func formUnion(_ other: PreludeUse) {
        for i in 0..<Self.words {
            let v = word(i) | other.word(i)
            withUnsafeMutableBytes(of: &opcodes) { $0.storeBytes(of: v, toByteOffset: i * 8, as: UInt64.self) }
        }
        helpers |= other.helpers
        usesSIMD = usesSIMD || other.usesSIMD
    }

    /// Every `wasmc_` helper the C names that the prelude may define as an optional part.
    public var names: [String] {
        var result: [String] = []
        for w in 0..<Self.words {
            var bits = word(w)
            while bits != 0 {
                let i = w * 64 + bits.trailingZeroBitCount
                bits &= bits - 1
                result += Template.helperNames(OpcodeTable.entries[i].c)
            }
        }
        var h = helpers
        while h != 0 {
            if let helper = Helper(rawValue: h.trailingZeroBitCount) { result.append(helper.name) }
            h &= h - 1
        }
        return result
    }
}

extension Template {
    /// The `wasmc_` identifiers of a template (table data, read when the names are asked for).
    static func helperNames(_ c: String) -> [String] {
        var names: [String] = []
        let b = Array(c.utf8)
        let stem = Array("wasmc_".utf8)
        var i = 0
        while i + stem.count <= b.count {
            if b[i..<(i + stem.count)].elementsEqual(stem) && (i == 0 || !isIdentifierByte(b[i - 1])) {
                var e = i + stem.count
                while e < b.count && isIdentifierByte(b[e]) { e += 1 }
                names.append(String(decoding: b[i..<e], as: UTF8.self))
                i = e
            } else {
                i += 1
            }
        }
        return names
    }

    private static func isIdentifierByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
    }
}
