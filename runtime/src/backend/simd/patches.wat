;; The im2col matrix of a channels-last float32 input, in place in tfjs-backend-wasm's memory (see
;; adam.wat): row (b, y, x), column (i, j, c) holds x[b, y·sh + i·dh − padTop, x·sw + j·dw −
;; padLeft, c], 0 outside the image. Shape [B·outH·outW, kh·kw·C]; its transpose is what
;; heap-kernels.ts' transposedPatches builds in JavaScript where these kernels are not built.
;; Values are copied: bit-identical.
(module
  (import "env" "memory" (memory 1 65536 shared))
  ;; Each row is kh·kw runs of C contiguous channels, copied 4 at a time where C is a multiple of
  ;; 4: written in order, ~4x faster than the transposed matrix's scattered stores were.
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
