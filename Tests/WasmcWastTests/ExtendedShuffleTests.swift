// The -O tier lowers an extend chain over an i8x16.shuffle as lane shifts and masks when each
// result lane reads one field of the same lane of one operand (docs/simd.md "Extended
// shuffles"). This script has one function per extend chain (every low/high and _s/_u choice,
// one to three extends deep, ending at i16x8, i32x4 or i64x2) and per field offset in the lane,
// the lanes the extends drop filled with random indices of either operand; and shuffles that
// must not be fused: one byte from the other operand, one lane at another offset, a shuffle
// kept in a local and read again, a dropped operand that traps, extends whose lane widths do not
// chain. Expected results come from a model of the spec's definitions here; both tiers run the
// script (the tcc tier never fuses), and the -O C is checked to hold exactly the shuffles of
// the functions that must not be fused, at baseline x86-64; for a level with `pshufb` it fuses none.
import Foundation
import Testing
import WAT
import Wasmc
import WasmcDecode
import WasmcLower
import WasmcValidate
@testable import WasmcWast

/// One extend: operand lanes of `from` bytes, low or high half, signed or not.
private struct Extend {
    var from: Int, high: Bool, signed: Bool
    var name: String {
        let shapes = [1: ("i16x8", "i8x16"), 2: ("i32x4", "i16x8"), 4: ("i64x2", "i32x4")][from]!
        return "\(shapes.0).extend_\(high ? "high" : "low")_\(shapes.1)_\(signed ? "s" : "u")"
    }

    /// The spec's definition on little-endian bytes.
    func apply(_ v: [UInt8]) -> [UInt8] {
        let n = 8 / from
        var out: [UInt8] = []
        for j in 0..<n {
            let lane = j + (high ? n : 0)
            let field = Array(v[(lane * from)..<(lane * from + from)])
            let fill: UInt8 = signed && field.last! & 0x80 != 0 ? 0xff : 0
            out += field + Array(repeating: fill, count: from)
        }
        return out
    }
}

private func shuffle(_ a: [UInt8], _ b: [UInt8], _ lanes: [Int]) -> [UInt8] { lanes.map { $0 < 16 ? a[$0] : b[$0 - 16] } }

/// Deterministic bytes (SplitMix64).
private struct Bits {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func bytes() -> [UInt8] { (0..<16).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

/// Every chain of extends whose lane widths chain, outermost first.
private func chains() -> [[Extend]] {
    var all: [[Extend]] = []
    func grow(_ chain: [Extend]) {
        all.append(chain)
        let inner = chain.last!.from
        if inner == 1 { return }
        for high in [false, true] { for signed in [false, true] { grow(chain + [Extend(from: inner / 2, high: high, signed: signed)]) } }
    }
    for from in [1, 2, 4] { for high in [false, true] { for signed in [false, true] { grow([Extend(from: from, high: high, signed: signed)]) } } }
    return all
}

private struct Case {
    var name: String
    var body: String
    /// Expected result per input pair; nil: the call traps.
    var results: [[UInt8]?]
    var fused: Bool
}

private func v128(_ b: [UInt8]) -> String { "(v128.const i8x16 " + b.map(String.init).joined(separator: " ") + ")" }

private func script() -> (text: String, fused: Int, unfused: Int) {
    var bits = Bits(state: 0x5EED)
    let inputs = (0..<2).map { _ in (bits.bytes(), bits.bytes()) }
    var cases: [Case] = []

    func chained(_ chain: [Extend], _ inner: String) -> String {
        chain.reversed().reduce(inner) { "(\($1.name) \($0))" }
    }
    func expected(_ chain: [Extend], _ lanes: [Int]) -> [[UInt8]?] {
        inputs.map { (a, b) in chain.reversed().reduce(shuffle(a, b, lanes)) { $1.apply($0) } }
    }
    func add(_ chain: [Extend], _ lanes: [Int], fused: Bool, tag: String) {
        let body = chained(chain, "(i8x16.shuffle \(lanes.map(String.init).joined(separator: " ")) (local.get 0) (local.get 1))")
        cases.append(Case(name: "f\(cases.count)_\(tag)", body: body, results: expected(chain, lanes), fused: fused))
    }

    for (k, chain) in chains().enumerated() {
        let w = 2 * chain[0].from, f = chain.last!.from
        // Which shuffle lane (of f bytes) result lane j reads: the outermost extend first.
        var sources = Array(0..<(16 / w))
        var width = w
        for e in chain {
            if e.high { sources = sources.map { $0 + 16 / width } }
            width /= 2
        }
        for offset in 0...(w - f) {
            let operand = (k + offset) % 2 * 16
            func lanes(offsetOf: (Int) -> Int) -> [Int] {
                var l = (0..<16).map { _ in Int(bits.next() % 32) }
                for (j, s) in sources.enumerated() {
                    for t in 0..<f { l[s * f + t] = operand + j * w + offsetOf(j) + t }
                }
                return l
            }
            add(chain, lanes { _ in offset }, fused: true, tag: "fused")
            if offset == 0 {
                // Lane 1 at another offset; one byte of lane 1 from the other operand.
                add(chain, lanes { $0 == 1 ? 1 : 0 }, fused: false, tag: "stride")
                var mixed = lanes { _ in 0 }
                mixed[sources[1] * f] ^= 16
                add(chain, mixed, fused: false, tag: "mixed")
            }
        }
    }
    // Both operands the same value: an index of either reads the same byte.
    let swap = [Extend(from: 2, high: false, signed: false), Extend(from: 1, high: true, signed: true)]
    let sameLanes = [0, 0, 0, 0, 0, 0, 0, 0, 17, 21, 9, 29, 0, 0, 0, 0]
    cases.append(Case(name: "f\(cases.count)_same", body: chained(swap, "(i8x16.shuffle \(sameLanes.map(String.init).joined(separator: " ")) (local.get 0) (local.get 0))"),
                      results: inputs.map { (a, _) in swap.reversed().reduce(shuffle(a, a, sameLanes)) { $1.apply($0) } }, fused: true))
    // The shuffle in a local read again: computed once, not fused.
    let bswap = [Extend(from: 2, high: false, signed: false), Extend(from: 1, high: false, signed: false)]
    let gather = [3, 7, 11, 15, 2, 6, 10, 14, 1, 5, 9, 13, 0, 4, 8, 12]
    cases.append(Case(name: "f\(cases.count)_tee", body: "(i64x2.add \(chained(bswap, "(local.tee 2 (i8x16.shuffle \(gather.map(String.init).joined(separator: " ")) (local.get 0) (local.get 1)))")) (local.get 2))",
                      results: inputs.map { (a, b) in
                          let s = shuffle(a, b, gather), e = bswap.reversed().reduce(s) { $1.apply($0) }
                          var out: [UInt8] = []
                          for h in 0..<2 {
                              func u64(_ v: [UInt8]) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(v[8 * h + $1]) << UInt64(8 * $1) } }
                              let sum = u64(e) &+ u64(s)
                              out += (0..<8).map { UInt8(truncatingIfNeeded: sum >> UInt64(8 * $0)) }
                          }
                          return out
                      }, fused: false))
    // i32x4.extend_low_i16x8_u read as i16x8 lanes by another i32x4.extend_low_i16x8_u (the
    // inner one alone not fusable: its lane 1 reads offset 2).
    let unchained = [Extend(from: 2, high: false, signed: false), Extend(from: 2, high: false, signed: false)]
    let low = [0, 1, 6, 7, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0]
    add(unchained, low, fused: false, tag: "unchained")
    // The second operand (not read by the surviving lanes) may trap: kept, and the trap with it.
    let trapBody = chained(bswap, "(i8x16.shuffle \(gather.map(String.init).joined(separator: " ")) (local.get 0) (v128.load (i32.const 65528)))")

