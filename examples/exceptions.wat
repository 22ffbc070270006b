;; Wasm 3.0 exception handling: `parse` throws $bad-input for a negative number; `checked`
;; catches it and returns -1 instead. (README, "The command line".)
(module
  (tag $bad-input (export "bad-input") (param i32))
  (func $parse (export "parse") (param i32) (result i32)
    (if (i32.lt_s (local.get 0) (i32.const 0)) (then (throw $bad-input (local.get 0))))
    (i32.mul (local.get 0) (i32.const 2)))
  (func (export "checked") (param i32) (result i32)
    (block $failed (result i32)
      (try_table (result i32) (catch $bad-input $failed)
        (call $parse (local.get 0)))
      (return))
    (drop)
    (i32.const -1)))
