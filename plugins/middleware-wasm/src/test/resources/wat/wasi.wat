;; Asks for WASI, which ABI v1 does not offer.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "shepherd_abi_version_1"))
  (func (export "on_request") (result i32) (i32.const 0)))
