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
// - `lr` is the learning rate of the epoch's last step (the rate at the epoch's end,
//   what the next epoch starts from under a per-epoch schedule); `grad_norm` is the mean
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
import { Checkpoints } from './checkpoints.js';
import type { MonitorState } from './monitor.js';
import { createOptimizer, type OptimizerState } from './optimizers.js';
import { regularizationPenalty } from './regularization.js';
import { makeSchedule } from './schedules.js';
import { withSeededMathRandom } from './seeded-random.js';
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

/** Everything one epoch's steps need, set up once per run. */
interface EpochContext {
  tf: TF;
  model: tfTypes.LayersModel;
  config: TrainConfig;
  split: Split;
  /** The split's targets encoded once (undefined when too large: encoded per batch). */
  targets?: Tensor;
  outShape: number[];
  spec: LossSpec;
  classification: boolean;
  params: ReturnType<typeof trainableParams>;
  optimizer: ReturnType<typeof createOptimizer>;
  schedule: ReturnType<typeof makeSchedule>;
  batchSize: number;
  stepsPerEpoch: number;
  augment: TrainOptions['augment'];
  callbacks: LoopCallbacks;
  /** When the event loop last had a turn. */
  lastYield: number;
}

/** How an epoch's steps ended: sums for the record, or why training stops. */
type EpochSteps =
  | { kind: 'done'; sums: Record<string, number>; gradNormSum: number }
  | { kind: 'interrupted' }
  | { kind: 'non_finite'; step: number };

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { tf, ir, model, data } = options;
  const config = ir.train;
  const callbacks = (options.callbacks ?? {}) as LoopCallbacks;
  const epochs = options.epochs ?? config.epochs;
  checkMetrics(config.metrics);
  if (data.train.size === 0) throw new Error('the training split is empty');
  const hasValidation = data.validation !== undefined && data.validation.size > 0;
  const resume = options.resume as LoopState | undefined;

  // Set up: optimizer and schedule, the random streams, checkpoints (all resumed when resuming).
  const params = trainableParams(model, ir);
  const optimizer = createOptimizer(tf, config.optimizer, params.map((p) => ({ name: p.name, key: p.key, variable: p.variable, decay: p.kernel })));
  const baseLr = numberHyperparameter(config.optimizer.args ?? {}, 'lr', 0.001, `optimizer ${config.optimizer.kind}`);
  const batchSize = Math.max(1, Math.floor(config.batchSize));
  const spec = lossSpec(config.loss);
  const outShape = outputShape(model);
  const classification = data.classes > 0;
  const ctx: EpochContext = {
    tf, model, config, split: data.train, outShape, spec, classification, params, optimizer, batchSize, callbacks,
    schedule: makeSchedule(config.schedule, baseLr, epochs),
    stepsPerEpoch: Math.ceil(data.train.size / batchSize),
    augment: options.augment,
    // The training targets, encoded (one-hot, smoothed) once for the run rather than per batch.
    targets: encodedTargets(tf, data.train, outShape, spec, classification),
    lastYield: performance.now(),
  };
  const rng = resume ? new Random(resume.rngState) : new Random(config.seed);
  if (resume) optimizer.setState(resume.optimizer);
  if (resume?.noise) setNoiseState(model, resume.noise);
  const history: EpochRecord[] = resume ? resume.history.slice() : [];
  const checkpoints = new Checkpoints(tf, model, config, hasValidation, resume);
  const stateAfter = (epoch: number): LoopState => ({
    epoch,
    history: history.slice(),
    ...checkpoints.state(),
    optimizer: optimizer.getState(),
    rngState: rng.getState(),
    noise: getNoiseState(model),
  });

  let state: LoopState = resume ? { ...resume, history: history.slice() } : stateAfter(0);
  let stopReason: TrainResult['stopReason'] = 'completed';
  let nonFinite: TrainResult['nonFinite'];
  try {
    // The epochs: steps, then the record (with validation), then checkpoints and the callback.
    for (let e = resume ? resume.epoch : 0; e < epochs; e++) {
      const epoch = e + 1;
      const started = performance.now();
      const steps = await runEpochSteps(ctx, e, rng, ir.data.shuffle !== false);
      if (steps.kind === 'interrupted') {
        stopReason = 'interrupted';
        break;
      }
      if (steps.kind === 'non_finite') {
        stopReason = 'non_finite';
        nonFinite = { epoch, step: steps.step };
        break;
      }
      const record = epochRecord(ctx, epoch, steps, hasValidation ? data.validation : undefined, data.classes, started);
      history.push(record);
      const stopEarly = checkpoints.afterEpoch(record);
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
    // The result: the weights of the epoch resultEpochFor picks, when in memory.
    const resultEpoch = checkpoints.restoreResult(stopReason, history.length);
    return {
      history,
      resultEpoch,
      bestEpoch: checkpoints.bestEpoch,
      stopReason,
      ...(nonFinite ? { nonFinite } : {}),
      state,
    };
  } finally {
    ctx.targets?.dispose();
    checkpoints.dispose();
    optimizer.dispose();
  }
}

