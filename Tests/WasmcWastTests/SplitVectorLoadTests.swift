// The -O tier prints a `v128.load` that may read bytes written by a narrower store since the
// innermost enclosing loop's header as two 8-byte loads (`wasmc_v128_load_split`, RecentStores
// in WasmcLower): hardware store-to-load forwarding then works per half. Either form reads the
// same bytes and traps the same way, so every function below must give the same result in both
// tiers; the -O C must split exactly the loads of the `split_` functions.
import Foundation
import Testing
import WAT
import Wasmc
import WasmcDecode
import WasmcLower
import WasmcValidate
@testable import WasmcWast

@Suite struct SplitVectorLoadTests {
    /// (name, params, body leaving the loaded v128 on the stack, asserts as (args, f64 result or nil for a trap)).
    static let cases: [(name: String, params: String, body: String, asserts: [(args: String, result: String?)])] = [
        ("split_local", "(param $p i32)", """
            (f64.store (local.get $p) (f64.const 1.5)) (f64.store offset=8 (local.get $p) (f64.const 2.25))
            (v128.load (local.get $p))
            """, [("(i32.const 0)", "24")]),
        ("split_const", "(param $p i32)", """
            (f64.store offset=64 (i32.const 0) (f64.const 1.5)) (f64.store offset=72 (i32.const 0) (f64.const 2.25))
            (v128.load offset=64 (i32.const 0))
            """, [("(i32.const 0)", "24")]),
        ("split_after_loop", "(param $p i32) (local $i i32)", """
            (loop $l
              (f64.store (local.get $p) (f64.convert_i32_s (local.get $i)))
              (f64.store offset=8 (local.get $p) (f64.convert_i32_s (i32.shl (local.get $i) (i32.const 1))))
              (br_if $l (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 3))))
            (v128.load (local.get $p))
            """, [("(i32.const 256)", "42")]),
        ("split_partial", "(param $p i32)", """
            (v128.store (local.get $p) (v128.const f64x2 1 2)) (f64.store offset=8 (local.get $p) (f64.const 5))
            (v128.load (local.get $p))
            """, [("(i32.const 512)", "51")]),
        ("split_other_base", "(param $p i32) (param $q i32)", """
            (f64.store (local.get $p) (f64.const 1.5)) (f64.store offset=8 (local.get $p) (f64.const 2.25))
            (f64.store (local.get $q) (f64.const 9))
            (v128.load (local.get $p))
            """, [("(i32.const 768) (i32.const 768)", "31.5"), ("(i32.const 768) (i32.const 776)", "91.5")]),
        ("split_reassigned", "(param $p i32)", """
            (f64.store (local.get $p) (f64.const 1.5)) (f64.store offset=8 (local.get $p) (f64.const 2.25))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (v128.load (local.get $p))
            """, [("(i32.const 1024)", "2.25")]),
        // The stores' offsets from the old $p overlap the load's from the new one only through the
        // assignment: kept as offsets from $p they would look disjoint.
        ("split_moved_base", "(param $p i32)", """
            (f64.store (local.get $p) (f64.const 1.5)) (f64.store offset=8 (local.get $p) (f64.const 2.25))
            (local.set $p (i32.sub (local.get $p) (i32.const 16)))
            (v128.load offset=16 (local.get $p))
            """, [("(i32.const 1152)", "24")]),
        ("split_call", "(param $p i32)", """
            (f64.store (local.get $p) (f64.const 1.5)) (f64.store offset=8 (local.get $p) (f64.const 2.25))
            (call $clobber (local.get $p))
            (v128.load (local.get $p))
            """, [("(i32.const 1280)", "87")]),
        ("split_grow", "(param $p i32)", """
            (f64.store (local.get $p) (f64.const 1.5)) (f64.store offset=8 (local.get $p) (f64.const 2.25))
            (drop (memory.grow (i32.const 1)))
            (v128.load (local.get $p))
            """, [("(i32.const 1536)", "24")]),
        ("split_atomic", "(param $p i32)", """
            (f64.store (local.get $p) (f64.const 1.5)) (f64.store offset=8 (local.get $p) (f64.const 2.25))
            (i64.atomic.store (local.get $p) (i64.const 0x4008000000000000))
            (v128.load (local.get $p))
            """, [("(i32.const 1792)", "25.5")]),
        ("split_block", "(param $p i32)", """
            (block $b (f64.store (local.get $p) (f64.const 1.5)) (f64.store offset=8 (local.get $p) (f64.const 2.25)))
            (v128.load (local.get $p))
            """, [("(i32.const 2048)", "24")]),
        ("split_crossing", "(param $p i32)", """
            (f64.store (local.get $p) (f64.const 1))
            (v128.load (local.get $p))
            """, [("(i32.const 65528)", nil), ("(i32.const 65512)", "1")]),
        ("wide_store", "(param $p i32)", """
            (v128.store (local.get $p) (v128.const f64x2 1.5 2.25))
            (v128.load (local.get $p))
            """, [("(i32.const 2304)", "24")]),
        ("disjoint_offsets", "(param $p i32)", """
            (v128.store offset=16 (local.get $p) (v128.const f64x2 3 4))
            (f64.store (local.get $p) (f64.const 1)) (f64.store offset=8 (local.get $p) (f64.const 2))
            (v128.load offset=16 (local.get $p))
            """, [("(i32.const 2560)", "43")]),
        ("disjoint_const", "(param $p i32)", """
            (v128.store offset=144 (i32.const 0) (v128.const f64x2 5 6))
            (f64.store offset=128 (i32.const 0) (f64.const 1)) (f64.store offset=136 (i32.const 0) (f64.const 2))
            (v128.load offset=144 (i32.const 0))
            """, [("(i32.const 0)", "65")]),
        ("adjacent_after", "(param $p i32)", """
            (v128.store (local.get $p) (v128.const f64x2 1.5 2.25))
            (f64.store offset=16 (local.get $p) (f64.const 7))
            (v128.load (local.get $p))
            """, [("(i32.const 3072)", "24")]),
        ("in_loop_after_stores", "(param $p i32) (local $v v128) (local $i i32)", """
            (f64.store (local.get $p) (f64.const 1.5)) (f64.store offset=8 (local.get $p) (f64.const 2.25))
            (loop $l
              (local.set $v (v128.load (local.get $p)))
              (br_if $l (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 2))))
            (local.get $v)
            """, [("(i32.const 2816)", "24")]),
    ]

