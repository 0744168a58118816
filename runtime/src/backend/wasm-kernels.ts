// Kernels the wasm backend lacks but training needs, composed from kernels it has,
// plus overrides of kernels that are correct but slow in the shapes training uses (on wasm,
// and cpu's Conv2DBackpropFilter). Each kernel body runs tfjs ops: while a kernel runs, the
// engine does not record to the gradient tape, so these compositions are invisible to
// autodiff (the gradient of the kernel that needed them is what is being computed).
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import {
  castKernel,
  flippedSwappedFilter,
  gatherKernel,
  greaterEqualKernel,
  identityKernel,
  maxPoolGradKernel,
  SUM_OF_SQUARES,
  meanKernel,
  sumKernel,
  sumOfSquaresKernel,
  transposedPatches,
} from './heap-kernels.js';
import { sliceKernel, splitVKernel, unpackKernel } from './heap-slicing.js';
import { registerLstmKernels } from './lstm-kernels.js';
import { registerAdamKernel } from './adam-kernel.js';
import { registerBatchNormKernels } from './batchnorm-kernels.js';
import { registerDropoutMaskKernel } from './dropout-kernel.js';
import { simdFilterGradient, simdMatMul, simdMatMulTakes } from './gemm-kernel.js';
import { simdKernels } from './simd-kernels.js';

type Tensor = tfTypes.Tensor;
type Tensor4D = tfTypes.Tensor4D;
type TensorInfo = tfTypes.TensorInfo;
type KernelFunc = tfTypes.KernelFunc;
type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

const BACKEND = 'wasm';

/** Names of the kernels this module adds to wasm (for tests and diagnostics). */
export const ADDED_WASM_KERNELS = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
  SUM_OF_SQUARES,
] as const;
/** Wasm kernels replaced by faster compositions. */
// (A MaxPoolGrad built from Transpose/Equal/Unpack was measured slower than wasm's own: their
// JS parts — Unpack, Cast, strided Slice — cost more than the native loop.)
// Identity, Cast, GatherV2, GreaterEqual, MaxPoolGrad, Sum and Mean are JavaScript (or our WebAssembly) over the wasm heap (heap-kernels.ts),
// and so are Slice, Unpack and SplitV (heap-slicing.ts).
export const OVERRIDDEN_WASM_KERNELS = [
  'BatchMatMul',
  '_FusedMatMul',
  'Tile',
  'Conv2DBackpropInput',
  'Identity',
  'Cast',
  'GatherV2',
  'GreaterEqual',
  'MaxPoolGrad',
  'Sum',
  'Mean',
  'Slice',
  'Unpack',
  'SplitV',
] as const;

let registered = false;

/** A kernel input as a Tensor. Ops pass Tensors; a bare TensorInfo gets a view that holds its own reference. */
function asTensor(tf: TF, info: TensorInfo | undefined): Tensor {
  if (info === undefined) throw new Error('kernel input missing');
  if (info instanceof tf.Tensor) return info;
  tf.engine().backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** Takes ownership of a TensorInfo just produced by a kernel (disposed with the Tensor). */
function own(tf: TF, info: TensorInfo): Tensor {
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** The matrix transpose of each of t's last-two-axes matrices. */
function swapLastAxes(tf: TF, t: Tensor): Tensor {
  return tf.transpose(t, [...Array(t.rank - 2).keys(), t.rank - 1, t.rank - 2]);
}

function pair(v: number | number[]): [number, number] {
  return Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v];
}

interface ConvGeometry {
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
  outH: number;
  outW: number;
  kh: number;
  kw: number;
}

function geometry(
  tf: TF,
  xShape: number[],
  filterShape: number[],
  strides: number | number[],
  dilations: number | number[],
  pad: unknown,
  roundingMode: unknown,
  depthwise: boolean,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides as [number, number],
    dilations as [number, number],
    pad as 'same',
    roundingMode as 'round' | undefined,
    depthwise,
  );
  return {
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padTop: info.padInfo.top,
    padBottom: info.padInfo.bottom,
    padLeft: info.padInfo.left,
    padRight: info.padInfo.right,
    outH: info.outHeight,
    outW: info.outWidth,
    kh: info.filterHeight,
    kw: info.filterWidth,
  };
}

