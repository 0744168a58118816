// Shape inference and parameter counts (as Keras counts them) against
// hand-computed values; RN4xx shape errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LayerInfo } from '../src/index.js';
import { check, expectOne } from './check-helpers.js';

interface Row {
  name: string;
  out?: number[];
  params?: number;
}

function rows(layers: LayerInfo[]): Row[] {
  return layers.map((l) => ({ name: l.name, out: l.outputShape, params: l.params }));
}

function model(text: string, options = {}) {
  const result = check(text, options);
  const errs = result.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errs.map((d) => `${d.code} ${d.message}`), []);
  return result.model;
}

test('convnet: conv/pool stride and padding arithmetic as Keras (same: ceil(n/s), valid: floor((n-k)/s)+1)', () => {
  const m = model(`model {
  conv2d(16, kernel: 5, padding: valid)
  conv2d(32, kernel: 3, stride: 2)
  conv2d(32, kernel: [3, 1], stride: [2, 1], padding: valid)
  maxpool(2)
  avgpool(2, stride: 1, padding: same)
  conv2d(8, kernel: 1, bias: false)
  flatten
  dense(10)
}
data { source: mnist() }`);
  assert.deepEqual(rows(m.layers), [
    { name: 'conv2d', out: [24, 24, 16], params: 5 * 5 * 1 * 16 + 16 },
    { name: 'conv2d', out: [12, 12, 32], params: 3 * 3 * 16 * 32 + 32 },
    { name: 'conv2d', out: [5, 12, 32], params: 3 * 1 * 32 * 32 + 32 },
    { name: 'maxpool', out: [2, 6, 32], params: 0 },
    { name: 'avgpool', out: [2, 6, 32], params: 0 },
    { name: 'conv2d', out: [2, 6, 8], params: 32 * 8 },
    { name: 'flatten', out: [96], params: 0 },
    { name: 'dense', out: [10], params: 96 * 10 + 10 },
  ]);
  assert.equal(m.totalParams, 416 + 4640 + 3104 + 256 + 970);
});

test('odd sizes: same padding with stride rounds up, valid rounds down', () => {
  const m = model(`model {
  input([7, 9, 3])
  conv2d(4, kernel: 3, stride: 2)
  maxpool(3, stride: 2, padding: same)
  conv2d(4, kernel: 2, stride: 3, padding: valid)
  global_maxpool
  dense(2)
}
data { source: images("x", size: [7, 9]) }`, { inspectData: false });
  assert.deepEqual(rows(m.layers).map((r) => r.out), [[7, 9, 3], [4, 5, 4], [2, 3, 4], [1, 1, 4], [4], [2]]);
  assert.deepEqual(rows(m.layers).map((r) => r.params), [0, 3 * 3 * 3 * 4 + 4, 0, 2 * 2 * 4 * 4 + 4, 0, 10]);
});

test('normalization layers: batchnorm 4*C (2*C without center/scale), layer/group/instance norm 2*C', () => {
  const m = model(`model {
  conv2d(12)
  batchnorm
  batchnorm(center: false, scale: false)
  groupnorm(4)
  instancenorm
  flatten
  layernorm
  dense(10)
}
data { source: mnist() }`);
  assert.deepEqual(rows(m.layers).map((r) => r.params), [9 * 12 + 12, 48, 24, 24, 24, 0, 2 * 9408, 9408 * 10 + 10]);
});

test('residual blocks: identity shortcut, 1x1 conv projection with stride, dense projection', () => {
  const m = model(`model {
  conv2d(16)
  residual { conv2d(16) batchnorm relu }
  residual(projection: true) { conv2d(32, stride: 2) }
  global_avgpool
  dense(64)
  residual(projection: true) { dense(32) }
  dense(10)
}
data { source: mnist() }`);
  assert.deepEqual(rows(m.layers), [
    { name: 'conv2d', out: [28, 28, 16], params: 160 },
    // block only: conv 3*3*16*16+16 = 2320, batchnorm 64
    { name: 'residual', out: [28, 28, 16], params: 2320 + 64 },
    // block 3*3*16*32+32 = 4640, projection 1x1 conv stride 2: 16*32+32 = 544
    { name: 'residual', out: [14, 14, 32], params: 4640 + 544 },
    { name: 'global_avgpool', out: [32], params: 0 },
    { name: 'dense', out: [64], params: 32 * 64 + 64 },
    // dense 64*32+32 = 2080 twice (block and projection)
    { name: 'residual', out: [32], params: 2080 * 2 },
    { name: 'dense', out: [10], params: 330 },
  ]);
  assert.deepEqual(m.layers[1]!.children.map((c) => c.outputShape), [[28, 28, 16], [28, 28, 16], [28, 28, 16]]);
});

