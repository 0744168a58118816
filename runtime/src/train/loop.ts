// The training loop: our own (not model.fit) so that decoupled weight decay,
// global-norm clipping, schedules and label smoothing are exactly PyTorch's.
//
// One epoch: a seeded permutation of the training split, then per batch: one-hot +
// label smoothing, the augmentation hook, a forward pass in training mode (dropout,
// noise and batchnorm statistics active) under tf.variableGrads, loss + penalty,
// gradients, clipping, one optimizer step with the scheduled learning rate. Then the
// validation split in inference mode, an EpochRecord, best checkpoint and early
// stopping bookkeeping.
//
// Conventions (documented for metrics.jsonl readers):
// - `loss` / metrics are means over the epoch's training batches (weighted by batch
//   size), measured on the training-mode forward pass, as Keras reports them; `loss`
//   is the data loss without the regularization penalty, so runs with different
//   regularizers compare; `val_loss` likewise (with the same label smoothing).
// - `lr` is the learning rate of the epoch's first step; `grad_norm` is the mean
//   over the epoch's steps of the global gradient norm before clipping.
// - Epochs are 1-based in records, results and messages.
// - Randomness: one master generator seeded with `train.seed`; each epoch forks
//   independent streams for the shuffle, the augmentation and the tfjs random ops of
//   the forward pass (see seeded-random.ts), so a seed repeats a run bit for bit on
//   one backend and a resumed run continues the same sequence.
import type * as tfTypes from '@tensorflow/tfjs';
import type { TrainConfig } from '@regnet/compiler';
import type {
  Batch,
  EpochRecord,
  Split,
  TF,
  TrainCallbacks,
  TrainOptions,
  TrainResult,
  TrainState,
} from '../contracts.js';
import { Random } from '../random.js';
import { numberHyperparameter } from './args.js';
import { clipGradients, squaredGlobalNorm } from './clip.js';
import { checkMetrics, computeLoss, computeMetrics, encodeTargets, lossSpec, type LossSpec } from './losses.js';
import { checkMonitorable, MetricMonitor, monitoredKey, monitoredValue, type MonitorState } from './monitor.js';
import { createOptimizer, type OptimizerState } from './optimizers.js';
import { regularizationPenalty } from './regularization.js';
import { makeSchedule } from './schedules.js';
import { withSeededMathRandom } from './seeded-random.js';
import { WeightSnapshot } from './snapshots.js';
import { getNoiseState, setNoiseState } from '../layers/index.js';
import { trainableParams } from './weights.js';

type Tensor = tfTypes.Tensor;

/** TrainState plus what early stopping needs to resume (a superset: still a TrainState). */
export interface LoopState extends TrainState {
  optimizer: OptimizerState;
  rngState: number[];
  earlyStopping?: MonitorState;
  /** Training-call counters of the seeded noise layers (dropout, gaussian noise), by layer. */
  noise?: Record<string, number>;
}

/**
 * Callbacks with the epoch's resumable state: `onEpochEnd(record, state)` runs while
 * the model holds that epoch's weights, so saving both there is a complete `--resume` point.
 */
export interface LoopCallbacks extends TrainCallbacks {
  onEpochEnd?(record: EpochRecord, state?: LoopState): void | Promise<void>;
}