/** The input and output gradient of a filter-gradient kernel, as NHWC tensors. */
function filterGradInputsNHWC(tf: TF, inputs: Parameters<KernelFunc>[0]['inputs'], dataFormat: string): { x: Tensor4D; dy: Tensor4D } {
  const x = asTensor(tf, inputs.x) as Tensor4D;
  const dy = asTensor(tf, inputs.dy) as Tensor4D;
  if (dataFormat !== 'NCHW') return { x, dy };
  return { x: tf.transpose(x, [0, 2, 3, 1]), dy: tf.transpose(dy, [0, 2, 3, 1]) };
}

/**
 * x [B, H, W, C] as [C, H, W, B], in two steps that are ~2.5x faster on wasm than the one
 * 4-D transpose (28 → 12 ms at CIFAR's 128×32×32×32): a 2-D transpose [B, H·W·C] → [H·W·C, B],
 * then [H·W, C, B] → [C, H·W, B], which moves whole rows of B values.
 */
function channelsFirstBatchLast(tf: TF, x: Tensor4D): Tensor4D {
  const [b, h, w, c] = x.shape;
  const pixelsFirst = tf.reshape(tf.transpose(tf.reshape(x, [b, h * w * c])), [h * w, c, b]);
  return tf.reshape(tf.transpose(pixelsFirst, [1, 0, 2]), [c, h, w, b]);
}

/**
 * dW[i,j,c,o] = Σ_{b,y,x} xpad[b, y·s + i, x·s + j, c] · dy[b, y, x, o]: a convolution of the
 * input with channels as batch (c) and batch as channels (b), whose "filter" is dy, with the
 * forward stride becoming the dilation. Conv2DBackpropFilter carries no dilations (tfjs only
 * differentiates dilation-1 convolutions).
 */
function conv2dBackpropFilter(tf: TF): KernelFunc {
  return ({ inputs, attrs }) => {
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tfTypes.Conv2DBackpropFilterAttrs;
    return tf.tidy(() => {
      const { x, dy } = filterGradInputsNHWC(tf, inputs, dataFormat);
      const g = geometry(tf, x.shape, filterShape, strides, 1, pad, dimRoundingMode, false);
      const [kh, kw] = [filterShape[0], filterShape[1]];
      const xT = channelsFirstBatchLast(tf, x); // [Cin, H, W, B]
      const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [outH, outW, B, Cout]
      const padding: Pad4 = [[0, 0], [g.padTop, g.padBottom], [g.padLeft, g.padRight], [0, 0]];
      // Where both would exceed 1 (never for a stride-1 output of size 1) use stride 1: the
      // dilation only matters when dy has more than one row/column.
      const dil: [number, number] = [g.outH > 1 ? g.strideH : 1, g.outW > 1 ? g.strideW : 1];
      const full = tf.conv2d(xT, dyT, 1, padding, 'NHWC', dil); // [Cin, >=kh, >=kw, Cout]
      const cropped = tf.slice(full, [0, 0, 0, 0], [full.shape[0], kh, kw, full.shape[3]]);
      return tf.transpose(cropped, [1, 2, 0, 3]);
    });
  };
}

/**
 * The wasm filter gradient as one matrix product (gemm-kernel.ts' simdFilterGradient, which
 * builds the patch matrix a few images at a time). Without RegNet's SIMD kernels (a source
 * checkout before `npm run build`): the same product with the whole patch matrix (heap-kernels.ts)
 * and XNNPACK's matMul, or where that matrix would pass PATCH_MATRIX_LIMIT elements (64 MB), the
 * convolution form above.
 */
