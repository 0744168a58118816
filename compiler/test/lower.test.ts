// Lowering to the graph IR: the full IR of a small spec, unrolled repeats,
// residual `add` + projection, ids, folded regularization, resolved config.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, SPEC_IN_FIXTURES, compile } from './check-helpers.js';

test('the IR of a small spec, every default filled in', () => {
  const text = `let width = 8
model tiny {
  dense(width, activation: relu, l2: 0.5) as hidden
  dropout(0.25)
  dense(2)
}
data { source: playground(xor, n: 200) validation: 0.2 }
train {
  epochs: 3
  optimizer: sgd(0.1, momentum: 0.9)
  regularizer: l2(0.001)
}
`;
  const { ir, diagnostics } = compile(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity !== 'info'), []);
  assert.deepEqual(ir, {
    version: 1,
    name: 'tiny',
    input: { shape: [2], dtype: 'float32' },
    nodes: [
      { id: 'input', op: 'input', attrs: { shape: [2] }, inputs: [], shape: [2], params: 0 },
      {
        id: 'hidden',
        op: 'dense',
        attrs: { units: 8, activation: 'relu', l2: 0.5, bias: true, init: 'glorot_uniform', l1: 0 },
        inputs: ['input'],
        shape: [8],
        params: 24,
        source: { line: 3, column: 3 },
      },
      { id: 'dropout_1', op: 'dropout', attrs: { rate: 0.25 }, inputs: ['hidden'], shape: [8], params: 0, source: { line: 4, column: 3 } },
      {
        id: 'dense_1',
        op: 'dense',
        attrs: { units: 2, activation: 'linear', bias: true, init: 'glorot_uniform', l1: 0, l2: 0.001 },
        inputs: ['dropout_1'],
        shape: [2],
        params: 18,
        source: { line: 5, column: 3 },
      },
    ],
    output: 'dense_1',
    totalParams: 42,
    data: {
      source: { kind: 'playground', args: { kind: 'xor', n: 200, noise: 0 }, inputShape: [2], classes: 2, labels: ['0', '1'] },
      validation: { fraction: 0.2 },
      shuffle: true,
      labelNoise: 0,
      normalize: 'none',
      augment: [],
      inputShape: [2],
      classes: 2,
      inputKind: 'vector',
    },
    train: {
      epochs: 3,
      batchSize: 32,
      loss: { kind: 'crossentropy', args: { label_smoothing: 0 }, fromLogits: true },
      optimizer: { kind: 'sgd', args: { lr: 0.1, momentum: 0.9, nesterov: false, weight_decay: 0 } },
      schedule: { kind: 'constant', args: {} },
      regularizer: { l1: 0, l2: 0.001 },
      checkpoint: 'best',
      checkpointMonitor: 'val_loss',
      checkpointMode: 'min',
      metrics: ['accuracy'],
      seed: 42,
    },
    constants: { width: 8 },
  });
  // Plain JSON: serializes and reads back unchanged.
  assert.deepEqual(JSON.parse(JSON.stringify(ir)), ir);
});

test('repeat is unrolled; aliases inside it get the iteration as suffix', () => {
  const { ir } = compile(`model {
  flatten
  repeat(2) { dense(16, activation: relu) as block dropout(0.1) }
  dense(10)
}
data { source: mnist() }`);
  assert.deepEqual(
    ir!.nodes.map((n) => [n.id, n.op, n.inputs.join(','), n.shape.join('x')]),
    [
      ['input', 'input', '', '28x28x1'],
      ['flatten_1', 'flatten', 'input', '784'],
      ['block_1', 'dense', 'flatten_1', '16'],
      ['dropout_1', 'dropout', 'block_1', '16'],
      ['block_2', 'dense', 'dropout_1', '16'],
      ['dropout_2', 'dropout', 'block_2', '16'],
      ['dense_1', 'dense', 'dropout_2', '10'],
    ],
  );
});

test('residual lowers to its block, a projection node and an add node', () => {
  const { ir } = compile(`model {
  conv2d(8) as stem
  residual(projection: true) as res { conv2d(16, stride: 2) relu }
  residual { conv2d(16) }
  global_avgpool
  dense(10)
}
data { source: mnist() }
train { regularizer: l1_l2(0.01, 0.02) }`);
  const nodes = ir!.nodes.map((n) => [n.id, n.op, n.inputs.join(','), n.shape.join('x'), n.params]);
  assert.deepEqual(nodes, [
    ['input', 'input', '', '28x28x1', 0],
    ['stem', 'conv2d', 'input', '28x28x8', 80],
    ['conv2d_1', 'conv2d', 'stem', '14x14x16', 1168],
    ['relu_1', 'activation', 'conv2d_1', '14x14x16', 0],
    ['res_projection', 'conv2d', 'stem', '14x14x16', 144],
    ['res', 'add', 'relu_1,res_projection', '14x14x16', 0],
    ['conv2d_2', 'conv2d', 'res', '14x14x16', 2320],
    ['add_1', 'add', 'conv2d_2,res', '14x14x16', 0],
    ['global_avgpool_1', 'global_avgpool', 'add_1', '16', 0],
    ['dense_1', 'dense', 'global_avgpool_1', '10', 170],
  ]);
  const projection = ir!.nodes.find((n) => n.id === 'res_projection')!;
  assert.deepEqual(projection.attrs, {
    filters: 16, kernel: [1, 1], stride: [2, 2], padding: 'same', activation: 'linear', bias: true, init: 'glorot_uniform', l1: 0.01, l2: 0.02,
  });
  assert.deepEqual(ir!.nodes.find((n) => n.id === 'relu_1')!.attrs, { fn: 'relu' });
  assert.deepEqual(ir!.train.regularizer, { l1: 0.01, l2: 0.02 });
  assert.equal(ir!.totalParams, 80 + 1168 + 144 + 2320 + 170);
});

