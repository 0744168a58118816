// The graph IR: what `regnetc compile` writes and the runtime executes. Plain JSON,
// versioned, every default already filled in, every shape already inferred, so
// the runtime never re-derives anything from the spec. Attribute and argument
// names are the language's own (snake_case), as documented in the catalogue.

export const IR_VERSION = 1;

export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A tensor shape without the batch dimension. */
export type Shape = number[];

/**
 * Operations. Pooling and convolution ops carry their dimensionality in the name.
 * `activation` has attrs `{ fn, alpha? }`; `add` sums its inputs (residual).
 */
export type Op =
  | 'input'
  | 'dense'
  | 'conv1d'
  | 'conv2d'
  | 'maxpool1d'
  | 'maxpool2d'
  | 'avgpool1d'
  | 'avgpool2d'
  | 'global_avgpool'
  | 'global_maxpool'
  | 'flatten'
  | 'reshape'
  | 'embedding'
  | 'lstm'
  | 'gru'
  | 'dropout'
  | 'spatial_dropout'
  | 'gaussian_noise'
  | 'batchnorm'
  | 'layernorm'
  | 'groupnorm'
  | 'instancenorm'
  | 'activation'
  | 'add';

export interface IRNode {
  /** Unique; the `as` alias when given, else `<op>_<n>`. */
  id: string;
  op: Op;
  /**
   * Resolved attributes with defaults filled in. Layers with kernels (dense, conv,
   * embedding, lstm, gru) carry `l1` and `l2`: the effective penalty for this layer
   * (the per-layer value when written, else the `train.regularizer`'s).
   * Kernel sizes/strides of conv/pool ops are always arrays (`[k]` or `[kh, kw]`).
   */
  attrs: Record<string, JsonValue>;
  /** Ids of input nodes (one, except `add`). */
  inputs: string[];
  /** Output shape (no batch dimension). */
  shape: Shape;
  /** Number of trainable + non-trainable parameters, as Keras counts them. */
  params: number;
  /** Where in the spec this node comes from (1-based). */
  source?: { line: number; column: number };
}

/** A resolved callable: `mnist(split: test)` -> `{ kind: 'mnist', args: { split: 'test' } }`. */
export interface ResolvedCall {
  kind: string;
  args: Record<string, JsonValue>;
}

export interface SourceConfig extends ResolvedCall {
  kind: 'playground' | 'mnist' | 'csv' | 'idx' | 'images' | 'text';
  /** Paths in args are absolute (resolved against the spec's folder). */
  args: Record<string, JsonValue>;
  /** Shape of one example, e.g. [28, 28, 1]; [length] of token ids for text. */
  inputShape: Shape;
  /** Number of classes; 0 for a regression target. */
  classes: number;
  /** Class names in label order, when known (csv string labels, image folders). */
  labels?: string[];
}

export interface DataConfig {
  source: SourceConfig;
  /** `{ fraction: 0 }` means no validation set. */
  validation: { fraction: number } | { source: SourceConfig };
  test?: SourceConfig;
  shuffle: boolean;
  /** Use only the first N training examples (after shuffling with the seed). */
  subset?: number;
  labelNoise: number;
  normalize: 'none' | 'standard' | 'minmax';
  /** In order; each with `p` filled in. */
  augment: ResolvedCall[];
  inputShape: Shape;
  classes: number;
  /** What one example is: picks which augmentations apply. */
  inputKind: 'image' | 'vector' | 'sequence' | 'tokens';
}

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  /** `kind` crossentropy | binary_crossentropy | mse; args include `label_smoothing`. */
  loss: ResolvedCall & { fromLogits: boolean };
  /** `kind` sgd | adagrad | rmsprop | adam | adamw; args hold every hyper-parameter incl. `lr`, `weight_decay`. */
  optimizer: ResolvedCall;
  /** `kind` constant | step | exponential | cosine | warm_restarts. */
  schedule: ResolvedCall;
  clip?: { kind: 'norm' | 'value'; value: number };
  /** The global regularizer as written (already folded into each layer's `l1`/`l2`). */
  regularizer?: { l1: number; l2: number };
  earlyStopping?: { monitor: string; patience: number; minDelta: number; restoreBest: boolean; mode: 'min' | 'max' };
  checkpoint: 'best' | 'last' | 'none';
  /** The metric that picks the best checkpoint, e.g. `val_loss`. */
  checkpointMonitor: string;
  checkpointMode: 'min' | 'max';
  metrics: string[];
  seed: number;
  /** Monte Carlo dropout passes for the test set (`mc_samples`); absent or 0 = off. */
  mcSamples?: number;
}

export interface SweepConfig {
  /** let-constant name -> values to try. */
  params: Record<string, JsonValue[]>;
  repeats: number;
}

export interface GraphIR {
  version: typeof IR_VERSION;
  /** Absolute path of the spec, when compiled from a file. */
  file?: string;
  /** Model name (`model NAME { }`), or 'model'. */
  name: string;
  input: { shape: Shape; dtype: 'float32' | 'int32' };
  /** Topologically ordered; the first is the `input` node. */
  nodes: IRNode[];
  output: string;
  totalParams: number;
  data: DataConfig;
  train: TrainConfig;
  sweep?: SweepConfig;
  /** Resolved values of every `let` constant (after overrides). */
  constants: Record<string, JsonValue>;
}
