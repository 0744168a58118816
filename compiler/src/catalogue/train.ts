// The `train` block (docs/language.md §5): settings, early stopping, optimizers,
// schedules, losses, regularizers, clipping and metrics.
import {
  AT_LEAST_ONE, BOOL, FRACTION_OPEN, INT, NON_NEGATIVE, NUMBER, POSITIVE,
  callOf, entry, enumOf, listOf, param, setting,
} from './build.js';
import type { Entry, ParamDoc } from './types.js';
import { CHECKPOINTS, MONITORS } from './words.js';

export const METRIC_ENTRIES: Entry[] = [
  entry('metric', 'accuracy', 'Fraction of examples whose predicted class (arg-max, or p > 0.5 for one output) is the label.', {
    formula: 'accuracy = 1/n · Σ_i [argmax_k ŷ_ik = y_i]',
    reference: 'Goodfellow et al. 2016 §5.1.2',
    example: 'metrics: [accuracy]',
  }),
  entry('metric', 'mae', 'Mean absolute error, for regression targets.', {
    formula: 'mae = 1/n · Σ_i |y_i − ŷ_i|',
    reference: 'Hastie, Tibshirani & Friedman 2009 §2.4',
    example: 'metrics: [mae]',
    extension: true,
  }),
  entry('metric', 'mse', 'Mean squared error, for regression targets.', {
    formula: 'mse = 1/n · Σ_i (y_i − ŷ_i)²',
    reference: 'Goodfellow et al. 2016 §5.5',
    example: 'metrics: [mse]',
    extension: true,
  }),
];
const METRIC_NAMES = METRIC_ENTRIES.map((e) => e.name);

export const TRAIN_SETTINGS: Entry[] = [
  setting('train', 'epochs', INT, 'Number of passes over the training data.', {
    default: 10,
    min: 1,
    reference: 'Goodfellow et al. 2016 §8.1.3',
    example: 'epochs: 20',
  }),
  setting('train', 'batch_size', INT, 'Examples per gradient step (mini-batch size).', {
    default: 32,
    min: 1,
    details: 'Small batches add gradient noise (a mild regularizer); `batchnorm` needs batches of at least ~8.',
    reference: 'Goodfellow et al. 2016 §8.1.3; Keskar et al. 2017, "On Large-Batch Training for Deep Learning"',
    example: 'batch_size: 64',
  }),
  setting('train', 'loss', callOf('loss'), 'The loss minimized: `crossentropy`, `binary_crossentropy` or `mse`.', {
    default: { kind: 'crossentropy', args: {} },
    details: 'Whether the model outputs logits or probabilities is decided from the last layer (a `softmax` last means probabilities); the compiler says which it chose.',
    reference: 'Goodfellow et al. 2016 §6.2.1',
    example: 'loss: crossentropy(label_smoothing: 0.1)',
  }),
  setting('train', 'optimizer', callOf('optimizer'), 'The optimizer: `sgd`, `adagrad`, `rmsprop`, `adam` or `adamw`.', {
    default: { kind: 'adamw', args: { lr: 0.001 } },
    details: '`weight_decay` is always decoupled (PyTorch convention), applied to kernels and embeddings, not to biases or normalization parameters.',
    reference: 'Goodfellow et al. 2016 §8.3–8.5; Loshchilov & Hutter 2019',
    example: 'optimizer: adamw(lr: 0.001, weight_decay: 0.01)',
  }),
  setting('train', 'schedule', callOf('schedule'), 'Learning-rate schedule: `constant`, `step`, `exponential`, `cosine` or `warm_restarts`.', {
    default: { kind: 'constant', args: {} },
    reference: 'Goodfellow et al. 2016 §8.3.1; Loshchilov & Hutter 2017',
    example: 'schedule: cosine(warmup: 1)',
  }),
  setting('train', 'clip', callOf('clip'), 'Gradient clipping: `norm(τ)` (global L2 norm) or `value(v)` (per component); default: none.', {
    reference: 'Pascanu, Mikolov & Bengio 2013, "On the difficulty of training recurrent neural networks"',
    example: 'clip: norm(1.0)',
  }),
  setting('train', 'regularizer', callOf('regularizer'), 'Weight penalty added to the loss: `l1(λ)`, `l2(λ)` or `l1_l2(l1, l2)`; default: none.', {
    details: 'Over kernels and embeddings, not biases or normalization parameters. A layer\'s own `l1:`/`l2:` override it for that layer. Under `adam`, L2 is not weight decay: use `adamw`.',
    reference: 'Goodfellow et al. 2016 §7.1',
    example: 'regularizer: l2(0.0001)',
  }),
  setting('train', 'early_stopping', undefined, 'Stops training when `monitor` has not improved for `patience` epochs; off unless written.', {
    blockContent: 'settings',
    formula: 'improved ⇔ m < best − min_delta (losses) or m > best + min_delta (accuracies)\nstop when epochs since the last improvement ≥ patience',
    details: 'Written as a block: `early_stopping { monitor: val_loss  patience: 5  min_delta: 0  restore_best: true }`; every key has a default.',
    reference: 'Prechelt 1998, "Early Stopping — But When?"; Goodfellow et al. 2016 §7.8',
    example: 'early_stopping { monitor: val_loss  patience: 5 }',
  }),
  setting('train', 'checkpoint', enumOf(CHECKPOINTS), 'Which weights are the result: `best` (best validation loss), `last` or `none`.', {
    default: 'best',
    details: 'With `validation: 0`, `best` uses the training loss.',
    reference: 'Goodfellow et al. 2016 §7.8 (returning the parameters with the best validation error)',
    example: 'checkpoint: best',
  }),
  setting('train', 'metrics', listOf(enumOf(METRIC_NAMES)), 'Metrics reported every epoch, besides the loss.', {
    default: ['accuracy'],
    reference: 'Goodfellow et al. 2016 §5.1.2',
    example: 'metrics: [accuracy]',
  }),
  setting('train', 'mc_samples', INT, 'Monte Carlo dropout on the test set: also evaluate the saved model as the average of N forward passes with dropout left on; 0 = off.', {
    default: 0,
    min: 0,
    formula: 'p(y | x) ≈ 1/N · Σ_s softmax(f(x; mask_s))\nspread = std over the N passes of each pass\'s accuracy and loss',
    details: 'The usual test pass scales the weights instead of dropping units (one deterministic network, the "weight scaling" approximation). With `mc_samples: N` the test set is also measured with N dropout masks (`dropout` and `spatial_dropout` layers; normalization stays in inference mode) and the predicted probabilities averaged: an ensemble of thinned networks. The summary gets `test_mc` (accuracy and loss of the average, and `accuracy_std`/`loss_std` across the passes); `regnetc eval DIR --mc-samples N` does the same for a saved run.',
    reference: 'Gal & Ghahramani 2016, "Dropout as a Bayesian Approximation"; Srivastava et al. 2014 §7.5',
    example: 'mc_samples: 20',
    extension: true,
  }),
  setting('train', 'seed', INT, 'Seed of every random choice (initialization, shuffling, splits, dropout masks, augmentation).', {
    default: 42,
    min: 0,
    reference: 'Bouthillier, Laurent & Vincent 2019, "Unreproducible Research is Reproducible"',
    example: 'seed: 42',
  }),
];

