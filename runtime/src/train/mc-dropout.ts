// Monte Carlo dropout (Gal & Ghahramani 2016): the model evaluated as an ensemble of
// the thinned networks its dropout masks define. Each of N passes keeps dropout on
// (normalization stays in inference mode); the predicted probabilities are averaged,
// and the averaged prediction is scored like a single model. The spread of the N
// passes' own scores says how much one mask's network varies.
import type * as tfTypes from '@tensorflow/tfjs';
import type { TrainConfig } from '@regnet/compiler';
import type { Split, TF } from '../contracts.js';
import { SeededDropout } from '../layers/index.js';
import { computeLoss, computeMetrics, encodeTargets, lossSpec, type LossSpec } from './losses.js';
import { outputShape } from './loop.js';

type Tensor = tfTypes.Tensor;

/** Mask stream of the Monte Carlo passes: far from the training calls' counters, the same for every evaluation. */
const MC_STREAM = 1 << 30;

export interface MonteCarloResult {
  /** Loss and metrics of the averaged prediction, e.g. `{ loss, accuracy }`. */
  ensemble: Record<string, number>;
  /** Each pass's own loss and metrics: mean and standard deviation over the passes. */
  mean: Record<string, number>;
  std: Record<string, number>;
  samples: number;
  /** How many dropout layers were sampled (0: every pass is the deterministic one). */
  dropoutLayers: number;
}

/** The model's output as probabilities (or as is, for regression), so that passes can be averaged. */
function toProbabilities(tf: TF, spec: LossSpec, output: Tensor): Tensor {
  if (!spec.fromLogits || spec.kind === 'mse') return output;
  return spec.kind === 'crossentropy' ? tf.softmax(output) : tf.sigmoid(output);
}

/** The layers Monte Carlo dropout samples: `dropout` and `spatial_dropout`. */
function dropoutLayers(model: tfTypes.LayersModel): SeededDropout[] {
  return model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
}

export function evaluateMonteCarlo(
  tf: TF,
  model: tfTypes.LayersModel,
  split: Split,
  train: TrainConfig,
  samples: number,
  classes?: number,
): MonteCarloResult {
  if (!(Number.isInteger(samples) && samples >= 1)) throw new Error(`Monte Carlo samples must be a positive integer, got ${samples}`);
  if (split.size === 0) throw new Error('cannot evaluate on an empty split');
  const spec = lossSpec(train.loss);
  // The averaged prediction is a probability (or a regression output): score it as one.
  const averagedSpec: LossSpec = { ...spec, fromLogits: false };
  const classification = classes !== undefined ? classes > 0 : split.y.dtype === 'int32';
  const outShape = outputShape(model);
  const batchSize = Math.max(1, Math.floor(train.batchSize));
  const keys = ['loss', ...train.metrics];
  const ensembleSums = new Array<number>(keys.length).fill(0);
  const passSums = Array.from({ length: samples }, () => new Array<number>(keys.length).fill(0));
  const layers = dropoutLayers(model);
  const saved = layers.map((l) => l.noiseCalls);
  layers.forEach((l) => {
    l.monteCarlo = true;
    l.noiseCalls = MC_STREAM;
  });
  try {
    for (let start = 0; start < split.size; start += batchSize) {
      const size = Math.min(batchSize, split.size - start);
      const scores = tf.tidy(() => {
        const x = tf.slice(split.x, start, size);
        const y = encodeTargets(tf, tf.slice(split.y, start, size), outShape, spec, classification);
        const score = (s: LossSpec, output: Tensor) => {
          const metrics = computeMetrics(tf, s, train.metrics, y, output);
          return tf.stack([computeLoss(tf, s, y, output), ...train.metrics.map((m) => metrics[m]!)]);
        };
        const perPass: Tensor[] = [];
        let sum: Tensor | undefined;
        for (let s = 0; s < samples; s++) {
          const output = model.apply(x, { training: false }) as Tensor;
          perPass.push(score(spec, output));
          const p = toProbabilities(tf, spec, output);
          sum = sum ? tf.add(sum, p) : p;
        }
        return tf.stack([score(averagedSpec, tf.div(sum!, samples)), ...perPass]);
      });
      const numbers = scores.dataSync();
      scores.dispose();
      keys.forEach((_, k) => (ensembleSums[k]! += numbers[k]! * size));
      for (let s = 0; s < samples; s++) keys.forEach((_, k) => (passSums[s]![k]! += numbers[(s + 1) * keys.length + k]! * size));
    }
  } finally {
    layers.forEach((l, i) => {
      l.monteCarlo = false;
      l.noiseCalls = saved[i]!;
    });
  }
  const ensemble: Record<string, number> = {};
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  keys.forEach((key, k) => {
    ensemble[key] = ensembleSums[k]! / split.size;
    const values = passSums.map((p) => p[k]! / split.size);
    const m = values.reduce((a, b) => a + b, 0) / samples;
    mean[key] = m;
    std[key] = samples > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (samples - 1)) : 0;
  });
  return { ensemble, mean, std, samples, dropoutLayers: layers.length };
}

/** The summary's flat form: the ensemble's metrics, then `pass_<metric>` means and `<metric>_std` spreads. */
export function monteCarloValues(result: MonteCarloResult): Record<string, number> {
  const out: Record<string, number> = { ...result.ensemble };
  for (const [key, value] of Object.entries(result.mean)) out[`pass_${key}`] = value;
  for (const [key, value] of Object.entries(result.std)) out[`${key}_std`] = value;
  out.samples = result.samples;
  return out;
}