const PATCH_MATRIX_LIMIT = 1 << 24;

function conv2dBackpropFilterGemm(tf: TF): KernelFunc {
  const convolutionForm = conv2dBackpropFilter(tf);
  return (args) => {
    const { inputs, attrs, backend } = args;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tfTypes.Conv2DBackpropFilterAttrs;
    const dyShape = inputs.dy!.shape;
    const [outH, outW] = dataFormat === 'NCHW' ? [dyShape[2]!, dyShape[3]!] : [dyShape[1]!, dyShape[2]!];
    const patchElements = filterShape[0] * filterShape[1] * filterShape[2] * dyShape[0]! * outH * outW;
    const simd = simdKernels(backend);
    if (!simd && patchElements > PATCH_MATRIX_LIMIT) return convolutionForm(args);
    return tf.tidy(() => {
      const { x, dy } = filterGradInputsNHWC(tf, inputs, dataFormat);
      const g = geometry(tf, x.shape, filterShape, strides, 1, pad, dimRoundingMode, false);
      const product = simd && simdFilterGradient(backend, x, dy, g);
      if (product) return tf.reshape(own(tf, product), filterShape);
      const patches = own(tf, transposedPatches(backend, x, g));
      const dw = tf.matMul(patches, tf.reshape(dy, [dy.shape[0] * outH * outW, dy.shape[3]]));
      return tf.reshape(dw, filterShape);
    });
  };
}

/** dW[i,j,c,q] = Σ_{b,y,x} xpad[b, y·s + i·d, x·s + j·d, c] · dy[b, y, x, c·m + q]. */
function depthwiseBackpropFilter(tf: TF): KernelFunc {
  return ({ inputs, attrs }) => {
    const { strides, dilations, pad, dimRoundingMode, filterShape } =
      attrs as unknown as tfTypes.DepthwiseConv2dNativeBackpropFilterAttrs;
    return tf.tidy(() => {
      const x = asTensor(tf, inputs.x) as Tensor4D;
      const dy = asTensor(tf, inputs.dy) as Tensor4D;
      const g = geometry(tf, x.shape, filterShape, strides, dilations, pad, dimRoundingMode, true);
      const [batch, , , channels] = x.shape;
      const multiplier = filterShape[3];
      const xpad = tf.pad(x, [[0, 0], [g.padTop, g.padBottom], [g.padLeft, g.padRight], [0, 0]]);
      const dy5 = tf.reshape(dy, [batch, g.outH, g.outW, channels, multiplier]);
      const taps: Tensor[] = [];
      for (let i = 0; i < g.kh; i++) {
        for (let j = 0; j < g.kw; j++) {
          const top = i * g.dilationH;
          const left = j * g.dilationW;
          const window = tf.stridedSlice(
            xpad,
            [0, top, left, 0],
            [batch, top + (g.outH - 1) * g.strideH + 1, left + (g.outW - 1) * g.strideW + 1, channels],
            [1, g.strideH, g.strideW, 1],
          );
          taps.push(tf.sum(tf.mul(tf.expandDims(window, 4), dy5), [0, 1, 2]));
        }
      }
      return tf.reshape(tf.stack(taps), [g.kh, g.kw, channels, multiplier]);
    });
  };
}

/**
 * The input gradient of a convolution as a stride-1 correlation: dy with s-1 zeros inserted
 * between rows/columns, padded by (k-1)·d - pad before (negative amounts crop), so that
 * dx[i] = Σ_k dyPadded[i + k·d] · filter[kh-1-k] (the spatially flipped filter).
 */
