;; Adam / AdamW's update of one parameter tensor with 128-bit SIMD, reading and writing the
;; tensors in place in tfjs-backend-wasm's own memory (imported; scripts/build-wasm.mjs makes a
;; shared-memory variant for the threaded build). Every operation is a float32 operation in the
;; order of adam-kernel.ts' adamLoop (and of the tf ops it replaces), each correctly rounded as
;; IEEE 754 requires, so the results are bit-identical to both.
;;   m    = m0·B1 + g·C1
;;   v    = v0·B2 + (g·g)·C2
;;   w'   = w·decay − (m / (√v / BC2 + EPS))·STEP
;; Pointers are byte offsets of float32 arrays of n elements; m0 and v0 are read only when
;; has_moments is 1 (else they are 0: the first step).
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "adam")
    (param $w i32) (param $g i32) (param $m0 i32) (param $v0 i32)
    (param $w_out i32) (param $m_out i32) (param $v_out i32) (param $n i32) (param $has_moments i32)
    (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32) (param $bc2 f32)
    (param $eps f32) (param $step f32) (param $decay f32)
    (local $i i32) (local $off i32) (local $n4 i32)
    (local $gv v128) (local $mv v128) (local $vv v128) (local $denom v128)
    (local $B1 v128) (local $C1 v128) (local $B2 v128) (local $C2 v128) (local $BC2 v128)
    (local $EPS v128) (local $STEP v128) (local $DECAY v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $BC2 (f32x4.splat (local.get $bc2)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (local.set $STEP (f32x4.splat (local.get $step)))
    (local.set $DECAY (f32x4.splat (local.get $decay)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    ;; four elements at a time
    (block $done4
      (loop $each4
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $n4)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gv (v128.load align=4 (i32.add (local.get $g) (local.get $off))))
        (local.set $mv (f32x4.mul (local.get $gv) (local.get $C1)))
        (local.set $vv (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $C2)))
        (if (local.get $has_moments)
          (then
            (local.set $mv (f32x4.add
              (f32x4.mul (v128.load align=4 (i32.add (local.get $m0) (local.get $off))) (local.get $B1))
              (local.get $mv)))
            (local.set $vv (f32x4.add
              (f32x4.mul (v128.load align=4 (i32.add (local.get $v0) (local.get $off))) (local.get $B2))
              (local.get $vv))))
          (else
            ;; 0·B1 + x is x exactly (+0 + x = x for every x but −0, which adds to +0 in both paths)
            (local.set $mv (f32x4.add (f32x4.splat (f32.const 0)) (local.get $mv)))
            (local.set $vv (f32x4.add (f32x4.splat (f32.const 0)) (local.get $vv)))))
        (local.set $denom (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vv)) (local.get $BC2)) (local.get $EPS)))
        (v128.store align=4 (i32.add (local.get $w_out) (local.get $off))
          (f32x4.sub
            (f32x4.mul (v128.load align=4 (i32.add (local.get $w) (local.get $off))) (local.get $DECAY))
            (f32x4.mul (f32x4.div (local.get $mv) (local.get $denom)) (local.get $STEP))))
        (v128.store align=4 (i32.add (local.get $m_out) (local.get $off)) (local.get $mv))
        (v128.store align=4 (i32.add (local.get $v_out) (local.get $off)) (local.get $vv))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $each4)))
    ;; the last n mod 4 elements, one at a time
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $off))))
        (local.set $ms (f32.mul (local.get $gs) (local.get $c1)))
        (local.set $vs (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $c2)))
        (if (local.get $has_moments)
          (then
            (local.set $ms (f32.add (f32.mul (f32.load (i32.add (local.get $m0) (local.get $off))) (local.get $b1)) (local.get $ms)))
            (local.set $vs (f32.add (f32.mul (f32.load (i32.add (local.get $v0) (local.get $off))) (local.get $b2)) (local.get $vs))))
          (else
            (local.set $ms (f32.add (f32.const 0) (local.get $ms)))
            (local.set $vs (f32.add (f32.const 0) (local.get $vs)))))
        (f32.store (i32.add (local.get $w_out) (local.get $off))
          (f32.sub
            (f32.mul (f32.load (i32.add (local.get $w) (local.get $off))) (local.get $decay))
            (f32.mul
              (f32.div (local.get $ms) (f32.add (f32.div (f32.sqrt (local.get $vs)) (local.get $bc2)) (local.get $eps)))
              (local.get $step))))
        (f32.store (i32.add (local.get $m_out) (local.get $off)) (local.get $ms))
        (f32.store (i32.add (local.get $v_out) (local.get $off)) (local.get $vs))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))
)
