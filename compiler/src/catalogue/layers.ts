// Layers of the `model` block (docs/language.md §3): arguments, defaults, ranges, formulas.
import {
  AT_LEAST_ONE, BOOL, FRACTION_OPEN, INT, NON_NEGATIVE, NUMBER, POSITIVE,
  entry, enumOf, listOf, param,
} from './build.js';
import type { Entry, ParamDoc, ValueType } from './types.js';
import { ACTIVATIONS, ACTIVATION_DOCS, INITS, PADDINGS } from './words.js';

const SHAPE: ValueType = listOf(INT);

const activation = (): ParamDoc =>
  param('activation', enumOf(ACTIVATIONS), 'Activation applied to the output.', { default: 'linear' });
const bias = (): ParamDoc => param('bias', BOOL, 'Whether to add a learned bias.', { default: true });
const init = (): ParamDoc =>
  param('init', enumOf(INITS), 'Initialization of the kernel (biases start at 0).', { default: 'glorot_uniform' });
const l1 = (): ParamDoc =>
  param('l1', NUMBER, 'L1 penalty λ·Σ|w| on this layer\'s kernel; overrides `train.regularizer` for this layer.', { default: 0, ...NON_NEGATIVE });
const l2 = (): ParamDoc =>
  param('l2', NUMBER, 'L2 penalty λ/2·Σw² on this layer\'s kernel; overrides `train.regularizer` for this layer.', { default: 0, ...NON_NEGATIVE });
const epsilon = (): ParamDoc =>
  param('epsilon', NUMBER, 'Small constant added to the variance for numerical stability.', { default: 0.001, ...POSITIVE });

function convParams(dims: 1 | 2): ParamDoc[] {
  return [
    param('filters', INT, 'Number of output channels (filters).', { positional: 0, ...AT_LEAST_ONE }),
    param('kernel', { type: 'int-or-list', length: dims }, `Window size${dims === 2 ? ' (`k` for k×k, or `[kh, kw]`)' : ''}.`, { default: 3, ...AT_LEAST_ONE }),
    param('stride', { type: 'int-or-list', length: dims }, 'Step between window positions.', { default: 1, ...AT_LEAST_ONE }),
    param('padding', enumOf(PADDINGS), '`same` keeps the size (at stride 1), `valid` uses no padding.', { default: 'same' }),
    activation(), bias(), init(), l1(), l2(),
  ];
}

function poolParams(): ParamDoc[] {
  return [
    param('size', { type: 'int-or-list' }, 'Window size (`k`, or `[kh, kw]` for 2-D pooling).', { positional: 0, ...AT_LEAST_ONE }),
    param('stride', { type: 'int-or-list' }, 'Step between windows; defaults to `size` (non-overlapping windows).', { optional: true, defaultFrom: 'size', ...AT_LEAST_ONE }),
    param('padding', enumOf(PADDINGS), 'Padding of the input: `valid` (none) or `same`.', { default: 'valid' }),
  ];
}

const POOL_DETAILS = '2-D pooling on rank-3 inputs `[h, w, c]`, 1-D pooling on rank-2 inputs `[steps, c]`. Pooling has no parameters.';
const CONV_REF = 'LeCun et al. 1998, "Gradient-Based Learning Applied to Document Recognition"; Goodfellow et al. 2016 §9.1–9.3';
const RNN_DETAILS =
  'Input `[steps, features]`; output `[units]`, or `[steps, units]` with `return_sequences: true` (needed to stack recurrent layers). ' +
  '`dropout` drops input connections and `recurrent_dropout` drops recurrent connections, with the same mask at every time step (Gal & Ghahramani 2016).';
function rnnParams(): ParamDoc[] {
  return [
    param('units', INT, 'Size of the hidden state.', { positional: 0, ...AT_LEAST_ONE }),
    param('return_sequences', BOOL, 'Return the hidden state of every step (`[steps, units]`) instead of only the last.', { default: false }),
    param('dropout', NUMBER, 'Dropout rate on the inputs of each step (training only).', { default: 0, ...FRACTION_OPEN }),
    param('recurrent_dropout', NUMBER, 'Dropout rate on the recurrent state of each step (training only).', { default: 0, ...FRACTION_OPEN }),
  ];
}