function spreadAndPadDy(tf: TF, dy: Tensor4D, g: ConvGeometry, height: number, width: number): Tensor4D {
  const [batch, , , channels] = dy.shape;
  let d: Tensor = dy;
  if (g.strideH > 1 || g.strideW > 1) {
    const spread = tf.pad(tf.reshape(dy, [batch, g.outH, 1, g.outW, 1, channels]), [
      [0, 0], [0, 0], [0, g.strideH - 1], [0, 0], [0, g.strideW - 1], [0, 0],
    ]);
    d = tf.slice(
      tf.reshape(spread, [batch, g.outH * g.strideH, g.outW * g.strideW, channels]),
      [0, 0, 0, 0],
      [batch, (g.outH - 1) * g.strideH + 1, (g.outW - 1) * g.strideW + 1, channels],
    );
  }
  const reachH = (g.kh - 1) * g.dilationH;
  const reachW = (g.kw - 1) * g.dilationW;
  const [, dH, dW] = d.shape as number[];
  const beforeH = reachH - g.padTop;
  const beforeW = reachW - g.padLeft;
  const afterH = height + reachH - beforeH - dH!;
  const afterW = width + reachW - beforeW - dW!;
  // Negative amounts (rows dy never reaches) become crops.
  if (beforeH > 0 || afterH > 0 || beforeW > 0 || afterW > 0) {
    d = tf.pad(d, [[0, 0], [Math.max(0, beforeH), Math.max(0, afterH)], [Math.max(0, beforeW), Math.max(0, afterW)], [0, 0]]);
  }
  if (beforeH >= 0 && afterH >= 0 && beforeW >= 0 && afterW >= 0) return d as Tensor4D;
  return tf.slice(d, [0, Math.max(0, -beforeH), Math.max(0, -beforeW), 0], [batch, height + reachH, width + reachW, channels]) as Tensor4D;
}

/** spreadAndPadDy's padding of an unstrided dy as [[top, bottom], [left, right]], or undefined when it would crop. */
function inputGradientPadding(g: ConvGeometry, height: number, width: number, dyShape: number[]): [[number, number], [number, number]] | undefined {
  const beforeH = (g.kh - 1) * g.dilationH - g.padTop;
  const beforeW = (g.kw - 1) * g.dilationW - g.padLeft;
  const afterH = height + (g.kh - 1) * g.dilationH - beforeH - dyShape[1]!;
  const afterW = width + (g.kw - 1) * g.dilationW - beforeW - dyShape[2]!;
  if (beforeH < 0 || afterH < 0 || beforeW < 0 || afterW < 0) return undefined;
  return [[beforeH, afterH], [beforeW, afterW]];
}

/** Whether a kernel runs on the wasm backend (whose tensors heap-kernels.ts can read in place). */
function isHeapBackend(backend: unknown): boolean {
  return typeof (backend as { typedArrayFromHeap?: unknown }).typedArrayFromHeap === 'function';
}

/** Depthwise input gradient: the flipped filter per channel; the channel multiplier is summed out. */
function depthwiseBackpropInput(tf: TF): KernelFunc {
  return ({ inputs, attrs }) => {
    const { strides, dilations, pad, dimRoundingMode, inputShape } =
      attrs as unknown as tfTypes.DepthwiseConv2dNativeBackpropInputAttrs;
    return tf.tidy(() => {
      const dy = asTensor(tf, inputs.dy) as Tensor4D;
      const filter = asTensor(tf, inputs.filter) as Tensor4D;
      const g = geometry(tf, inputShape, filter.shape, strides, dilations, pad, dimRoundingMode, true);
      const [batch, height, width, channels] = inputShape;
      const multiplier = filter.shape[3];
      const d = spreadAndPadDy(tf, dy, g, height, width);
      const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [g.kh, g.kw, channels * multiplier, 1]) as Tensor4D;
      const full = tf.depthwiseConv2d(d, flipped, 1, 'valid', 'NHWC', [g.dilationH, g.dilationW]);
      return tf.sum(tf.reshape(full, [batch, height, width, channels, multiplier]), 4);
    });
  };
}

