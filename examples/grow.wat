;; A memory and a table that grow, for `wasmc run`'s resource limits (see README).
(module
  (memory 2)
  (table 1 funcref)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "table_grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))
