// Adam / AdamW's update of EVERY parameter in one kernel (wasm and cpu), instead of ~14 tf ops
// per parameter tensor (each a kernel call with its allocation and bookkeeping): on the MNIST
// MLP that was 60 of a step's ~140 kernel calls. Every operation is rounded to float32
// (Math.fround) in the same order as the tf ops of train/optimizers.ts' adamRule, and float32
// +, −, ×, ÷ and √ are correctly rounded on both backends, so the results are bit-identical to
// the tf-op path (runtime/test/fused-update.test.ts checks it).
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import { allocateFloat32, float32View } from './tensor-memory.js';

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
    for (let p = 0; p < count; p++) {
      const wv = view(w[p]!);
      const gv = view(g[p]!);
      const mv = a.hasMoments ? view(m0[p]!) : null;
      const vv = a.hasMoments ? view(v0[p]!) : null;
      const wOut = view(outs[3 * p]!);
      const mOut = view(outs[3 * p + 1]!);
      const vOut = view(outs[3 * p + 2]!);
      const decay = f(a.decayFactors[p]!);
      const decays = decay !== 1;
      for (let i = 0; i < gv.length; i++) {
        const gi = gv[i]!;
        const m = f(f((mv ? mv[i]! : 0) * B1) + f(gi * C1));
        const v = f(f((vv ? vv[i]! : 0) * B2) + f(f(gi * gi) * C2));
        const denom = f(f(f(Math.sqrt(v)) / BC2) + EPS);
        const delta = f(f(m / denom) * STEP);
        const wi = decays ? f(wv[i]! * decay) : wv[i]!;
        wOut[i] = wi - delta;
        mOut[i] = m;
        vOut[i] = v;
      }
    }
    return outs;
  };
}

/** Registers the fused Adam update on a backend (wasm or cpu); idempotent. */
export function registerAdamKernel(tf: TF, backendName: 'wasm' | 'cpu'): void {
  if (tf.getKernel(ADAM_UPDATE, backendName) == null) tf.registerKernel({ kernelName: ADAM_UPDATE, backendName, kernelFunc: adamUpdateKernel() });
}