/**
 * Conv2D input gradient through XNNPACK's fast Conv2D (wasm's own Conv2DBackpropInput is a
 * plain loop, the slowest kernel of a convnet step): correlate the spread, padded dy with the
 * flipped filter whose in/out channels are swapped.
 */
function conv2dBackpropInput(tf: TF): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tfTypes.Conv2DBackpropInputAttrs;
    return tf.tidy(() => {
      let dy = asTensor(tf, inputs.dy) as Tensor4D;
      const filter = asTensor(tf, inputs.filter) as Tensor4D;
      const nhwcShape = (dataFormat === 'NCHW'
        ? [inputShape[0], inputShape[2], inputShape[3], inputShape[1]]
        : inputShape) as [number, number, number, number];
      if (dataFormat === 'NCHW') dy = tf.transpose(dy, [0, 2, 3, 1]);
      const g = geometry(tf, nhwcShape, filter.shape, strides, 1, pad, dimRoundingMode, false);
      const flipped = (filter.dtype === 'float32' && isHeapBackend(backend)
        ? own(tf, flippedSwappedFilter(backend, filter))
        : tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2])) as Tensor4D;
      // Stride 1 without crops: the convolution pads dy itself (no padded copy of dy).
      const pads = g.strideH === 1 && g.strideW === 1 ? inputGradientPadding(g, nhwcShape[1], nhwcShape[2], dy.shape) : undefined;
      const dx = pads
        ? tf.conv2d(dy, flipped, 1, [[0, 0], pads[0], pads[1], [0, 0]])
        : tf.conv2d(spreadAndPadDy(tf, dy, g, nhwcShape[1], nhwcShape[2]), flipped, 1, 'valid');
      return dataFormat === 'NCHW' ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
    });
  };
}

/** Sums rows of x into numSegments buckets: ScatterNd accumulates duplicate indices. */
function unsortedSegmentSum(tf: TF): KernelFunc {
  return ({ inputs, attrs }) => {
    const { numSegments } = attrs as unknown as tfTypes.UnsortedSegmentSumAttrs;
    return tf.tidy(() => {
      const x = asTensor(tf, inputs.x);
      const ids = tf.cast(asTensor(tf, inputs.segmentIds), 'int32');
      const rows = ids.size;
      const rowShape = x.shape.slice(ids.rank);
      const flat = tf.reshape(x, [rows, ...rowShape]);
      return tf.scatterND(tf.reshape(ids, [rows, 1]), flat, [numSegments, ...rowShape]);
    });
  };
}

/** a·b (+ bias) on RegNet's GEMM, b transposed first when asked; undefined where the GEMM does not take them. */
function gemmProduct(
  tf: TF, backend: unknown, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, bias?: TensorInfo,
): TensorInfo | Tensor | undefined {
  if (!simdMatMulTakes(backend, a, b, bias, transposeB)) return undefined;
  if (!transposeB) return simdMatMul(backend, a, b, transposeA, bias);
  return tf.tidy(() => {
    const out = simdMatMul(backend, a, swapLastAxes(tf, asTensor(tf, b)), transposeA, bias);
    return out ? own(tf, out) : undefined;
  });
}

/**
 * Products of one matrix pair (every batch dimension 1) run on RegNet's GEMM (gemm-kernel.ts),
 * transposing b first when asked. Otherwise wasm's BatchMatMul, which is slow with transposed
 * operands (it transposes element by element) and with a batch dimension broadcast against a
 * matrix: transpose explicitly with the fast Transpose kernel, and fold the batch into rows
 * when b is shared.
 */
