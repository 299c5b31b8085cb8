;; Counts its calls in a global (reported in x-calls) and traps when the request carries x-trap, so a
;; test sees whether the next call got a fresh instance.
(module
  (;LIB;)
  (memory (export "memory") 4)
  (global $calls (mut i32) (i32.const 0))
  (data (i32.const 0) "\"x-trap\"")
  (data (i32.const 1024) "{\"action\":\"modify\",\"set_headers\":{\"x-calls\":\"0\"}}")
  (func (export "shepherd_abi_version_1"))
  (func (export "on_request") (result i32)
    (local $len i32)
    (local.set $len (call $read_input))
    (if (i32.ge_s (call $find (i32.const 65536) (local.get $len) (i32.const 0) (i32.const 8)) (i32.const 0))
      (then unreachable))
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.store8 (i32.const 1069) (i32.add (i32.const 48) (global.get $calls)))
    (call $out_cstr (i32.const 1024))
    (i32.const 0)))
