// Matrix products on RegNet's own SIMD GEMM (simd/gemm.wat) instead of tfjs-backend-wasm's
// XNNPACK operator. XNNPACK packs its "weights" operand (b) into its own layout whenever b is a
// new tensor, which in training is every step (the weights change, the gradients are new): on
// the MNIST MLP that doubled the time of the 784×256 product. The GEMM reads A (or A's
// transpose) and B where they are, splits C's rows with the helper thread, and adds the products
// in XNNPACK's order, so results are bit-identical to tfjs' matMul (runtime/test/gemm-kernel.test.ts).
// A mostly-zero A (MNIST's pixels, a ReLU's outputs) skips its zeros (simd/sparse-gemm.wat), with
// the same result bit for bit (runtime/test/sparse-gemm.test.ts).
import type * as tfTypes from '@tensorflow/tfjs';
import type { PatchGeometry } from './heap-kernels.js';
import { allocateFloat32, float32View } from './tensor-memory.js';
import { heapOffset, simdHelper, simdKernels, withScratch, type SimdKernels } from './simd-kernels.js';

type TensorInfo = tfTypes.TensorInfo;

/** Below this many multiply-adds (~0.1 ms of work) waking the helper thread (0.1–0.2 ms on a VM) costs more than it saves. */
const SPLIT_MIN_PRODUCTS = 1 << 21;

/**
 * A product skips A's zeros (simd/sparse-gemm.wat) when at most this share of A is nonzero: a
 * nonzero's multiply-adds cost about 1.6 times a dense product's (B's rows are read scattered,
 * and A's nonzeros are listed first); counting them costs ~1% of the product.
 */
const SPARSE_MAX_DENSITY = 0.5;
/** Below this many multiply-adds the counting is not worth it. */
const SPARSE_MIN_PRODUCTS = 1 << 16;
/** Narrower products (a layer of 10 classes) gain nothing: listing the nonzeros costs what skipping saves. */
const SPARSE_MIN_COLUMNS = 32;

const sizeOf = (shape: number[]) => shape.reduce((p, q) => p * q, 1);

/**
 * Whether simdMatMul takes these operands (the kernels built, float32, every leading dimension
 * 1, a bias as long as a row of the product): callers check before transposing b for it.
 */
