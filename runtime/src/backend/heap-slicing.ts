// Slice, Unpack (tf.unstack) and SplitV (tf.split) for wasm, in JavaScript over the wasm heap.
// tfjs-backend-wasm's own slice starts with backend.readSync(x), which copies the WHOLE input
// out of the heap into a new JS buffer, and Unpack and SplitV call that slice once per output.
// An LSTM unstacks its projected input [batch, steps, 4·units] into `steps` slices: at 100
// steps that copied the 13 MB tensor 100 times per forward pass, 67% of a training step
// (profiled: BackendWasm.readSync under slice < unpack). These copy only the sliced elements,
// reading the input in place through a heap view. Strings and complex numbers, which do not
// live in the heap as plain arrays, fall back to the original kernels. Checked against the cpu
// backend in runtime/test/heap-slicing.test.ts.
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import { heap, type HeapArray, type HeapBackend } from './heap-kernels.js';

type TensorInfo = tfTypes.TensorInfo;
type KernelFunc = tfTypes.KernelFunc;
type DataType = tfTypes.DataType;

/** Contiguous runs shorter than this are copied element by element (a subarray costs more). */
const MIN_SET_RUN = 16;

const inHeap = (dtype: DataType) => dtype === 'float32' || dtype === 'int32' || dtype === 'bool';

function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

/**
 * Copies the block x[begin : begin + size] of a row-major tensor of `shape` into `dst` from
 * `at`, in row-major order. The trailing dimensions taken whole and the last partial one form
 * one contiguous run per position of the leading dimensions.
 */
function copyBlock(src: HeapArray, shape: readonly number[], begin: readonly number[], size: readonly number[], dst: HeapArray, at: number): void {
  const rank = shape.length;
  if (size.some((s) => s === 0)) return;
  if (rank === 0) {
    dst[at] = src[0]!;
    return;
  }
  const strides = rowMajorStrides(shape);
  let k = rank - 1;
  while (k > 0 && size[k] === shape[k]) k--;
  const run = size[k]! * strides[k]!;
  // Odometer over the leading dimensions 0..k-1.
  const counter = new Array<number>(k).fill(0);
  let offset = begin[k]! * strides[k]!;
  for (let d = 0; d < k; d++) offset += begin[d]! * strides[d]!;
  for (;;) {
    if (run >= MIN_SET_RUN) dst.set(src.subarray(offset, offset + run), at);
    else for (let i = 0; i < run; i++) dst[at + i] = src[offset + i]!;
    at += run;
    let d = k - 1;
    for (; d >= 0; d--) {
      offset += strides[d]!;
      if (++counter[d]! < size[d]!) break;
      offset -= counter[d]! * strides[d]!;
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Allocates all outputs first, then fills them: an allocation may grow (and so detach) the heap. */
function sliceAll(backend: HeapBackend, x: TensorInfo, blocks: { begin: number[]; size: number[]; shape: number[] }[]): TensorInfo[] {
  const outs = blocks.map((b) => backend.makeOutput(b.shape, x.dtype));
  const src = backend.typedArrayFromHeap(x);
  blocks.forEach((b, i) => copyBlock(src, x.shape, b.begin, b.size, backend.typedArrayFromHeap(outs[i]!), 0));
  return outs;
}

export function sliceKernel(tf: TF, original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x!;
    if (!inHeap(x.dtype)) return original(args);
    const { begin, size } = args.attrs as unknown as tfTypes.SliceAttrs;
    const [begin_, size_] = tf.slice_util.parseSliceParams(x as tfTypes.Tensor, begin, size);
    tf.slice_util.assertParamsValid(x as tfTypes.Tensor, begin_, size_);
    return sliceAll(heap(args.backend), x, [{ begin: begin_, size: size_, shape: size_ }])[0]!;
  };
}

/** tf.unstack: the `shape[axis]` slices along `axis`, each without that axis. */
export function unpackKernel(tf: TF, original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.value!;
    if (!inHeap(x.dtype)) return original(args);
    const { axis } = args.attrs as unknown as tfTypes.UnpackAttrs;
    const a = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const outShape = x.shape.filter((_, d) => d !== a);
    const size = x.shape.map((s, d) => (d === a ? 1 : s));
    const blocks = Array.from({ length: x.shape[a]! }, (_, i) => ({ begin: x.shape.map((_, d) => (d === a ? i : 0)), size, shape: outShape }));
    return sliceAll(heap(args.backend), x, blocks);
  };
}

/** tf.split: consecutive pieces along `axis` of the given sizes (or `n` equal ones). */
export function splitVKernel(tf: TF, original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x!;
    if (!inHeap(x.dtype)) return original(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as tfTypes.SplitVAttrs;
    const a = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tfTypes.Tensor, numOrSizeSplits, a);
    let start = 0;
    const blocks = sizes.map((n) => {
      const begin = x.shape.map((_, d) => (d === a ? start : 0));
      const size = x.shape.map((s, d) => (d === a ? n : s));
      start += n;
      return { begin, size, shape: size };
    });
    return sliceAll(heap(args.backend), x, blocks);
  };
}
