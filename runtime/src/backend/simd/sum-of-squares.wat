;; Σx² of n float32 values in tfjs-backend-wasm's memory (see adam.wat) as two float64 sums, of
;; the even and of the odd elements, each in order (f64x2 lanes 0 and 1), stored at `sums`; the
;; caller adds them. Squares of float32 values are exact in float64, so this is bit for bit the
;; JavaScript loop of heap-kernels.ts' sumOfSquares, ~4x faster on the shared heap.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "sum_of_squares") (param $x i32) (param $n i32) (param $sums i32)
    (local $acc v128) (local $v v128) (local $end i32) (local $sq f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load align=4 (local.get $x)))
      (local.set $acc (f64x2.add (local.get $acc)
        (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v)) (f64x2.promote_low_f32x4 (local.get $v)))))
      (local.set $v (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
      (local.set $acc (f64x2.add (local.get $acc)
        (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v)) (f64x2.promote_low_f32x4 (local.get $v)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $each)))
    ;; the last n mod 4 values: even ones to lane 0, odd ones to lane 1
    (local.set $n (i32.and (local.get $n) (i32.const 3)))
    (if (i32.ge_u (local.get $n) (i32.const 1)) (then
      (local.set $sq (f64.promote_f32 (f32.load (local.get $x))))
      (local.set $acc (f64x2.replace_lane 0 (local.get $acc)
        (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64.mul (local.get $sq) (local.get $sq)))))))
    (if (i32.ge_u (local.get $n) (i32.const 2)) (then
      (local.set $sq (f64.promote_f32 (f32.load offset=4 (local.get $x))))
      (local.set $acc (f64x2.replace_lane 1 (local.get $acc)
        (f64.add (f64x2.extract_lane 1 (local.get $acc)) (f64.mul (local.get $sq) (local.get $sq)))))))
    (if (i32.ge_u (local.get $n) (i32.const 3)) (then
      (local.set $sq (f64.promote_f32 (f32.load offset=8 (local.get $x))))
      (local.set $acc (f64x2.replace_lane 0 (local.get $acc)
        (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64.mul (local.get $sq) (local.get $sq)))))))
    (v128.store align=8 (local.get $sums) (local.get $acc))))
