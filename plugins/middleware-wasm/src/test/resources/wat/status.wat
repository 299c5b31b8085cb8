;; Returns a non-zero status: the guest says it failed.
(module
  (;LIB;)
  (memory (export "memory") 1)
  (func (export "shepherd_abi_version_1"))
  (func (export "on_request") (result i32) (i32.const 7)))
