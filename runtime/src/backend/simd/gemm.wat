;; Matrix product C = A·B (+ bias) in float32, in place in tfjs-backend-wasm's memory (see
;; adam.wat), for rows [m0, m1) of C: C is [M, N] and B [K, N], row-major; A is addressed by
;; strides (bytes) so that A or its transpose can be read directly: A[i, k] at a + i·sai + k·sak.
;; Every C[i, j] is bias[j] (or 0, or C[i, j]'s own value with $accumulate) + A[i,0]·B[0,j] +
;; A[i,1]·B[1,j] + … added in order of k, a multiply then an add each (no fused multiply-add):
;; the order and rounding of XNNPACK's f32 GEMM, so that results are bit-identical to tfjs' own
;; matMul. Tiles of 4 rows × 8 columns walk down one 8-column panel of B at a time, over 256 k
;; at a time (a block of A and of B stays in cache across tiles and panels); between blocks each
;; tile's float32 sums wait in C, which changes nothing, as they are float32 in registers too.
;; $accumulate adds to C's values: a reduction too long for one matrix (a convolution's filter
;; gradient over a whole batch) runs as several calls, still exactly one sum in order of k.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; C[4 rows, 8 columns] = (C's values if $from_c, else bias or 0) + Σ_k A[row, k]·B[k, 0..7]
  (func $tile4x8 (param $pa i32) (param $sai i32) (param $sak i32) (param $pb i32) (param $sbk i32)
      (param $K i32) (param $bias i32) (param $from_c i32) (param $pc i32) (param $sci i32)
    (local $c00 v128) (local $c01 v128) (local $p0 i32)
    (local $c10 v128) (local $c11 v128) (local $p1 i32)
    (local $c20 v128) (local $c21 v128) (local $p2 i32)
    (local $c30 v128) (local $c31 v128) (local $p3 i32)
    (local $b0 v128) (local $b1 v128) (local $a v128) (local $k i32) (local $q i32)
    (if (local.get $from_c)
      (then
        (local.set $q (local.get $pc))
        (local.set $c00 (v128.load align=4 (local.get $q))) (local.set $c01 (v128.load offset=16 align=4 (local.get $q)))
        (local.set $q (i32.add (local.get $q) (local.get $sci)))
        (local.set $c10 (v128.load align=4 (local.get $q))) (local.set $c11 (v128.load offset=16 align=4 (local.get $q)))
        (local.set $q (i32.add (local.get $q) (local.get $sci)))
        (local.set $c20 (v128.load align=4 (local.get $q))) (local.set $c21 (v128.load offset=16 align=4 (local.get $q)))
        (local.set $q (i32.add (local.get $q) (local.get $sci)))
        (local.set $c30 (v128.load align=4 (local.get $q))) (local.set $c31 (v128.load offset=16 align=4 (local.get $q))))
      (else
        (if (local.get $bias) (then
          (local.set $b0 (v128.load align=4 (local.get $bias)))
          (local.set $b1 (v128.load offset=16 align=4 (local.get $bias)))))
        (local.set $c00 (local.get $b0)) (local.set $c01 (local.get $b1))
        (local.set $c10 (local.get $b0)) (local.set $c11 (local.get $b1))
        (local.set $c20 (local.get $b0)) (local.set $c21 (local.get $b1))
        (local.set $c30 (local.get $b0)) (local.set $c31 (local.get $b1))))
    (local.set $p0 (local.get $pa))
    (local.set $p1 (i32.add (local.get $p0) (local.get $sai)))
    (local.set $p2 (i32.add (local.get $p1) (local.get $sai)))
    (local.set $p3 (i32.add (local.get $p2) (local.get $sai)))
    (local.set $k (local.get $K))
    (block $done (loop $each
      (br_if $done (i32.eqz (local.get $k)))
      (local.set $b0 (v128.load align=4 (local.get $pb)))
      (local.set $b1 (v128.load offset=16 align=4 (local.get $pb)))
      (local.set $a (v128.load32_splat align=4 (local.get $p0)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $p0 (i32.add (local.get $p0) (local.get $sak)))
      (local.set $a (v128.load32_splat align=4 (local.get $p1)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $p1 (i32.add (local.get $p1) (local.get $sak)))
      (local.set $a (v128.load32_splat align=4 (local.get $p2)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $p2 (i32.add (local.get $p2) (local.get $sak)))
      (local.set $a (v128.load32_splat align=4 (local.get $p3)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $p3 (i32.add (local.get $p3) (local.get $sak)))
      (local.set $pb (i32.add (local.get $pb) (local.get $sbk)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $each)))
    (v128.store align=4 (local.get $pc) (local.get $c00))
    (v128.store offset=16 align=4 (local.get $pc) (local.get $c01))
    (local.set $pc (i32.add (local.get $pc) (local.get $sci)))
    (v128.store align=4 (local.get $pc) (local.get $c10))
    (v128.store offset=16 align=4 (local.get $pc) (local.get $c11))
    (local.set $pc (i32.add (local.get $pc) (local.get $sci)))
    (v128.store align=4 (local.get $pc) (local.get $c20))
    (v128.store offset=16 align=4 (local.get $pc) (local.get $c21))
    (local.set $pc (i32.add (local.get $pc) (local.get $sci)))
    (v128.store align=4 (local.get $pc) (local.get $c30))
    (v128.store offset=16 align=4 (local.get $pc) (local.get $c31)))

  ;; C[1 rows, 8 columns] = (C's values if $from_c, else bias or 0) + Σ_k A[row, k]·B[k, 0..7]
  (func $tile1x8 (param $pa i32) (param $sai i32) (param $sak i32) (param $pb i32) (param $sbk i32)
      (param $K i32) (param $bias i32) (param $from_c i32) (param $pc i32) (param $sci i32)
    (local $c00 v128) (local $c01 v128) (local $p0 i32)
    (local $b0 v128) (local $b1 v128) (local $a v128) (local $k i32) (local $q i32)
    (if (local.get $from_c)
      (then
        (local.set $q (local.get $pc))
        (local.set $c00 (v128.load align=4 (local.get $q))) (local.set $c01 (v128.load offset=16 align=4 (local.get $q))))
      (else
        (if (local.get $bias) (then
          (local.set $b0 (v128.load align=4 (local.get $bias)))
          (local.set $b1 (v128.load offset=16 align=4 (local.get $bias)))))
        (local.set $c00 (local.get $b0)) (local.set $c01 (local.get $b1))))
    (local.set $p0 (local.get $pa))

    (local.set $k (local.get $K))
    (block $done (loop $each
      (br_if $done (i32.eqz (local.get $k)))
      (local.set $b0 (v128.load align=4 (local.get $pb)))
      (local.set $b1 (v128.load offset=16 align=4 (local.get $pb)))
      (local.set $a (v128.load32_splat align=4 (local.get $p0)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $p0 (i32.add (local.get $p0) (local.get $sak)))
      (local.set $pb (i32.add (local.get $pb) (local.get $sbk)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $each)))
    (v128.store align=4 (local.get $pc) (local.get $c00))
    (v128.store offset=16 align=4 (local.get $pc) (local.get $c01)))

  ;; one element: (C's value if $from_c, else bias or 0) + Σ_k A[row, k]·B[k, col], stored in C
  (func $element (param $pa i32) (param $sak i32) (param $pb i32) (param $sbk i32) (param $K i32) (param $bias i32)
      (param $from_c i32) (param $pc i32)
    (local $acc f32)
    (if (local.get $from_c)
      (then (local.set $acc (f32.load (local.get $pc))))
      (else (if (local.get $bias) (then (local.set $acc (f32.load (local.get $bias)))))))
    (block $done (loop $each
      (br_if $done (i32.eqz (local.get $K)))
      (local.set $acc (f32.add (local.get $acc) (f32.mul (f32.load (local.get $pa)) (f32.load (local.get $pb)))))
      (local.set $pa (i32.add (local.get $pa) (local.get $sak)))
      (local.set $pb (i32.add (local.get $pb) (local.get $sbk)))
      (local.set $K (i32.sub (local.get $K) (i32.const 1)))
      (br $each)))
    (f32.store (local.get $pc) (local.get $acc)))

;; four elements of one column, rows r..r+3, as four independent sums: a single sum waits on
  ;; its previous add at each k (4x slower for the last two columns of a layer of 10 classes)
  (func $element4 (param $pa i32) (param $sai i32) (param $sak i32) (param $pb i32) (param $sbk i32) (param $K i32)
      (param $bias i32) (param $from_c i32) (param $pc i32) (param $sci i32)
    (local $acc0 f32) (local $acc1 f32) (local $acc2 f32) (local $acc3 f32) (local $b f32)
    (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (if (local.get $from_c)
      (then
        (local.set $acc0 (f32.load (local.get $pc)))
        (local.set $acc1 (f32.load (i32.add (local.get $pc) (local.get $sci))))
        (local.set $acc2 (f32.load (i32.add (local.get $pc) (i32.shl (local.get $sci) (i32.const 1)))))
        (local.set $acc3 (f32.load (i32.add (local.get $pc) (i32.mul (local.get $sci) (i32.const 3))))))
      (else (if (local.get $bias) (then
        (local.set $acc0 (f32.load (local.get $bias)))
        (local.set $acc1 (local.get $acc0)) (local.set $acc2 (local.get $acc0)) (local.set $acc3 (local.get $acc0))))))
    (local.set $p1 (i32.add (local.get $pa) (local.get $sai)))
    (local.set $p2 (i32.add (local.get $p1) (local.get $sai)))
    (local.set $p3 (i32.add (local.get $p2) (local.get $sai)))
    (block $done (loop $each
      (br_if $done (i32.eqz (local.get $K)))
      (local.set $b (f32.load (local.get $pb)))
      (local.set $acc0 (f32.add (local.get $acc0) (f32.mul (f32.load (local.get $pa)) (local.get $b))))
      (local.set $acc1 (f32.add (local.get $acc1) (f32.mul (f32.load (local.get $p1)) (local.get $b))))
      (local.set $acc2 (f32.add (local.get $acc2) (f32.mul (f32.load (local.get $p2)) (local.get $b))))
      (local.set $acc3 (f32.add (local.get $acc3) (f32.mul (f32.load (local.get $p3)) (local.get $b))))
      (local.set $pa (i32.add (local.get $pa) (local.get $sak)))
      (local.set $p1 (i32.add (local.get $p1) (local.get $sak)))
      (local.set $p2 (i32.add (local.get $p2) (local.get $sak)))
      (local.set $p3 (i32.add (local.get $p3) (local.get $sak)))
      (local.set $pb (i32.add (local.get $pb) (local.get $sbk)))
      (local.set $K (i32.sub (local.get $K) (i32.const 1)))
      (br $each)))
    (f32.store (local.get $pc) (local.get $acc0))
    (f32.store (i32.add (local.get $pc) (local.get $sci)) (local.get $acc1))
    (f32.store (i32.add (local.get $pc) (i32.shl (local.get $sci) (i32.const 1))) (local.get $acc2))
    (f32.store (i32.add (local.get $pc) (i32.mul (local.get $sci) (i32.const 3))) (local.get $acc3)))

    (func (export "gemm")
    (param $a i32) (param $sai i32) (param $sak i32) (param $b i32) (param $bias i32) (param $c i32)
    (param $K i32) (param $N i32) (param $m0 i32) (param $m1 i32) (param $accumulate i32)
    (local $sbk i32) (local $j i32) (local $i i32) (local $n8 i32) (local $biasj i32)
    (local $k0 i32) (local $kb i32) (local $ak i32) (local $bk i32) (local $from_c i32)
    (local.set $sbk (i32.shl (local.get $N) (i32.const 2)))
    (local.set $n8 (i32.and (local.get $N) (i32.const -8)))
    ;; blocks of 256 k (at least one, so that K = 0 still writes bias or 0)
    (local.set $from_c (local.get $accumulate))
    (loop $blocks
      (local.set $kb (select (i32.const 256) (i32.sub (local.get $K) (local.get $k0))
        (i32.gt_u (i32.sub (local.get $K) (local.get $k0)) (i32.const 256))))
      (local.set $ak (i32.add (local.get $a) (i32.mul (local.get $k0) (local.get $sak))))
      (local.set $bk (i32.add (local.get $b) (i32.mul (local.get $k0) (local.get $sbk))))
      ;; 8-column panels
      (local.set $j (i32.const 0))
      (block $panels_done (loop $panels
        (br_if $panels_done (i32.ge_u (local.get $j) (local.get $n8)))
        (local.set $biasj (select (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))) (i32.const 0) (local.get $bias)))
        (local.set $i (local.get $m0))
        (block $tiles_done (loop $tiles
          (br_if $tiles_done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m1)))
          (call $tile4x8
            (i32.add (local.get $ak) (i32.mul (local.get $i) (local.get $sai))) (local.get $sai) (local.get $sak)
            (i32.add (local.get $bk) (i32.shl (local.get $j) (i32.const 2))) (local.get $sbk) (local.get $kb) (local.get $biasj)
            (local.get $from_c)
            (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))) (local.get $sbk))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $tiles)))
        (block $rows_done (loop $rows
          (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m1)))
          (call $tile1x8
            (i32.add (local.get $ak) (i32.mul (local.get $i) (local.get $sai))) (local.get $sai) (local.get $sak)
            (i32.add (local.get $bk) (i32.shl (local.get $j) (i32.const 2))) (local.get $sbk) (local.get $kb) (local.get $biasj)
            (local.get $from_c)
            (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))) (local.get $sbk))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $panels)))
      ;; the last N mod 8 columns, four rows (then one) at a time
      (block $cols_done (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $j) (local.get $N)))
        (local.set $biasj (select (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))) (i32.const 0) (local.get $bias)))
        (local.set $i (local.get $m0))
        (block $fours_done (loop $fours
          (br_if $fours_done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m1)))
          (call $element4
            (i32.add (local.get $ak) (i32.mul (local.get $i) (local.get $sai))) (local.get $sai) (local.get $sak)
            (i32.add (local.get $bk) (i32.shl (local.get $j) (i32.const 2))) (local.get $sbk) (local.get $kb) (local.get $biasj)
            (local.get $from_c)
            (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))) (local.get $sbk))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $fours)))
        (block $elements_done (loop $elements
          (br_if $elements_done (i32.ge_u (local.get $i) (local.get $m1)))
          (call $element
            (i32.add (local.get $ak) (i32.mul (local.get $i) (local.get $sai))) (local.get $sak)
            (i32.add (local.get $bk) (i32.shl (local.get $j) (i32.const 2))) (local.get $sbk) (local.get $kb) (local.get $biasj)
            (local.get $from_c)
            (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $elements)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols)))
      (local.set $from_c (i32.const 1))
      (local.set $k0 (i32.add (local.get $k0) (local.get $kb)))
      (br_if $blocks (i32.lt_u (local.get $k0) (local.get $K)))))
)
