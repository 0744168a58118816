;; The gradient of a 2×2 max pool with stride 2 and no padding (the usual `maxpool(2)`) over a
;; channels-last float32 input with C channels, C a multiple of 4, in place in
;; tfjs-backend-wasm's memory (see adam.wat): each window's gradient goes to its first maximum
;; in scan order (the cpu backend's rule, as heap-kernels.ts' maxPoolGradKernel), every other
;; position gets +0. The values are copied, never computed: bit-identical to that kernel.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "maxpool2x2_grad")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $batch i32) (param $in_h i32) (param $in_w i32) (param $C i32) (param $out_h i32) (param $out_w i32)
    (local $b i32) (local $r i32) (local $c i32) (local $d i32)
    (local $row i32) (local $cbytes i32) (local $p0 i32) (local $g_at i32) (local $i0 i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $best v128)
    (local $gt0 v128) (local $gt1 v128) (local $gt2 v128) (local $gt3 v128) (local $g v128)
    (local.set $cbytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $row (i32.mul (local.get $in_w) (local.get $cbytes)))
    ;; rows and columns past the last window (odd sizes) get no gradient
    (if (i32.or
          (i32.ne (local.get $in_h) (i32.shl (local.get $out_h) (i32.const 1)))
          (i32.ne (local.get $in_w) (i32.shl (local.get $out_w) (i32.const 1))))
      (then (memory.fill (local.get $dx) (i32.const 0)
        (i32.mul (i32.mul (local.get $batch) (local.get $in_h)) (local.get $row)))))
    (local.set $g_at (local.get $dy))
    (local.set $b (i32.const 0))
    (block $bdone (loop $bs
      (br_if $bdone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $r (i32.const 0))
      (block $rdone (loop $rs
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $out_h)))
        (local.set $c (i32.const 0))
        (block $cdone (loop $cs
          (br_if $cdone (i32.ge_u (local.get $c) (local.get $out_w)))
          ;; byte offset of the window's top-left pixel
          (local.set $p0 (i32.mul
            (i32.add
              (i32.mul (i32.add (i32.mul (local.get $b) (local.get $in_h)) (i32.shl (local.get $r) (i32.const 1))) (local.get $in_w))
              (i32.shl (local.get $c) (i32.const 1)))
            (local.get $cbytes)))
          (local.set $d (i32.const 0))
          (block $ddone (loop $ds
            (br_if $ddone (i32.ge_u (local.get $d) (local.get $cbytes)))
            (local.set $i0 (i32.add (local.get $p0) (local.get $d)))
            (local.set $v0 (v128.load align=4 (i32.add (local.get $x) (local.get $i0))))
            (local.set $v1 (v128.load align=4 (i32.add (local.get $x) (i32.add (local.get $i0) (local.get $cbytes)))))
            (local.set $v2 (v128.load align=4 (i32.add (local.get $x) (i32.add (local.get $i0) (local.get $row)))))
            (local.set $v3 (v128.load align=4 (i32.add (local.get $x) (i32.add (i32.add (local.get $i0) (local.get $row)) (local.get $cbytes)))))
            ;; strict improvements in scan order, from −∞ (NaN never improves)
            (local.set $gt0 (f32x4.gt (local.get $v0) (v128.const f32x4 -inf -inf -inf -inf)))
            (local.set $best (v128.bitselect (local.get $v0) (v128.const f32x4 -inf -inf -inf -inf) (local.get $gt0)))
            (local.set $gt1 (f32x4.gt (local.get $v1) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $v1) (local.get $best) (local.get $gt1)))
            (local.set $gt2 (f32x4.gt (local.get $v2) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $v2) (local.get $best) (local.get $gt2)))
            (local.set $gt3 (f32x4.gt (local.get $v3) (local.get $best)))
            (local.set $g (v128.load align=4 (i32.add (local.get $g_at) (local.get $d))))
            ;; the last improvement wins
            (v128.store align=4 (i32.add (local.get $dx) (i32.add (i32.add (local.get $i0) (local.get $row)) (local.get $cbytes)))
              (v128.and (local.get $g) (local.get $gt3)))
            (v128.store align=4 (i32.add (local.get $dx) (i32.add (local.get $i0) (local.get $row)))
              (v128.and (local.get $g) (v128.andnot (local.get $gt2) (local.get $gt3))))
            (v128.store align=4 (i32.add (local.get $dx) (i32.add (local.get $i0) (local.get $cbytes)))
              (v128.and (local.get $g) (v128.andnot (v128.andnot (local.get $gt1) (local.get $gt2)) (local.get $gt3))))
            (v128.store align=4 (i32.add (local.get $dx) (local.get $i0))
              (v128.and (local.get $g)
                (v128.andnot (v128.andnot (v128.andnot (local.get $gt0) (local.get $gt1)) (local.get $gt2)) (local.get $gt3))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $ds)))
          (local.set $g_at (i32.add (local.get $g_at) (local.get $cbytes)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $cs)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rs)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bs))))
)
