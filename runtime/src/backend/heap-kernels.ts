// Wasm kernels written in JavaScript over the wasm heap: the tensors' bytes are read and
// written in place through typed-array views, with no copy in or out. They replace wasm
// kernels that are correct but slow in training (measured per step of the MNIST convnet
// at batch 64, before -> after):
// - Identity and same-dtype Cast copy their input; tfjs runs them for every tensor it
//   saves for the backward pass (Engine.clone) and in the relu gradient. Tensors are
//   immutable, so they now share the input's memory, as the cpu backend's do (~10 ms -> 0).
// - GatherV2 (a training batch, an embedding lookup) walks elements one by one with a
//   stride computation each; whole rows are now copied with TypedArray.set (~3 ms -> 0.1).
// - MaxPoolGrad recomputes each window's arg-max with generic index arithmetic; a scan
//   in plain loops is several times faster.
// Each falls back to the original kernel for cases it does not handle, and each is
// checked against the cpu backend in runtime/test/wasm-kernels.test.ts.
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import { heapOffset, simdKernels, withScratch, type SimdKernels } from './simd-kernels.js';

type TensorInfo = tfTypes.TensorInfo;
type KernelFunc = tfTypes.KernelFunc;
type DataType = tfTypes.DataType;
export type HeapArray = Float32Array | Int32Array | Uint8Array;

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): HeapArray;
  incRef(dataId: unknown): void;
}

export function heap(backend: unknown): HeapBackend {
  return backend as HeapBackend;
}

/** Identity and same-dtype Cast: the output shares the input's memory (one more reference). */
function alias(backend: unknown, x: TensorInfo): TensorInfo {
  heap(backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function identityKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x!;
    return x.dtype === 'string' ? original(args) : alias(args.backend, x);
  };
}

/**
 * GreaterEqual of a float32 tensor and one float32 value (dropout's mask test) with
 * simd/compare.wat; wasm's broadcasting comparison walks indices element by element (~150 µs
 * for a 128×256 batch). Comparisons are exact: the same bools. Other shapes and dtypes: the
 * original kernel.
 */
export function greaterEqualKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const simd = simdKernels(args.backend);
    const scalarB = b.shape.every((d) => d === 1) && b.shape.length <= a.shape.length;
    if (!simd || a.dtype !== 'float32' || b.dtype !== 'float32' || !scalarB) return original(args);
    const out = heap(args.backend).makeOutput(a.shape, 'bool');
    const threshold = (heap(args.backend).typedArrayFromHeap(b) as Float32Array)[0]!;
    simd.greater_equal_scalar(heapOffset(args.backend, a), a.shape.reduce((p, q) => p * q, 1), threshold, heapOffset(args.backend, out));
    return out;
  };
}

export function castKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x!;
    const { dtype } = args.attrs as unknown as tfTypes.CastAttrs;
    return x.dtype === dtype && dtype !== 'string' ? alias(args.backend, x) : original(args);
  };
}

/** Rows shorter than this are gathered by the original kernel (per-row JS calls would cost more; the SIMD kernel takes any). */
const MIN_GATHER_ROW = 16;

/** GatherV2 without batch dimensions: out[o, i, :] = x[o, indices[i], :], row by row. */
export function gatherKernel(tf: TF, original: KernelFunc): KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as tfTypes.GatherV2Attrs;
    const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const inner = x.shape.slice(parsedAxis + 1).reduce((a, b) => a * b, 1);
    const outer = x.shape.slice(0, parsedAxis).reduce((a, b) => a * b, 1);
    const simd = simdKernels(args.backend);
    const elementBytes = { float32: 4, int32: 4, bool: 1 }[x.dtype as string];
    const simdRows = simd && outer === 1 && indices.dtype === 'int32' && elementBytes !== undefined;
    if ((batchDims ?? 0) !== 0 || x.dtype === 'string' || (!simdRows && inner < MIN_GATHER_ROW)) return original(args);
    const backend = heap(args.backend);
    const axisDim = x.shape[parsedAxis]!;
    // The same check and message as the original kernel, before anything is allocated.
    const ids = backend.typedArrayFromHeap(indices);
    const count = ids.length;
    for (const index of ids) {
      if (!(index >= 0 && index <= axisDim - 1)) throw new Error(`GatherV2: the index value ${index} is not in [0, ${axisDim - 1}]`);
    }
    const outShape = [...x.shape.slice(0, parsedAxis), ...indices.shape, ...x.shape.slice(parsedAxis + 1)];
    const out = backend.makeOutput(outShape, x.dtype);
    if (simdRows) {
      simd.gather_rows(heapOffset(args.backend, x), heapOffset(args.backend, indices), count, inner * elementBytes, heapOffset(args.backend, out));
      return out;
    }
    // Views are taken after makeOutput: an allocation may grow (and so detach) the heap.
    const idx = backend.typedArrayFromHeap(indices);
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    let at = 0;
    for (let o = 0; o < outer; o++) {
      const base = o * axisDim;
      for (let i = 0; i < count; i++) {
        const index = idx[i]!;
        const from = (base + index) * inner;
        dst.set(src.subarray(from, from + inner), at);
        at += inner;
      }
    }
    return out;
  };
}

