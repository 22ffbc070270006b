;; For the interruption latency (wasmc-bench --interrupt-latency): loops that never end.
(module
  (memory (export "memory") 1 1 shared)
  ;; Counts at address 0: a loop with no call.
  (func (export "spin")
    (loop $l (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1))) (br $l)))
  (func (export "reset") (i32.atomic.store (i32.const 0) (i32.const 0))))
