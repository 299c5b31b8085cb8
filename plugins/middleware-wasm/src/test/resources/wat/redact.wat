;; Body redaction: every "secret" in a body becomes "******" (same length, so the JSON string that
;; carries the body stays valid), on the way in and on the way out.
(module
  (;LIB;)
  (memory (export "memory") 4)
  (data (i32.const 0) "\"body\":\"")
  (data (i32.const 16) "secret")
  (data (i32.const 1024) "{\"action\":\"modify\",\"body\":")
  (func (export "shepherd_abi_version_1"))
  (func $redact (result i32)
    (local $len i32) (local $start i32) (local $end i32) (local $at i32) (local $out i32)
    (local.set $len (call $read_input))
    ;; the body is the last field: ..."body":"<text>"}
    (local.set $start (i32.add (i32.const 65536) (i32.add (call $find (i32.const 65536) (local.get $len) (i32.const 0) (i32.const 8)) (i32.const 8))))
    (local.set $end (i32.add (i32.const 65536) (i32.sub (local.get $len) (i32.const 2))))
    (block $done
      (loop $next
        (local.set $at (call $find (local.get $start) (i32.sub (local.get $end) (local.get $start)) (i32.const 16) (i32.const 6)))
        (br_if $done (i32.lt_s (local.get $at) (i32.const 0)))
        (i64.store32 (i32.add (local.get $start) (local.get $at)) (i64.const 0x2a2a2a2a))
        (i32.store16 (i32.add (local.get $start) (i32.add (local.get $at) (i32.const 4))) (i32.const 0x2a2a))
        (br $next)))
    ;; output: {"action":"modify","body":"<redacted text>"}
    (local.set $out (i32.const 196608))
    (call $copy (local.get $out) (i32.const 1024) (i32.const 26))
    (call $copy (i32.add (local.get $out) (i32.const 26)) (i32.sub (local.get $start) (i32.const 1))
                (i32.add (i32.sub (local.get $end) (local.get $start)) (i32.const 2)))
    (i32.store8 (i32.add (local.get $out) (i32.add (i32.sub (local.get $end) (local.get $start)) (i32.const 28))) (i32.const 125))
    (drop (call $output_write (local.get $out) (i32.add (i32.sub (local.get $end) (local.get $start)) (i32.const 29))))
    (i32.const 0))
  (func (export "on_request") (result i32) (call $redact))
  (func (export "on_response") (result i32) (call $redact)))