/**
 * MaxPoolGrad (NHWC): each window's gradient goes to the first maximum in row-major window
 * order (the cpu backend's rule), accumulated where windows overlap. 2x2 windows with stride 2
 * and no padding (the usual `maxpool(2)`) have an unrolled loop that writes every dx value once
 * (on wasm with channels a multiple of 4: simd/maxpool.wat, four channels at a time).
 */
export function maxPoolGradKernel(tf: TF, original: KernelFunc): KernelFunc {
  return (args) => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tfTypes.MaxPoolGradAttrs;
    if (input.dtype !== 'float32' || dy.dtype !== 'float32') return original(args);
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const backend = heap(args.backend);
    const out = backend.makeOutput(input.shape, 'float32');
    const x = backend.typedArrayFromHeap(input) as Float32Array;
    const g = backend.typedArrayFromHeap(dy) as Float32Array;
    const dx = backend.typedArrayFromHeap(out) as Float32Array;
    const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
    const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
    const { top, left } = info.padInfo;
    if (fh === 2 && fw === 2 && strideHeight === 2 && strideWidth === 2 && top === 0 && left === 0) {
      const simd = channels % 4 === 0 ? simdKernels(args.backend) : undefined;
      if (simd) {
        const at = (t: TensorInfo) => heapOffset(args.backend, t);
        simd.maxpool2x2_grad(at(input), at(dy), at(out), batchSize, inHeight, inWidth, channels, outHeight, outWidth);
        return out;
      }
      // Rows and columns past the last window (odd sizes) get no gradient.
      if (inHeight !== 2 * outHeight || inWidth !== 2 * outWidth) dx.fill(0);
      const row = inWidth * channels;
      for (let b = 0, dyAt = 0; b < batchSize; b++) {
        for (let yR = 0; yR < outHeight; yR++) {
          for (let yC = 0; yC < outWidth; yC++, dyAt += channels) {
            const p0 = ((b * inHeight + 2 * yR) * inWidth + 2 * yC) * channels;
            for (let d = 0; d < channels; d++) {
              const i0 = p0 + d;
              const i1 = i0 + channels;
              const i2 = i0 + row;
              const i3 = i2 + channels;
              let best = -Infinity;
              let k = -1;
              const v0 = x[i0]!;
              const v1 = x[i1]!;
              const v2 = x[i2]!;
              const v3 = x[i3]!;
              if (v0 > best) (best = v0), (k = 0);
              if (v1 > best) (best = v1), (k = 1);
              if (v2 > best) (best = v2), (k = 2);
              if (v3 > best) k = 3;
              const grad = g[dyAt + d]!;
              dx[i0] = k === 0 ? grad : 0;
              dx[i1] = k === 1 ? grad : 0;
              dx[i2] = k === 2 ? grad : 0;
              dx[i3] = k === 3 ? grad : 0;
            }
          }
        }
      }
      return out;
    }
    dx.fill(0);
    // Channel by channel: the window's rows are short strided scans, each output written once.
    for (let b = 0, dyAt = 0; b < batchSize; b++) {
      const imageBase = b * inHeight;
      for (let yR = 0; yR < outHeight; yR++) {
        const rCorner = yR * strideHeight - top;
        const rMin = Math.max(0, rCorner);
        const rMax = Math.min(inHeight, rCorner + fh);
        for (let yC = 0; yC < outWidth; yC++, dyAt += channels) {
          const cCorner = yC * strideWidth - left;
          const cMin = Math.max(0, cCorner);
          const cMax = Math.min(inWidth, cCorner + fw);
          for (let d = 0; d < channels; d++) {
            let best = -Infinity;
            let bestAt = -1;
            for (let r = rMin; r < rMax; r++) {
              for (let c = cMin, at = ((imageBase + r) * inWidth + cMin) * channels + d; c < cMax; c++, at += channels) {
                const v = x[at]!;
                if (v > best) {
                  best = v;
                  bestAt = at;
                }
              }
            }
            if (bestAt >= 0) dx[bestAt] = dx[bestAt]! + g[dyAt + d]!;
          }
        }
      }
    }
    return out;
  };
}

/** Where a convolution's windows sit on its NHWC input (stride 1 and padding come from computeConv2DInfo). */
export interface PatchGeometry {
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
  outH: number;
  outW: number;
}

