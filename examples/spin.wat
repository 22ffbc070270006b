;; Never returns on its own: for `wasmc run --timeout` (README) and InterruptHandle.
(module
  (func (export "spin") (loop $l (br $l)))
  (func (export "_start") (call 0)))
