// Valid specs give no errors: every construct of docs/language.md. Also: partial ASTs
// of broken files are checked without throwing, diagnostics are sorted, and the
// semantic model carries the symbols the language server needs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SPEC_IN_FIXTURES, check, compile, expectNoErrors } from './check-helpers.js';

const LANGUAGE_EXAMPLE = `# the examples of docs/language.md sections 4-6, together
let p = 0.5
let width = 256
model mlp {
  flatten
  dense(width, activation: relu)
  dropout(p)
  dense(10)
}
data {
  source: mnist()              # required: where training examples come from
  validation: 0.1              # fraction of the source held out, or a source
  test: mnist(split: test)     # optional, evaluated once after training
  shuffle: true
  subset: 2000                 # use only the first N training examples (after shuffle with the seed)
  label_noise: 0.0             # fraction of training labels replaced by uniformly random labels
  normalize: standard          # none | standard (per-feature mean/std from training data) | minmax
  augment {                    # applied to training batches only, in order, freshly every epoch
    flip(horizontal, p: 0.5)
    crop(28, padding: 4)
  }
}
train {
  epochs: 20
  batch_size: 64
  loss: crossentropy(label_smoothing: 0.0)   # crossentropy | binary_crossentropy | mse
  optimizer: adamw(lr: 0.001, weight_decay: 0.01)
  schedule: cosine(warmup: 1)
  clip: norm(1.0)
  regularizer: l2(0.0001)
  early_stopping { monitor: val_loss  patience: 5  min_delta: 0  restore_best: true }
  checkpoint: best               # best | last | none
  metrics: [accuracy]
  seed: 42
}
sweep {
  p: [0.0, 0.5]
  width: [16, 64, 256, 1024]
  repeats: 2              # seeds per configuration
}
`;

test('the docs/language.md examples check without errors and compile', () => {
  const result = compile(LANGUAGE_EXAMPLE);
  assert.deepEqual(result.diagnostics.map((d) => d.code), ['RN504', 'RN901']);
  assert.ok(result.ir);
  assert.equal(result.ir.totalParams, 784 * 256 + 256 + 2570);
});

test('every layer of section 3 in one valid model', () => {
  expectNoErrors(`model {
  input([28, 28, 1])
  conv2d(8, kernel: 3, stride: 1, padding: same, activation: relu, bias: true, init: he_normal, l1: 0.0, l2: 0.001)
  batchnorm(momentum: 0.99, epsilon: 0.001, center: true, scale: true)
  maxpool(2, stride: 2, padding: valid)
  avgpool(2)
  spatial_dropout(0.1)
  gaussian_noise(0.1)
  groupnorm(4, epsilon: 0.001)
  instancenorm(epsilon: 0.001)
  residual(projection: false) { conv2d(8) relu }
  repeat(2) { conv2d(8) elu selu gelu swish tanh sigmoid leaky_relu(alpha: 0.2) }
  global_avgpool
  reshape([2, 4])
  conv1d(4, kernel: 2)
  global_maxpool
  layernorm(epsilon: 0.001)
  dense(10, init: lecun_normal)
  dropout(0.2)
  softmax
}
data { source: mnist() }`);
  expectNoErrors(`model {
  embedding(10000, 16, l2: 0.0001)
  lstm(8, return_sequences: true, dropout: 0.1, recurrent_dropout: 0.1)
  gru(8)
  flatten
  dense(2, init: glorot_normal)
}
data { source: text("reviews.jsonl") }`, { file: SPEC_IN_FIXTURES });
});

test('every data source, augmentation and data setting', () => {
  const file = SPEC_IN_FIXTURES;
  expectNoErrors(`model { dense(2) }\ndata { source: playground(circle, n: 300, noise: 0.1) augment { noise(0.1) mixup(0.2, p: 0.5) } normalize: minmax }`);
  expectNoErrors(`model { dense(3) }\ndata { source: csv("iris.csv", label: "species", features: ["sepal_length", "sepal_width", "petal_length", "petal_width"]) normalize: none }`, { file });
  expectNoErrors(`model { flatten dense(3) }\ndata { source: idx(images: "tiny-images-idx3-ubyte", labels: "tiny-labels-idx1-ubyte") validation: 0 shuffle: false }`, { file });
  expectNoErrors(`model { flatten dense(3) }
data {
  source: images("pets", size: [8, 8], channels: 3)
  augment {
    flip(vertical) crop([8, 8], padding: 2) rotate(15) translate(2) zoom(0.1)
    brightness(0.1) contrast(0.2) noise(0.05) cutout(2, count: 2) mixup(0.2)
  }
}`, { file });
  expectNoErrors(`model { embedding(100, 4) flatten dense(2) }
data {
  source: text("reviews.jsonl", text: "text", label: "label", vocab: 100, length: 16)
  test: text("reviews.jsonl", vocab: 100, length: 16)
  augment { synonym(p: 0.1) word_dropout(0.1) word_swap(n: 1) }
}`, { file });
});

