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

type TensorInfo = tfTypes.TensorInfo;
type KernelFunc = tfTypes.KernelFunc;
type DataType = tfTypes.DataType;
type HeapArray = Float32Array | Int32Array | Uint8Array;

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): HeapArray;
  incRef(dataId: unknown): void;
}

function heap(backend: unknown): HeapBackend {
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

export function castKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x!;
    const { dtype } = args.attrs as unknown as tfTypes.CastAttrs;
    return x.dtype === dtype && dtype !== 'string' ? alias(args.backend, x) : original(args);
  };
}

/** Rows shorter than this are gathered by the original kernel (per-row JS calls would cost more). */
const MIN_GATHER_ROW = 16;

/** GatherV2 without batch dimensions: out[o, i, :] = x[o, indices[i], :], row by row. */
export function gatherKernel(tf: TF, original: KernelFunc): KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as tfTypes.GatherV2Attrs;
    const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const inner = x.shape.slice(parsedAxis + 1).reduce((a, b) => a * b, 1);
    if ((batchDims ?? 0) !== 0 || x.dtype === 'string' || inner < MIN_GATHER_ROW) return original(args);
    const backend = heap(args.backend);
    const axisDim = x.shape[parsedAxis]!;
    const outer = x.shape.slice(0, parsedAxis).reduce((a, b) => a * b, 1);
    const outShape = [...x.shape.slice(0, parsedAxis), ...indices.shape, ...x.shape.slice(parsedAxis + 1)];
    const out = backend.makeOutput(outShape, x.dtype);
    // Views are taken after makeOutput: an allocation may grow (and so detach) the heap.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const idx = backend.typedArrayFromHeap(indices);
    const count = idx.length;
    let at = 0;
    for (let o = 0; o < outer; o++) {
      const base = o * axisDim;
      for (let i = 0; i < count; i++) {
        const index = idx[i]!;
        // The same check and message as the original kernel.
        if (!(index >= 0 && index <= axisDim - 1)) {
          throw new Error(`GatherV2: the index value ${index} is not in [0, ${axisDim - 1}]`);
        }
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
 * order (the cpu backend's rule), accumulated where windows overlap. The running max of all
 * channels of a window is kept at once, so the inner loop reads memory contiguously.
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
    dx.fill(0);
    const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
    const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
    const { top, left } = info.padInfo;
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