export function simdMatMulTakes(backend: unknown, a: TensorInfo, b: TensorInfo, bias?: TensorInfo, transposeB = false): boolean {
  if (!simdKernels(backend) || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return false;
  if (![...a.shape.slice(0, -2), ...b.shape.slice(0, -2)].every((d) => d === 1)) return false;
  const N = b.shape[b.shape.length - (transposeB ? 2 : 1)]!;
  return !bias || (bias.dtype === 'float32' && sizeOf(bias.shape) === N && bias.shape[bias.shape.length - 1] === N);
}

/**
 * a [..., M, K] (or [..., K, M] with transposeA) times b [..., K, N], plus bias [N] when given,
 * as [..., M, N]; every leading dimension must be 1. Undefined where the GEMM does not apply
 * (another backend, kernels not built, other dtypes or shapes): the caller runs tfjs' kernel.
 */
export function simdMatMul(backend: unknown, a: TensorInfo, b: TensorInfo, transposeA: boolean, bias?: TensorInfo): TensorInfo | undefined {
  const simd = simdKernels(backend);
  if (!simd || !simdMatMulTakes(backend, a, b, bias)) return undefined;
  const lead = (t: TensorInfo) => t.shape.slice(0, -2);
  const [r, c] = a.shape.slice(-2) as [number, number];
  const [M, K] = transposeA ? [c, r] : [r, c];
  const [Kb, N] = b.shape.slice(-2) as [number, number];
  if (Kb !== K) return undefined;
  const outLead = a.shape.length >= b.shape.length ? lead(a) : lead(b);
  const [out] = allocateFloat32(backend, [[...outLead, M, N]]);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  const nonzeros = sparseNonzeros(backend, a, b, bias);
  if (nonzeros !== undefined) {
    // Each part lists its rows' nonzeros in its own scratch, of at most partBytes (simd-kernels.ts)
    const partBytes = 4 * (M + 1) + 8 * (nonzeros + 1);
    withScratch(backend, (2 * partBytes) / 4, (scratch) => {
      const rows = (m0: number, m1: number) => {
        const own = m0 === 0 ? scratch : scratch + partBytes;
        return transposeA
          ? [at(a), K, M, at(b), bias ? at(bias) : 0, at(out!), N, m0, m1, own]
          : [at(a), K, at(b), bias ? at(bias) : 0, at(out!), N, m0, m1, own];
      };
      splitRows(backend, simd, transposeA ? 'sparse_gemm_transposed' : 'sparse_gemm', rows, M, nonzeros * N);
    });
    return out;
  }
  // A[i, k] at a + i·sai + k·sak (bytes)
  const [sai, sak] = transposeA ? [4, 4 * M] : [4 * K, 4];
  const rows = (m0: number, m1: number) => [at(a), sai, sak, at(b), bias ? at(bias) : 0, at(out!), K, N, m0, m1, 0];
  splitRows(backend, simd, 'gemm', rows, M, M * K * N);
  return out;
}

/** Runs rows [0, M) of a product, split with the helper thread when there are `work` multiply-adds to share. */
function splitRows(backend: unknown, simd: SimdKernels, kernel: 'gemm' | 'sparse_gemm' | 'sparse_gemm_transposed', rows: (m0: number, m1: number) => number[], M: number, work: number): void {
  const helper = M >= 8 && work >= SPLIT_MIN_PRODUCTS ? simdHelper(backend) : undefined;
  if (helper) helper.split(simd, kernel, M, kernel === 'gemm' ? 4 : 1, rows); // (the GEMM's tiles are 4 rows)
  else (simd[kernel] as (...args: number[]) => void)(...rows(0, M));
}

/**
 * The number of a's nonzeros when the product a·b (+ bias) skips a's zeros; undefined when it
 * runs dense: a too dense, the product too small or too narrow for skipping to pay, or a result that
 * could differ from the dense one. Skipping gives the dense result bit for bit when b is finite
 * (a zero times an infinity or NaN is NaN, not ±0) and no bias is -0 (the one start from which
 * adding a skipped +0 would change a sum, to +0). a and b as simdMatMul takes them.
 */
export function sparseNonzeros(backend: unknown, a: TensorInfo, b: TensorInfo, bias?: TensorInfo): number | undefined {
  const simd = simdKernels(backend);
  const size = sizeOf(a.shape);
  const N = b.shape[b.shape.length - 1]!;
  if (!simd || N < SPARSE_MIN_COLUMNS || size * N < SPARSE_MIN_PRODUCTS) return undefined;
  if (bias && float32View(backend, bias).some((v) => v === 0 && 1 / v < 0)) return undefined;
  if (simd.all_finite(heapOffset(backend, b), sizeOf(b.shape)) !== 1) return undefined;
  const nonzeros = simd.nonzero_count(heapOffset(backend, a), size);
  return nonzeros <= SPARSE_MAX_DENSITY * size ? nonzeros : undefined;
}

/** Elements of one chunk's patch matrix (8 MB): it is written, then read while still in cache. */
const PATCH_CHUNK_ELEMENTS = 1 << 21;

/**
 * A convolution's filter gradient as one long matrix product, dW[(i,j,c), o] =
 * Σ_(b,y,x) P[(b,y,x), (i,j,c)] · dy[(b,y,x), o], with P the im2col matrix of x
 * (simd/patches.wat), built a few images at a time: each chunk's product is added to dW in
 * order of (b, y, x), so the result is the one product over the whole batch, bit for bit,
 * without its matrix (150 MB at CIFAR's second layer). Both steps are split with the helper
 * thread (images, then rows of dW). x [B, H, W, C] and dy [B, outH, outW, Cout] are
 * channels-last; the result is [kh·kw·C, Cout]. Undefined where the kernels are not built.
 */
export function simdFilterGradient(backend: unknown, x: TensorInfo, dy: TensorInfo, g: PatchGeometry): TensorInfo | undefined {
  const simd = simdKernels(backend);
  if (!simd || x.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const outChannels = dy.shape[3]!;
  const rows = g.kh * g.kw * channels;
  const perImage = g.outH * g.outW;
  const chunk = Math.max(1, Math.min(batch, Math.floor(PATCH_CHUNK_ELEMENTS / (rows * perImage))));
  const [out] = allocateFloat32(backend, [[rows, outChannels]]);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  const helper = simdHelper(backend);
  const imageBytes = 4 * height * width * channels;
  const patchBytes = 4 * perImage * rows;
  withScratch(backend, chunk * perImage * rows, (patches) => {
    // P's images [from, from + count) of the chunk starting at image b0
    const patchArgs = (b0: number, from: number, count: number) => [
      at(x) + (b0 + from) * imageBytes, patches + from * patchBytes, count, height, width, channels,
      g.outH, g.outW, g.kh, g.kw, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft,
    ];
    for (let b0 = 0; b0 < batch; b0 += chunk) {
      const images = Math.min(chunk, batch - b0);
      if (helper && images >= 2) {
        helper.split(simd, 'patches', images, 1, (from, to) => patchArgs(b0, from, to - from));
      } else {
        simd.patches(...(patchArgs(b0, 0, images) as Parameters<typeof simd.patches>));
      }
      // A = Pᵀ: A[(i,j,c), (b,y,x)] at P + 4·(i,j,c) + 4·rows·(b,y,x)
      const K = images * perImage;
      const part = (m0: number, m1: number) => [patches, 4, 4 * rows, at(dy) + 4 * b0 * perImage * outChannels, 0, at(out!), K, outChannels, m0, m1, b0 > 0 ? 1 : 0];
      if (helper && rows >= 8) helper.split(simd, 'gemm', rows, 4, part);
      else simd.gemm(...(part(0, rows) as Parameters<typeof simd.gemm>));
    }
  });
  return out!;
}