export const EARLY_STOPPING_SETTINGS: Entry[] = [
  setting('early_stopping', 'monitor', enumOf(MONITORS), 'The quantity watched: `val_loss`, `val_accuracy`, `loss` or `accuracy`.', {
    default: 'val_loss',
    details: 'Losses must decrease, accuracies increase. With `validation: 0`, `val_` quantities fall back to the training ones.',
    reference: 'Prechelt 1998',
    example: 'monitor: val_loss',
  }),
  setting('early_stopping', 'patience', INT, 'Epochs without improvement before stopping.', {
    default: 5,
    min: 0,
    reference: 'Prechelt 1998; Keras `EarlyStopping`',
    example: 'patience: 5',
  }),
  setting('early_stopping', 'min_delta', NUMBER, 'Smallest change of `monitor` that counts as an improvement.', {
    default: 0,
    min: 0,
    reference: 'Keras `EarlyStopping`',
    example: 'min_delta: 0.001',
  }),
  setting('early_stopping', 'restore_best', BOOL, 'Return the weights of the best epoch instead of the last one.', {
    default: true,
    reference: 'Goodfellow et al. 2016 §7.8, Algorithm 7.1',
    example: 'restore_best: true',
  }),
];

const lr = (dflt: number): ParamDoc =>
  param('lr', NUMBER, `Learning rate (the schedule scales it). Default ${dflt}, as PyTorch/Keras.`, {
    positional: 0,
    default: dflt,
    extension: true,
    ...POSITIVE,
  });
const weightDecay = (dflt: number): ParamDoc =>
  param('weight_decay', NUMBER, 'Decoupled weight decay: w ← w − lr_t·weight_decay·w_prev − update (kernels and embeddings only).', {
    default: dflt,
    ...NON_NEGATIVE,
  });
