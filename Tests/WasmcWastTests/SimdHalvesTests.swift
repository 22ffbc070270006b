// The tcc tier keeps v128 values as two u64 halves (docs/simd.md "Halves"); the spec scripts
// mostly pass vectors straight from parameters to results, which prints them whole. This script
// sends each kind of half form through variables and memory, where halves are printed, and the
// cases where a half is read alone or written first: a lane or extend of the low half of a load
// crossing the end (must trap), a store crossing the end (must trap and write nothing), an
// operation reading another half of the variable it assigns. Run in both tiers (-O: the same
// results from vector code).
import Testing
@testable import WasmcWast

private let script = """
(module
  (memory 1)
  (func (export "extend_high_s") (param v128) (result v128) (local v128)
    (local.set 1 (i16x8.extend_high_i8x16_s (local.get 0))) (local.get 1))
  (func (export "extend_in_place") (param v128) (result v128)
    (local.set 0 (i32x4.extend_low_i16x8_u (local.get 0))) (local.get 0))
  (func (export "reverse") (param v128) (result v128)
    (local.set 0 (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get 0) (local.get 0))) (local.get 0))
  ;; sha256's byte swap: shuffle, two extends, shift, or, stored and read back
  (func (export "bswap") (param v128) (result v128)
    (v128.store (i32.const 64) (v128.or
      (i32x4.shl (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
        (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0 (local.get 0) (local.get 0)))) (i32.const 24))
      (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
        (i8x16.shuffle 3 7 11 15 0 0 0 0 0 0 0 0 0 0 0 0 (local.get 0) (local.get 0))))))
    (v128.load (i32.const 64)))
  (func (export "fma") (param v128 v128) (result v128) (local v128)
    (local.set 2 (f64x2.add (f64x2.mul (local.get 0) (local.get 1)) (f64x2.splat (f64.const 0.5))))
    (v128.store offset=8 (i32.const 0) (local.get 2))
    (f64x2.sub (v128.load offset=8 (i32.const 0)) (local.get 1)))
  (func (export "f32_ops") (param v128 v128) (result v128) (local v128)
    (local.set 2 (f32x4.min (f32x4.div (local.get 0) (local.get 1)) (f32x4.neg (local.get 1)))) (local.get 2))
  (func (export "int_ops") (param v128 v128) (result v128) (local v128)
    (local.set 2 (v128.bitselect (i32x4.mul (local.get 0) (local.get 1)) (i8x16.sub (local.get 0) (local.get 1))
                                 (i32x4.eq (i32x4.shr_s (local.get 0) (i32.const 33)) (local.get 1))))
    (local.get 2))
  (func (export "lane_move") (param v128) (result v128)
    (local.set 0 (i32x4.replace_lane 0 (local.get 0) (i32x4.extract_lane 3 (local.get 0)))) (local.get 0))
  (func (export "select") (param v128 v128 i32) (result v128) (local v128)
    (local.set 3 (select (i64x2.add (local.get 0) (local.get 1)) (local.get 1) (local.get 2))) (local.get 3))
  (func (export "low_lane") (param i32) (result i32) (i32x4.extract_lane 0 (v128.load (local.get 0))))
  (func (export "high_lane") (param i32) (result i32) (i32x4.extract_lane 3 (v128.load (local.get 0))))
  (func (export "extend_load") (param i32) (result v128) (local v128)
    (local.set 1 (i64x2.extend_low_i32x4_s (v128.load (local.get 0)))) (local.get 1))
  (func (export "store") (param i32) (v128.store (local.get 0) (v128.const i64x2 1 2)))
  (func (export "peek") (param i32) (result i64) (i64.load (local.get 0))))

(assert_return (invoke "extend_high_s" (v128.const i8x16 0 1 2 3 4 5 6 7 -1 -2 -3 -4 -5 -6 -7 -8))
  (v128.const i16x8 -1 -2 -3 -4 -5 -6 -7 -8))
(assert_return (invoke "extend_in_place" (v128.const i16x8 1 -1 3 -3 5 5 5 5))
  (v128.const i32x4 1 65535 3 65533))
(assert_return (invoke "reverse" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
  (v128.const i8x16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0))
(assert_return (invoke "bswap" (v128.const i32x4 0x01020304 0x05060708 0x090a0b0c 0x0d0e0f10))
  (v128.const i32x4 0x04000001 0x08000005 0x0c000009 0x1000000d))
(assert_return (invoke "fma" (v128.const f64x2 2 -3) (v128.const f64x2 4 0.25))
  (v128.const f64x2 4.5 -0.5))
(assert_return (invoke "f32_ops" (v128.const f32x4 1 -8 nan 0) (v128.const f32x4 2 2 1 -1))
  (v128.const f32x4 -2 -4 nan:canonical -0))
(assert_return (invoke "int_ops" (v128.const i32x4 0x10 -1 0x7fffffff 0x100) (v128.const i32x4 8 -1 0 0x80))
  (v128.const i32x4 0x80 1 0x7fffffff 0x8000))
(assert_return (invoke "lane_move" (v128.const i32x4 1 2 3 4)) (v128.const i32x4 4 2 3 4))
(assert_return (invoke "select" (v128.const i64x2 1 2) (v128.const i64x2 10 20) (i32.const 1)) (v128.const i64x2 11 22))
(assert_return (invoke "select" (v128.const i64x2 1 2) (v128.const i64x2 10 20) (i32.const 0)) (v128.const i64x2 10 20))
(assert_return (invoke "low_lane" (i32.const 65520)) (i32.const 0))
(assert_trap (invoke "low_lane" (i32.const 65528)) "out of bounds memory access")
(assert_trap (invoke "high_lane" (i32.const 65528)) "out of bounds memory access")
(assert_trap (invoke "extend_load" (i32.const 65528)) "out of bounds memory access")
(assert_return (invoke "store" (i32.const 65520)))
(assert_return (invoke "peek" (i32.const 65528)) (i64.const 2))
(assert_trap (invoke "store" (i32.const 65528)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 65528)) (i64.const 2))
"""

@Suite struct SimdHalvesTests {
    @Test(arguments: [false, true])
    func halvesThroughVariablesAndMemory(optimize: Bool) {
        let r = WastSuite.runScript(script, name: "simd_halves.wast", optimize: optimize)
        #expect(r.passed == 19 && r.failed == 0 && r.skipped == 0, "\(optimize ? "-O" : "tcc"): \(r.passed)/\(r.failed)/\(r.skipped)\n\(r.text)")
    }
}