test('repeat blocks: the block runs `times` times, each with its own weights', () => {
  const m = model(`model {
  flatten
  dense(32)
  repeat(3) { dense(32, activation: relu) dropout(0.1) }
  repeat(2) { repeat(2) { dense(16) } }
  dense(10)
}
data { source: mnist() }`);
  assert.deepEqual(rows(m.layers), [
    { name: 'flatten', out: [784], params: 0 },
    { name: 'dense', out: [32], params: 784 * 32 + 32 },
    { name: 'repeat', out: [32], params: 3 * (32 * 32 + 32) },
    // 4 dense(16): the first maps 32 -> 16, the others 16 -> 16
    { name: 'repeat', out: [16], params: 32 * 16 + 16 + 3 * (16 * 16 + 16) },
    { name: 'dense', out: [10], params: 170 },
  ]);
  // The children report the last iteration.
  assert.deepEqual(m.layers[2]!.children.map((c) => [c.id, c.inputShape, c.params]), [['dense_4', [32], 1056], ['dropout_3', [32], 0]]);
});

test('sequences: embedding, conv1d, 1-D pooling, lstm and gru parameter counts (Keras, GRU reset_after)', () => {
  const m = model(`model {
  embedding(1000, 16)
  conv1d(32, kernel: 5, padding: valid)
  maxpool(2)
  spatial_dropout(0.2)
  lstm(24, return_sequences: true)
  gru(12)
  dense(2)
}
data { source: text("reviews.jsonl", vocab: 1000) }`, { inspectData: false });
  assert.deepEqual(rows(m.layers), [
    { name: 'embedding', out: [64, 16], params: 1000 * 16 },
    { name: 'conv1d', out: [60, 32], params: 5 * 16 * 32 + 32 },
    { name: 'maxpool', out: [30, 32], params: 0 },
    { name: 'spatial_dropout', out: [30, 32], params: 0 },
    { name: 'lstm', out: [30, 24], params: 4 * (24 * (32 + 24) + 24) },
    { name: 'gru', out: [12], params: 3 * (12 * (24 + 12) + 2 * 12) },
    { name: 'dense', out: [2], params: 26 },
  ]);
});

test('reshape with an inferred dimension; activation and noise layers keep the shape', () => {
  const m = model(`model {
  flatten
  reshape([-1, 4])
  global_avgpool
  leaky_relu(alpha: 0.1)
  reshape([2, 2])
  flatten
  gaussian_noise(0.1)
  dense(10)
  softmax
}
data { source: mnist() }`);
  assert.deepEqual(rows(m.layers).map((r) => r.out), [[784], [196, 4], [4], [4], [2, 2], [4], [4], [10], [10]]);
  assert.equal(m.totalParams, 50);
});

test('RN401 a layer that cannot take its input shape names where that shape comes from', () => {
  const d = expectOne(`model {\n  flatten\n  conv2d(8)\n  dense(10)\n}\ndata { source: mnist() }`, 'RN401', '3:3-3:9', 'error');
  assert.equal(d.message, 'conv2d expects an input of shape [h, w, channels] but gets [784] (after flatten at line 2)');
  const l = expectOne(`model { lstm(8) dense(10) }\ndata { source: mnist() }`, 'RN401', '1:9-1:13', 'error');
  assert.equal(l.message, 'lstm expects an input of shape [steps, features] but gets [28, 28, 1] (from the data source mnist)');
  const e = expectOne(`model { embedding(10, 4) flatten dense(10) }\ndata { source: mnist() }`, 'RN401', '1:9-1:18', 'error');
  assert.match(e.message, /^embedding expects an input of shape \[length\] \(token ids\) but gets \[28, 28, 1\]/);
  expectOne(`model { dense(4) instancenorm dense(2) }\ndata { source: playground(xor) }`, 'RN401', '1:18-1:30', 'error');
  expectOne(`model { dense(4) input([4]) dense(2) }\ndata { source: playground(xor) }`, 'RN401', '1:18-1:23', 'error');
});

