  ;; Shared by the test fixtures (spliced in where a fixture says (;LIB;)): the ABI v1 imports and
  ;; small helpers. Fixtures read the input to address 65536 and keep constant strings below 32768.
  (import "shepherd" "input_length" (func $input_length (result i32)))
  (import "shepherd" "input_read" (func $input_read (param i32 i32) (result i32)))
  (import "shepherd" "output_write" (func $output_write (param i32 i32) (result i32)))
  (import "shepherd" "config_length" (func $config_length (result i32)))
  (import "shepherd" "config_read" (func $config_read (param i32 i32) (result i32)))
  (import "shepherd" "counter_add" (func $counter_add (param i32 i32 i64 i64) (result i64)))
  (import "shepherd" "log" (func $log (param i32 i32 i32)))

  ;; The whole input at 65536; returns its length.
  (func $read_input (result i32)
    (call $input_read (i32.const 65536) (call $input_length)))

  ;; Index of needle in haystack, or -1.
  (func $find (param $h i32) (param $hl i32) (param $n i32) (param $nl i32) (result i32)
    (local $i i32) (local $j i32)
    (block $notfound
      (loop $outer
        (br_if $notfound (i32.gt_s (i32.add (local.get $i) (local.get $nl)) (local.get $hl)))
        (local.set $j (i32.const 0))
        (block $mismatch
          (loop $inner
            (if (i32.ge_s (local.get $j) (local.get $nl)) (then (return (local.get $i))))
            (br_if $mismatch (i32.ne (i32.load8_u (i32.add (local.get $h) (i32.add (local.get $i) (local.get $j))))
                                     (i32.load8_u (i32.add (local.get $n) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $inner)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (i32.const -1))

  ;; Index of the first '"' at or after $from (the end of a JSON string value without escapes).
  (func $quote (param $from i32) (result i32)
    (block $done
      (loop $scan
        (br_if $done (i32.eq (i32.load8_u (local.get $from)) (i32.const 34)))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $scan)))
    (local.get $from))

  ;; Length of a zero-terminated string.
  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $done
      (loop $scan
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $scan)))
    (local.get $n))

  (func $copy (param $dst i32) (param $src i32) (param $len i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $len)))
        (i32.store8 (i32.add (local.get $dst) (local.get $i)) (i32.load8_u (i32.add (local.get $src) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Writes a zero-terminated string as the output.
  (func $out_cstr (param $p i32)
    (drop (call $output_write (local.get $p) (call $strlen (local.get $p)))))