const DECOUPLED = 'Weight decay is decoupled (PyTorch convention): w ← w − lr_t·weight_decay·w_prev − update(g), with w_prev the weight before the step and lr_t the scheduled rate; only kernels and embeddings decay.';

export const OPTIMIZER_ENTRIES: Entry[] = [
  entry('optimizer', 'sgd', 'Stochastic gradient descent, optionally with (Nesterov) momentum and decoupled weight decay.', {
    params: [
      lr(0.01),
      param('momentum', NUMBER, 'Momentum factor μ (0 = plain SGD).', { default: 0, ...FRACTION_OPEN }),
      param('nesterov', BOOL, 'Use Nesterov momentum (needs momentum > 0).', { default: false }),
      weightDecay(0),
    ],
    formula:
      'v ← μ·v + g\n' +
      'update = lr_t·(g + μ·v) if nesterov else lr_t·v\n' +
      'w ← w − lr_t·weight_decay·w_prev − update',
    details: DECOUPLED + ' With plain SGD (no momentum), `l2(λ)` and `weight_decay: λ` give the same trajectory.',
    reference: 'Robbins & Monro 1951; Polyak 1964 (momentum); Sutskever et al. 2013 (Nesterov); Goodfellow et al. 2016 §8.3',
    example: 'optimizer: sgd(lr: 0.1, momentum: 0.9, nesterov: true)',
  }),
  entry('optimizer', 'adagrad', 'Adagrad: per-parameter learning rates shrinking with the accumulated squared gradients.', {
    params: [lr(0.01)],
    formula: 'G ← G + g²\nw ← w − lr_t·g / (√G + ε)',
    reference: 'Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods"; Goodfellow et al. 2016 §8.5.1',
    example: 'optimizer: adagrad(lr: 0.01)',
  }),
  entry('optimizer', 'rmsprop', 'RMSProp: divides the gradient by a running RMS of recent gradients.', {
    params: [
      lr(0.001),
      param('rho', NUMBER, 'Decay of the running average of squared gradients.', { default: 0.9, ...FRACTION_OPEN }),
      param('momentum', NUMBER, 'Momentum factor.', { default: 0, ...FRACTION_OPEN }),
    ],
    formula: 's ← ρ·s + (1 − ρ)·g²\nb ← momentum·b + g/(√s + ε)\nw ← w − lr_t·b',
    reference: 'Tieleman & Hinton 2012, Coursera "Neural Networks for Machine Learning" lecture 6.5; Goodfellow et al. 2016 §8.5.2',
    example: 'optimizer: rmsprop(lr: 0.001)',
  }),
  entry('optimizer', 'adam', 'Adam: momentum plus per-parameter scaling, with bias correction. Has no weight decay: an L2 regularizer is NOT weight decay under Adam (use adamw).', {
    params: [
      lr(0.001),
      param('beta1', NUMBER, 'Decay of the first-moment (mean) estimate.', { default: 0.9, ...FRACTION_OPEN }),
      param('beta2', NUMBER, 'Decay of the second-moment (uncentred variance) estimate.', { default: 0.999, ...FRACTION_OPEN }),
      param('epsilon', NUMBER, 'Added to the denominator for numerical stability.', { default: 1e-8, ...POSITIVE }),
    ],
    formula:
      'm ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²\n' +
      'm̂ = m/(1 − β1^t),   v̂ = v/(1 − β2^t)\n' +
      'w ← w − lr_t·m̂/(√v̂ + ε)',
    reference: 'Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization"; Goodfellow et al. 2016 §8.5.3',
    example: 'optimizer: adam(lr: 0.001)',
  }),
  entry('optimizer', 'adamw', 'AdamW: Adam with decoupled weight decay; matches `torch.optim.AdamW` step for step. The default optimizer.', {
    params: [
      lr(0.001),
      param('beta1', NUMBER, 'Decay of the first-moment (mean) estimate.', { default: 0.9, ...FRACTION_OPEN }),
      param('beta2', NUMBER, 'Decay of the second-moment (uncentred variance) estimate.', { default: 0.999, ...FRACTION_OPEN }),
      param('epsilon', NUMBER, 'Added to the denominator for numerical stability.', { default: 1e-8, ...POSITIVE }),
      weightDecay(0.01),
    ],
    formula:
      'm ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²\n' +
      'm̂ = m/(1 − β1^t),   v̂ = v/(1 − β2^t)\n' +
      'w ← w − lr_t·weight_decay·w_prev − lr_t·m̂/(√v̂ + ε)',
    details: DECOUPLED + ' Unlike an L2 penalty, the decay is not rescaled by Adam\'s per-parameter denominator.',
    reference: 'Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization"',
    example: 'optimizer: adamw(lr: 0.001, weight_decay: 0.01)',
  }),
];

