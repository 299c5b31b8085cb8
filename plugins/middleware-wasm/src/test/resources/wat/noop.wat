;; Does nothing: the cost floor of a guest call.
(module
  (;LIB;)
  (memory (export "memory") 4)
  (func (export "shepherd_abi_version_1"))
  (func (export "on_request") (result i32) (i32.const 0))
  (func (export "on_response") (result i32) (i32.const 0)))
