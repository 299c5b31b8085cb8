;; Writes something that is not an action.
(module
  (;LIB;)
  (memory (export "memory") 1)
  (data (i32.const 0) "this is not json")
  (func (export "shepherd_abi_version_1"))
  (func (export "on_request") (result i32)
    (call $out_cstr (i32.const 0))
    (i32.const 0)))
