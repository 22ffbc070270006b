(module
  (import "env" "memory" (memory 1 16 shared))
  (func (export "f0") (result i32) unreachable)
  (func (export "f1") (result i64) unreachable)
  (func (export "f2") (result f32) unreachable)
  (func (export "f3") (result f64) unreachable)
  (func (export "f4") (result i32 i64) unreachable)
  (func (export "f5") unreachable))