/**
 * The transposed im2col matrix of an NHWC float32 input: row (i, j, c), column (b, y, x) holds
 * x[b, y·sh + i·dh - padTop, x·sw + j·dw - padLeft, c], 0 outside the image. Shape
 * [kh·kw·C, B·outH·outW]: times dy as [B·outH·outW, Cout] it is the filter gradient.
 * The filter gradient's fallback where RegNet's WebAssembly kernels are not built (a source
 * checkout before `npm run build`); with them, gemm-kernel.ts builds the untransposed matrix in
 * chunks (simd/patches.wat; the tests compare the two).
 */
export function transposedPatches(backend: unknown, x: TensorInfo, g: PatchGeometry): TensorInfo {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const columns = batch * g.outH * g.outW;
  const heapBackend = heap(backend);
  const out = heapBackend.makeOutput([g.kh * g.kw * channels, columns], 'float32');
  const src = heapBackend.typedArrayFromHeap(x) as Float32Array;
  const dst = heapBackend.typedArrayFromHeap(out) as Float32Array;
  // Per window offset (i, j): one pass over the input in memory order, each pixel's channels
  // going to `channels` consecutive rows (reading contiguously beats writing contiguously here).
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) {
      const block = (i * g.kw + j) * channels * columns;
      const rowOffset = i * g.dilationH - g.padTop;
      const colOffset = j * g.dilationW - g.padLeft;
      let col = 0;
      for (let b = 0; b < batch; b++) {
        for (let y = 0; y < g.outH; y++) {
          const iy = y * g.strideH + rowOffset;
          for (let xo = 0; xo < g.outW; xo++, col++) {
            const ix = xo * g.strideW + colOffset;
            if (iy < 0 || iy >= height || ix < 0 || ix >= width) {
              for (let c = 0, d = block + col; c < channels; c++, d += columns) dst[d] = 0;
            } else {
              const k = ((b * height + iy) * width + ix) * channels;
              for (let c = 0, d = block + col; c < channels; c++, d += columns) dst[d] = src[k + c]!;
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * Sum of a float32 tensor over its leading axes (a bias gradient: dy [B, H, W, C] summed to
 * [C]), row by row into float64 accumulators, rounded once (the cpu backend also accumulates
 * in float64). wasm's own Sum first transposes the reduced axes to the end; a product with a
 * row of ones was slower still (XNNPACK packs dy as weights on every call). Other reductions
 * use the original kernel.
 */
export function sumKernel(tf: TF, original: KernelFunc): KernelFunc {
  return leadingAxesReduction(tf, original, false);
}

/**
 * Mean over leading axes (batchnorm's moments) without wasm's transpose of the reduced axes to
 * the end (~5x slower than this). Bit-identical to wasm's own Mean: float32 sums, row by row in
 * the same order, then one division.
 */
export function meanKernel(tf: TF, original: KernelFunc): KernelFunc {
  return leadingAxesReduction(tf, original, true);
}

function leadingAxesReduction(tf: TF, original: KernelFunc, mean: boolean): KernelFunc {
  return (args) => {
    const x = args.inputs.x!;
    const { axis, keepDims } = args.attrs as unknown as tfTypes.SumAttrs; // (MeanAttrs alike)
    const given = tf.util.parseAxisParam(axis, x.shape);
    const axes = given.slice().sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
    // (wasm's Mean sums axes given out of order in another order: keep it bit for bit.)
    const reordered = mean && given.some((a, i) => a !== axes[i]);
    if (x.dtype !== 'float32' || !leading || reordered) return original(args);
    const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    const kept = x.shape.slice(axes.length);
    const width = kept.reduce((a, b) => a * b, 1);
    const backend = heap(args.backend);
    const out = backend.makeOutput(keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    const simd = simdKernels(args.backend);
    // simd/reduce-rows.wat, the same sums; its float32 division by rows is exact below 2^24 rows
    if (simd && rows < 2 ** 24) {
      const [from, to] = [heapOffset(args.backend, x), heapOffset(args.backend, out)];
      if (mean) simd.mean_rows(from, rows, width, to);
      else withScratch(args.backend, 2 * width, (acc) => simd.sum_rows(from, rows, width, to, acc));
      return out;
    }
    // Views are taken after makeOutput: an allocation may grow (and so detach) the heap.
    (mean ? meanOfRows : sumOfRows)(backend.typedArrayFromHeap(x) as Float32Array, rows, width, backend.typedArrayFromHeap(out) as Float32Array);
    return out;
  };
}

/** dst[c] = Σ_r src[r, c] in float64, four rows per pass (a quarter of the accumulator loads and stores). */
export function sumOfRows(src: Float32Array, rows: number, width: number, dst: Float32Array): void {
  const acc = new Float64Array(width);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const a0 = r * width;
    const a1 = a0 + width;
    const a2 = a1 + width;
    const a3 = a2 + width;
    for (let c = 0; c < width; c++) acc[c] += src[a0 + c]! + src[a1 + c]! + src[a2 + c]! + src[a3 + c]!;
  }
  for (; r < rows; r++) {
    for (let c = 0, at = r * width; c < width; c++, at++) acc[c] += src[at]!;
  }
  dst.set(acc);
}

/** dst[c] = (Σ_r src[r, c]) / rows with float32 accumulators (stores round each sum as wasm's float does). */
export function meanOfRows(src: Float32Array, rows: number, width: number, dst: Float32Array): void {
  dst.fill(0);
  for (let r = 0; r < rows; r++) {
    for (let c = 0, at = r * width; c < width; c++, at++) dst[c] = dst[c]! + src[at]!;
  }
  for (let c = 0; c < width; c++) dst[c] = dst[c]! / rows;
}

/**
 * A conv filter [kh, kw, in, out] flipped in both spatial axes with in/out swapped:
 * out[i, j, o, c] = f[kh-1-i, kw-1-j, c, o], the filter of the input gradient as a convolution.
 * One pass in JavaScript (wasm's Reverse and Transpose cost ~2 ms for a 3x3x32x64 filter).
 */
export function flippedSwappedFilter(backend: unknown, filter: TensorInfo): TensorInfo {
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  const heapBackend = heap(backend);
  const out = heapBackend.makeOutput([kh, kw, cout, cin], 'float32');
  const src = heapBackend.typedArrayFromHeap(filter) as Float32Array;
  const dst = heapBackend.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = ((kh - 1 - i) * kw + (kw - 1 - j)) * cin * cout;
      const to = (i * kw + j) * cout * cin;
      for (let c = 0; c < cin; c++) {
        for (let o = 0; o < cout; o++) dst[to + o * cin + c] = src[from + c * cout + o]!;
      }
    }
  }
  return out;
}

/**
 * A kernel RegNet adds to the wasm and cpu backends: Σx² over all elements of all its float32
 * inputs (named `x0`, `x1`, …), as a float32 scalar, accumulated in float64. The training loop
 * reads the global gradient norm every step; as tf ops that is a Square, a Sum and an AddN per
 * gradient, ~8% of an MLP step on wasm, mostly per-op overhead.
 */
export const SUM_OF_SQUARES = 'RegNetSumOfSquares';

function sumOfSquares(values: ArrayLike<number>): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 2 <= values.length; i += 2) {
    const a = values[i]!;
    const b = values[i + 1]!;
    s0 += a * a;
    s1 += b * b;
  }
  if (i < values.length) s0 += values[i]! * values[i]!;
  return s0 + s1;
}

/** sumOfSquaresKernel on wasm with simd/sum-of-squares.wat: the same two float64 sums per tensor. */
function simdSumOfSquares(backend: unknown, simd: SimdKernels, infos: TensorInfo[]): TensorInfo {
  const out = heap(backend).makeOutput([], 'float32');
  const total = withScratch(backend, 4, (sumsAt, sums) => {
    let sum = 0;
    for (const info of infos) {
      simd.sum_of_squares(heapOffset(backend, info), info.shape.reduce((a, b) => a * b, 1), sumsAt);
      const view = heap(backend).typedArrayFromHeap(sums);
      const pair = new DataView(view.buffer, view.byteOffset, 16);
      sum += pair.getFloat64(0, true) + pair.getFloat64(8, true);
    }
    return sum;
  });
  (heap(backend).typedArrayFromHeap(out) as Float32Array)[0] = total;
  return out;
}

export function sumOfSquaresKernel(): KernelFunc {
  return ({ inputs, backend }) => {
    const infos = Object.values(inputs) as TensorInfo[];
    if (infos.some((t) => t.dtype !== 'float32')) throw new Error(`${SUM_OF_SQUARES} takes float32 tensors`);
    const wasm = typeof (backend as Partial<HeapBackend>).typedArrayFromHeap === 'function';
    const simd = wasm ? simdKernels(backend) : undefined;
    if (simd) return simdSumOfSquares(backend, simd, infos);
    let total = 0;
    for (const info of infos) {
      const values = wasm
        ? heap(backend).typedArrayFromHeap(info)
        : ((backend as unknown as { readSync(dataId: unknown): Float32Array }).readSync(info.dataId));
      total += sumOfSquares(values);
    }
    const result = new Float32Array([total]);
    if (!wasm) return (backend as unknown as { makeTensorInfo(s: number[], d: DataType, v: Float32Array): TensorInfo }).makeTensorInfo([], 'float32', result);
    const out = heap(backend).makeOutput([], 'float32');
    (heap(backend).typedArrayFromHeap(out) as Float32Array).set(result);
    return out;
  };
}
