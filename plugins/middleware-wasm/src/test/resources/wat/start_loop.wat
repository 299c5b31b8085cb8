;; Hostile: its start function never returns, so it cannot even be instantiated.
(module
  (;LIB;)
  (memory (export "memory") 1)
  (func $start (loop $forever (br $forever)))
  (start $start)
  (func (export "shepherd_abi_version_1"))
  (func (export "on_request") (result i32) (i32.const 0)))
