// Interfaces between the runtime's parts: data loading (data/), model building
// (model/), the training loop (train/) and the run directory / CLI (cli/, run/).
import type * as tfTypes from '@tensorflow/tfjs';
import type { GraphIR } from '@regnet/compiler';

export type TF = typeof tfTypes;
export type Tensor = tfTypes.Tensor;

/** One split held in memory. */
export interface Split {
  /** [N, ...inputShape]; float32, or int32 token ids for text. */
  x: Tensor;
  /** [N] int32 class indices for classification, [N] or [N, k] float32 targets for regression. */
  y: Tensor;
  size: number;
}

export interface LoadedData {
  train: Split;
  validation?: Split;
  test?: Split;
  classes: number;
  /** Text sources: id -> word (index 0 = padding, 1 = unknown), for text augmentation. */
  vocabulary?: string[];
}

/** A training batch after one-hot encoding (classification) and augmentation. */
export interface Batch {
  x: Tensor;
  /** [B, classes] float32 (possibly soft, after label smoothing or mixup), or regression targets. */
  y: Tensor;
}

/** Applies the spec's augmentations to one training batch; fresh randomness every call. */
export type BatchAugmenter = (batch: Batch, rng: import('./random.js').Random) => Batch;

/** One line of metrics.jsonl. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  val_loss?: number;
  lr: number;
  grad_norm: number;
  seconds: number;
  /** Metrics: `accuracy`, `val_accuracy`, ... */
  [metric: string]: number | undefined;
}

export interface StepInfo {
  epoch: number;
  step: number;
  steps: number;
  loss: number;
}

export interface TrainCallbacks {
  onStep?(info: StepInfo): void;
  /** `state` is what `--resume` needs to continue after this epoch. */
  onEpochEnd?(record: EpochRecord, state?: TrainState): void | Promise<void>;
  /** Polled between steps: true stops training after saving state (Ctrl-C). */
  shouldStop?(): boolean;
}

export interface TrainOptions {
  tf: TF;
  ir: GraphIR;
  model: tfTypes.LayersModel;
  data: LoadedData;
  augment?: BatchAugmenter;
  /** Overrides ir.train.epochs (CLI --epochs). */
  epochs?: number;
  callbacks?: TrainCallbacks;
  /** Continue from a saved state (`--resume`). */
  resume?: TrainState;
}

/** Everything needed to continue a run: saved after every epoch. */
export interface TrainState {
  epoch: number;
  history: EpochRecord[];
  bestEpoch?: number;
  bestValue?: number;
  /** Optimizer slots and step count, serialized by train/. */
  optimizer: unknown;
  rngState: unknown;
  epochsWithoutImprovement: number;
}

export interface TrainResult {
  history: EpochRecord[];
  /** 1-based epoch whose weights the model holds at the end (best or last per `checkpoint`). */
  resultEpoch: number;
  bestEpoch?: number;
  stopReason: 'completed' | 'early_stopping' | 'non_finite' | 'interrupted';
  /** When stopReason is non_finite: where. */
  nonFinite?: { epoch: number; step: number };
  state: TrainState;
}