test('every optimizer, schedule, loss, regularizer and clip', () => {
  const model = 'model { flatten dense(10) }\ndata { source: mnist() }';
  for (const optimizer of [
    'sgd(lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.0005)',
    'adagrad(lr: 0.01)',
    'rmsprop(lr: 0.001, rho: 0.9, momentum: 0)',
    'adam(lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)',
    'adamw(lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.01)',
  ]) expectNoErrors(`${model}\ntrain { optimizer: ${optimizer} }`);
  for (const schedule of ['constant', 'step(10, gamma: 0.1)', 'exponential(0.95)', 'cosine(warmup: 1, min_lr: 0)', 'warm_restarts(10, mult: 2, min_lr: 0)']) {
    expectNoErrors(`${model}\ntrain { schedule: ${schedule} }`);
  }
  for (const rest of ['regularizer: l1(0.001)', 'regularizer: l1_l2(0.001, 0.01)', 'clip: value(0.5)', 'loss: crossentropy(label_smoothing: 0.1)', 'checkpoint: none', 'metrics: []']) {
    expectNoErrors(`${model}\ntrain { ${rest} }`);
  }
  expectNoErrors(`model { dense(1, activation: sigmoid) }\ndata { source: playground(gauss) }\ntrain { loss: binary_crossentropy }`);
  expectNoErrors(`model { dense(1) }\ndata { source: csv("house.csv") }\ntrain { loss: mse metrics: [mae] }`, { file: SPEC_IN_FIXTURES });
});

test('files with syntax errors: the partial AST is checked too, and nothing throws', () => {
  const text = `let p = \nmodel {\n  dense(10 activation: relu)\n  dens(3)\n}\ndata { source: mnist( }\ntrain { epochs: 3`;
  const result = check(text);
  const codes = result.diagnostics.map((d) => d.code);
  assert.ok(codes.includes('RN101'), codes.join(' '));
  assert.ok(codes.includes('RN201'), 'the unknown layer after a syntax error is still reported');
  assert.ok(!codes.includes('RN990'));
  const offsets = result.diagnostics.map((d) => d.range.start.offset);
  assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b), 'diagnostics are sorted by position');
  // Every prefix of a full spec: no exception, no internal error.
  for (let end = 0; end <= LANGUAGE_EXAMPLE.length; end += 7) {
    const partial = compile(LANGUAGE_EXAMPLE.slice(0, end));
    assert.ok(!partial.diagnostics.some((d) => d.code === 'RN990'), `prefix of ${end}: ${partial.diagnostics.find((d) => d.code === 'RN990')?.message}`);
  }
});

test('the semantic model: symbols with catalogue entries, constants with uses, layer shapes', () => {
  const text = `let width = 64\nmodel {\n  flatten\n  dense(width, activation: relu)\n  dense(10)\n}\ndata { source: mnist() }\ntrain { epochs: 2 }\n`;
  const { model } = check(text);
  const width = model.constants.get('width')!;
  assert.equal(width.value, 64);
  assert.deepEqual(width.uses.map((r) => [r.start.line, r.start.column]), [[4, 9]]);
  const at = (line: number, column: number) =>
    model.symbols.find((s) => s.range.start.line === line && s.range.start.column === column);
  const dense = at(4, 3)!;
  assert.equal(dense.kind, 'layer');
  assert.equal(dense.entry?.name, 'dense');
  assert.deepEqual([dense.layerInfo?.inputShape, dense.layerInfo?.outputShape, dense.layerInfo?.params], [[784], [64], 784 * 64 + 64]);
  assert.equal(at(4, 9)!.kind, 'constant');
  assert.equal(at(4, 9)!.constant?.name, 'width');
  assert.equal(at(1, 5)!.kind, 'constant');
  const arg = at(4, 16)!;
  assert.deepEqual([arg.kind, arg.entry?.name, arg.param], ['argument', 'dense', 'activation']);
  const word = at(4, 28)!;
  assert.deepEqual([word.kind, word.entry?.name, word.entry?.category], ['enum-word', 'relu', 'enum-word']);
  const setting = at(8, 9)!;
  assert.deepEqual([setting.kind, setting.entry?.name], ['setting', 'epochs']);
  const source = at(7, 16)!;
  assert.deepEqual([source.kind, source.entry?.category], ['callable', 'source']);
  assert.deepEqual([at(2, 1)?.kind, at(2, 1)?.entry?.name], ['keyword', 'model']);
  const starts = model.symbols.map((s) => s.range.start.offset);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
  assert.equal(model.totalParams, 784 * 64 + 64 + 650);
  assert.deepEqual(model.data, { inputShape: [28, 28, 1], classes: 10, inputKind: 'image', labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
  assert.equal(model.lossFromLogits, true);
});

test('a 1,000-line spec checks quickly', () => {
  const lines = ['model {', '  flatten'];
  for (let i = 0; i < 990; i++) lines.push(`  dense(${16 + (i % 5)}, activation: relu)  # layer ${i}`);
  lines.push('  dense(10)', '}', 'data { source: mnist() }');
  const text = lines.join('\n');
  check(text);
  const start = performance.now();
  const result = check(text);
  const ms = performance.now() - start;
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.ok(ms < 500, `took ${ms} ms`);
});
