;; v128 values at the command line: `wasmc run examples/simd.wat --invoke NAME ARG ...`
(module
  ;; lane-wise sum of two f32x4 vectors
  (func (export "add4") (param v128 v128) (result v128)
    (f32x4.add (local.get 0) (local.get 1)))
  ;; the sum of the four i32 lanes
  (func (export "hsum") (param v128) (result i32)
    (local v128)
    (local.set 1 (i32x4.add (local.get 0) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get 0) (local.get 0))))
    (i32.add (i32x4.extract_lane 0 (local.get 1)) (i32x4.extract_lane 1 (local.get 1))))
  ;; an i32 in every lane, and its lanes doubled
  (func (export "splat2") (param i32) (result v128 v128)
    (i32x4.splat (local.get 0))
    (i32x4.shl (i32x4.splat (local.get 0)) (i32.const 1))))