test('RN402 final layer size does not match the number of classes', () => {
  const d = expectOne(`model {\n  flatten\n  dense(12)\n  softmax\n}\ndata { source: mnist() }`, 'RN402', '3:3-3:12', 'error');
  assert.equal(d.message, 'dense(12) gives 12 outputs but the data has 10 classes');
  const r = expectOne(`model { conv2d(10) }\ndata { source: mnist() }`, 'RN402', '1:9-1:19', 'error');
  assert.equal(r.message, "the model's output has shape [28, 28, 10] but the data has 10 classes: add flatten or global_avgpool before the last layer");
  const empty = expectOne(`model { }\ndata { source: mnist() }`, 'RN402', '1:1-1:6', 'error');
  assert.equal(empty.message, 'the model has no layers: its output is the input [28, 28, 1], but the data has 10 classes');
  // A single sigmoid output is fine for binary_crossentropy on 2 classes.
  const ok = check(`model { dense(1, activation: sigmoid) }\ndata { source: playground(xor) }\ntrain { loss: binary_crossentropy }`);
  assert.deepEqual(ok.diagnostics.filter((x) => x.severity === 'error'), []);
});

test('RN403 residual block that changes the shape, and a projection that cannot fix it', () => {
  const d = expectOne(`model {\n  flatten\n  dense(32)\n  residual { dense(16) }\n  dense(10)\n}\ndata { source: mnist() }`, 'RN403', '4:3-4:11', 'error');
  assert.equal(d.message, 'residual block maps [32] to [16]; the shapes must match to add them (or use projection: true)');
  const p = expectOne(`model {\n  residual(projection: true) { flatten }\n  dense(10)\n}\ndata { source: mnist() }`, 'RN403', '2:3-2:11', 'error');
  assert.match(p.message, /^residual projection cannot map \[28, 28, 1\] to \[784\]/);
});

test('RN404 reshape that changes the number of elements', () => {
  const d = expectOne(`model {\n  flatten\n  reshape([5, 5])\n  dense(10)\n}\ndata { source: mnist() }`, 'RN404', '3:11-3:17', 'error');
  assert.equal(d.message, 'reshape to [5, 5] needs 25 elements but the input [784] has 784 (after flatten at line 2)');
  expectOne(`model { flatten reshape([-1, 5]) dense(10) }\ndata { source: mnist() }`, 'RN404', '1:25-1:32', 'error');
});

test('RN405 input shape unknown without data and without input', () => {
  const d = expectOne(`model { dense(3) }`, 'RN405', '1:9-1:14', 'error');
  assert.equal(d.message, 'input shape unknown: there is no data source to take it from; start the model with input(shape: [...])');
  const m = check(`model { input([4]) dense(3) }`).model;
  assert.deepEqual(m.layers.map((l) => l.outputShape), [[4], [3]]);
  assert.equal(m.totalParams, 15);
});

test('RN406 input shape that differs from the data source', () => {
  const d = expectOne(`model {\n  input([784])\n  dense(10)\n}\ndata { source: mnist() }`, 'RN406', '2:9-2:14', 'error');
  assert.equal(d.message, 'input shape [784] does not match the data source mnist, which gives [28, 28, 1]');
});

test('RN302 a repeat that would unroll to an absurd number of layers is refused quickly', () => {
  const started = performance.now();
  const d = expectOne(`model {\n  flatten\n  repeat(1000000) { dense(8) relu }\n  dense(10)\n}\ndata { source: mnist() }`, 'RN302', '3:10-3:17', 'error');
  assert.equal(d.message, 'repeat(1000000) would unroll to about 2000002 layers; a model may have at most 10000');
  assert.ok(performance.now() - started < 1000);
});