const ACTIVATION_LAYERS: Entry[] = (['relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax'] as const).map((name) =>
  entry('layer', name, `Activation layer: ${ACTIVATION_DOCS[name].summary.charAt(0).toLowerCase()}${ACTIVATION_DOCS[name].summary.slice(1)}`, {
    formula: ACTIVATION_DOCS[name].formula,
    reference: ACTIVATION_DOCS[name].reference,
    details:
      'Applied element-wise' + (name === 'softmax' ? ' over the last axis' : '') + '; same as `activation: ' + name + '` on the previous layer. No parameters.' +
      (name === 'softmax' ? ' A `softmax` last means the model outputs probabilities, so the loss is computed on probabilities (not logits).' : ''),
    params: name === 'leaky_relu'
      ? [param('alpha', NUMBER, 'Slope for negative inputs.', { default: 0.2, positional: 0, ...NON_NEGATIVE })]
      : [],
    example: name === 'leaky_relu' ? 'leaky_relu(alpha: 0.2)' : name,
  }),
);

export const LAYER_ENTRIES: Entry[] = [
  entry('layer', 'input', 'Declares the input shape (without the batch dimension); optional when the data source gives it.', {
    params: [param('shape', SHAPE, 'Shape of one example, e.g. `[28, 28, 1]`.', { positional: 0, ...AT_LEAST_ONE })],
    details: 'If omitted, the input shape comes from the data source. If given, it must match the source.',
    reference: 'Keras `Input` (keras.io/api/layers/core_layers/input)',
    example: 'input([28, 28, 1])',
  }),
  entry('layer', 'dense', 'Fully connected layer: every output unit is a weighted sum of all inputs.', {
    formula: 'y = activation(x·W + b),   W: [in, units], b: [units]   (params = in·units + units)',
    params: [param('units', INT, 'Number of output units.', { positional: 0, ...AT_LEAST_ONE }), activation(), bias(), init(), l1(), l2()],
    details: 'Applies to the last axis; on a rank > 1 input it is applied at every position (as Keras).',
    reference: 'Goodfellow et al. 2016, Deep Learning §6.1',
    example: 'dense(128, activation: relu)',
  }),
  entry('layer', 'conv2d', '2-D convolution over `[h, w, channels]` inputs.', {
    formula:
      'y[i, j, f] = activation(b_f + Σ_{u,v,c} x[s·i+u, s·j+v, c]·K[u, v, c, f])\n' +
      'out = ⌈n/s⌉ (same) or ⌊(n − k)/s⌋ + 1 (valid);  params = kh·kw·c_in·filters + filters',
    params: convParams(2),
    reference: CONV_REF,
    example: 'conv2d(32, kernel: 3, activation: relu)',
  }),
  entry('layer', 'conv1d', '1-D convolution over `[steps, channels]` inputs (sequences, token embeddings).', {
    formula:
      'y[t, f] = activation(b_f + Σ_{u,c} x[s·t+u, c]·K[u, c, f])\n' +
      'out = ⌈n/s⌉ (same) or ⌊(n − k)/s⌋ + 1 (valid);  params = k·c_in·filters + filters',
    params: convParams(1),
    reference: CONV_REF,
    example: 'conv1d(64, kernel: 5, activation: relu)',
  }),
  entry('layer', 'maxpool', 'Max pooling: the maximum of each window.', {
    formula: 'y[i, j, c] = max_{u,v < size} x[s·i+u, s·j+v, c]',
    params: poolParams(),
    details: POOL_DETAILS,
    reference: 'Goodfellow et al. 2016 §9.3; Zhou & Chellappa 1988',
    example: 'maxpool(2)',
  }),
  entry('layer', 'avgpool', 'Average pooling: the mean of each window.', {
    formula: 'y[i, j, c] = 1/(kh·kw) · Σ_{u,v < size} x[s·i+u, s·j+v, c]',
    params: poolParams(),
    details: POOL_DETAILS,
    reference: 'Goodfellow et al. 2016 §9.3; LeCun et al. 1998',
    example: 'avgpool(2)',
  }),
  entry('layer', 'global_avgpool', 'Averages over all spatial positions: `[h, w, c]` or `[steps, c]` -> `[c]`.', {
    formula: 'y_c = 1/(H·W) · Σ_{i,j} x[i, j, c]',
    reference: 'Lin, Chen & Yan 2014, "Network In Network"',
    example: 'global_avgpool',
  }),
  entry('layer', 'global_maxpool', 'Maximum over all spatial positions: `[h, w, c]` or `[steps, c]` -> `[c]`.', {
    formula: 'y_c = max_{i,j} x[i, j, c]',
    reference: 'Goodfellow et al. 2016 §9.3; Lin, Chen & Yan 2014',
    example: 'global_maxpool',
  }),
  entry('layer', 'flatten', 'Flattens each example to a vector.', {
    formula: '[d1, ..., dn] -> [d1·...·dn]',
    reference: 'Keras `Flatten` (keras.io/api/layers/reshaping_layers/flatten); Goodfellow et al. 2016 §9',
    example: 'flatten',
  }),
  entry('layer', 'reshape', 'Reshapes each example; the number of elements must not change.', {
    params: [param('shape', SHAPE, 'Target shape without the batch dimension; one entry may be -1 (inferred).', { positional: 0 })],
    formula: 'Π shape = Π input shape',
    reference: 'Keras `Reshape` (keras.io/api/layers/reshaping_layers/reshape)',
    example: 'reshape([7, 7, 16])',
  }),
  entry('layer', 'embedding', 'Maps token ids to learned vectors: `[length]` -> `[length, dim]`.', {
    formula: 'y_t = E[x_t],   E: [vocab, dim]   (params = vocab·dim)',
    params: [
      param('vocab', INT, 'Vocabulary size (token ids are in [0, vocab)).', { positional: 0, ...AT_LEAST_ONE }),
      param('dim', INT, 'Size of each embedding vector.', { positional: 1, ...AT_LEAST_ONE }),
      param('l2', NUMBER, 'L2 penalty λ/2·ΣE² on the embedding matrix; overrides `train.regularizer`.', { default: 0, ...NON_NEGATIVE }),
    ],
    reference: 'Bengio et al. 2003, "A Neural Probabilistic Language Model"; Goodfellow et al. 2016 §12.4',
    example: 'embedding(10000, 64)',
  }),
  entry('layer', 'lstm', 'Long short-term memory recurrent layer.', {
    formula:
      'i = σ(W_i·x_t + U_i·h + b_i),  f = σ(W_f·x_t + U_f·h + b_f),  o = σ(W_o·x_t + U_o·h + b_o)\n' +
      'g = tanh(W_g·x_t + U_g·h + b_g),  c_t = f⊙c_{t−1} + i⊙g,  h_t = o⊙tanh(c_t)\n' +
      'params = 4·(in·units + units·units + units)',
    params: rnnParams(),
    details: RNN_DETAILS,
    reference: 'Hochreiter & Schmidhuber 1997, "Long Short-Term Memory"; Gal & Ghahramani 2016 (recurrent dropout)',
    example: 'lstm(64, return_sequences: true)',
  }),
  entry('layer', 'gru', 'Gated recurrent unit layer.', {
    formula:
      'z = σ(W_z·x_t + U_z·h + b_z),  r = σ(W_r·x_t + U_r·h + b_r)\n' +
      'h̃ = tanh(W_h·x_t + b_h + r⊙(U_h·h + b_uh))   (reset gate after the matmul, as Keras and PyTorch)\n' +
      'h_t = z⊙h_{t−1} + (1 − z)⊙h̃\n' +
      'params = 3·(in·units + units·units + 2·units)   (two bias vectors, as Keras counts them)',
    params: rnnParams(),
    details: RNN_DETAILS,
    reference: 'Cho et al. 2014, "Learning Phrase Representations using RNN Encoder–Decoder"; Gal & Ghahramani 2016',
    example: 'gru(64)',
  }),
  entry('layer', 'dropout', 'Inverted dropout: zeroes each unit with probability `rate` during training and scales the kept ones by 1/(1−rate).', {
    formula: 'training: m_i ~ Bernoulli(1 − rate),  y = m ⊙ x / (1 − rate)\ninference: y = x',
    params: [param('rate', NUMBER, 'Probability of dropping each unit.', { positional: 0, ...FRACTION_OPEN })],
    details: 'Because kept units are scaled up in training, the expected activation is unchanged and nothing needs rescaling at inference. A regularizer: an ensemble of thinned networks sharing weights.',
    reference: 'Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural Networks from Overfitting"; Goodfellow et al. 2016 §7.12',
    example: 'dropout(0.5)',
  }),
  entry('layer', 'spatial_dropout', 'Dropout of whole channels (feature maps) instead of single units.', {
    formula: 'training: m_c ~ Bernoulli(1 − rate) per example and channel,  y[..., c] = m_c · x[..., c] / (1 − rate)\ninference: y = x',
    params: [param('rate', NUMBER, 'Probability of dropping each channel.', { positional: 0, ...FRACTION_OPEN })],
    details: 'Neighbouring pixels of a feature map are strongly correlated, so dropping single units barely regularizes a convnet; dropping whole channels does.',
    reference: 'Tompson et al. 2015, "Efficient Object Localization Using Convolutional Networks"',
    example: 'spatial_dropout(0.2)',
  }),
  entry('layer', 'gaussian_noise', 'Adds zero-mean Gaussian noise to activations during training only.', {
    formula: 'training: y = x + ε,  ε ~ N(0, std²)\ninference: y = x',
    params: [param('std', NUMBER, 'Standard deviation of the noise.', { positional: 0, ...NON_NEGATIVE })],
    reference: 'Bishop 1995, "Training with Noise is Equivalent to Tikhonov Regularization"; Goodfellow et al. 2016 §7.5',
    example: 'gaussian_noise(0.1)',
  }),
  entry('layer', 'batchnorm', 'Batch normalization: normalizes each channel with the statistics of the current batch (running averages at inference).', {
    formula:
      'training: μ_B, σ²_B = mean, variance over the batch (and spatial positions) per channel\n' +
      'x̂ = (x − μ_B) / √(σ²_B + epsilon),  y = γ·x̂ + β\n' +
      'running_mean = momentum·running_mean + (1 − momentum)·μ_B   (same for running_var)\n' +
      'inference: x̂ = (x − running_mean) / √(running_var + epsilon)',
    params: [
      param('momentum', NUMBER, 'Weight of the old running statistics (Keras convention; PyTorch momentum = 1 − this).', { default: 0.99, ...FRACTION_OPEN }),
      epsilon(),
      param('center', BOOL, 'Learn the offset β.', { default: true }),
      param('scale', BOOL, 'Learn the scale γ.', { default: true }),
    ],
    details: 'Normalizes over the last (channel) axis. Parameters: 2·channels trainable (γ, β) + 2·channels non-trainable (running mean and variance), as Keras counts them. Small batches give noisy statistics (warning below batch size 8).',
    reference: 'Ioffe & Szegedy 2015, "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift"',
    example: 'batchnorm(momentum: 0.9)',
  }),
  entry('layer', 'layernorm', 'Layer normalization: normalizes each example over its features; no batch statistics.', {
    formula: 'μ, σ² = mean, variance of each example over the last axis\ny = γ·(x − μ)/√(σ² + epsilon) + β',
    params: [epsilon()],
    details: 'Same computation in training and inference; independent of batch size. Params: 2·features (γ, β).',
    reference: 'Ba, Kiros & Hinton 2016, "Layer Normalization"',
    example: 'layernorm',
  }),
  entry('layer', 'groupnorm', 'Group normalization: splits the channels into groups and normalizes each group of each example.', {
    formula: 'μ_g, σ²_g = mean, variance over the spatial positions and the channels of group g (per example)\ny = γ_c·(x − μ_g)/√(σ²_g + epsilon) + β_c',
    params: [param('groups', INT, 'Number of groups; the channel count must be divisible by it.', { positional: 0, ...AT_LEAST_ONE }), epsilon()],
    details: 'Independent of batch size. `groups: 1` is layer normalization over all positions and channels; `groups` = channels is instance normalization.',
    reference: 'Wu & He 2018, "Group Normalization"',
    example: 'groupnorm(8)',
  }),
  entry('layer', 'instancenorm', 'Instance normalization: normalizes each channel of each example over its spatial positions.', {
    formula: 'μ_c, σ²_c = mean, variance of channel c over the spatial positions (per example)\ny = γ_c·(x − μ_c)/√(σ²_c + epsilon) + β_c',
    params: [epsilon()],
    details: 'Group normalization with groups = channels.',
    reference: 'Ulyanov, Vedaldi & Lempitsky 2016, "Instance Normalization: The Missing Ingredient for Fast Stylization"',
    example: 'instancenorm',
  }),
  ...ACTIVATION_LAYERS,
  entry('layer', 'repeat', 'Repeats its block of layers `times` times in sequence (each repetition has its own weights).', {
    formula: 'y = block(block(... block(x)))   (times)',
    params: [param('times', INT, 'Number of repetitions.', { positional: 0, ...AT_LEAST_ONE })],
    block: 'layers',
    details: 'Layers named with `as` inside a repeat get the iteration number appended.',
    reference: 'Simonyan & Zisserman 2015, "Very Deep Convolutional Networks" (stacked blocks); Goodfellow et al. 2016 §6.4',
    example: 'repeat(3) { dense(64, activation: relu) dropout(0.2) }',
  }),
  entry('layer', 'residual', 'Residual (skip) connection around its block: the block learns a correction added to its input.', {
    formula: 'y = x + block(x)            (projection: false; shapes must match)\ny = P(x) + block(x)         (projection: true; P = 1×1 conv or dense, no activation)',
    params: [param('projection', BOOL, 'Map `x` with a learned 1×1 convolution (dense for vectors) so shapes may differ.', { default: false })],
    block: 'layers',
    reference: 'He et al. 2016, "Deep Residual Learning for Image Recognition"',
    example: 'residual { conv2d(32, activation: relu) conv2d(32) }',
  }),
];
