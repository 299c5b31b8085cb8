;; Per-client rate limit: at most 3 requests per client (x-client-id, else "anonymous") per minute,
;; counted with the host's atomic counter so every pooled instance shares the count.
(module
  (;LIB;)
  (memory (export "memory") 4)
  (data (i32.const 0) "\"x-client-id\":\"")
  (data (i32.const 64) "anonymous")
  (data (i32.const 1024) "{\"action\":\"respond\",\"status\":429,\"headers\":{\"content-type\":\"application/json\",\"retry-after\":\"60\"},\"body\":\"{\\\"error\\\":{\\\"message\\\":\\\"Rate limit exceeded\\\",\\\"type\\\":\\\"rate_limit_error\\\",\\\"code\\\":\\\"rate_limit_exceeded\\\"}}\"}")
  (func (export "shepherd_abi_version_1"))
  (func (export "on_request") (result i32)
    (local $len i32) (local $at i32) (local $key i32) (local $key_len i32)
    (local.set $len (call $read_input))
    (local.set $at (call $find (i32.const 65536) (local.get $len) (i32.const 0) (i32.const 15)))
    (if (i32.lt_s (local.get $at) (i32.const 0))
      (then (local.set $key (i32.const 64)) (local.set $key_len (i32.const 9)))
      (else
        (local.set $key (i32.add (i32.const 65536) (i32.add (local.get $at) (i32.const 15))))
        (local.set $key_len (i32.sub (call $quote (local.get $key)) (local.get $key)))))
    (if (i64.gt_s (call $counter_add (local.get $key) (local.get $key_len) (i64.const 1) (i64.const 60000)) (i64.const 3))
      (then (call $out_cstr (i32.const 1024))))
    (i32.const 0)))