/** How long the loop runs steps before letting the event loop (signal handlers) run. */
const YIELD_EVERY_MS = 200;

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { tf, ir, model, data } = options;
  const config = ir.train;
  const callbacks = (options.callbacks ?? {}) as LoopCallbacks;
  const epochs = options.epochs ?? config.epochs;
  const spec = lossSpec(config.loss);
  checkMetrics(config.metrics);
  const classification = data.classes > 0;
  const outShape = outputShape(model);
  const trainSplit = data.train;
  if (trainSplit.size === 0) throw new Error('the training split is empty');
  const hasValidation = data.validation !== undefined && data.validation.size > 0;

  const params = trainableParams(model, ir);
  const optimizer = createOptimizer(
    tf,
    config.optimizer,
    params.map((p) => ({ name: p.name, key: p.key, variable: p.variable, decay: p.kernel })),
  );
  const baseLr = numberHyperparameter(config.optimizer.args ?? {}, 'lr', 0.001, `optimizer ${config.optimizer.kind}`);
  const schedule = makeSchedule(config.schedule, baseLr, epochs);
  const batchSize = Math.max(1, Math.floor(config.batchSize));
  const stepsPerEpoch = Math.ceil(trainSplit.size / batchSize);
  const variables = params.map((p) => p.variable);

  const resume = options.resume as LoopState | undefined;
  const rng = resume ? new Random(resume.rngState) : new Random(config.seed);
  if (resume) optimizer.setState(resume.optimizer);
  if (resume?.noise) setNoiseState(model, resume.noise);
  const history: EpochRecord[] = resume ? resume.history.slice() : [];

  const checkpointKey = monitoredKey(config.checkpointMonitor, hasValidation);
  checkMonitorable('the best checkpoint', checkpointKey, config.metrics, hasValidation);
  const checkpointMonitor = new MetricMonitor(checkpointKey, config.checkpointMode, 0, resume && {
    bestEpoch: resume.bestEpoch,
    bestValue: resume.bestValue,
    epochsWithoutImprovement: 0,
  });
  const es = config.earlyStopping;
  if (es) checkMonitorable('early_stopping', monitoredKey(es.monitor, hasValidation), config.metrics, hasValidation);
  const earlyStopping = es
    ? new MetricMonitor(monitoredKey(es.monitor, hasValidation), es.mode, es.minDelta, resume?.earlyStopping ?? (resume && {
        bestEpoch: resume.bestEpoch,
        bestValue: resume.bestValue,
        epochsWithoutImprovement: resume.epochsWithoutImprovement,
      }))
    : undefined;

  // Weight copies: the best checkpoint (always kept, so a non-finite loss can fall
  // back to it) and, with restore_best, early stopping's best epoch.
  let bestSnapshot: WeightSnapshot | undefined;
  let earlyStopSnapshot: WeightSnapshot | undefined;
  const releaseSnapshot = (snapshot: WeightSnapshot | undefined) => {
    if (snapshot && snapshot !== bestSnapshot && snapshot !== earlyStopSnapshot) snapshot.dispose();
  };

  const stateAfter = (epoch: number): LoopState => ({
    epoch,
    history: history.slice(),
    bestEpoch: checkpointMonitor.bestEpoch,
    bestValue: checkpointMonitor.bestValue,
    optimizer: optimizer.getState(),
    rngState: rng.getState(),
    epochsWithoutImprovement: earlyStopping?.epochsWithoutImprovement ?? 0,
    earlyStopping: earlyStopping?.state(),
    noise: getNoiseState(model),
  });

  let state: LoopState = resume ? { ...resume, history: history.slice() } : stateAfter(0);
  let stopReason: TrainResult['stopReason'] = 'completed';
  let nonFinite: TrainResult['nonFinite'];
  const firstEpoch = resume ? resume.epoch : 0;

  // The training targets, encoded (one-hot, smoothed) once for the run rather than per batch.
  const targets = encodedTargets(tf, trainSplit, outShape, spec, classification);
  let lastYield = performance.now();
  try {
    epochLoop: for (let e = firstEpoch; e < epochs; e++) {
      const epoch = e + 1;
      const started = performance.now();
      const orderRng = rng.fork();
      const augmentRng = rng.fork();
      const noiseRng = rng.fork();
      const order = ir.data.shuffle === false ? identity(trainSplit.size) : orderRng.permutation(trainSplit.size);

      const sums: Record<string, number> = { loss: 0 };
      for (const m of config.metrics) sums[m] = 0;
      let gradNormSum = 0;
      const firstLr = schedule(e, 0, stepsPerEpoch);

      for (let s = 0; s < stepsPerEpoch; s++) {
        // Steps are synchronous: give signal handlers (Ctrl-C) a chance to run now and then.
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
        if (callbacks.shouldStop?.()) {
          stopReason = 'interrupted';
          break epochLoop;
        }
        const indices = order.subarray(s * batchSize, Math.min((s + 1) * batchSize, trainSplit.size));
        const batch = makeBatch(tf, trainSplit, targets, indices, outShape, spec, classification, options.augment, augmentRng);
        const lr = schedule(e, s, stepsPerEpoch);
        const outcome = trainStep(tf, model, params, variables, spec, config, batch, noiseRng);
        disposeBatch(batch);

        if (!Number.isFinite(outcome.objective)) {
          outcome.dispose();
          stopReason = 'non_finite';
          nonFinite = { epoch, step: s + 1 };
          break epochLoop;
        }
        const clipped = clipGradients(tf, outcome.grads, config.clip, outcome.gradNorm);
        optimizer.apply(clipped.grads, lr);
        for (const [name, g] of Object.entries(clipped.grads)) if (g !== outcome.grads[name]) g.dispose();
        outcome.dispose();

        const size = indices.length;
        sums.loss! += outcome.loss * size;
        for (const m of config.metrics) sums[m]! += outcome.metrics[m]! * size;
        gradNormSum += clipped.norm;
        callbacks.onStep?.({ epoch, step: s + 1, steps: stepsPerEpoch, loss: outcome.loss });
      }

      // Key order of metrics.jsonl: epoch, loss, metrics, val_*, lr, grad_norm, seconds.
      const measured: Record<string, number> = { loss: sums.loss! / trainSplit.size };
      for (const m of config.metrics) measured[m] = sums[m]! / trainSplit.size;
      if (hasValidation) {
        const validation = evaluate(tf, model, data.validation!, config, data.classes);
        for (const [key, value] of Object.entries(validation)) measured[`val_${key}`] = value;
      }
      const record: EpochRecord = {
        epoch,
        ...measured,
        loss: measured.loss!,
        lr: firstLr,
        grad_norm: gradNormSum / stepsPerEpoch,
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);

      if (checkpointMonitor.update(epoch, monitoredValue(record, checkpointKey))) {
        const previous = bestSnapshot;
        bestSnapshot = WeightSnapshot.take(tf, model, epoch);
        releaseSnapshot(previous);
      }
      let stopEarly = false;
      if (earlyStopping && es) {
        if (earlyStopping.update(epoch, monitoredValue(record, earlyStopping.metric)) && es.restoreBest) {
          const previous = earlyStopSnapshot;
          earlyStopSnapshot = bestSnapshot?.epoch === epoch ? bestSnapshot : WeightSnapshot.take(tf, model, epoch);
          releaseSnapshot(previous);
        }
        stopEarly = earlyStopping.epochsWithoutImprovement >= es.patience;
      }

      state = stateAfter(epoch);
      await callbacks.onEpochEnd?.(record, state);
      if (stopEarly) {
        stopReason = 'early_stopping';
        break;
      }
      if (callbacks.shouldStop?.()) {
        stopReason = 'interrupted';
        break;
      }
    }

    // Which weights the result holds: early stopping's best with restore_best, else
    // the best checkpoint with `checkpoint: best` (or after a non-finite loss), else the last.
    const lastEpoch = history.length;
    let resultEpoch = lastEpoch;
    const chosen =
      es?.restoreBest && earlyStopSnapshot
        ? earlyStopSnapshot
        : (config.checkpoint === 'best' || stopReason === 'non_finite') && bestSnapshot
          ? bestSnapshot
          : undefined;
    if (chosen) {
      chosen.restore(model);
      resultEpoch = chosen.epoch;
    }
    return {
      history,
      resultEpoch,
      bestEpoch: checkpointMonitor.bestEpoch,
      stopReason,
      ...(nonFinite ? { nonFinite } : {}),
      state,
    };
  } finally {
    targets?.dispose();
    const snapshots = new Set([bestSnapshot, earlyStopSnapshot]);
    for (const snapshot of snapshots) snapshot?.dispose();
    optimizer.dispose();
  }
}