/** One epoch's optimizer steps over a seeded permutation of the training split (e is 0-based). */
async function runEpochSteps(ctx: EpochContext, e: number, rng: Random, shuffle: boolean): Promise<EpochSteps> {
  const { tf, model, config, split, stepsPerEpoch, batchSize, callbacks } = ctx;
  const epoch = e + 1;
  const orderRng = rng.fork();
  const augmentRng = rng.fork();
  const noiseRng = rng.fork();
  const order = shuffle ? orderRng.permutation(split.size) : identity(split.size);
  const variables = ctx.params.map((p) => p.variable);
  const sums: Record<string, number> = { loss: 0 };
  for (const m of config.metrics) sums[m] = 0;
  let gradNormSum = 0;
  for (let s = 0; s < stepsPerEpoch; s++) {
    // Steps are synchronous: give signal handlers (Ctrl-C) a chance to run now and then.
    if (performance.now() - ctx.lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      ctx.lastYield = performance.now();
    }
    if (callbacks.shouldStop?.()) return { kind: 'interrupted' };
    const indices = order.subarray(s * batchSize, Math.min((s + 1) * batchSize, split.size));
    const batch = makeBatch(tf, split, ctx.targets, indices, ctx.outShape, ctx.spec, ctx.classification, ctx.augment, augmentRng);
    const lr = ctx.schedule(e, s, stepsPerEpoch);
    const outcome = trainStep(tf, model, ctx.params, variables, ctx.spec, config, batch, noiseRng);
    disposeBatch(batch);
    if (!Number.isFinite(outcome.objective)) {
      outcome.dispose();
      return { kind: 'non_finite', step: s + 1 };
    }
    const clipped = clipGradients(tf, outcome.grads, config.clip, outcome.gradNorm);
    ctx.optimizer.apply(clipped.grads, lr);
    for (const [name, g] of Object.entries(clipped.grads)) if (g !== outcome.grads[name]) g.dispose();
    outcome.dispose();

    const size = indices.length;
    sums.loss! += outcome.loss * size;
    for (const m of config.metrics) sums[m]! += outcome.metrics[m]! * size;
    gradNormSum += clipped.norm;
    callbacks.onStep?.({ epoch, step: s + 1, steps: stepsPerEpoch, loss: outcome.loss });
  }
  return { kind: 'done', sums, gradNormSum };
}

/** The epoch's record: training means, validation metrics, the rate at the epoch's end. */
function epochRecord(
  ctx: EpochContext,
  epoch: number,
  steps: Extract<EpochSteps, { kind: 'done' }>,
  validation: Split | undefined,
  classes: number,
  started: number,
): EpochRecord {
  const { config, split, stepsPerEpoch } = ctx;
  // Key order of metrics.jsonl: epoch, loss, metrics, val_*, lr, grad_norm, seconds.
  const measured: Record<string, number> = { loss: steps.sums.loss! / split.size };
  for (const m of config.metrics) measured[m] = steps.sums[m]! / split.size;
  if (validation) {
    for (const [key, value] of Object.entries(evaluate(ctx.tf, ctx.model, validation, config, classes))) measured[`val_${key}`] = value;
  }
  return {
    epoch,
    ...measured,
    loss: measured.loss!,
    lr: ctx.schedule(epoch - 1, stepsPerEpoch - 1, stepsPerEpoch),
    grad_norm: steps.gradNormSum / stepsPerEpoch,
    seconds: (performance.now() - started) / 1000,
  };
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
export function outputShape(model: tfTypes.LayersModel): number[] {
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