    var text = "(module\n  (memory 1)\n"
    for c in cases {
        text += "  (func (export \"\(c.name)\") (param v128 v128) (result v128) (local v128)\n    \(c.body))\n"
    }
    text += "  (func (export \"trap\") (param v128 v128) (result v128)\n    \(trapBody)))\n"
    for c in cases {
        for (i, r) in c.results.enumerated() {
            text += "(assert_return (invoke \"\(c.name)\" \(v128(inputs[i].0)) \(v128(inputs[i].1))) \(v128(r!)))\n"
        }
    }
    text += "(assert_trap (invoke \"trap\" \(v128(inputs[0].0)) \(v128(inputs[0].1))) \"out of bounds memory access\")\n"
    let fused = cases.filter(\.fused).count
    return (text, fused, cases.count + 1 - fused)
}

@Suite struct ExtendedShuffleTests {
    /// The tcc tier, and -O for the host's level and for baseline x86-64 (SSE2, where the
    /// fusion matters most).
    @Test(arguments: [(false, CPULevel.host), (true, .host), (true, .baseline), (true, .x86_64_v2)])
    func extendedShufflesGiveTheSpecResults(optimize: Bool, cpu: CPULevel) {
        let s = script()
        // Two results per function, the trap, and the module.
        let asserts = 2 * (s.fused + s.unfused - 1) + 1 + 1
        let r = WastSuite.runScript(s.text, name: "extended_shuffles.wast", optimize: optimize, cpu: cpu)
        #expect(r.passed == asserts && r.failed == 0 && r.skipped == 0,
                "\(optimize ? "-O \(cpu)" : "tcc"): \(r.passed)/\(r.failed)/\(r.skipped) of \(asserts)\n\(r.text.prefix(4000))")
    }

    /// The -O C holds one shuffle per function that must not be fused, and no other.
    @Test func onlyTheFusableShufflesAreFused() throws {
        let s = script()
        #expect(s.fused > 700 && s.unfused > 200, "\(s.fused) fusable, \(s.unfused) not")
        let wat = String(s.text[..<s.text.range(of: "\n(assert_")!.lowerBound])
        let wasm = try wat2wasm(wat)
        let m = try Decoder.decode(wasm)
        try Validator.validate(m)
        let c = try Lowerer.lower(m, wasm: wasm, options: LowerOptions(optimizingCompiler: true))
        let shuffles = c.components(separatedBy: "wasmc_i8x16_shuffle(").count - 1
        #expect(shuffles == s.unfused, "\(shuffles) shuffles in the -O C, \(s.unfused) functions that must keep theirs")
        let tcc = try Lowerer.lower(m, wasm: wasm, options: LowerOptions(optimizingCompiler: false))
        let tccShuffles = tcc.components(separatedBy: "i8x16_shuffle(").count - 1
        #expect(tccShuffles >= s.fused + s.unfused, "the tcc tier fuses none: \(tccShuffles) shuffles printed")
        let v2 = try Lowerer.lower(m, wasm: wasm, options: LowerOptions(optimizingCompiler: true, byteShuffle: true))
        let v2Shuffles = v2.components(separatedBy: "wasmc_i8x16_shuffle(").count - 1
        #expect(v2Shuffles == s.fused + s.unfused, "with pshufb the -O tier fuses none: \(v2Shuffles) shuffles printed")
    }
}