interface StepOutcome {
  /** Loss + penalty: what the gradients are of. */
  objective: number;
  /** Data loss alone. */
  loss: number;
  metrics: Record<string, number>;
  /** Global L2 norm of the gradients (float32, as torch computes it). */
  gradNorm: number;
  grads: Record<string, Tensor>;
  dispose(): void;
}

function trainStep(
  tf: TF,
  model: tfTypes.LayersModel,
  params: ReturnType<typeof trainableParams>,
  variables: tfTypes.Variable[],
  spec: LossSpec,
  config: TrainConfig,
  batch: Batch,
  noiseRng: Random,
): StepOutcome {
  let dataLoss: tfTypes.Scalar | undefined;
  let metricTensors: Record<string, tfTypes.Scalar> = {};
  const { value, grads } = withSeededMathRandom(noiseRng, () =>
    tf.variableGrads(() => {
      const output = model.apply(batch.x, { training: true }) as Tensor;
      const loss = computeLoss(tf, spec, batch.y, output);
      dataLoss = tf.keep(loss);
      metricTensors = computeMetrics(tf, spec, config.metrics, batch.y, output);
      for (const t of Object.values(metricTensors)) tf.keep(t);
      const penalty = regularizationPenalty(tf, params);
      return penalty ? tf.add(loss, penalty) : loss;
    }, variables),
  );
  const present: Record<string, Tensor> = {};
  for (const [name, g] of Object.entries(grads)) if (g) present[name] = g;
  // One read per step: objective, data loss, metrics and the squared gradient norm together.
  const readings = tf.tidy(() =>
    tf.stack([value, dataLoss!, ...config.metrics.map((m) => metricTensors[m]!), squaredGlobalNorm(tf, Object.values(present))]),
  );
  const numbers = readings.dataSync();
  tf.dispose([readings, value, dataLoss!, ...Object.values(metricTensors)]);
  const metrics: Record<string, number> = {};
  config.metrics.forEach((m, i) => (metrics[m] = numbers[2 + i]!));
  return {
    objective: numbers[0]!,
    loss: numbers[1]!,
    metrics,
    gradNorm: Math.fround(Math.sqrt(numbers[2 + config.metrics.length]!)),
    grads: present,
    dispose() {
      for (const g of Object.values(present)) g.dispose();
    },
  };
}

