// Losses, target encoding and metrics. Every loss is the mean over the batch (and, for
// mse, over the target components, as torch.nn.MSELoss), written out so that it is
// PyTorch's arithmetic:
// - crossentropy from logits: -Σ_k t_k · log_softmax(z)_k, where a label-smoothed
//   target is t = (1-ε)·onehot + ε/K (torch.nn.CrossEntropyLoss(label_smoothing=ε));
// - crossentropy from probabilities (a softmax last layer): -Σ_k t_k · log(clip(p, 1e-7, 1-1e-7))
//   (Keras' clipping, so a saturated softmax gives a large finite loss, not Infinity);
// - binary_crossentropy: per component, from logits in the stable form
//   max(z,0) - z·t + log(1 + e^-|z|) (torch.nn.BCEWithLogitsLoss), or from sigmoid
//   probabilities with the same clipping; label smoothing is Keras' t·(1-ε) + ε/2;
// - mse: mean of (y - ŷ)².
import type * as tfTypes from '@tensorflow/tfjs';
import type { TrainConfig } from '@regnet/compiler';
import type { TF } from '../contracts.js';
import { numberHyperparameter } from './args.js';

type Tensor = tfTypes.Tensor;

export type LossKind = 'crossentropy' | 'binary_crossentropy' | 'mse';

const PROBABILITY_EPSILON = 1e-7;

export interface LossSpec {
  kind: LossKind;
  fromLogits: boolean;
  labelSmoothing: number;
}

export function lossSpec(loss: TrainConfig['loss']): LossSpec {
  const kind = loss.kind;
  if (kind !== 'crossentropy' && kind !== 'binary_crossentropy' && kind !== 'mse') {
    throw new Error(`unknown loss '${kind}' (expected crossentropy, binary_crossentropy or mse)`);
  }
  const labelSmoothing = numberHyperparameter(loss.args ?? {}, 'label_smoothing', 0, `loss ${kind}`);
  if (labelSmoothing < 0 || labelSmoothing >= 1) throw new Error(`loss ${kind}: label_smoothing must be in [0, 1)`);
  return { kind, fromLogits: loss.fromLogits, labelSmoothing };
}

/**
 * Turns a batch's labels into the float targets the loss compares with the model's
 * output (`outputShape` excludes the batch): class indices become (smoothed) one-hot
 * rows, or a `[B, 1]` column for a one-unit binary output; regression targets are
 * reshaped to the output's shape.
 */
export function encodeTargets(tf: TF, y: Tensor, outputShape: number[], spec: LossSpec, classification: boolean): Tensor {
  return tf.tidy(() => {
    if (!classification) return tf.reshape(tf.cast(y, 'float32'), [y.shape[0]!, ...outputShape]);
    const units = outputShape[outputShape.length - 1] ?? 1;
    const labels = tf.cast(tf.reshape(y, [-1]), 'int32');
    const target =
      units === 1 ? tf.reshape(tf.cast(labels, 'float32'), [-1, 1]) : tf.oneHot(labels, units).toFloat();
    return smoothTargets(tf, target, spec);
  });
}

/** Label smoothing of float targets (one-hot or already soft, e.g. after mixup). */
export function smoothTargets(tf: TF, target: Tensor, spec: LossSpec): Tensor {
  const eps = spec.labelSmoothing;
  if (eps === 0 || spec.kind === 'mse') return target;
  return tf.tidy(() => {
    // Crossentropy spreads ε over the K classes; binary crossentropy over {0, 1}.
    const spread = spec.kind === 'crossentropy' ? eps / target.shape[target.shape.length - 1]! : eps / 2;
    return tf.add(tf.mul(target, 1 - eps), spread);
  });
}

/** The mean loss over the batch, as a scalar. `target` is already encoded (and smoothed). */
export function computeLoss(tf: TF, spec: LossSpec, target: Tensor, output: Tensor): tfTypes.Scalar {
  return tf.tidy(() => {
    switch (spec.kind) {
      case 'crossentropy': {
        const logProbs = spec.fromLogits
          ? tf.logSoftmax(output)
          : tf.log(tf.clipByValue(output, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON));
        return tf.neg(tf.mean(tf.sum(tf.mul(target, logProbs), -1)));
      }
      case 'binary_crossentropy': {
        if (spec.fromLogits) {
          const z = output;
          const perComponent = tf.add(
            tf.sub(tf.relu(z), tf.mul(z, target)),
            tf.log1p(tf.exp(tf.neg(tf.abs(z)))),
          );
          return tf.mean(perComponent);
        }
        const p = tf.clipByValue(output, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
        const perComponent = tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log1p(tf.neg(p))));
        return tf.neg(tf.mean(perComponent));
      }
      case 'mse':
        return tf.mean(tf.squaredDifference(output, target));
    }
  }) as tfTypes.Scalar;
}

export const KNOWN_METRICS = ['accuracy', 'mae', 'mse'] as const;

export function checkMetrics(metrics: string[]): void {
  for (const metric of metrics) {
    if (!(KNOWN_METRICS as readonly string[]).includes(metric)) {
      throw new Error(`unknown metric '${metric}' (expected one of ${KNOWN_METRICS.join(', ')})`);
    }
  }
}

/**
 * Batch means of the metrics, as scalars. Accuracy compares the arg-max of output and
 * target (a one-unit binary output: output above 0 for logits / 0.5 for probabilities
 * against target above 0.5), so it is unaffected by label smoothing or mixup.
 */
export function computeMetrics(
  tf: TF,
  spec: LossSpec,
  metrics: string[],
  target: Tensor,
  output: Tensor,
): Record<string, tfTypes.Scalar> {
  const out: Record<string, tfTypes.Scalar> = {};
  for (const metric of metrics) {
    out[metric] = tf.tidy(() => {
      switch (metric) {
        case 'accuracy': {
          const units = output.shape[output.shape.length - 1];
          if (units === 1 && spec.kind !== 'mse') {
            const threshold = spec.fromLogits ? 0 : 0.5;
            return tf.mean(tf.equal(tf.greater(output, threshold), tf.greater(target, 0.5)).toFloat());
          }
          if (units === 1) return tf.mean(tf.equal(tf.round(output), tf.round(target)).toFloat());
          return tf.mean(tf.equal(tf.argMax(output, -1), tf.argMax(target, -1)).toFloat());
        }
        case 'mae':
          return tf.mean(tf.abs(tf.sub(output, target)));
        case 'mse':
          return tf.mean(tf.squaredDifference(output, target));
        default:
          throw new Error(`unknown metric '${metric}'`);
      }
    }) as tfTypes.Scalar;
  }
  return out;
}