    static var script: String {
        var text = """
            (module
              (memory 1 1)
              (func $clobber (param $p i32) (v128.store (local.get $p) (v128.const f64x2 7 8)))
              (func $sum (param $v v128) (result f64)
                (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64.mul (f64.const 10) (f64x2.extract_lane 1 (local.get $v)))))

            """
        for c in cases {
            // (result) goes between the params and the locals.
            let locals = c.params.range(of: " (local").map { String(c.params[$0.lowerBound...]) } ?? ""
            let params = String(c.params.dropLast(locals.count))
            text += "  (func (export \"\(c.name)\") \(params) (result f64)\(locals)\n    (call $sum\n\(c.body)))\n"
        }
        text += ")\n"
        for c in cases {
            for a in c.asserts {
                if let r = a.result {
                    text += "(assert_return (invoke \"\(c.name)\" \(a.args)) (f64.const \(r)))\n"
                } else {
                    text += "(assert_trap (invoke \"\(c.name)\" \(a.args)) \"out of bounds memory access\")\n"
                }
            }
        }
        return text
    }

    @Test(arguments: [(false, CPULevel.host), (true, .host), (true, .baseline)])
    func splitLoadsGiveTheSameResults(optimize: Bool, cpu: CPULevel) {
        let asserts = Self.cases.reduce(1) { $0 + $1.asserts.count }  // and the module
        let r = WastSuite.runScript(Self.script, name: "split_vector_loads.wast", optimize: optimize, cpu: cpu)
        #expect(r.passed == asserts && r.failed == 0 && r.skipped == 0,
                "\(optimize ? "-O \(cpu)" : "tcc"): \(r.passed)/\(r.failed)/\(r.skipped) of \(asserts)\n\(r.text.prefix(4000))")
    }

    /// The -O C splits the load of each `split_` function and no other; the tcc tier splits none.
    @Test func onlyLoadsAfterNarrowStoresAreSplit() throws {
        let text = Self.script
        let wasm = try wat2wasm(String(text[..<text.range(of: "\n(assert_")!.lowerBound]))
        let m = try Decoder.decode(wasm)
        try Validator.validate(m)
        let c = try Lowerer.lower(m, wasm: wasm, options: LowerOptions(optimizingCompiler: true))
        let split = c.components(separatedBy: "wasmc_v128_load_split((m0").count - 1
        let whole = c.components(separatedBy: "wasmc_v128_load((m0").count - 1
        let expected = Self.cases.filter { $0.name.hasPrefix("split_") }.count
        #expect(split == expected && whole == Self.cases.count - expected,
                "-O C: \(split) split loads (expected \(expected)), \(whole) whole (expected \(Self.cases.count - expected))")
        let tcc = try Lowerer.lower(m, wasm: wasm, options: LowerOptions(optimizingCompiler: false))
        #expect(!tcc.contains("wasmc_v128_load_split((m0"), "the tcc tier splits no load")
    }
}
