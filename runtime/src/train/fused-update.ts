// One kernel call updates every parameter (and its Adam moments) per step, where the backend
// has the fused Adam kernel (backend/adam-kernel.ts: wasm and cpu); bit-identical to the
// per-parameter tf ops of optimizers.ts' adamRule, which remain for other backends and for
// REGNET_FUSED_UPDATE=0.
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../backend/adam-kernel.js';

type Tensor = tfTypes.Tensor;

export interface AdamHyper {
  beta1: number;
  beta2: number;
  eps: number;
}

export interface FusedEntry {
  variable: tfTypes.Variable;
  grad: Tensor;
  /** exp_avg and exp_avg_sq from the previous step, if any. */
  slots?: Record<string, Tensor>;
  /** Decoupled weight decay's factor 1 − lr·wd (1 for none). */
  decayFactor: number;
}

export function canFuseAdam(tf: TF): boolean {
  return process.env.REGNET_FUSED_UPDATE !== '0' && tf.getKernel(ADAM_UPDATE, tf.getBackend()) != null;
}

/** Assigns every variable its updated value; returns each entry's new slots (kept, not disposed by a scope). */
export function fusedAdamStep(tf: TF, entries: FusedEntry[], hyper: AdamHyper, lr: number, step: number): Record<string, Tensor>[] {
  const hasMoments = entries.some((e) => e.slots?.exp_avg !== undefined);
  const inputs: Record<string, Tensor> = {};
  const zeros: Tensor[] = [];
  entries.forEach((e, i) => {
    inputs[`w${i}`] = e.variable;
    inputs[`g${i}`] = e.grad;
    if (!hasMoments) return;
    for (const [slot, name] of [['exp_avg', 'm'], ['exp_avg_sq', 'v']] as const) {
      const t = e.slots?.[slot] ?? tf.zerosLike(e.grad);
      if (!e.slots?.[slot]) zeros.push(t);
      inputs[`${name}${i}`] = t;
    }
  });
  const attrs: AdamUpdateAttrs = {
    ...hyper,
    biasCorrection2Sqrt: Math.sqrt(1 - Math.pow(hyper.beta2, step)),
    stepSize: lr / (1 - Math.pow(hyper.beta1, step)),
    decayFactors: entries.map((e) => e.decayFactor),
    hasMoments,
  };
  const outs = tf.engine().runKernel(ADAM_UPDATE, inputs as unknown as tfTypes.NamedTensorMap, attrs as unknown as tfTypes.NamedAttrMap) as Tensor[];
  tf.dispose(zeros);
  return entries.map((e, i) => {
    const [w, m, v] = [outs[3 * i]!, outs[3 * i + 1]!, outs[3 * i + 2]!];
    e.variable.assign(w);
    w.dispose();
    return { exp_avg: tf.keep(m), exp_avg_sq: tf.keep(v) };
  });
}
