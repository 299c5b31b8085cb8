;; Not a Shepherd guest: no ABI version marker.
(module
  (memory (export "memory") 1)
  (func (export "on_request") (result i32) (i32.const 0)))
