// Values as plain text, the way `wasmc run` reads arguments and prints results.
// Kept in the library so the formats are unit-tested and shared by the CLI.
import Wasmc

public enum ValueText {
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses `text` as a value of `type`: integers in decimal (signed or unsigned) or `0x` hex,
    /// floats in decimal or hex-float, `nan`, `-nan`, `nan:0x...`, `inf`, `-inf`; refs as `null`;
    /// v128 as `0x` and up to 32 hex digits (the 128-bit little-endian value, as `format` prints
    /// it) or as lanes `SHAPE:L0,L1,...` (`i32x4:1,-2,3,4`, `f64x2:0.5,nan`; shapes i8x16, i16x8,
    /// i32x4, i64x2, f32x4, f64x2; each lane as a scalar of its type), either optionally after `v128:`.
    public static func parse(_ text: String, as type: WasmcSyntax.ValueType) throws -> Wasmc.Value {
        func bad() -> ParseError { ParseError(description: "invalid \(type) argument '\(text)'") }
        switch type {
        case .i32:
            guard let v = parseInteger(text, bits: 32) else { throw bad() }
            return .i32(UInt32(truncatingIfNeeded: v))
        case .i64:
            guard let v = parseInteger(text, bits: 64) else { throw bad() }
            return .i64(v)
        case .f32:
            guard let bits = parseFloatBits(text, bits: 32) else { throw bad() }
            return .f32(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case .f64:
            guard let bits = parseFloatBits(text, bits: 64) else { throw bad() }
            return .f64(Double(bitPattern: bits))
        case .funcref:
            guard text == "null" else { throw bad() }
            return .funcref(nil)
        case .externref:
            if text == "null" { return .externref(nil) }
            guard let v = UInt(text) else { throw bad() }
            return .externref(v)
        case .v128:
            guard let v = parseV128(text.hasPrefix("v128:") ? String(text.dropFirst(5)) : text) else { throw bad() }
            return .v128(v)
        default:
            throw ParseError(description: "\(type) arguments are not supported")
        }
    }

    static func parseV128(_ text: String) -> V128? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            let digits = text.dropFirst(2).replacingOccurrences(of: "_", with: "")
            guard !digits.isEmpty, digits.count <= 32 else { return nil }
            let split = digits.index(digits.endIndex, offsetBy: -min(16, digits.count))
            guard let lo = UInt64(digits[split...], radix: 16) else { return nil }
            let high = digits[..<split]
            guard let hi = high.isEmpty ? 0 : UInt64(high, radix: 16) else { return nil }
            return V128(lo: lo, hi: hi)
        }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let shapes: [String: (count: Int, bits: Int, float: Bool)] = [
            "i8x16": (16, 8, false), "i16x8": (8, 16, false), "i32x4": (4, 32, false), "i64x2": (2, 64, false),
            "f32x4": (4, 32, true), "f64x2": (2, 64, true),
        ]
        guard let shape = shapes[String(parts[0])] else { return nil }
        let lanes = parts[1].split(separator: ",", omittingEmptySubsequences: false)
        guard lanes.count == shape.count else { return nil }
        var lo: UInt64 = 0, hi: UInt64 = 0
        for (i, lane) in lanes.enumerated() {
            let t = String(lane).trimmingCharacters(in: .whitespaces)
            guard let bits = shape.float ? parseFloatBits(t, bits: shape.bits) : parseInteger(t, bits: shape.bits) else { return nil }
            let at = i * shape.bits
            if at < 64 { lo |= bits << UInt64(at) } else { hi |= bits << UInt64(at - 64) }
        }
        return V128(lo: lo, hi: hi)
    }

    /// The bit pattern of an integer literal that fits `bits` as signed or unsigned.
    static func parseInteger(_ text: String, bits: Int) -> UInt64? {
        var s = Substring(text.replacingOccurrences(of: "_", with: ""))
        var negative = false
        if s.hasPrefix("-") { negative = true; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
        let magnitude: UInt64?
        if s.hasPrefix("0x") || s.hasPrefix("0X") {
            magnitude = UInt64(s.dropFirst(2), radix: 16)
        } else {
            magnitude = UInt64(s, radix: 10)
        }
        guard let m = magnitude, !s.isEmpty else { return nil }
        let unsignedMax: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        let signedMinMagnitude: UInt64 = 1 << UInt64(bits - 1)
        if negative {
            guard m <= signedMinMagnitude else { return nil }
            return (0 &- m) & unsignedMax
        }
        guard m <= unsignedMax else { return nil }
        return m
    }

    static func parseFloatBits(_ text: String, bits: Int) -> UInt64? {
        var s = Substring(text.lowercased())
        var negative = false
        if s.hasPrefix("-") { negative = true; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
        let signBit: UInt64 = negative ? (bits == 32 ? 0x8000_0000 : 0x8000_0000_0000_0000) : 0
        if s.hasPrefix("nan") {
            let expAll: UInt64 = bits == 32 ? 0x7F80_0000 : 0x7FF0_0000_0000_0000
            let quiet: UInt64 = bits == 32 ? 0x0040_0000 : 0x0008_0000_0000_0000
            let payloadMask: UInt64 = bits == 32 ? 0x007F_FFFF : 0x000F_FFFF_FFFF_FFFF
            if s == "nan" { return signBit | expAll | quiet }
            guard s.hasPrefix("nan:0x"), let p = UInt64(s.dropFirst(6), radix: 16), p != 0, p & ~payloadMask == 0 else { return nil }
            return signBit | expAll | p
        }
        if s == "inf" || s == "infinity" {
            return signBit | (bits == 32 ? 0x7F80_0000 : 0x7FF0_0000_0000_0000)
        }
        // Swift's parsers take decimal and hex-float, and would take "nan"/"inf" spellings we handle above.
        guard let first = s.first, first.isNumber || first == "." else { return nil }
        let cleaned = String(s).replacingOccurrences(of: "_", with: "")
        // A literal that rounds to infinity is out of range, as in the text format.
        if bits == 32 {
            guard let f = Float(cleaned), f.isFinite else { return nil }
            return signBit | UInt64(f.bitPattern)
        }
        guard let d = Double(cleaned), d.isFinite else { return nil }
        return signBit | d.bitPattern
    }

    /// A result as a plain number: integers signed decimal, floats shortest round-trip
    /// (`1.5`, `1`, `1e+20`), `inf`, `-inf`, `-0`, NaNs as the text format writes them (`nan`
    /// and `-nan` for the canonical NaN, else `nan:0x200000`, `-nan:0x1`: sign and payload, so
    /// `parse` gives back the same bits); refs `null`, `ref.func`, `ref.extern N`, `ref.exn`; v128 as `0x` and
    /// 32 hex digits, the 128-bit little-endian value (lane 0 in the lowest digits).
    public static func format(_ v: Wasmc.Value) -> String {
        switch v {
        case .i32(let x): return String(Int32(bitPattern: x))
        case .i64(let x): return String(Int64(bitPattern: x))
        case .f32(let x): return format(x)
        case .f64(let x): return format(x)
        case .funcref(let f): return f == nil ? "null" : "ref.func"
        case .externref(let x): return x.map { "ref.extern \($0)" } ?? "null"
        case .exnref(let x): return x == nil ? "null" : "ref.exn"
        case .v128(let v): return v.description
        }
    }

    public static func format<F: BinaryFloatingPoint & CustomStringConvertible>(_ x: F) -> String {
        if x.isNaN {
            let sign = x.sign == .minus ? "-" : ""
            let payload = UInt64(x.significandBitPattern)
            let canonical = UInt64(1) << UInt64(F.significandBitCount - 1)
            return sign + (payload == canonical ? "nan" : "nan:0x" + String(payload, radix: 16))
        }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        var s = x.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }
}
