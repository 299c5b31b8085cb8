;; Hostile: never returns.
(module
  (;LIB;)
  (memory (export "memory") 1)
  (func (export "shepherd_abi_version_1"))
  (func (export "on_request") (result i32)
    (loop $forever (br $forever))
    (i32.const 0)))
