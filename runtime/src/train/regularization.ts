// The regularization penalty added to the loss: for each kernel weight w with its
// layer's λ1 and λ2, λ1·Σ|w| + λ2/2·Σw² (so the gradient of the L2 term is λ2·w and
// plain sgd with l2(λ) follows the same path as weight_decay: λ).
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';

export interface PenalizedWeight {
  variable: tfTypes.Tensor;
  l1: number;
  l2: number;
}

/** The total penalty as a scalar, or null when no weight is penalized. */
export function regularizationPenalty(tf: TF, weights: PenalizedWeight[]): tfTypes.Scalar | null {
  const active = weights.filter((w) => w.l1 > 0 || w.l2 > 0);
  if (active.length === 0) return null;
  return tf.tidy(() => {
    let total: tfTypes.Scalar = tf.scalar(0);
    for (const { variable, l1, l2 } of active) {
      if (l1 > 0) total = tf.add(total, tf.mul(tf.sum(tf.abs(variable)), l1));
      if (l2 > 0) total = tf.add(total, tf.mul(tf.sum(tf.square(variable)), l2 / 2));
    }
    return total;
  });
}