test('conv and pool sizes become arrays; pool ops carry their dimensionality', () => {
  const { ir } = compile(`model { conv2d(4, kernel: [3, 5]) maxpool(2) flatten dense(10) }\ndata { source: mnist() }`);
  assert.deepEqual(ir!.nodes[1]!.attrs.kernel, [3, 5]);
  assert.deepEqual(ir!.nodes[1]!.attrs.stride, [1, 1]);
  assert.equal(ir!.nodes[2]!.op, 'maxpool2d');
  assert.deepEqual(ir!.nodes[2]!.attrs, { size: [2, 2], stride: [2, 2], padding: 'valid' });
});

test('data config: absolute paths, resolved csv columns, validation and test sources, augmentations with p', () => {
  const { ir } = compile(`model { dense(3) }
data {
  source: csv("iris.csv", label: "species")
  validation: csv("iris.csv", label: "species")
  subset: 4
  normalize: standard
  label_noise: 0.1
  augment { noise(0.1) mixup(0.2) }
}`, { file: SPEC_IN_FIXTURES });
  assert.deepEqual(ir!.data.source, {
    kind: 'csv',
    args: { path: join(FIXTURES, 'iris.csv'), label: 'species', features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] },
    inputShape: [4],
    classes: 3,
    labels: ['setosa', 'versicolor', 'virginica'],
  });
  assert.ok('source' in ir!.data.validation);
  assert.deepEqual(
    [ir!.data.subset, ir!.data.normalize, ir!.data.labelNoise, ir!.data.augment],
    [4, 'standard', 0.1, [{ kind: 'noise', args: { std: 0.1, p: 1 } }, { kind: 'mixup', args: { alpha: 0.2, p: 1 } }]],
  );
  assert.equal(ir!.file, SPEC_IN_FIXTURES);
});

test('train config: early stopping mode, no validation -> training monitors, clip, schedule', () => {
  const { ir } = compile(`model { flatten dense(10) }
data { source: mnist() validation: 0 }
train {
  schedule: step(5)
  clip: value(0.5)
  early_stopping { monitor: val_accuracy patience: 2 }
  checkpoint: last
}`);
  assert.deepEqual(ir!.data.validation, { fraction: 0 });
  assert.deepEqual(ir!.train.earlyStopping, { monitor: 'accuracy', patience: 2, minDelta: 0, restoreBest: true, mode: 'max' });
  assert.equal(ir!.train.checkpointMonitor, 'loss');
  assert.equal(ir!.train.checkpoint, 'last');
  assert.deepEqual(ir!.train.clip, { kind: 'value', value: 0.5 });
  assert.deepEqual(ir!.train.schedule, { kind: 'step', args: { every: 5, gamma: 0.1 } });
  assert.deepEqual(ir!.train.optimizer, { kind: 'adamw', args: { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.01 } });
});

test('text sources give int32 token inputs; the loss follows the last layer', () => {
  const { ir } = compile(`model { embedding(10000, 8) global_avgpool dense(2) softmax }\ndata { source: text("reviews.jsonl", length: 12) }`, { file: SPEC_IN_FIXTURES });
  assert.deepEqual(ir!.input, { shape: [12], dtype: 'int32' });
  assert.equal(ir!.data.inputKind, 'tokens');
  assert.equal(ir!.train.loss.fromLogits, false);
});

test('sweep config and constants after overrides', () => {
  const text = `let p = 0.5\nlet width = 64\nmodel { flatten dense(width) dropout(p) dense(10) }\ndata { source: mnist() }\nsweep { p: [0.0, 0.5] width: [16, 64] repeats: 3 }`;
  const { ir } = compile(text, { overrides: { width: 32 } });
  assert.deepEqual(ir!.sweep, { params: { p: [0, 0.5], width: [16, 64] }, repeats: 3 });
  assert.deepEqual(ir!.constants, { p: 0.5, width: 32 });
  assert.equal(ir!.nodes[2]!.attrs.units, 32);
});

test('no IR when there is an error; warnings do not prevent it', () => {
  const bad = compile(`model { flatten dense(12) }\ndata { source: mnist() }`);
  assert.equal(bad.ir, undefined);
  assert.ok(bad.diagnostics.some((d) => d.code === 'RN402'));
  const warned = compile(`model { flatten dense(10) dropout(0.1) }\ndata { source: mnist() }`);
  assert.ok(warned.diagnostics.some((d) => d.code === 'RN502'));
  assert.ok(warned.ir);
});
