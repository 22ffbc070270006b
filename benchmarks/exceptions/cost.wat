;; What a try_table entry and a throw/catch cost (benchmarks/exceptions_cost.py).
;; Each loop runs n iterations of a call to $work; `plain` without exceptions, `try` with the
;; call inside a try_table that catches nothing (entry + exit), `throw` with $work throwing
;; and the try_table catching it (entry + throw + catch); `rethrow` with $work_throw's
;; exception caught by catch_all_ref and rethrown by throw_ref first (a C++ cleanup: the
;; exception is kept, then freed by the runtime's collector).
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
  (func $work_rethrow (param i32) (result i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (return (call $work_throw (local.get 0))))
      (unreachable))
    (throw_ref))
  (func (export "rethrow") (param $n i32) (result i32)
    (local $acc i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (block $h (result i32)
        (try_table (result i32) (catch $e $h) (call $work_rethrow (local.get $n))))
      (local.set $acc (i32.add (local.get $acc)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $acc))
)
