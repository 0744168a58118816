;; Rows of a tensor by index in tfjs-backend-wasm's memory (see adam.wat): out row r = x row
;; indices[r], rows of `row_bytes` bytes, copied with memory.copy (the caller checks the
;; indices). JavaScript's TypedArray.set on the shared heap copies element by element.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "gather_rows") (param $x i32) (param $indices i32) (param $count i32) (param $row_bytes i32) (param $out i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $indices) (i32.shl (local.get $count) (i32.const 2))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $indices) (local.get $end)))
      (memory.copy (local.get $out)
        (i32.add (local.get $x) (i32.mul (i32.load (local.get $indices)) (local.get $row_bytes)))
        (local.get $row_bytes))
      (local.set $out (i32.add (local.get $out) (local.get $row_bytes)))
      (local.set $indices (i32.add (local.get $indices) (i32.const 4)))
      (br $each))))
)
