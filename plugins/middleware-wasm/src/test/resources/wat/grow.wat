;; Hostile: asks for all the memory there is, then keeps growing until refused; reports the pages it got
;; (one digit) in x-pages.
(module
  (;LIB;)
  (memory (export "memory") 1)
  (data (i32.const 1024) "{\"action\":\"modify\",\"set_headers\":{\"x-pages\":\"0\"}}")
  (func (export "shepherd_abi_version_1"))
  (func (export "on_request") (result i32)
    (drop (memory.grow (i32.const 65535)))
    (block $refused
      (loop $more
        (br_if $refused (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $more)))
    (i32.store8 (i32.const 1069) (i32.add (i32.const 48) (memory.size)))
    (call $out_cstr (i32.const 1024))
    (i32.const 0)))