export const SCHEDULE_ENTRIES: Entry[] = [
  entry('schedule', 'constant', 'The learning rate stays at the optimizer\'s `lr`.', {
    formula: 'lr_t = lr',
    reference: 'Goodfellow et al. 2016 §8.3.1',
    example: 'schedule: constant',
  }),
  entry('schedule', 'step', 'Multiplies the learning rate by `gamma` every `every` epochs.', {
    params: [
      param('every', INT, 'Epochs between drops.', { positional: 0, ...AT_LEAST_ONE }),
      param('gamma', NUMBER, 'Factor applied at each drop.', { positional: 1, default: 0.1, ...POSITIVE }),
    ],
    formula: 'lr_e = lr · gamma^⌊e / every⌋   (e = epoch, from 0)',
    reference: 'He et al. 2016 §3.4; PyTorch `StepLR`; Goodfellow et al. 2016 §8.3.1',
    example: 'schedule: step(10, gamma: 0.5)',
  }),
  entry('schedule', 'exponential', 'Multiplies the learning rate by `gamma` every epoch.', {
    params: [param('gamma', NUMBER, 'Factor per epoch.', { positional: 0, ...POSITIVE })],
    formula: 'lr_e = lr · gamma^e   (e = epoch, from 0)',
    reference: 'PyTorch `ExponentialLR`; Goodfellow et al. 2016 §8.3.1',
    example: 'schedule: exponential(0.95)',
  }),
  entry('schedule', 'cosine', 'Cosine annealing from `lr` to `min_lr` over training, after an optional linear warmup.', {
    params: [
      param('warmup', INT, 'Warmup epochs: linear from 0 to `lr`.', { default: 0, ...NON_NEGATIVE }),
      param('min_lr', NUMBER, 'Learning rate at the end of training.', { default: 0, ...NON_NEGATIVE }),
    ],
    formula:
      't < warmup:  lr_t = lr · t / warmup\n' +
      't ≥ warmup:  lr_t = min_lr + ½·(lr − min_lr)·(1 + cos(π·(t − warmup)/(E − warmup)))\n' +
      '(t = training progress in epochs, E = epochs)',
    reference: 'Loshchilov & Hutter 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts" (cosine annealing); Goyal et al. 2017 (linear warmup)',
    example: 'schedule: cosine(warmup: 1)',
  }),
  entry('schedule', 'warm_restarts', 'SGDR: cosine annealing restarted every `period` epochs, periods growing by `mult`.', {
    params: [
      param('period', INT, 'Length of the first cycle in epochs (T_0).', { positional: 0, ...AT_LEAST_ONE }),
      param('mult', INT, 'Factor by which each cycle is longer than the previous (T_mult).', { default: 1, ...AT_LEAST_ONE }),
      param('min_lr', NUMBER, 'Learning rate at the end of each cycle.', { default: 0, ...NON_NEGATIVE }),
    ],
    formula: 'T_i = period · mult^i;  lr_t = min_lr + ½·(lr − min_lr)·(1 + cos(π·T_cur/T_i))\n(T_cur = epochs since the last restart)',
    reference: 'Loshchilov & Hutter 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts"; PyTorch `CosineAnnealingWarmRestarts`',
    example: 'schedule: warm_restarts(10, mult: 2)',
  }),
];

const fromLogits = (): ParamDoc =>
  param('from_logits', BOOL, 'Whether the model outputs logits; by default decided from the last layer (a `softmax`/`sigmoid` last means probabilities).', {
    optional: true,
    extension: true,
  });
const labelSmoothing = (extension: boolean): ParamDoc =>
  param('label_smoothing', NUMBER, 'ε: mixes the one-hot targets with the uniform distribution.', {
    default: 0,
    ...FRACTION_OPEN,
    ...(extension ? { extension: true } : {}),
  });

