import Testing
import Wasmc
@testable import WasmcWast

@Suite struct ValueTextTests {
    @Test func parsesIntegers() throws {
        #expect(try ValueText.parse("-1", as: .i32) == .i32(0xFFFF_FFFF))
        #expect(try ValueText.parse("4294967295", as: .i32) == .i32(0xFFFF_FFFF))
        #expect(try ValueText.parse("0x10", as: .i32) == .i32(16))
        #expect(try ValueText.parse("-9223372036854775808", as: .i64) == .i64(0x8000_0000_0000_0000))
        #expect(throws: ValueText.ParseError.self) { try ValueText.parse("4294967296", as: .i32) }
        #expect(throws: ValueText.ParseError.self) { try ValueText.parse("-2147483649", as: .i32) }
        #expect(throws: ValueText.ParseError.self) { try ValueText.parse("12x", as: .i64) }
    }

    @Test func parsesFloats() throws {
        #expect(try ValueText.parse("1.5", as: .f32) == .f32(1.5))
        #expect(try ValueText.parse("-inf", as: .f64) == .f64(-.infinity))
        guard case .f32(let n) = try ValueText.parse("nan", as: .f32) else { Issue.record("not f32"); return }
        #expect(n.bitPattern == 0x7FC0_0000)
        guard case .f64(let p) = try ValueText.parse("nan:0x1", as: .f64) else { Issue.record("not f64"); return }
        #expect(p.bitPattern == 0x7FF0_0000_0000_0001)
        guard case .f64(let z) = try ValueText.parse("-0", as: .f64) else { Issue.record("not f64"); return }
        #expect(z.bitPattern == 0x8000_0000_0000_0000)
        #expect(throws: ValueText.ParseError.self) { try ValueText.parse("one", as: .f64) }
    }

    /// `wasmc run --invoke` v128 arguments: hex (what results print) or lanes of any shape.
    @Test func v128ArgumentsAndResults() throws {
        let v = Value.v128(V128(lo: 0x0000_0002_0000_0001, hi: 0x0000_0004_0000_0003))
        #expect(try ValueText.parse("i32x4:1,2,3,4", as: .v128) == v)
        #expect(try ValueText.parse("v128:i32x4:1,2,3,4", as: .v128) == v)
        #expect(try ValueText.parse("i64x2:8589934593,17179869187", as: .v128) == v)
        #expect(ValueText.format(v) == "0x00000004000000030000000200000001")
        #expect(try ValueText.parse(ValueText.format(v), as: .v128) == v)
        #expect(try ValueText.parse("0x1", as: .v128) == .v128(V128(lo: 1, hi: 0)))
        #expect(try ValueText.parse("i8x16:-1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,255", as: .v128) == .v128(V128(lo: 0xFF, hi: 0xFF00_0000_0000_0000)))
        #expect(try ValueText.parse("f32x4:1,-0,nan,inf", as: .v128) == .v128(V128(lo: 0x8000_0000_3F80_0000, hi: 0x7F80_0000_7FC0_0000)))
        #expect(try ValueText.parse("f64x2:0.5,-nan:0x1", as: .v128) == .v128(V128(lo: 0x3FE0_0000_0000_0000, hi: 0xFFF0_0000_0000_0001)))
        for bad in ["i32x4:1,2,3", "i32x4:1,2,3,4,5", "i16x8:1,2,3,4,5,6,7,65536", "u32x4:1,2,3,4", "0x" + String(repeating: "f", count: 33), "1"] {
            #expect(throws: ValueText.ParseError.self, "\(bad)") { try ValueText.parse(bad, as: .v128) }
        }
    }

    @Test func formatsResults() {
        #expect(ValueText.format(.i32(0xFFFF_FFFF)) == "-1")
        #expect(ValueText.format(.i64(42)) == "42")
        #expect(ValueText.format(.f32(1)) == "1")
        #expect(ValueText.format(.f64(2.5)) == "2.5")
        #expect(ValueText.format(.f64(-0.0)) == "-0")
        #expect(ValueText.format(.f32(.nan)) == "nan")
        #expect(ValueText.format(.f64(-.infinity)) == "-inf")
        #expect(ValueText.format(.f64(0.1)) == "0.1")
        #expect(ValueText.format(.externref(nil)) == "null")
        #expect(ValueText.format(.externref(7)) == "ref.extern 7")
    }

    @Test func nansPrintWithSignAndPayloadAndRoundTrip() throws {
        #expect(ValueText.format(.f32(Float(bitPattern: 0xFFC0_0000))) == "-nan")
        #expect(ValueText.format(.f32(Float(bitPattern: 0x7FA0_0000))) == "nan:0x200000")
        #expect(ValueText.format(.f32(Float(bitPattern: 0xFF80_0001))) == "-nan:0x1")
        #expect(ValueText.format(.f64(Double(bitPattern: 0x7FF8_0000_0000_0000))) == "nan")
        #expect(ValueText.format(.f64(Double(bitPattern: 0xFFF4_0000_0000_0000))) == "-nan:0x4000000000000")
        for bits: UInt32 in [0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0000, 0xFF80_0001, 0x7FFF_FFFF] {
            let text = ValueText.format(.f32(Float(bitPattern: bits)))
            guard case .f32(let back) = try ValueText.parse(text, as: .f32) else { Issue.record("not f32"); continue }
            #expect(back.bitPattern == bits, "\(text)")
        }
        for bits: UInt64 in [0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0000, 0x7FF0_0000_0000_0001, 0xFFFF_FFFF_FFFF_FFFF] {
            let text = ValueText.format(.f64(Double(bitPattern: bits)))
            guard case .f64(let back) = try ValueText.parse(text, as: .f64) else { Issue.record("not f64"); continue }
            #expect(back.bitPattern == bits, "\(text)")
        }
    }

    @Test func floatLiteralsOutOfRangeAreErrors() throws {
        #expect(throws: ValueText.ParseError.self) { try ValueText.parse("3.5e38", as: .f32) }
        #expect(throws: ValueText.ParseError.self) { try ValueText.parse("-1e39", as: .f32) }
        #expect(throws: ValueText.ParseError.self) { try ValueText.parse("2e308", as: .f64) }
        // The largest finite values and what rounds down to them are in range.
        #expect(try ValueText.parse("3.4028234e38", as: .f32) == .f32(.greatestFiniteMagnitude))
        #expect(try ValueText.parse("1.7976931348623157e308", as: .f64) == .f64(.greatestFiniteMagnitude))
        #expect(try ValueText.parse("inf", as: .f32) == .f32(.infinity))
    }
}
