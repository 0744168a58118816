// Hand-written graph IR for runtime tests: a pipeline of nodes with the shapes and
// parameter counts Keras reports, plus minimal data/train sections.
import type { GraphIR, IRNode, JsonValue, Op, Shape } from '@regnet/compiler';

export interface LayerSpec {
  op: Op;
  attrs?: Record<string, JsonValue>;
  /** Output shape (no batch). */
  shape: Shape;
  params?: number;
  id?: string;
  /** Defaults to the previous node. */
  inputs?: string[];
}

/** A GraphIR whose nodes are `input_0`, then the layers in order (ids `<op>_<i>` unless given). */
export function pipelineIR(inputShape: Shape, layers: LayerSpec[], dtype: 'float32' | 'int32' = 'float32'): GraphIR {
  const nodes: IRNode[] = [{ id: 'input_0', op: 'input', attrs: { shape: inputShape }, inputs: [], shape: inputShape, params: 0 }];
  layers.forEach((l, i) => {
    const prev = nodes[nodes.length - 1]!;
    nodes.push({
      id: l.id ?? `${l.op}_${i + 1}`,
      op: l.op,
      attrs: l.attrs ?? {},
      inputs: l.inputs ?? [prev.id],
      shape: l.shape,
      params: l.params ?? 0,
    });
  });
  const totalParams = nodes.reduce((s, n) => s + n.params, 0);
  const classes = 2;
  return {
    version: 1,
    name: 'test',
    input: { shape: inputShape, dtype },
    nodes,
    output: nodes[nodes.length - 1]!.id,
    totalParams,
    data: {
      source: { kind: 'playground', args: { kind: 'circle' }, inputShape, classes },
      validation: { fraction: 0 },
      shuffle: false,
      labelNoise: 0,
      normalize: 'none',
      augment: [],
      inputShape,
      classes,
      inputKind: dtype === 'int32' ? 'tokens' : inputShape.length === 3 ? 'image' : 'vector',
    },
    train: {
      epochs: 1,
      batchSize: 4,
      loss: { kind: 'mse', args: {}, fromLogits: false },
      optimizer: { kind: 'sgd', args: { lr: 0.1 } },
      schedule: { kind: 'constant', args: {} },
      checkpoint: 'last',
      checkpointMonitor: 'loss',
      checkpointMode: 'min',
      metrics: [],
      seed: 1,
    },
    constants: {},
  } as GraphIR;
}

export interface LayerCase {
  name: string;
  ir: GraphIR;
}

const conv = (filters: number, kernel: number[], stride: number[], padding: string, extra: Record<string, JsonValue> = {}) => ({
  filters,
  kernel,
  stride,
  padding,
  activation: 'linear',
  bias: true,
  init: 'glorot_uniform',
  l1: 0,
  l2: 0,
  ...extra,
});