export const LOSS_ENTRIES: Entry[] = [
  entry('loss', 'crossentropy', 'Categorical crossentropy for multi-class classification (integer labels), with optional label smoothing.', {
    params: [labelSmoothing(false), fromLogits()],
    formula: 'L = −Σ_k y_k · log p_k,   y_k ← (1 − ε)·y_k + ε/K (label smoothing),   p = softmax(z) on logits',
    reference: 'Goodfellow et al. 2016 §6.2.2.3; Szegedy et al. 2016, "Rethinking the Inception Architecture" §7 (label smoothing)',
    example: 'loss: crossentropy(label_smoothing: 0.1)',
  }),
  entry('loss', 'binary_crossentropy', 'Binary crossentropy for two classes (or independent binary labels) with one sigmoid output each.', {
    params: [labelSmoothing(true), fromLogits()],
    formula: 'L = −[y·log p + (1 − y)·log(1 − p)],   y ← (1 − ε)·y + ε/2,   p = σ(z) on logits',
    reference: 'Goodfellow et al. 2016 §6.2.2.2',
    example: 'loss: binary_crossentropy',
  }),
  entry('loss', 'mse', 'Mean squared error, for regression (and numeric `csv` labels become regression targets).', {
    formula: 'L = 1/n · Σ_i (y_i − ŷ_i)²',
    reference: 'Goodfellow et al. 2016 §5.5.1',
    example: 'loss: mse',
  }),
];

const lambda = (summary: string): ParamDoc =>
  param('lambda', NUMBER, summary, { positional: 0, default: 0.01, extension: true, ...NON_NEGATIVE });
const REG_DETAILS = 'Over kernels and embeddings, not biases or normalization parameters. Per-layer `l1:`/`l2:` override it. Default strength 0.01 as Keras.';

export const REGULARIZER_ENTRIES: Entry[] = [
  entry('regularizer', 'l1', 'L1 penalty: pushes weights to exactly zero (sparse weights).', {
    params: [lambda('Penalty strength λ.')],
    formula: 'loss += λ · Σ |w|      (gradient λ·sign(w))',
    details: REG_DETAILS,
    reference: 'Tibshirani 1996 (lasso); Goodfellow et al. 2016 §7.1.2',
    example: 'regularizer: l1(0.0001)',
  }),
  entry('regularizer', 'l2', 'L2 penalty (ridge / Tikhonov): shrinks weights towards zero.', {
    params: [lambda('Penalty strength λ.')],
    formula: 'loss += λ/2 · Σ w²      (gradient λ·w)',
    details: REG_DETAILS + ' Under plain SGD it equals `weight_decay: λ`; under Adam it does not (use adamw).',
    reference: 'Goodfellow et al. 2016 §7.1.1; Krogh & Hertz 1992',
    example: 'regularizer: l2(0.0001)',
  }),
  entry('regularizer', 'l1_l2', 'Both L1 and L2 penalties (elastic net).', {
    params: [
      param('l1', NUMBER, 'L1 strength.', { positional: 0, default: 0.01, extension: true, ...NON_NEGATIVE }),
      param('l2', NUMBER, 'L2 strength.', { positional: 1, default: 0.01, extension: true, ...NON_NEGATIVE }),
    ],
    formula: 'loss += l1 · Σ |w| + l2/2 · Σ w²',
    details: REG_DETAILS,
    reference: 'Zou & Hastie 2005, "Regularization and variable selection via the elastic net"; Goodfellow et al. 2016 §7.1',
    example: 'regularizer: l1_l2(0.00001, 0.0001)',
  }),
];

export const CLIP_ENTRIES: Entry[] = [
  entry('clip', 'norm', 'Rescales the whole gradient when its global L2 norm exceeds `max_norm` (as `torch.nn.utils.clip_grad_norm_`).', {
    params: [param('max_norm', NUMBER, 'Threshold τ on the global gradient norm.', { positional: 0, ...POSITIVE })],
    formula: '‖g‖ = √(Σ over all parameters of Σ g²);   if ‖g‖ > τ:  g ← τ·g/‖g‖',
    reference: 'Pascanu, Mikolov & Bengio 2013, "On the difficulty of training recurrent neural networks"; Goodfellow et al. 2016 §10.11.1',
    example: 'clip: norm(1.0)',
  }),
  entry('clip', 'value', 'Clamps each gradient component to [−v, v] (as `torch.nn.utils.clip_grad_value_`).', {
    params: [param('clip_value', NUMBER, 'Bound v on each component.', { positional: 0, ...POSITIVE })],
    formula: 'g_i ← min(max(g_i, −v), v)',
    reference: 'Mikolov 2012 (PhD thesis, Brno); Pascanu, Mikolov & Bengio 2013; Goodfellow et al. 2016 §10.11.1',
    example: 'clip: value(0.5)',
  }),
];
