;; The transposed im2col matrix of a channels-last float32 input, in place in tfjs-backend-wasm's
;; memory (see adam.wat), as heap-kernels.ts' transposedPatches builds it in JavaScript (which on
;; the threaded build's shared heap runs ~2x slower): row (i, j, c), column (b, y, x) holds
;; x[b, y·sh + i·dh − padTop, x·sw + j·dw − padLeft, c], 0 outside the image. Values are copied:
;; bit-identical. Shape [kh·kw·C, B·outH·outW].
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "transposed_patches")
    (param $x i32) (param $dst i32)
    (param $batch i32) (param $h i32) (param $w i32) (param $C i32) (param $out_h i32) (param $out_w i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $pad_top i32) (param $pad_left i32)
    (local $i i32) (local $j i32) (local $b i32) (local $y i32) (local $xo i32) (local $c i32)
    (local $row_bytes i32) (local $block i32) (local $at i32) (local $src i32)
    (local $row_off i32) (local $col_off i32) (local $iy i32) (local $ix i32)
    ;; bytes between two rows of the matrix (its number of columns × 4)
    (local.set $row_bytes (i32.shl (i32.mul (local.get $batch) (i32.mul (local.get $out_h) (local.get $out_w))) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $idone (loop $is
      (br_if $idone (i32.ge_u (local.get $i) (local.get $kh)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $js
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $kw)))
        (local.set $block (i32.add (local.get $dst)
          (i32.mul (i32.mul (i32.add (i32.mul (local.get $i) (local.get $kw)) (local.get $j)) (local.get $C)) (local.get $row_bytes))))
        (local.set $row_off (i32.sub (i32.mul (local.get $i) (local.get $dh)) (local.get $pad_top)))
        (local.set $col_off (i32.sub (i32.mul (local.get $j) (local.get $dw)) (local.get $pad_left)))
        ;; $at: this (i, j) block's column being written, as a byte address in its first row
        (local.set $at (local.get $block))
        (local.set $b (i32.const 0))
        (block $bdone (loop $bs
          (br_if $bdone (i32.ge_u (local.get $b) (local.get $batch)))
          (local.set $y (i32.const 0))
          (block $ydone (loop $ys
            (br_if $ydone (i32.ge_u (local.get $y) (local.get $out_h)))
            (local.set $iy (i32.add (i32.mul (local.get $y) (local.get $sh)) (local.get $row_off)))
            (local.set $xo (i32.const 0))
            (block $xdone (loop $xs
              (br_if $xdone (i32.ge_u (local.get $xo) (local.get $out_w)))
              (local.set $ix (i32.add (i32.mul (local.get $xo) (local.get $sw)) (local.get $col_off)))
              (if (i32.or
                    (i32.or (i32.lt_s (local.get $iy) (i32.const 0)) (i32.ge_s (local.get $iy) (local.get $h)))
                    (i32.or (i32.lt_s (local.get $ix) (i32.const 0)) (i32.ge_s (local.get $ix) (local.get $w))))
                (then
                  (local.set $c (i32.const 0))
                  (block $zdone (loop $zs
                    (br_if $zdone (i32.ge_u (local.get $c) (local.get $C)))
                    (f32.store (i32.add (local.get $at) (i32.mul (local.get $c) (local.get $row_bytes))) (f32.const 0))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $zs))))
                (else
                  (local.set $src (i32.add (local.get $x) (i32.shl
                    (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $iy)) (local.get $w)) (local.get $ix)) (local.get $C))
                    (i32.const 2))))
                  (local.set $c (i32.const 0))
                  (block $cdone (loop $cs
                    (br_if $cdone (i32.ge_u (local.get $c) (local.get $C)))
                    (f32.store (i32.add (local.get $at) (i32.mul (local.get $c) (local.get $row_bytes)))
                      (f32.load (i32.add (local.get $src) (i32.shl (local.get $c) (i32.const 2)))))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $cs)))))
              (local.set $at (i32.add (local.get $at) (i32.const 4)))
              (local.set $xo (i32.add (local.get $xo) (i32.const 1)))
              (br $xs)))
            (local.set $y (i32.add (local.get $y) (i32.const 1)))
            (br $ys)))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br $bs)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $js)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $is))));; The im2col matrix itself, [B·outH·outW, kh·kw·C]: row (b, y, x), column (i, j, c) holds the
  ;; same value. Each row is kh·kw runs of C contiguous channels, copied 4 at a time where C is a
  ;; multiple of 4: written in order, ~4x faster than the transposed matrix's scattered stores.
  (func (export "patches")
    (param $x i32) (param $dst i32)
    (param $batch i32) (param $h i32) (param $w i32) (param $C i32) (param $out_h i32) (param $out_w i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $pad_top i32) (param $pad_left i32)
    (local $b i32) (local $y i32) (local $xo i32) (local $i i32) (local $j i32) (local $iy i32) (local $ix i32)
    (local $run i32) (local $vec_end i32) (local $src i32) (local $k i32)
    (local.set $run (i32.shl (local.get $C) (i32.const 2)))
    (local.set $vec_end (i32.and (local.get $run) (i32.const -16)))
    (local.set $b (i32.const 0))
    (block $bdone (loop $bs
      (br_if $bdone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $y (i32.const 0))
      (block $ydone (loop $ys
        (br_if $ydone (i32.ge_u (local.get $y) (local.get $out_h)))
        (local.set $xo (i32.const 0))
        (block $xdone (loop $xs
          (br_if $xdone (i32.ge_u (local.get $xo) (local.get $out_w)))
          (local.set $i (i32.const 0))
          (block $idone (loop $is
            (br_if $idone (i32.ge_u (local.get $i) (local.get $kh)))
            (local.set $iy (i32.sub (i32.add (i32.mul (local.get $y) (local.get $sh)) (i32.mul (local.get $i) (local.get $dh))) (local.get $pad_top)))
            (local.set $j (i32.const 0))
            (block $jdone (loop $js
              (br_if $jdone (i32.ge_u (local.get $j) (local.get $kw)))
              (local.set $ix (i32.sub (i32.add (i32.mul (local.get $xo) (local.get $sw)) (i32.mul (local.get $j) (local.get $dw))) (local.get $pad_left)))
              (if (i32.or
                    (i32.or (i32.lt_s (local.get $iy) (i32.const 0)) (i32.ge_s (local.get $iy) (local.get $h)))
                    (i32.or (i32.lt_s (local.get $ix) (i32.const 0)) (i32.ge_s (local.get $ix) (local.get $w))))
                (then
                  (local.set $k (i32.const 0))
                  (block $zvdone (loop $zvs
                    (br_if $zvdone (i32.ge_u (local.get $k) (local.get $vec_end)))
                    (v128.store align=4 (i32.add (local.get $dst) (local.get $k)) (v128.const i32x4 0 0 0 0))
                    (local.set $k (i32.add (local.get $k) (i32.const 16)))
                    (br $zvs)))
                  (block $zdone (loop $zs
                    (br_if $zdone (i32.ge_u (local.get $k) (local.get $run)))
                    (f32.store (i32.add (local.get $dst) (local.get $k)) (f32.const 0))
                    (local.set $k (i32.add (local.get $k) (i32.const 4)))
                    (br $zs))))
                (else
                  (local.set $src (i32.add (local.get $x) (i32.mul
                    (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $iy)) (local.get $w)) (local.get $ix))
                    (local.get $run))))
                  (local.set $k (i32.const 0))
                  (block $cvdone (loop $cvs
                    (br_if $cvdone (i32.ge_u (local.get $k) (local.get $vec_end)))
                    (v128.store align=4 (i32.add (local.get $dst) (local.get $k)) (v128.load align=4 (i32.add (local.get $src) (local.get $k))))
                    (local.set $k (i32.add (local.get $k) (i32.const 16)))
                    (br $cvs)))
                  (block $cdone (loop $cs
                    (br_if $cdone (i32.ge_u (local.get $k) (local.get $run)))
                    (f32.store (i32.add (local.get $dst) (local.get $k)) (f32.load (i32.add (local.get $src) (local.get $k))))
                    (local.set $k (i32.add (local.get $k) (i32.const 4)))
                    (br $cs)))))
              (local.set $dst (i32.add (local.get $dst) (local.get $run)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $js)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $is)))
          (local.set $xo (i32.add (local.get $xo) (i32.const 1)))
          (br $xs)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $ys)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bs))))
)
