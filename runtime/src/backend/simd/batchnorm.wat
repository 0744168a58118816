;; Batch normalization in training, forward and backward, over a channels-last tensor of n
;; float32 values with C channels (C a multiple of 4; M = n / C values per channel), in place in
;; tfjs-backend-wasm's memory (see adam.wat). Element-wise math is float32 (4 lanes at a time);
;; per-channel sums accumulate in float64. Forward: mean, biased variance, inv = 1/√(var + ε),
;; y = x·(γ·inv) + (β − mean·γ·inv). Backward, with x̂ = (x − mean)·inv:
;; dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·inv·(dy − dβ/M − x̂·dγ/M).
;; `scratch` is 28·C bytes of the caller's (accumulators and per-channel factors). A call handles
;; channels [c_begin, c_end) (multiples of 4) of every row, so that two threads can share one
;; normalization by channels (helper-thread.ts), each channel computed as by a single call.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; the four float64 accumulators at addr += the four lanes of v
  (func $accumulate (param $addr i32) (param $v v128)
    (v128.store offset=0 align=8 (local.get $addr)
      (f64x2.add (v128.load offset=0 align=8 (local.get $addr)) (f64x2.promote_low_f32x4 (local.get $v))))
    (v128.store offset=16 align=8 (local.get $addr)
      (f64x2.add (v128.load offset=16 align=8 (local.get $addr))
        (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))))

  ;; zeroes `bytes` bytes at addr (a multiple of 16)
  (func $zero (param $addr i32) (param $bytes i32)
    (local $i i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (v128.store align=8 (i32.add (local.get $addr) (local.get $i)) (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $each))))

  (func (export "batchnorm_forward")
    (param $x i32) (param $n i32) (param $C i32) (param $gamma i32) (param $has_gamma i32)
    (param $beta i32) (param $has_beta i32) (param $eps f64)
    (param $y i32) (param $mean_out i32) (param $var_out i32) (param $inv_out i32) (param $scratch i32)
    (param $c_begin i32) (param $c_end i32)
    (local $end i32) (local $row_bytes i32) (local $row i32) (local $c i32) (local $k i32) (local $c_lo i32) (local $c_hi i32)
    (local $sum i32) (local $sq i32) (local $scale i32) (local $shift i32)
    (local $M f64) (local $mean f64) (local $var f64) (local $inv f64) (local $g f64) (local $b f64) (local $s f64)
    (local $d v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $row_bytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $M (f64.div (f64.convert_i32_u (local.get $n)) (f64.convert_i32_u (local.get $C))))
    (local.set $sum (local.get $scratch))
    (local.set $sq (i32.add (local.get $scratch) (i32.shl (local.get $C) (i32.const 3))))
    (local.set $scale (i32.add (local.get $scratch) (i32.shl (local.get $C) (i32.const 4))))
    (local.set $shift (i32.add (local.get $scale) (local.get $row_bytes)))
    (local.set $c_lo (i32.shl (local.get $c_begin) (i32.const 2)))
    (local.set $c_hi (i32.shl (local.get $c_end) (i32.const 2)))
    ;; this call's channels of the two float64 accumulator arrays
    (call $zero (i32.add (local.get $scratch) (i32.shl (local.get $c_begin) (i32.const 3)))
      (i32.shl (i32.sub (local.get $c_end) (local.get $c_begin)) (i32.const 3)))
    (call $zero (i32.add (local.get $scratch) (i32.shl (i32.add (local.get $C) (local.get $c_begin)) (i32.const 3)))
      (i32.shl (i32.sub (local.get $c_end) (local.get $c_begin)) (i32.const 3)))
    ;; pass 1: Σ x per channel
    (local.set $row (i32.const 0))
    (block $done1 (loop $rows1
      (br_if $done1 (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $c (local.get $c_lo))
      (block $cdone1 (loop $cols1
        (br_if $cdone1 (i32.ge_u (local.get $c) (local.get $c_hi)))
        (call $accumulate (i32.add (local.get $sum) (i32.shl (local.get $c) (i32.const 1)))
          (v128.load align=4 (i32.add (local.get $x) (i32.add (local.get $row) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cols1)))
      (local.set $row (i32.add (local.get $row) (local.get $row_bytes)))
      (br $rows1)))
    ;; the means (float32 into mean_out for pass 2)
    (local.set $k (local.get $c_begin))
    (block $kdone1 (loop $ks1
      (br_if $kdone1 (i32.ge_u (local.get $k) (local.get $c_end)))
      (f32.store (i32.add (local.get $mean_out) (i32.shl (local.get $k) (i32.const 2)))
        (f32.demote_f64 (f64.div (f64.load (i32.add (local.get $sum) (i32.shl (local.get $k) (i32.const 3)))) (local.get $M))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $ks1)))
    ;; pass 2: Σ (x − mean)² per channel
    (local.set $row (i32.const 0))
    (block $done2 (loop $rows2
      (br_if $done2 (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $c (local.get $c_lo))
      (block $cdone2 (loop $cols2
        (br_if $cdone2 (i32.ge_u (local.get $c) (local.get $c_hi)))
        (local.set $d (f32x4.sub
          (v128.load align=4 (i32.add (local.get $x) (i32.add (local.get $row) (local.get $c))))
          (v128.load align=4 (i32.add (local.get $mean_out) (local.get $c)))))
        (call $accumulate (i32.add (local.get $sq) (i32.shl (local.get $c) (i32.const 1))) (f32x4.mul (local.get $d) (local.get $d)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cols2)))
      (local.set $row (i32.add (local.get $row) (local.get $row_bytes)))
      (br $rows2)))
    ;; per channel: variance, inv, and the affine factors
    (local.set $k (local.get $c_begin))
    (block $kdone2 (loop $ks2
      (br_if $kdone2 (i32.ge_u (local.get $k) (local.get $c_end)))
      (local.set $mean (f64.div (f64.load (i32.add (local.get $sum) (i32.shl (local.get $k) (i32.const 3)))) (local.get $M)))
      (local.set $var (f64.div (f64.load (i32.add (local.get $sq) (i32.shl (local.get $k) (i32.const 3)))) (local.get $M)))
      (local.set $inv (f64.div (f64.const 1) (f64.sqrt (f64.add (local.get $var) (local.get $eps)))))
      (local.set $g (if (result f64) (local.get $has_gamma)
        (then (f64.promote_f32 (f32.load (i32.add (local.get $gamma) (i32.shl (local.get $k) (i32.const 2))))))
        (else (f64.const 1))))
      (local.set $b (if (result f64) (local.get $has_beta)
        (then (f64.promote_f32 (f32.load (i32.add (local.get $beta) (i32.shl (local.get $k) (i32.const 2))))))
        (else (f64.const 0))))
      (local.set $s (f64.mul (local.get $inv) (local.get $g)))
      (f32.store (i32.add (local.get $var_out) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (local.get $var)))
      (f32.store (i32.add (local.get $inv_out) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (local.get $inv)))
      (f32.store (i32.add (local.get $scale) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (local.get $s)))
      (f32.store (i32.add (local.get $shift) (i32.shl (local.get $k) (i32.const 2)))
        (f32.demote_f64 (f64.sub (local.get $b) (f64.mul (local.get $mean) (local.get $s)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $ks2)))
    ;; pass 3: y = x·scale + shift
    (local.set $row (i32.const 0))
    (block $done3 (loop $rows3
      (br_if $done3 (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $c (local.get $c_lo))
      (block $cdone3 (loop $cols3
        (br_if $cdone3 (i32.ge_u (local.get $c) (local.get $c_hi)))
        (v128.store align=4 (i32.add (local.get $y) (i32.add (local.get $row) (local.get $c)))
          (f32x4.add
            (f32x4.mul
              (v128.load align=4 (i32.add (local.get $x) (i32.add (local.get $row) (local.get $c))))
              (v128.load align=4 (i32.add (local.get $scale) (local.get $c))))
            (v128.load align=4 (i32.add (local.get $shift) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cols3)))
      (local.set $row (i32.add (local.get $row) (local.get $row_bytes)))
      (br $rows3))))

  (func (export "batchnorm_backward")
    (param $dy i32) (param $x i32) (param $n i32) (param $C i32) (param $mean i32) (param $inv i32)
    (param $gamma i32) (param $has_gamma i32)
    (param $dx i32) (param $dgamma i32) (param $dbeta i32) (param $scratch i32)
    (param $c_begin i32) (param $c_end i32)
    (local $end i32) (local $row_bytes i32) (local $row i32) (local $c i32) (local $k i32) (local $c_lo i32) (local $c_hi i32)
    (local $sum_dy i32) (local $sum_dyx i32) (local $factor i32) (local $mean_dy i32) (local $mean_dyx i32)
    (local $M f64) (local $g f32) (local $s1 f64) (local $s2 f64)
    (local $d v128) (local $xhat v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $row_bytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $M (f64.div (f64.convert_i32_u (local.get $n)) (f64.convert_i32_u (local.get $C))))
    (local.set $sum_dy (local.get $scratch))
    (local.set $sum_dyx (i32.add (local.get $scratch) (i32.shl (local.get $C) (i32.const 3))))
    (local.set $factor (i32.add (local.get $scratch) (i32.shl (local.get $C) (i32.const 4))))
    (local.set $mean_dy (i32.add (local.get $factor) (local.get $row_bytes)))
    (local.set $mean_dyx (i32.add (local.get $mean_dy) (local.get $row_bytes)))
    (local.set $c_lo (i32.shl (local.get $c_begin) (i32.const 2)))
    (local.set $c_hi (i32.shl (local.get $c_end) (i32.const 2)))
    ;; this call's channels of the two float64 accumulator arrays
    (call $zero (i32.add (local.get $scratch) (i32.shl (local.get $c_begin) (i32.const 3)))
      (i32.shl (i32.sub (local.get $c_end) (local.get $c_begin)) (i32.const 3)))
    (call $zero (i32.add (local.get $scratch) (i32.shl (i32.add (local.get $C) (local.get $c_begin)) (i32.const 3)))
      (i32.shl (i32.sub (local.get $c_end) (local.get $c_begin)) (i32.const 3)))
    ;; pass 1: Σ dy and Σ dy·x̂ per channel
    (local.set $row (i32.const 0))
    (block $done1 (loop $rows1
      (br_if $done1 (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $c (local.get $c_lo))
      (block $cdone1 (loop $cols1
        (br_if $cdone1 (i32.ge_u (local.get $c) (local.get $c_hi)))
        (local.set $d (v128.load align=4 (i32.add (local.get $dy) (i32.add (local.get $row) (local.get $c)))))
        (local.set $xhat (f32x4.mul
          (f32x4.sub
            (v128.load align=4 (i32.add (local.get $x) (i32.add (local.get $row) (local.get $c))))
            (v128.load align=4 (i32.add (local.get $mean) (local.get $c))))
          (v128.load align=4 (i32.add (local.get $inv) (local.get $c)))))
        (call $accumulate (i32.add (local.get $sum_dy) (i32.shl (local.get $c) (i32.const 1))) (local.get $d))
        (call $accumulate (i32.add (local.get $sum_dyx) (i32.shl (local.get $c) (i32.const 1))) (f32x4.mul (local.get $d) (local.get $xhat)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cols1)))
      (local.set $row (i32.add (local.get $row) (local.get $row_bytes)))
      (br $rows1)))
    ;; per channel: dβ, dγ, and the factors of pass 2
    (local.set $k (local.get $c_begin))
    (block $kdone (loop $ks
      (br_if $kdone (i32.ge_u (local.get $k) (local.get $c_end)))
      (local.set $s1 (f64.load (i32.add (local.get $sum_dy) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $s2 (f64.load (i32.add (local.get $sum_dyx) (i32.shl (local.get $k) (i32.const 3)))))
      (f32.store (i32.add (local.get $dbeta) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (local.get $s1)))
      (f32.store (i32.add (local.get $dgamma) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (local.get $s2)))
      (local.set $g (if (result f32) (local.get $has_gamma)
        (then (f32.load (i32.add (local.get $gamma) (i32.shl (local.get $k) (i32.const 2)))))
        (else (f32.const 1))))
      (f32.store (i32.add (local.get $factor) (i32.shl (local.get $k) (i32.const 2)))
        (f32.mul (local.get $g) (f32.load (i32.add (local.get $inv) (i32.shl (local.get $k) (i32.const 2))))))
      (f32.store (i32.add (local.get $mean_dy) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (f64.div (local.get $s1) (local.get $M))))
      (f32.store (i32.add (local.get $mean_dyx) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (f64.div (local.get $s2) (local.get $M))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $ks)))
    ;; pass 2: dx = factor·(dy − mean_dy − x̂·mean_dyx)
    (local.set $row (i32.const 0))
    (block $done2 (loop $rows2
      (br_if $done2 (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $c (local.get $c_lo))
      (block $cdone2 (loop $cols2
        (br_if $cdone2 (i32.ge_u (local.get $c) (local.get $c_hi)))
        (local.set $xhat (f32x4.mul
          (f32x4.sub
            (v128.load align=4 (i32.add (local.get $x) (i32.add (local.get $row) (local.get $c))))
            (v128.load align=4 (i32.add (local.get $mean) (local.get $c))))
          (v128.load align=4 (i32.add (local.get $inv) (local.get $c)))))
        (v128.store align=4 (i32.add (local.get $dx) (i32.add (local.get $row) (local.get $c)))
          (f32x4.mul
            (v128.load align=4 (i32.add (local.get $factor) (local.get $c)))
            (f32x4.sub
              (f32x4.sub
                (v128.load align=4 (i32.add (local.get $dy) (i32.add (local.get $row) (local.get $c))))
                (v128.load align=4 (i32.add (local.get $mean_dy) (local.get $c))))
              (f32x4.mul (local.get $xhat) (v128.load align=4 (i32.add (local.get $mean_dyx) (local.get $c)))))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cols2)))
      (local.set $row (i32.add (local.get $row) (local.get $row_bytes)))
      (br $rows2))))
)
