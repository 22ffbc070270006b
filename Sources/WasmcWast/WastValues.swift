// Script constants (arguments) and expected results, mapped onto wasmc's `Value`.
import Wasmc
import WAT
import WasmTypes

/// Why a command cannot run here at all (as opposed to failing): it is reported as skipped.
struct Unsupported: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// A failure found by the runner itself (not thrown by wasmc), e.g. a missing export.
struct ScriptError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
    init(_ message: String) { self.message = message }
}

enum WastValues {
    static func argument(_ c: WASTConstValue) throws -> Value {
        switch c {
        case .i32(let v): return .i32(v)
        case .i64(let v): return .i64(v)
        case .f32(let bits): return .f32(Float(bitPattern: bits))
        case .f64(let bits): return .f64(Double(bitPattern: bits))
        case .v128(let v): return .v128(WasmcSyntax.V128(bytes: v.bytes))
        case .refNull(let heap): return heap == .externRef ? .externref(nil) : .funcref(nil)
        case .refExtern(let v): return .externref(UInt(v))
        case .refFunc: throw Unsupported(reason: "ref.func argument in a script")
        case .refHost: throw Unsupported(reason: "ref.host argument in a script")
        }
    }

    /// Whether `value` satisfies the expectation `e` (NaN patterns, any-ref patterns, `either`).
    static func matches(_ e: WASTExpectValue, _ value: Value) throws -> Bool {
        switch (e, value) {
        case (.i32(let x), .i32(let y)): return x == y
        case (.i64(let x), .i64(let y)): return x == y
        case (.f32(let x), .f32(let y)): return x == y.bitPattern
        case (.f64(let x), .f64(let y)): return x == y.bitPattern
        case (.f32CanonicalNaN, .f32(let y)): return y.bitPattern & 0x7FFF_FFFF == 0x7FC0_0000
        case (.f64CanonicalNaN, .f64(let y)): return y.bitPattern & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000
        // Arithmetic NaN: any NaN with the quiet bit set.
        case (.f32ArithmeticNaN, .f32(let y)): return y.isNaN && y.bitPattern & 0x0040_0000 != 0
        case (.f64ArithmeticNaN, .f64(let y)): return y.isNaN && y.bitPattern & 0x0008_0000_0000_0000 != 0
        case (.refNull(let heap), .funcref(let f)):
            return f == nil && (heap == nil || heap == .funcRef)
        case (.refNull(let heap), .externref(let x)):
            return x == nil && (heap == nil || heap == .externRef)
        // (ref.null exn): the JSON runner's `.refNull(nil)`, here of a result typed exnref.
        case (.refNull(let heap), .exnref(let x)): return x == nil && heap == nil
        case (.refFunc, .funcref(let f)): return f != nil
        case (.refExtern(let want), .externref(let x)):
            guard let x else { return false }
            return want.map { UInt($0) == x } ?? true
        case (.either(let alternatives), _):
            for a in alternatives where try matches(a, value) { return true }
            return false
        case (.v128(let want), .v128(let got)): return WasmcSyntax.V128(bytes: want.bytes) == got
        case (.v128Pattern(let p), .v128(let got)): return matches(p, got)
        default: return false
        }
    }

    static func describe(_ v: Value) -> String {
        switch v {
        case .i32(let x): return "(i32.const \(Int32(bitPattern: x)))"
        case .i64(let x): return "(i64.const \(Int64(bitPattern: x)))"
        case .f32(let x): return "(f32.const \(ValueText.format(x)) 0x\(String(x.bitPattern, radix: 16)))"
        case .f64(let x): return "(f64.const \(ValueText.format(x)) 0x\(String(x.bitPattern, radix: 16)))"
        case .funcref(let f): return f == nil ? "(ref.null func)" : "(ref.func)"
        case .externref(let x): return x.map { "(ref.extern \($0))" } ?? "(ref.null extern)"
        case .exnref(let x): return x == nil ? "(ref.null exn)" : "(ref.exn)"
        case .v128(let v): return "(v128.const i32x4 \(lanes32(v)))"
        }
    }

    /// A v128 expectation with float lanes: each lane's bits, or for a lane in `nanLaneMask` a
    /// NaN pattern: the canonical NaN's bits in the lane mean `nan:canonical` (either sign, quiet
    /// bit alone), zero bytes `nan:arithmetic` (quiet bit set, any payload).
    static func matches(_ p: V128Expectation, _ got: WasmcSyntax.V128) -> Bool {
        let width = p.shape == .f64x2 ? 8 : 4
        for lane in 0..<(16 / width) {
            var want: UInt64 = 0, have: UInt64 = 0
            for k in 0..<width {
                want |= UInt64(p.bytes[lane * width + k]) << UInt64(8 * k)
                have |= UInt64(got[lane * width + k]) << UInt64(8 * k)
            }
            if p.nanLaneMask & (1 << UInt8(lane)) != 0 {
                let exponent: UInt64 = width == 4 ? 0x7F80_0000 : 0x7FF0_0000_0000_0000
                let quiet: UInt64 = width == 4 ? 0x0040_0000 : 0x0008_0000_0000_0000
                let magnitude: UInt64 = width == 4 ? 0x7FFF_FFFF : 0x7FFF_FFFF_FFFF_FFFF
                if want == exponent | quiet {
                    if have & magnitude != exponent | quiet { return false }
                } else if have & exponent != exponent || have & quiet == 0 {
                    return false
                }
            } else if want != have {
                return false
            }
        }
        return true
    }

