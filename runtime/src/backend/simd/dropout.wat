;; An inverted-dropout mask, `scale` or 0 per element, in tfjs-backend-wasm's memory (see
;; adam.wat), bit for bit tf.mul(tf.cast(tf.greaterEqual(tf.randomUniform(shape, 0, 1, 'float32',
;; seed), rate), 'float32'), scale): tfjs draws randomUniform in JavaScript with the Alea
;; generator (seedrandom), which is float64 arithmetic that WebAssembly does alike:
;;   t = 2091639·s0 + c·2⁻³²;  s0 = s1;  s1 = s2;  c = trunc(t);  s2 = t − c  (the draw),
;; stored as float32 (round to nearest) and compared with the float32 rate. The caller seeds
;; (c, s0, s1, s2) as seedrandom does for the seed's decimal string.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "dropout_mask")
    (param $c f64) (param $s0 f64) (param $s1 f64) (param $s2 f64)
    (param $n i32) (param $rate f32) (param $scale f32) (param $out i32)
    (local $t f64) (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (local.set $t (f64.add (f64.mul (f64.const 2091639) (local.get $s0)) (f64.mul (local.get $c) (f64.const 2.3283064365386963e-10))))
      (local.set $s0 (local.get $s1))
      (local.set $s1 (local.get $s2))
      (local.set $c (f64.trunc (local.get $t)))
      (local.set $s2 (f64.sub (local.get $t) (local.get $c)))
      (f32.store (local.get $out)
        (select (local.get $scale) (f32.const 0) (f32.ge (f32.demote_f64 (local.get $s2)) (local.get $rate))))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $each))))
)