function batchMatMul(tf: TF, original: KernelFunc): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { transposeA, transposeB } = attrs as unknown as tfTypes.BatchMatMulAttrs;
    const a0 = inputs.a!;
    const b0 = inputs.b!;
    const swapLast = (t: Tensor) => swapLastAxes(tf, t);
    const product = gemmProduct(tf, backend, a0, b0, transposeA, transposeB);
    if (product) return product;
    const bShared = b0.shape.slice(0, -2).every((d) => d === 1);
    const fold = !transposeA && bShared && a0.shape.length > 2 && a0.shape.slice(0, -2).some((d) => d > 1);
    if (!transposeA && !transposeB && !fold) return original({ inputs, attrs, backend });
    return tf.tidy(() => {
      let a = asTensor(tf, a0);
      let b = asTensor(tf, b0);
      if (transposeA) a = swapLast(a);
      if (transposeB) b = swapLast(b);
      const plain = { transposeA: false, transposeB: false } as unknown as tfTypes.NamedAttrMap;
      if (fold) {
        const lead = a.shape.slice(0, -1);
        const a3 = tf.reshape(a, [1, lead.reduce((p, q) => p * q, 1), a.shape[a.rank - 1]]);
        const b3 = tf.reshape(b, [1, b.shape[b.rank - 2], b.shape[b.rank - 1]]);
        const out = original({ inputs: { a: a3, b: b3 }, attrs: plain, backend }) as TensorInfo;
        const outBatch = b.rank > a.rank ? b.shape.slice(0, -2) : [];
        return tf.reshape(own(tf, out), [...outBatch, ...lead, b.shape[b.rank - 1]]);
      }
      return own(tf, original({ inputs: { a, b }, attrs: plain, backend }) as TensorInfo);
    });
  };
}

/** A dense layer's product plus bias (no fused activation) on RegNet's GEMM; else wasm's own. */
function fusedMatMul(tf: TF, original: KernelFunc): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { transposeA, transposeB, activation } = attrs as unknown as tfTypes._FusedMatMulAttrs;
    const { a, b, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
    if (activation !== 'linear' || preluActivationWeights) return original({ inputs, attrs, backend });
    const product = gemmProduct(tf, backend, a!, b!, transposeA, transposeB, bias);
    return product ?? original({ inputs, attrs, backend });
  };
}

/**
 * Tile as broadcast multiplies, one tiled axis at a time: x viewed as [outer, 1, inner] times
 * ones [1, r, 1] gives [outer, r, inner] (rank 3 always: XNNPACK broadcasts at most 6 dims).
 * Falls back to the original kernel for non-float input.
 */
function tile(tf: TF, original: KernelFunc): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { reps } = attrs as unknown as tfTypes.TileAttrs;
    const x0 = inputs.x!;
    if (x0.dtype !== 'float32') return original({ inputs, attrs, backend });
    return tf.tidy(() => {
      let y = asTensor(tf, x0);
      const shape = [...y.shape];
      shape.forEach((d, axis) => {
        const r = reps[axis]!;
        if (r === 1) return;
        const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
        const inner = shape.slice(axis).reduce((a, b) => a * b, 1);
        y = tf.mul(tf.reshape(y, [outer, 1, inner]), tf.ones([1, r, 1]));
        shape[axis] = d * r;
      });
      return tf.reshape(y, shape);
    });
  };
}

/** Kernels replaced on the cpu backend: its Conv2DBackpropFilter loop is ~100x slower than the same composition. */
export const OVERRIDDEN_CPU_KERNELS = ['Conv2DBackpropFilter'] as const;

/** Original and replacement kernel functions, by `backend/kernel`. */
const originals = new Map<string, KernelFunc>();
const replacements = new Map<string, KernelFunc>();
let cpuRegistered = false;

function install(tf: TF, backendName: string, kernelName: string, kernelFunc: KernelFunc): void {
  if (tf.getKernel(kernelName, backendName) != null) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc });
}

function rememberOriginals(tf: TF, backendName: string, names: readonly string[]): void {
  for (const name of names) {
    const k = tf.getKernel(name, backendName);
    if (k == null) throw new Error(`${backendName} backend has no ${name} kernel to override`);
    originals.set(`${backendName}/${name}`, k.kernelFunc);
  }
}

