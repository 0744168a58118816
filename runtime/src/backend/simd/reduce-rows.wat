;; Sums and means of a [rows, width] float32 matrix over its rows (a bias gradient: Sum over the
;; batch and positions), in tfjs-backend-wasm's memory (see adam.wat), bit for bit the JavaScript
;; loops they replace (heap-kernels.ts' leadingAxesReduction), row by row across the columns so
;; that a tall matrix is read once:
;;   sum_rows: a float64 sum per column (in `acc`, 8·width bytes), adding rows four at a time as
;;     ((r0 + r1) + r2) + r3, then the rest one by one; stored as float32.
;;   mean_rows: a float32 sum per column (in `out`), row by row, divided by rows (float32 + and /
;;     give what JavaScript's float64 ones rounded to float32 give).
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "sum_rows") (param $x i32) (param $rows i32) (param $width i32) (param $out i32) (param $acc i32)
    (local $r i32) (local $c i32) (local $p i32) (local $q i32) (local $stride i32) (local $rows4 i32) (local $pairs i32)
    (local.set $stride (i32.shl (local.get $width) (i32.const 2)))
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $pairs (i32.and (local.get $width) (i32.const -2)))
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $width) (i32.const 3)))
    ;; four rows at a time: acc[c] += ((r0 + r1) + r2) + r3, two columns at a time as float64x2
    (block $quads_done (loop $quads
      (br_if $quads_done (i32.ge_u (local.get $r) (local.get $rows4)))
      (local.set $p (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $stride))))
      (local.set $q (local.get $acc))
      (local.set $c (i32.const 0))
      (block $pairs_done (loop $each_pair
        (br_if $pairs_done (i32.ge_u (local.get $c) (local.get $pairs)))
        (v128.store align=8 (local.get $q) (f64x2.add (v128.load align=8 (local.get $q))
          (f64x2.add
            (f64x2.add
              (f64x2.add
                (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (local.get $p)))
                (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $p) (local.get $stride)))))
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $p) (i32.shl (local.get $stride) (i32.const 1))))))
            (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $p) (i32.mul (local.get $stride) (i32.const 3))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 2)))
        (br $each_pair)))
      (if (i32.lt_u (local.get $c) (local.get $width)) (then ;; an odd last column
        (f64.store (local.get $q) (f64.add (f64.load (local.get $q))
          (f64.add
            (f64.add
              (f64.add
                (f64.promote_f32 (f32.load (local.get $p)))
                (f64.promote_f32 (f32.load (i32.add (local.get $p) (local.get $stride)))))
              (f64.promote_f32 (f32.load (i32.add (local.get $p) (i32.shl (local.get $stride) (i32.const 1))))))
            (f64.promote_f32 (f32.load (i32.add (local.get $p) (i32.mul (local.get $stride) (i32.const 3))))))))))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $quads)))
    ;; the last rows mod 4, one at a time
    (block $rest_done (loop $rest
      (br_if $rest_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $p (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $stride))))
      (local.set $q (local.get $acc))
      (local.set $c (i32.const 0))
      (block $cols_done (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $c) (local.get $width)))
        (f64.store (local.get $q) (f64.add (f64.load (local.get $q)) (f64.promote_f32 (f32.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cols)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rest)))
    ;; to float32
    (local.set $c (i32.const 0))
    (block $out_done (loop $each_out
      (br_if $out_done (i32.ge_u (local.get $c) (local.get $width)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $each_out))))

  (func (export "mean_rows") (param $x i32) (param $rows i32) (param $width i32) (param $out i32)
    (local $r i32) (local $c i32) (local $p i32) (local $q i32) (local $w4 i32) (local $n v128)
    (local.set $w4 (i32.and (local.get $width) (i32.const -4)))
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $width) (i32.const 2)))
    (local.set $p (local.get $x))
    (block $rows_done (loop $each_row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $q (local.get $out))
      (local.set $c (i32.const 0))
      (block $quads_done (loop $quads
        (br_if $quads_done (i32.ge_u (local.get $c) (local.get $w4)))
        (v128.store align=4 (local.get $q) (f32x4.add (v128.load align=4 (local.get $q)) (v128.load align=4 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $quads)))
      (block $cols_done (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $c) (local.get $width)))
        (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (f32.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cols)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $each_row)))
    (local.set $q (local.get $out))
    (local.set $c (i32.const 0))
    (local.set $n (f32x4.splat (f32.convert_i32_u (local.get $rows))))
    (block $div_done (loop $div
      (br_if $div_done (i32.ge_u (local.get $c) (local.get $w4)))
      (v128.store align=4 (local.get $q) (f32x4.div (v128.load align=4 (local.get $q)) (local.get $n)))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $div)))
    (block $divs_done (loop $divs
      (br_if $divs_done (i32.ge_u (local.get $c) (local.get $width)))
      (f32.store (local.get $q) (f32.div (f32.load (local.get $q)) (f32.convert_i32_u (local.get $rows))))
      (local.set $q (i32.add (local.get $q) (i32.const 4)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $divs))))
)