/** One small model per layer type and notable option, with Keras' shapes and parameter counts. */
export function layerCases(): LayerCase[] {
  const cases: LayerCase[] = [];
  const add = (name: string, ir: GraphIR) => cases.push({ name, ir });
  const dense = (units: number, extra: Record<string, JsonValue> = {}) => ({
    units,
    activation: 'linear',
    bias: true,
    init: 'glorot_uniform',
    l1: 0,
    l2: 0,
    ...extra,
  });

  add('dense', pipelineIR([4], [{ op: 'dense', attrs: dense(3, { activation: 'relu' }), shape: [3], params: 15 }]));
  add('dense no bias, he_normal', pipelineIR([4], [{ op: 'dense', attrs: dense(3, { bias: false, init: 'he_normal' }), shape: [3], params: 12 }]));
  add('dense leaky_relu', pipelineIR([4], [{ op: 'dense', attrs: dense(3, { activation: 'leaky_relu' }), shape: [3], params: 15 }]));
  for (const init of ['glorot_normal', 'he_uniform', 'lecun_normal', 'zeros', 'ones']) {
    add(`dense init ${init}`, pipelineIR([4], [{ op: 'dense', attrs: dense(2, { init, activation: 'tanh' }), shape: [2], params: 10 }]));
  }
  add('conv2d same', pipelineIR([6, 6, 2], [{ op: 'conv2d', attrs: conv(3, [3, 3], [1, 1], 'same', { activation: 'relu' }), shape: [6, 6, 3], params: 57 }]));
  add('conv2d stride 2 valid', pipelineIR([7, 7, 2], [{ op: 'conv2d', attrs: conv(4, [3, 3], [2, 2], 'valid'), shape: [3, 3, 4], params: 76 }]));
  add('conv2d 5x3 stride 2 same, leaky_relu', pipelineIR([8, 7, 1], [{ op: 'conv2d', attrs: conv(2, [5, 3], [2, 2], 'same', { activation: 'leaky_relu' }), shape: [4, 4, 2], params: 32 }]));
  add('conv1d', pipelineIR([8, 3], [{ op: 'conv1d', attrs: conv(4, [3], [1], 'same'), shape: [8, 4], params: 40 }]));
  add('conv1d stride 2 valid', pipelineIR([9, 3], [{ op: 'conv1d', attrs: conv(2, [3], [2], 'valid', { bias: false }), shape: [4, 2], params: 18 }]));
  const pre2d = { op: 'conv2d' as Op, attrs: conv(2, [3, 3], [1, 1], 'same'), shape: [6, 6, 2], params: 20 };
  add('maxpool2d', pipelineIR([6, 6, 1], [pre2d, { op: 'maxpool2d', attrs: { size: [2, 2], stride: [2, 2], padding: 'valid' }, shape: [3, 3, 2] }]));
  add('avgpool2d same stride 1', pipelineIR([6, 6, 1], [{ ...pre2d, params: 20 }, { op: 'avgpool2d', attrs: { size: [3, 3], stride: [1, 1], padding: 'same' }, shape: [6, 6, 2] }]));
  add('avgpool2d stride 2', pipelineIR([6, 6, 1], [{ ...pre2d, params: 20 }, { op: 'avgpool2d', attrs: { size: [2, 2], stride: [2, 2], padding: 'valid' }, shape: [3, 3, 2] }]));
  const pre1d = { op: 'conv1d' as Op, attrs: conv(3, [3], [1], 'same'), shape: [8, 3], params: 30 };
  add('maxpool1d', pipelineIR([8, 3], [pre1d, { op: 'maxpool1d', attrs: { size: [2], stride: [2], padding: 'valid' }, shape: [4, 3] }]));
  add('avgpool1d', pipelineIR([8, 3], [pre1d, { op: 'avgpool1d', attrs: { size: [3], stride: [1], padding: 'same' }, shape: [8, 3] }]));
  add('global_avgpool 2d', pipelineIR([4, 4, 1], [{ ...pre2d, shape: [4, 4, 2], params: 20 }, { op: 'global_avgpool', shape: [2] }]));
  add('global_maxpool 2d', pipelineIR([4, 4, 1], [{ ...pre2d, shape: [4, 4, 2], params: 20 }, { op: 'global_maxpool', shape: [2] }]));
  add('global_avgpool 1d', pipelineIR([8, 3], [pre1d, { op: 'global_avgpool', shape: [3] }]));
  add('global_maxpool 1d', pipelineIR([8, 3], [pre1d, { op: 'global_maxpool', shape: [3] }]));
  add('flatten + dense', pipelineIR([3, 3, 2], [{ op: 'flatten', shape: [18] }, { op: 'dense', attrs: dense(2), shape: [2], params: 38 }]));
  add('reshape', pipelineIR([6], [{ op: 'dense', attrs: dense(6), shape: [6], params: 42 }, { op: 'reshape', attrs: { shape: [2, 3] }, shape: [2, 3] }]));
  add('embedding', pipelineIR([5], [{ op: 'embedding', attrs: { vocab: 10, dim: 4, l1: 0, l2: 0 }, shape: [5, 4], params: 40 }], 'int32'));
  add(
    'embedding + lstm',
    pipelineIR(
      [5],
      [
        { op: 'embedding', attrs: { vocab: 10, dim: 3, l1: 0, l2: 0 }, shape: [5, 3], params: 30 },
        { op: 'lstm', attrs: { units: 4, return_sequences: false, dropout: 0, recurrent_dropout: 0, l1: 0, l2: 0 }, shape: [4], params: 128 },
      ],
      'int32',
    ),
  );
  const rnn = (units: number, seq: boolean, dropout = 0, recurrent = 0) => ({
    units,
    return_sequences: seq,
    dropout,
    recurrent_dropout: recurrent,
    l1: 0,
    l2: 0,
  });
  add('lstm', pipelineIR([5, 3], [{ op: 'lstm', attrs: rnn(4, false), shape: [4], params: 128 }]));
  add('lstm sequences + dropout', pipelineIR([5, 3], [{ op: 'lstm', attrs: rnn(4, true, 0.2, 0.3), shape: [5, 4], params: 128 }]));
  add('gru', pipelineIR([5, 3], [{ op: 'gru', attrs: rnn(4, false), shape: [4], params: 108 }]));
  add('gru sequences + dropout', pipelineIR([5, 3], [{ op: 'gru', attrs: rnn(4, true, 0.3, 0.2), shape: [5, 4], params: 108 }]));
  const pre = { op: 'dense' as Op, attrs: dense(4), shape: [4], params: 20 };
  add('dropout', pipelineIR([4], [pre, { op: 'dropout', attrs: { rate: 0.5 }, shape: [4] }]));
  add('spatial_dropout 2d', pipelineIR([6, 6, 1], [pre2d, { op: 'spatial_dropout', attrs: { rate: 0.5 }, shape: [6, 6, 2] }]));
  add('spatial_dropout 1d', pipelineIR([8, 3], [pre1d, { op: 'spatial_dropout', attrs: { rate: 0.3 }, shape: [8, 3] }]));
  add('gaussian_noise', pipelineIR([4], [pre, { op: 'gaussian_noise', attrs: { std: 0.1 }, shape: [4] }]));
  const bn = { momentum: 0.99, epsilon: 0.001, center: true, scale: true };
  add('batchnorm dense', pipelineIR([4], [pre, { op: 'batchnorm', attrs: bn, shape: [4], params: 16 }]));
  add('batchnorm conv', pipelineIR([6, 6, 1], [pre2d, { op: 'batchnorm', attrs: bn, shape: [6, 6, 2], params: 8 }]));
  add('batchnorm no center/scale', pipelineIR([4], [pre, { op: 'batchnorm', attrs: { ...bn, center: false, scale: false }, shape: [4], params: 8 }]));
  add('layernorm', pipelineIR([5, 3], [{ ...pre1d, shape: [5, 3] }, { op: 'layernorm', attrs: { epsilon: 0.001 }, shape: [5, 3], params: 6 }]));
  add('groupnorm', pipelineIR([6, 6, 1], [{ ...pre2d, attrs: conv(4, [3, 3], [1, 1], 'same'), shape: [6, 6, 4], params: 40 }, { op: 'groupnorm', attrs: { groups: 2, epsilon: 0.001 }, shape: [6, 6, 4], params: 8 }]));
  add('instancenorm', pipelineIR([6, 6, 1], [pre2d, { op: 'instancenorm', attrs: { epsilon: 0.001 }, shape: [6, 6, 2], params: 4 }]));
  for (const fn of ['relu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax', 'linear']) {
    add(`activation ${fn}`, pipelineIR([4], [pre, { op: 'activation', attrs: { fn }, shape: [4] }]));
  }
  add('activation leaky_relu', pipelineIR([4], [pre, { op: 'activation', attrs: { fn: 'leaky_relu', alpha: 0.1 }, shape: [4] }]));
  add(
    'residual add',
    pipelineIR(
      [4],
      [
        { id: 'a', op: 'dense', attrs: dense(4, { activation: 'relu' }), shape: [4], params: 20 },
        { id: 'b', op: 'dense', attrs: dense(4), shape: [4], params: 20 },
        { id: 'sum', op: 'add', inputs: ['a', 'b'], shape: [4] },
      ],
    ),
  );
  return cases;
}