    /// An expectation as WasmKit's text parser gives it, in the form `matches` reads: the parser
    /// writes the canonical NaN's bits for `nan:canonical` and `nan:arithmetic` lanes alike, so
    /// those lanes become arithmetic patterns (zero bytes): a canonical lane of a `.wast` is
    /// checked as arithmetic, less strictly than the spec asks (the JSON path keeps which).
    static func fromTextParser(_ e: WASTExpectValue) -> WASTExpectValue {
        switch e {
        case .v128Pattern(let p):
            let width = p.shape == .f64x2 ? 8 : 4
            var bytes = p.bytes
            for lane in 0..<(16 / width) where p.nanLaneMask & (1 << UInt8(lane)) != 0 {
                for k in 0..<width { bytes[lane * width + k] = 0 }
            }
            return .v128Pattern(V128Expectation(shape: p.shape, bytes: bytes, nanLaneMask: p.nanLaneMask))
        case .either(let alternatives): return .either(alternatives.map(fromTextParser))
        default: return e
        }
    }

    /// The four 32-bit lanes, as `v128.const i32x4` writes them (hex).
    static func lanes32(_ v: WasmcSyntax.V128) -> String {
        (0..<4).map { i in
            let w = UInt32(truncatingIfNeeded: (i < 2 ? v.lo : v.hi) >> UInt64(32 * (i & 1)))
            return "0x" + String(w, radix: 16)
        }.joined(separator: " ")
    }

    static func describe(_ e: WASTExpectValue) -> String {
        switch e {
        case .i32(let x): return "(i32.const \(Int32(bitPattern: x)))"
        case .i64(let x): return "(i64.const \(Int64(bitPattern: x)))"
        case .f32(let b): return "(f32.const \(ValueText.format(Float(bitPattern: b))) 0x\(String(b, radix: 16)))"
        case .f64(let b): return "(f64.const \(ValueText.format(Double(bitPattern: b))) 0x\(String(b, radix: 16)))"
        case .f32CanonicalNaN: return "(f32.const nan:canonical)"
        case .f32ArithmeticNaN: return "(f32.const nan:arithmetic)"
        case .f64CanonicalNaN: return "(f64.const nan:canonical)"
        case .f64ArithmeticNaN: return "(f64.const nan:arithmetic)"
        case .refNull(let h): return h == .externRef ? "(ref.null extern)" : h == nil ? "(ref.null)" : "(ref.null func)"
        case .refFunc: return "(ref.func)"
        case .refExtern(let v): return v.map { "(ref.extern \($0))" } ?? "(ref.extern)"
        case .either(let alts): return "(either " + alts.map(describe).joined(separator: " ") + ")"
        case .v128(let v): return "(v128.const i32x4 \(lanes32(WasmcSyntax.V128(bytes: v.bytes))))"
        case .v128Pattern(let p):
            let width = p.shape == .f64x2 ? 8 : 4
            let lanes = (0..<(16 / width)).map { lane -> String in
                if p.nanLaneMask & (1 << UInt8(lane)) != 0 { return "nan" }
                var bits: UInt64 = 0
                for k in 0..<width { bits |= UInt64(p.bytes[lane * width + k]) << UInt64(8 * k) }
                return "0x" + String(bits, radix: 16)
            }
            return "(v128.const \(width == 8 ? "f64x2" : "f32x4") \(lanes.joined(separator: " ")))"
        default: return "\(e)"
        }
    }

    static func describe(_ values: [Value]) -> String {
        values.isEmpty ? "no results" : values.map(describe).joined(separator: " ")
    }

    static func describe(_ values: [WASTExpectValue]) -> String {
        values.isEmpty ? "no results" : values.map(describe).joined(separator: " ")
    }
}

extension WasmcSyntax.V128 {
    /// From 16 bytes in memory order.
    init(bytes: [UInt8]) {
        var lo: UInt64 = 0, hi: UInt64 = 0
        for i in 0..<8 {
            lo |= UInt64(bytes[i]) << UInt64(8 * i)
            hi |= UInt64(bytes[8 + i]) << UInt64(8 * i)
        }
        self.init(lo: lo, hi: hi)
    }
}
