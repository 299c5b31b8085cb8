;; Hostile: writes 11 MiB of output (over the 10 MiB cap).
(module
  (;LIB;)
  (memory (export "memory") 200)
  (func (export "shepherd_abi_version_1"))
  (func (export "on_request") (result i32)
    (drop (call $output_write (i32.const 0) (i32.const 11534336)))
    (i32.const 0)))
