;; x ≥ s for n float32 values against one float32 s, as bytes 1 or 0 (tfjs' bool tensors), in
;; tfjs-backend-wasm's memory (see adam.wat): dropout's mask test every step, where the
;; backend's broadcasting comparison took ~150 µs for a 128×256 batch. NaN compares false.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "greater_equal_scalar") (param $x i32) (param $n i32) (param $s f32) (param $out i32)
    (local $threshold v128) (local $end i32) (local $i i32)
    (local.set $threshold (f32x4.splat (local.get $s)))
    (local.set $end (i32.and (local.get $n) (i32.const -16)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (v128.store align=1 (i32.add (local.get $out) (local.get $i))
        (v128.and
          (i8x16.narrow_i16x8_s
            (i16x8.narrow_i32x4_s
              (f32x4.ge (v128.load offset=0 align=4 (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))) (local.get $threshold))
              (f32x4.ge (v128.load offset=16 align=4 (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))) (local.get $threshold)))
            (i16x8.narrow_i32x4_s
              (f32x4.ge (v128.load offset=32 align=4 (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))) (local.get $threshold))
              (f32x4.ge (v128.load offset=48 align=4 (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))) (local.get $threshold))))
          (i8x16.splat (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $each)))
    (block $rest_done (loop $rest
      (br_if $rest_done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store8 (i32.add (local.get $out) (local.get $i))
        (f32.ge (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))) (local.get $s)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rest))))
)