/** Registers the added and overriding kernels on the wasm backend; idempotent. */
export function registerWasmKernels(tf: TF): void {
  if (registered) return;
  rememberOriginals(tf, BACKEND, OVERRIDDEN_WASM_KERNELS);
  const original = (name: string) => originals.get(`${BACKEND}/${name}`)!;
  const kernels: [string, KernelFunc][] = [
    ['Conv2DBackpropFilter', conv2dBackpropFilterGemm(tf)],
    ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilter(tf)],
    ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInput(tf)],
    ['UnsortedSegmentSum', unsortedSegmentSum(tf)],
    [SUM_OF_SQUARES, sumOfSquaresKernel()],
    ['BatchMatMul', batchMatMul(tf, original('BatchMatMul'))],
    ['_FusedMatMul', fusedMatMul(tf, original('_FusedMatMul'))],
    ['Tile', tile(tf, original('Tile'))],
    ['Conv2DBackpropInput', conv2dBackpropInput(tf)],
    ['Identity', identityKernel(original('Identity'))],
    ['Cast', castKernel(original('Cast'))],
    ['GatherV2', gatherKernel(tf, original('GatherV2'))],
    ['GreaterEqual', greaterEqualKernel(original('GreaterEqual'))],
    ['MaxPoolGrad', maxPoolGradKernel(tf, original('MaxPoolGrad'))],
    ['Sum', sumKernel(tf, original('Sum'))],
    ['Mean', meanKernel(tf, original('Mean'))],
    ['Slice', sliceKernel(tf, original('Slice'))],
    ['Unpack', unpackKernel(tf, original('Unpack'))],
    ['SplitV', splitVKernel(tf, original('SplitV'))],
  ];
  for (const [name, func] of kernels) {
    replacements.set(`${BACKEND}/${name}`, func);
    install(tf, BACKEND, name, func);
  }
  registerLstmKernels(tf, BACKEND);
  registerAdamKernel(tf, BACKEND);
  registerBatchNormKernels(tf);
  registerDropoutMaskKernel(tf);
  registered = true;
}

/** Registers the cpu backend's faster Conv2DBackpropFilter; idempotent. */
export function registerCpuKernels(tf: TF): void {
  if (cpuRegistered) return;
  rememberOriginals(tf, 'cpu', OVERRIDDEN_CPU_KERNELS);
  replacements.set('cpu/Conv2DBackpropFilter', conv2dBackpropFilter(tf));
  install(tf, 'cpu', 'Conv2DBackpropFilter', replacements.get('cpu/Conv2DBackpropFilter')!);
  install(tf, 'cpu', SUM_OF_SQUARES, sumOfSquaresKernel());
  registerLstmKernels(tf, 'cpu');
  registerAdamKernel(tf, 'cpu');
  cpuRegistered = true;
}

/**
 * Switches the speed overrides of `backendName` (not the kernels wasm lacks) on or off, e.g. to
 * measure them or to compare with the original kernel; on once registered.
 */
export function useKernelOverrides(
  tf: TF,
  backendName: 'wasm' | 'cpu',
  enabled: boolean,
  names: readonly string[] = backendName === 'wasm' ? OVERRIDDEN_WASM_KERNELS : OVERRIDDEN_CPU_KERNELS,
): void {
  for (const name of names) {
    const key = `${backendName}/${name}`;
    const func = (enabled ? replacements : originals).get(key);
    if (!func) throw new Error(`${key} is not an overridden kernel, or its backend was not initialized`);
    install(tf, backendName, name, func);
  }
}

/** useKernelOverrides for wasm. */
export function useWasmOverrides(tf: TF, enabled: boolean, names: readonly string[] = OVERRIDDEN_WASM_KERNELS): void {
  useKernelOverrides(tf, 'wasm', enabled, names);
}
