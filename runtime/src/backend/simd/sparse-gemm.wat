;; Matrix products C = A·B (+ bias) that skip A's zeros, in tfjs-backend-wasm's memory (see
;; adam.wat): MNIST's pixels are 81% zeros, and a ReLU layer's outputs about half. Each C[i, j]
;; is still bias[j] (or 0) + A[i,k]·B[k,j] added in order of k, a multiply then an add, as in
;; gemm.wat (XNNPACK's order); a skipped term A[i,k]·B[k,j] with A[i,k] = ±0 and B[k,j] finite
;; is ±0, and adding ±0 to a sum that is not -0 leaves it unchanged. So when B is finite
;; (all_finite) and no bias is -0 (a sum starting at +0 or a nonzero bias never becomes -0),
;; the result is gemm.wat's, bit for bit; gemm-kernel.ts checks both before it chooses this.
;; B is [K, N] and C [M, N], row-major.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; A's nonzeros are listed by row of C, in order of k, in a scratch area of the caller's (each
  ;; thread its own): starts[r] is row r's first entry and starts[r + 1] one past its last; an
  ;; entry is 8 bytes, the byte offset of B's row k and the value A[i, k]. The rows are then
  ;; computed from their lists 32 columns at a time in registers. Lists are written without
  ;; branching on each value, digit strokes being too irregular for branch prediction: a slot is
  ;; written for every value of a group of four with a nonzero, and the next slot moves up only
  ;; past a nonzero (hence one entry of slack). In the columns' lists (Aᵀ) a zero's slot is one
  ;; past the last entry ($junk): a column that is full has its next slot at the next column's.

  ;; C = A·B (+ bias), rows [m0, m1), A [M, K] row-major: the rows' lists, then the rows.
  ;; scratch: 4·(m1 - m0 + 1) + 8·(the rows' nonzeros + 1) bytes.
  (func (export "sparse_gemm")
    (param $a i32) (param $K i32) (param $b i32) (param $bias i32) (param $c i32) (param $N i32) (param $m0 i32) (param $m1 i32)
    (param $scratch i32)
    (local $i i32) (local $k i32) (local $k4 i32) (local $pa i32) (local $rowB i32) (local $rowB4 i32) (local $entries i32)
    (local $slot i32) (local $v v128) (local $x f32)
    (local $pe i32) ;; where the next entry goes
    (local $off i32) ;; B's row k's byte offset, k·N·4
    (local.set $rowB (i32.shl (local.get $N) (i32.const 2)))
    (local.set $rowB4 (i32.shl (local.get $N) (i32.const 4)))
    (local.set $k4 (i32.and (local.get $K) (i32.const -4)))
    (local.set $entries (i32.add (local.get $scratch) (i32.shl (i32.add (i32.sub (local.get $m1) (local.get $m0)) (i32.const 1)) (i32.const 2))))
    (local.set $pa (i32.add (local.get $a) (i32.shl (i32.mul (local.get $m0) (local.get $K)) (i32.const 2))))
    (local.set $slot (local.get $scratch))
    (local.set $pe (local.get $entries))
    (local.set $i (local.get $m0))
    (block $rows_done (loop $rows
      (i32.store (local.get $slot) (i32.shr_u (i32.sub (local.get $pe) (local.get $entries)) (i32.const 3)))
      (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m1)))
      (local.set $k (i32.const 0))
      (local.set $off (i32.const 0))
      (block $quads_done (loop $quads
        (br_if $quads_done (i32.ge_u (local.get $k) (local.get $k4)))
        (local.set $v (v128.load align=4 (local.get $pa)))
        (if (v128.any_true (f32x4.ne (local.get $v) (v128.const f32x4 0 0 0 0)))
          (then ;; each lane inline: a call per value would cost as much as the rest
          (local.set $x (f32x4.extract_lane 0 (local.get $v)))
          (i32.store (local.get $pe) (local.get $off))
          (f32.store offset=4 (local.get $pe) (local.get $x))
          (local.set $pe (i32.add (local.get $pe) (i32.shl (f32.ne (local.get $x) (f32.const 0)) (i32.const 3))))
          (local.set $off (i32.add (local.get $off) (local.get $rowB)))
          (local.set $x (f32x4.extract_lane 1 (local.get $v)))
          (i32.store (local.get $pe) (local.get $off))
          (f32.store offset=4 (local.get $pe) (local.get $x))
          (local.set $pe (i32.add (local.get $pe) (i32.shl (f32.ne (local.get $x) (f32.const 0)) (i32.const 3))))
          (local.set $off (i32.add (local.get $off) (local.get $rowB)))
          (local.set $x (f32x4.extract_lane 2 (local.get $v)))
          (i32.store (local.get $pe) (local.get $off))
          (f32.store offset=4 (local.get $pe) (local.get $x))
          (local.set $pe (i32.add (local.get $pe) (i32.shl (f32.ne (local.get $x) (f32.const 0)) (i32.const 3))))
          (local.set $off (i32.add (local.get $off) (local.get $rowB)))
          (local.set $x (f32x4.extract_lane 3 (local.get $v)))
          (i32.store (local.get $pe) (local.get $off))
          (f32.store offset=4 (local.get $pe) (local.get $x))
          (local.set $pe (i32.add (local.get $pe) (i32.shl (f32.ne (local.get $x) (f32.const 0)) (i32.const 3))))
          (local.set $off (i32.add (local.get $off) (local.get $rowB))))
          (else (local.set $off (i32.add (local.get $off) (local.get $rowB4)))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $quads)))
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $x (f32.load (local.get $pa)))
        (i32.store (local.get $pe) (local.get $off))
        (f32.store offset=4 (local.get $pe) (local.get $x))
        (local.set $pe (i32.add (local.get $pe) (i32.shl (f32.ne (local.get $x) (f32.const 0)) (i32.const 3))))
        (local.set $off (i32.add (local.get $off) (local.get $rowB)))
        (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $tail)))
      (local.set $slot (i32.add (local.get $slot) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
    (call $product_rows (local.get $scratch) (local.get $entries) (local.get $b) (local.get $bias)
      (i32.add (local.get $c) (i32.mul (local.get $m0) (local.get $rowB))) (local.get $N) (i32.sub (local.get $m1) (local.get $m0))))

  ;; C = Aᵀ·B (+ bias), rows [m0, m1), A [K, M] row-major (C's row m lists A's column m):
  ;; the columns' entries are counted, then placed in order of k, each column's start moving
  ;; up as it fills (and moved back after). scratch: 4·(m1 - m0 + 1) + 8·(the rows' nonzeros + 1) bytes.
  (func (export "sparse_gemm_transposed")
    (param $a i32) (param $K i32) (param $M i32) (param $b i32) (param $bias i32) (param $c i32) (param $N i32)
    (param $m0 i32) (param $m1 i32) (param $scratch i32)
    (local $rows i32) (local $entries i32) (local $k i32) (local $m i32) (local $m4 i32) (local $p i32) (local $slots i32)
    (local $rowB i32) (local $v v128) (local $slot i32) (local $junk i32) (local $x f32) (local $nonzero i32) (local $at i32) (local $pe i32)
    (local $off i32) ;; B's row k's byte offset, k·N·4
    (local.set $rows (i32.sub (local.get $m1) (local.get $m0)))
    (local.set $rowB (i32.shl (local.get $N) (i32.const 2)))
    (local.set $entries (i32.add (local.get $scratch) (i32.shl (i32.add (local.get $rows) (i32.const 1)) (i32.const 2))))
    (local.set $m4 (i32.add (local.get $m0) (i32.and (local.get $rows) (i32.const -4))))
    (memory.fill (local.get $scratch) (i32.const 0) (i32.shl (i32.add (local.get $rows) (i32.const 1)) (i32.const 2)))
    ;; counts: column m's in starts[m - m0 + 1] (a true lane of f32x4.ne is -1)
    (local.set $k (i32.const 0))
    (block $ks_done (loop $ks
      (br_if $ks_done (i32.ge_u (local.get $k) (local.get $K)))
      (local.set $p (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $M)) (local.get $m0)) (i32.const 2))))
      (local.set $slots (i32.add (local.get $scratch) (i32.const 4)))
      (local.set $m (local.get $m0))
      (block $quads_done (loop $quads
        (br_if $quads_done (i32.ge_u (local.get $m) (local.get $m4)))
        (v128.store align=4 (local.get $slots) (i32x4.sub (v128.load align=4 (local.get $slots))
          (f32x4.ne (v128.load align=4 (local.get $p)) (v128.const f32x4 0 0 0 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $slots (i32.add (local.get $slots) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (br $quads)))
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $m) (local.get $m1)))
        (i32.store (local.get $slots) (i32.add (i32.load (local.get $slots)) (f32.ne (f32.load (local.get $p)) (f32.const 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $slots (i32.add (local.get $slots) (i32.const 4)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $tail)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $ks)))
    ;; counts to starts: starts[r + 1] += starts[r]
    (local.set $slot (i32.add (local.get $scratch) (i32.const 4)))
    (local.set $p (i32.add (local.get $slot) (i32.shl (local.get $rows) (i32.const 2))))
    (block $sums_done (loop $sums
      (br_if $sums_done (i32.ge_u (local.get $slot) (local.get $p)))
      (i32.store (local.get $slot) (i32.add (i32.load (local.get $slot)) (i32.load (i32.sub (local.get $slot) (i32.const 4)))))
      (local.set $slot (i32.add (local.get $slot) (i32.const 4)))
      (br $sums)))
    (local.set $junk (i32.load (i32.sub (local.get $slot) (i32.const 4)))) ;; starts[rows]: one past the last entry
    ;; entries, in order of k: column m's next slot is starts[m - m0], moved up by each
    (local.set $k (i32.const 0))
    (block $ks_done (loop $ks
      (br_if $ks_done (i32.ge_u (local.get $k) (local.get $K)))
      (local.set $p (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $M)) (local.get $m0)) (i32.const 2))))
      (local.set $slots (local.get $scratch))
      (local.set $off (i32.mul (local.get $k) (local.get $rowB)))
      (local.set $m (local.get $m0))
      (block $quads_done (loop $quads
        (br_if $quads_done (i32.ge_u (local.get $m) (local.get $m4)))
        (local.set $v (v128.load align=4 (local.get $p)))
        (if (v128.any_true (f32x4.ne (local.get $v) (v128.const f32x4 0 0 0 0))) (then
          ;; each lane inline (see sparse_gemm)
          (local.set $x (f32x4.extract_lane 0 (local.get $v)))
          (local.set $nonzero (f32.ne (local.get $x) (f32.const 0)))
          (local.set $at (i32.load (local.get $slots)))
          (local.set $pe (i32.add (local.get $entries) (i32.shl (select (local.get $at) (local.get $junk) (local.get $nonzero)) (i32.const 3))))
          (i32.store (local.get $pe) (local.get $off))
          (f32.store offset=4 (local.get $pe) (local.get $x))
          (i32.store (local.get $slots) (i32.add (local.get $at) (local.get $nonzero)))
          (local.set $x (f32x4.extract_lane 1 (local.get $v)))
          (local.set $nonzero (f32.ne (local.get $x) (f32.const 0)))
          (local.set $at (i32.load offset=4 (local.get $slots)))
          (local.set $pe (i32.add (local.get $entries) (i32.shl (select (local.get $at) (local.get $junk) (local.get $nonzero)) (i32.const 3))))
          (i32.store (local.get $pe) (local.get $off))
          (f32.store offset=4 (local.get $pe) (local.get $x))
          (i32.store offset=4 (local.get $slots) (i32.add (local.get $at) (local.get $nonzero)))
          (local.set $x (f32x4.extract_lane 2 (local.get $v)))
          (local.set $nonzero (f32.ne (local.get $x) (f32.const 0)))
          (local.set $at (i32.load offset=8 (local.get $slots)))
          (local.set $pe (i32.add (local.get $entries) (i32.shl (select (local.get $at) (local.get $junk) (local.get $nonzero)) (i32.const 3))))
          (i32.store (local.get $pe) (local.get $off))
          (f32.store offset=4 (local.get $pe) (local.get $x))
          (i32.store offset=8 (local.get $slots) (i32.add (local.get $at) (local.get $nonzero)))
          (local.set $x (f32x4.extract_lane 3 (local.get $v)))
          (local.set $nonzero (f32.ne (local.get $x) (f32.const 0)))
          (local.set $at (i32.load offset=12 (local.get $slots)))
          (local.set $pe (i32.add (local.get $entries) (i32.shl (select (local.get $at) (local.get $junk) (local.get $nonzero)) (i32.const 3))))
          (i32.store (local.get $pe) (local.get $off))
          (f32.store offset=4 (local.get $pe) (local.get $x))
          (i32.store offset=12 (local.get $slots) (i32.add (local.get $at) (local.get $nonzero)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $slots (i32.add (local.get $slots) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (br $quads)))
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $m) (local.get $m1)))
        (local.set $x (f32.load (local.get $p)))
        (local.set $nonzero (f32.ne (local.get $x) (f32.const 0)))
        (local.set $at (i32.load (local.get $slots)))
        (local.set $pe (i32.add (local.get $entries) (i32.shl (select (local.get $at) (local.get $junk) (local.get $nonzero)) (i32.const 3))))
        (i32.store (local.get $pe) (local.get $off))
        (f32.store offset=4 (local.get $pe) (local.get $x))
        (i32.store (local.get $slots) (i32.add (local.get $at) (local.get $nonzero)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $slots (i32.add (local.get $slots) (i32.const 4)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $tail)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $ks)))
    ;; each start has moved up to the next one's: move them back
    (memory.copy (i32.add (local.get $scratch) (i32.const 4)) (local.get $scratch) (i32.shl (local.get $rows) (i32.const 2)))
    (i32.store (local.get $scratch) (i32.const 0))
    (call $product_rows (local.get $scratch) (local.get $entries) (local.get $b) (local.get $bias)
      (i32.add (local.get $c) (i32.mul (local.get $m0) (local.get $rowB))) (local.get $N) (local.get $rows)))

  ;; C[i, j0 .. j0 + 32) from row i's entries [e, end), 8 sums in registers
  (func $panel32 (param $e i32) (param $end i32) (param $b i32) (param $bias i32) (param $c i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (local $x v128) (local $p i32)
    (if (local.get $bias) (then
      (local.set $c0 (v128.load align=4 (local.get $bias))) (local.set $c1 (v128.load offset=16 align=4 (local.get $bias)))
      (local.set $c2 (v128.load offset=32 align=4 (local.get $bias))) (local.set $c3 (v128.load offset=48 align=4 (local.get $bias)))
      (local.set $c4 (v128.load offset=64 align=4 (local.get $bias))) (local.set $c5 (v128.load offset=80 align=4 (local.get $bias)))
      (local.set $c6 (v128.load offset=96 align=4 (local.get $bias))) (local.set $c7 (v128.load offset=112 align=4 (local.get $bias)))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $e) (local.get $end)))
      (local.set $p (i32.add (local.get $b) (i32.load (local.get $e))))
      (local.set $x (v128.load32_splat offset=4 align=4 (local.get $e)))
      (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $x) (v128.load align=4 (local.get $p)))))
      (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $x) (v128.load offset=16 align=4 (local.get $p)))))
      (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $x) (v128.load offset=32 align=4 (local.get $p)))))
      (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $x) (v128.load offset=48 align=4 (local.get $p)))))
      (local.set $c4 (f32x4.add (local.get $c4) (f32x4.mul (local.get $x) (v128.load offset=64 align=4 (local.get $p)))))
      (local.set $c5 (f32x4.add (local.get $c5) (f32x4.mul (local.get $x) (v128.load offset=80 align=4 (local.get $p)))))
      (local.set $c6 (f32x4.add (local.get $c6) (f32x4.mul (local.get $x) (v128.load offset=96 align=4 (local.get $p)))))
      (local.set $c7 (f32x4.add (local.get $c7) (f32x4.mul (local.get $x) (v128.load offset=112 align=4 (local.get $p)))))
      (local.set $e (i32.add (local.get $e) (i32.const 8)))
      (br $each)))
    (v128.store align=4 (local.get $c) (local.get $c0)) (v128.store offset=16 align=4 (local.get $c) (local.get $c1))
    (v128.store offset=32 align=4 (local.get $c) (local.get $c2)) (v128.store offset=48 align=4 (local.get $c) (local.get $c3))
    (v128.store offset=64 align=4 (local.get $c) (local.get $c4)) (v128.store offset=80 align=4 (local.get $c) (local.get $c5))
    (v128.store offset=96 align=4 (local.get $c) (local.get $c6)) (v128.store offset=112 align=4 (local.get $c) (local.get $c7)))

  ;; C[i, j0 .. j0 + 4)
  (func $panel4 (param $e i32) (param $end i32) (param $b i32) (param $bias i32) (param $c i32)
    (local $c0 v128)
    (if (local.get $bias) (then (local.set $c0 (v128.load align=4 (local.get $bias)))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $e) (local.get $end)))
      (local.set $c0 (f32x4.add (local.get $c0)
        (f32x4.mul (v128.load32_splat offset=4 align=4 (local.get $e)) (v128.load align=4 (i32.add (local.get $b) (i32.load (local.get $e)))))))
      (local.set $e (i32.add (local.get $e) (i32.const 8)))
      (br $each)))
    (v128.store align=4 (local.get $c) (local.get $c0)))

  ;; C[i, j]
  (func $element (param $e i32) (param $end i32) (param $b i32) (param $bias i32) (param $c i32)
    (local $acc f32)
    (if (local.get $bias) (then (local.set $acc (f32.load (local.get $bias)))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $e) (local.get $end)))
      (local.set $acc (f32.add (local.get $acc)
        (f32.mul (f32.load offset=4 (local.get $e)) (f32.load (i32.add (local.get $b) (i32.load (local.get $e)))))))
      (local.set $e (i32.add (local.get $e) (i32.const 8)))
      (br $each)))
    (f32.store (local.get $c) (local.get $acc)))

  ;; C's $rows rows from $c on, row r = (bias or 0) + Σ over its entries of A[·, k]·B[k, ·]; a
  ;; panel of columns at a time over all rows, so that B's panel (100 KB for 784 × 32) stays in
  ;; cache while the rows take their scattered rows of it
  (func $product_rows (param $starts i32) (param $entries i32) (param $b i32) (param $bias i32) (param $c i32)
      (param $N i32) (param $rows i32)
    (local $r i32) (local $j i32) (local $width i32) (local $slot i32) (local $pc i32) (local $biasj i32) (local $pb i32)
    (local $e i32) (local $end i32)
    (block $done (loop $panels
      (br_if $done (i32.ge_u (local.get $j) (local.get $N)))
      ;; 32 columns, then 4, then 1
      (local.set $width (select (i32.const 32)
        (select (i32.const 4) (i32.const 1) (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $N)))
        (i32.le_u (i32.add (local.get $j) (i32.const 32)) (local.get $N))))
      (local.set $biasj (select (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))) (i32.const 0) (local.get $bias)))
      (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $slot (local.get $starts))
      (local.set $r (i32.const 0))
      (block $rows_done (loop $each_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $e (i32.add (local.get $entries) (i32.shl (i32.load (local.get $slot)) (i32.const 3))))
        (local.set $end (i32.add (local.get $entries) (i32.shl (i32.load offset=4 (local.get $slot)) (i32.const 3))))
        (if (i32.eq (local.get $width) (i32.const 32))
          (then (call $panel32 (local.get $e) (local.get $end) (local.get $pb) (local.get $biasj) (local.get $pc)))
          (else (if (i32.eq (local.get $width) (i32.const 4))
            (then (call $panel4 (local.get $e) (local.get $end) (local.get $pb) (local.get $biasj) (local.get $pc)))
            (else (call $element (local.get $e) (local.get $end) (local.get $pb) (local.get $biasj) (local.get $pc))))))
        (local.set $slot (i32.add (local.get $slot) (i32.const 4)))
        (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $N) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row)))
      (local.set $j (i32.add (local.get $j) (local.get $width)))
      (br $panels))))

  ;; how many of x[0..n) are not ±0 (NaN counts as nonzero)
  (func (export "nonzero_count") (param $x i32) (param $n i32) (result i32)
    (local $counts v128) (local $end i32) (local $count i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      ;; a true lane is -1
      (local.set $counts (i32x4.sub (local.get $counts) (f32x4.ne (v128.load align=4 (local.get $x)) (v128.const f32x4 0 0 0 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $each)))
    (local.set $count (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $counts)) (i32x4.extract_lane 1 (local.get $counts)))
      (i32.add (i32x4.extract_lane 2 (local.get $counts)) (i32x4.extract_lane 3 (local.get $counts)))))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $count (i32.add (local.get $count) (f32.ne (f32.load (local.get $x)) (f32.const 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br $each)))
    (local.get $count))

  ;; 1 if every one of x[0..n) is finite, else 0: x·0 is ±0 for a finite x and NaN otherwise
  (func (export "all_finite") (param $x i32) (param $n i32) (result i32)
    (local $acc v128) (local $end i32) (local $tail f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load align=4 (local.get $x)) (v128.const f32x4 0 0 0 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $each)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $tail (f32.add (local.get $tail) (f32.mul (f32.load (local.get $x)) (f32.const 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br $each)))
    (i32.and
      (i32x4.all_true (f32x4.eq (local.get $acc) (v128.const f32x4 0 0 0 0)))
      (f32.eq (local.get $tail) (f32.const 0))))
)
