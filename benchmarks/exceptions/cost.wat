;; What a try_table entry and a throw/catch cost (benchmarks/exceptions_cost.py).
;; Each loop runs n iterations of a call to $work; `plain` without exceptions, `try` with the
;; call inside a try_table that catches nothing (entry + exit), `throw` with $work throwing
;; and the try_table catching it (entry + throw + catch).
(module
  (tag $e (param i32))
  (func $work (param i32) (result i32) (i32.xor (local.get 0) (i32.const 0x5bd1e995)))
  (func $work_throw (param i32) (result i32) (throw $e (i32.xor (local.get 0) (i32.const 0x5bd1e995))))
  (func (export "plain") (param $n i32) (result i32)
    (local $acc i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (i32.add (local.get $acc) (call $work (local.get $n))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $acc))
  (func (export "try") (param $n i32) (result i32)
    (local $acc i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (block $h (result i32)
        (try_table (result i32) (catch $e $h) (call $work (local.get $n))))
      (local.set $acc (i32.add (local.get $acc)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $acc))
  (func (export "throw") (param $n i32) (result i32)
    (local $acc i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (block $h (result i32)
        (try_table (result i32) (catch $e $h) (call $work_throw (local.get $n))))
      (local.set $acc (i32.add (local.get $acc)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $acc))
)
