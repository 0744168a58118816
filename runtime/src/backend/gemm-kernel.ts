// Matrix products on RegNet's own SIMD GEMM (simd/gemm.wat) instead of tfjs-backend-wasm's
// XNNPACK operator. XNNPACK packs its "weights" operand (b) into its own layout whenever b is a
// new tensor, which in training is every step (the weights change, the gradients are new): on
// the MNIST MLP that doubled the time of the 784×256 product. The GEMM reads A (or A's
// transpose) and B where they are, splits C's rows with the helper thread, and adds the products
// in XNNPACK's order, so results are bit-identical to tfjs' matMul (runtime/test/gemm-kernel.test.ts).
import type * as tfTypes from '@tensorflow/tfjs';
import { allocateFloat32 } from './tensor-memory.js';
import { heapOffset, simdHelper, simdKernels } from './simd-kernels.js';

type TensorInfo = tfTypes.TensorInfo;

/** Below this many multiply-adds the hand-off to the helper thread (~20 µs) costs more than it saves. */
const SPLIT_MIN_PRODUCTS = 1 << 18;

const sizeOf = (shape: number[]) => shape.reduce((p, q) => p * q, 1);

/**
 * a [..., M, K] (or [..., K, M] with transposeA) times b [..., K, N], plus bias [N] when given,
 * as [..., M, N]; every leading dimension must be 1. Undefined where the GEMM does not apply
 * (another backend, kernels not built, other dtypes or shapes): the caller runs tfjs' kernel.
 */
export function simdMatMul(backend: unknown, a: TensorInfo, b: TensorInfo, transposeA: boolean, bias?: TensorInfo): TensorInfo | undefined {
  const simd = simdKernels(backend);
  if (!simd || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const lead = (t: TensorInfo) => t.shape.slice(0, -2);
  if (![...lead(a), ...lead(b)].every((d) => d === 1)) return undefined;
  const [r, c] = a.shape.slice(-2) as [number, number];
  const [M, K] = transposeA ? [c, r] : [r, c];
  const [Kb, N] = b.shape.slice(-2) as [number, number];
  if (Kb !== K) return undefined;
  if (bias && (bias.dtype !== 'float32' || sizeOf(bias.shape) !== N || bias.shape[bias.shape.length - 1] !== N)) return undefined;
  const outLead = a.shape.length >= b.shape.length ? lead(a) : lead(b);
  const [out] = allocateFloat32(backend, [[...outLead, M, N]]);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  // A[i, k] at a + i·sai + k·sak (bytes)
  const [sai, sak] = transposeA ? [4, 4 * M] : [4 * K, 4];
  const rows = (m0: number, m1: number) => [at(a), sai, sak, at(b), bias ? at(bias) : 0, at(out!), K, N, m0, m1];
  const helper = M >= 8 && M * K * N >= SPLIT_MIN_PRODUCTS ? simdHelper(backend) : undefined;
  if (helper) {
    const half = (M >> 3) << 2; // a multiple of the GEMM's 4-row tiles
    helper.runBoth(simd, 'gemm', rows(0, half), rows(half, M));
  } else {
    simd.gemm(...(rows(0, M) as Parameters<typeof simd.gemm>));
  }
  return out;
}
