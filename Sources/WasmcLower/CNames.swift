import WasmcSyntax

// Spelling of wasm types and constants in the generated C. Identifiers are index-based only:
// nothing from the module's names ever reaches the C text.

extension ValueType {
    /// C type of a value: i32→u32, i64→u64, f32→f32, f64→f64, v128→v128 (wasmc_simd.h),
    /// references→void *.
    var cType: String {
        switch self {
        case .i32: "u32"
        case .i64: "u64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .ref: "void *"
        }
    }
    /// Suffix of stack temporaries of this type (`s3i`, `s3d`, ...).
    var tempSuffix: Character {
        switch self {
        case .i32: "i"
        case .i64: "l"
        case .f32: "f"
        case .f64: "d"
        case .v128: "v"
        case .ref: "r"
        }
    }
    /// Member of `wasmc_value` holding this type (v128: a byte array, read and written through
    /// `wasmc_v128_load`/`store`: see `readCell`/`writeCell`).
    var valueField: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .ref: "ref"
        }
    }
    /// The value of `wasmc_value` lvalue `cell` as an expression.
    func readCell(_ cell: String) -> String {
        self == .v128 ? "wasmc_v128_load(\(cell).v128)" : "\(cell).\(valueField)"
    }
    /// The statement (without `;`) storing expression `value` into `wasmc_value` lvalue `cell`.
    func writeCell(_ cell: String, _ value: String) -> String {
        self == .v128 ? "wasmc_v128_store(\(cell).v128, \(value))" : "\(cell).\(valueField) = \(value)"
    }
    var tempKind: Int {
        switch self {
        case .i32: 0
        case .i64: 1
        case .f32: 2
        case .f64: 3
        case .ref: 4
        case .v128: 5
        }
    }
    static let byTempKind: [ValueType] = [.i32, .i64, .f32, .f64, .funcref, .v128]
}

enum CLiteral {
    static func i32(_ v: UInt32) -> String { "\(v)u" }
    static func i64(_ v: UInt64) -> String { "\(v)ull" }

    private static func hex(_ v: UInt64, digits: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    /// Exact hexadecimal literal for finite non-zero values; zeros, infinities and NaNs
    /// (payload included) go through the bit pattern.
    /// Infinities, NaNs and negative zero are written through the bit pattern (a prelude helper).
    static func f32NeedsBits(_ bits: UInt32) -> Bool {
        let exp = (bits >> 23) & 0xFF
        return exp == 0xFF || (exp == 0 && bits & 0x7F_FFFF == 0 && bits != 0)
    }
    static func f64NeedsBits(_ bits: UInt64) -> Bool {
        let exp = (bits >> 52) & 0x7FF
        return exp == 0x7FF || (exp == 0 && bits & 0xF_FFFF_FFFF_FFFF == 0 && bits != 0)
    }

    static func f32(_ bits: UInt32) -> String {
        let exp = Int((bits >> 23) & 0xFF)
        let mant = UInt64(bits & 0x7F_FFFF)
        if exp == 0xFF || (exp == 0 && mant == 0 && bits != 0) {
            return "wasmc_f32_reinterpret_i32(\(bits)u)"
        }
        if bits == 0 { return "0.0f" }
        let sign = bits >> 31 == 1 ? "-" : ""
        let body = exp == 0
            ? "0x0.\(hex(mant << 1, digits: 6))p-126f"
            : "0x1.\(hex(mant << 1, digits: 6))p\(exp - 127)f"
        return sign.isEmpty ? body : "(\(sign)\(body))"
    }

    static func f64(_ bits: UInt64) -> String {
        let exp = Int((bits >> 52) & 0x7FF)
        let mant = bits & 0xF_FFFF_FFFF_FFFF
        if exp == 0x7FF || (exp == 0 && mant == 0 && bits != 0) {
            return "wasmc_f64_reinterpret_i64(\(bits)ull)"
        }
        if bits == 0 { return "0.0" }
        let sign = bits >> 63 == 1 ? "-" : ""
        let body = exp == 0
            ? "0x0.\(hex(mant, digits: 13))p-1022"
            : "0x1.\(hex(mant, digits: 13))p\(exp - 1023)"
        return sign.isEmpty ? body : "(\(sign)\(body))"
    }
}

// `joined(separator:)` for the lowering's string lists, concrete: the standard library's generic
// one looks up a protocol conformance the first time a process uses it (~70 µs per process,
// a visible part of compiling a small module). Same result.
extension Array where Element == String {
    func joined(separator: String) -> String { joinStrings(self[...], separator) }
}

extension ArraySlice where Element == String {
    func joined(separator: String) -> String { joinStrings(self, separator) }
}

private func joinStrings(_ parts: ArraySlice<String>, _ separator: String) -> String {
    var length = separator.utf8.count * max(parts.count - 1, 0)
    for p in parts { length += p.utf8.count }
    var s = ""
    s.reserveCapacity(length)
    var first = true
    for p in parts {
        if !first { s += separator }
        s += p
        first = false
    }
    return s
}