/** Targets larger than this many values are encoded per batch instead of once. */
const MAX_ENCODED_TARGET_VALUES = 1 << 24;

/** The split's targets encoded as the loss wants them, or undefined when that would be too large. */
function encodedTargets(
  tf: TF,
  split: Split,
  outShape: number[],
  spec: LossSpec,
  classification: boolean,
): Tensor | undefined {
  const values = split.size * outShape.reduce((a, b) => a * b, 1);
  if (values > MAX_ENCODED_TARGET_VALUES) return undefined;
  return encodeTargets(tf, split.y, outShape, spec, classification);
}

function makeBatch(
  tf: TF,
  split: Split,
  targets: Tensor | undefined,
  indices: Int32Array,
  outShape: number[],
  spec: LossSpec,
  classification: boolean,
  augment: TrainOptions['augment'],
  rng: Random,
): Batch {
  const batch = tf.tidy(() => {
    const idx = tf.tensor1d(indices, 'int32');
    const x = tf.gather(split.x, idx);
    const y = targets ? tf.gather(targets, idx) : encodeTargets(tf, tf.gather(split.y, idx), outShape, spec, classification);
    return { x, y };
  });
  if (!augment) return batch;
  const augmented = augment(batch, rng);
  if (augmented.x !== batch.x) batch.x.dispose();
  if (augmented.y !== batch.y) batch.y.dispose();
  return augmented;
}

function disposeBatch(batch: Batch): void {
  batch.x.dispose();
  batch.y.dispose();
}

function identity(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** Shape of one example's output (no batch dimension). */
function outputShape(model: tfTypes.LayersModel): number[] {
  const shape = model.outputs[0]!.shape.slice(1);
  if (shape.some((d) => d === null)) throw new Error(`the model's output shape [${shape.join(', ')}] is not fully known`);
  return shape as number[];
}

/**
 * Loss and metrics of a model on a split, in inference mode, in batches of the spec's
 * batch size (means over examples). Classification targets get the same label
 * smoothing as in training, so `val_loss` and `loss` measure the same thing.
 * `classes` defaults to "classification when the labels are int32".
 */
export function evaluate(
  tf: TF,
  model: tfTypes.LayersModel,
  split: Split,
  train: TrainConfig,
  classes?: number,
): Record<string, number> {
  const spec = lossSpec(train.loss);
  checkMetrics(train.metrics);
  const classification = classes !== undefined ? classes > 0 : split.y.dtype === 'int32';
  const outShape = outputShape(model);
  const batchSize = Math.max(1, Math.floor(train.batchSize));
  const sums: Record<string, number> = { loss: 0 };
  for (const m of train.metrics) sums[m] = 0;
  if (split.size === 0) throw new Error('cannot evaluate on an empty split');
  for (let start = 0; start < split.size; start += batchSize) {
    const size = Math.min(batchSize, split.size - start);
    const values = tf.tidy(() => {
      const x = tf.slice(split.x, start, size);
      const y = encodeTargets(tf, tf.slice(split.y, start, size), outShape, spec, classification);
      const output = model.apply(x, { training: false }) as Tensor;
      const loss = computeLoss(tf, spec, y, output);
      const metrics = computeMetrics(tf, spec, train.metrics, y, output);
      return tf.stack([loss, ...train.metrics.map((m) => metrics[m]!)]);
    });
    const numbers = values.dataSync();
    values.dispose();
    sums.loss! += numbers[0]! * size;
    train.metrics.forEach((m, i) => (sums[m]! += numbers[i + 1]! * size));
  }
  const result: Record<string, number> = {};
  for (const [key, sum] of Object.entries(sums)) result[key] = sum / split.size;
  return result;
}
