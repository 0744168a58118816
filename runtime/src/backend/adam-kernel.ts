// Adam / AdamW's update of EVERY parameter in one kernel (wasm and cpu), instead of ~14 tf ops
// per parameter tensor (each a kernel call with its allocation and bookkeeping): on the MNIST
// MLP that was 60 of a step's ~140 kernel calls. Every operation is rounded to float32
// (Math.fround) in the same order as the tf ops of train/optimizers.ts' adamRule, and float32
// +, −, ×, ÷ and √ are correctly rounded on both backends, so the results are bit-identical to
// the tf-op path (runtime/test/fused-update.test.ts checks it).
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import { allocateFloat32, float32View } from './tensor-memory.js';
import { heapOffset, simdHelper, simdKernels } from './simd-kernels.js';

type TensorInfo = tfTypes.TensorInfo;
type KernelFunc = tfTypes.KernelFunc;

export const ADAM_UPDATE = 'RegNetAdamUpdate';

/** Attributes: the step's float32 constants, and per parameter its decay factor 1 − lr·wd (1: none). */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  eps: number;
  /** √(1 − β2^t) */
  biasCorrection2Sqrt: number;
  /** lr / (1 − β1^t) */
  stepSize: number;
  decayFactors: number[];
  /** false on the first step: the moments start at 0 and are not inputs. */
  hasMoments: boolean;
}

const f = Math.fround;

/**
 * Parameters this large are updated partly on the helper thread (each element alike on either):
 * waking the helper costs ~0.2 ms on a VM, about what the MNIST MLP's 200,000 weights take.
 */
const SPLIT_MIN_ELEMENTS = 1 << 20;

/** One parameter tensor; a plain function with no branches in the loop (~3x faster than a closure with them). */
function adamLoop(
  w: Float32Array, g: Float32Array, m0: Float32Array, v0: Float32Array,
  wOut: Float32Array, mOut: Float32Array, vOut: Float32Array,
  B1: number, C1: number, B2: number, C2: number, BC2: number, EPS: number, STEP: number, decay: number,
): void {
  const n = g.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const m = f(f(m0[i]! * B1) + f(gi * C1));
    const v = f(f(v0[i]! * B2) + f(f(gi * gi) * C2));
    const denom = f(f(f(Math.sqrt(v)) / BC2) + EPS);
    // w·1 is w exactly, so no decay costs no branch.
    wOut[i] = f(w[i]! * decay) - f(f(m / denom) * STEP);
    mOut[i] = m;
    vOut[i] = v;
  }
}

function adamUpdateKernel(): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as AdamUpdateAttrs;
    const count = a.decayFactors.length;
    const infos = (name: string) => Array.from({ length: count }, (_, i) => (inputs as Record<string, TensorInfo>)[`${name}${i}`]!);
    const [w, g] = [infos('w'), infos('g')];
    const [m0, v0] = a.hasMoments ? [infos('m'), infos('v')] : [[], []];
    const outs = allocateFloat32(backend, w.flatMap((t) => [t.shape, t.shape, t.shape]));
    const view = (info: TensorInfo) => float32View(backend, info);
    const B1 = f(a.beta1);
    const C1 = f(1 - a.beta1);
    const B2 = f(a.beta2);
    const C2 = f(1 - a.beta2);
    const EPS = f(a.eps);
    const BC2 = f(a.biasCorrection2Sqrt);
    const STEP = f(a.stepSize);
    const simd = simdKernels(backend);
    if (simd) {
      const at = (info: TensorInfo) => heapOffset(backend, info);
      for (let p = 0; p < count; p++) {
        const n = g[p]!.shape.reduce((x, y) => x * y, 1);
        const [m, v] = a.hasMoments ? [at(m0[p]!), at(v0[p]!)] : [0, 0];
        const pointers = [at(w[p]!), at(g[p]!), m, v, at(outs[3 * p]!), at(outs[3 * p + 1]!), at(outs[3 * p + 2]!)];
        // elements [start, start + length) of every array
        const part = (start: number, length: number) => [
          ...pointers.map((pointer) => (pointer === 0 ? 0 : pointer + 4 * start)),
          length, a.hasMoments ? 1 : 0, B1, C1, B2, C2, BC2, EPS, STEP, f(a.decayFactors[p]!),
        ];
        const helper = n >= SPLIT_MIN_ELEMENTS ? simdHelper(backend) : undefined;
        if (helper) helper.split(simd, 'adam', n, 4, (from, to) => part(from, to - from)); // (whole 4-lane vectors in the first part)
        else simd.adam(...(part(0, n) as Parameters<typeof simd.adam>));
      }
      return outs;
    }
    const zeros = a.hasMoments ? null : new Float32Array(Math.max(...g.map((t) => t.shape.reduce((x, y) => x * y, 1))));
    for (let p = 0; p < count; p++) {
      adamLoop(
        view(w[p]!),
        view(g[p]!),
        zeros ?? view(m0[p]!),
        zeros ?? view(v0[p]!),
        view(outs[3 * p]!),
        view(outs[3 * p + 1]!),
        view(outs[3 * p + 2]!),
        B1, C1, B2, C2, BC2, EPS, STEP, f(a.decayFactors[p]!),
      );
    }
    return outs;
  };
}

/**
 * The largest parameter tensor worth the fused update on the active backend: any size with the
 * SIMD kernel (wasm); else 32,768 elements, where the JavaScript loop (~11 ns an element) still
 * beats Adam's 14 tf ops (~15 µs of overhead each plus ~1 ns an element).
 */
export function fusedAdamMaxSize(tf: TF): number {
  return simdKernels(tf.backend()) ? Infinity : 32768;
}

/** Registers the fused Adam update on a backend (wasm or cpu); idempotent. */
export function registerAdamKernel(tf: TF, backendName: 'wasm' | 'cpu'): void {
  if (tf.getKernel(ADAM_UPDATE, backendName) == null) tf.registerKernel({ kernelName: ADAM_UPDATE, backendName, kernelFunc: adamUpdateKernel() });
}
