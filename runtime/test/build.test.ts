// buildModel / kernelWeights / saveModel+loadModel on hand-written IR: shapes and
// parameter counts as the IR says, one SGD step per layer type on wasm and cpu, seeding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { buildModel, kernelWeights, ModelBuildError } from '../src/model/build.js';
import { loadModel, saveModel } from '../src/model/io.js';
import { Random } from '../src/random.js';
import { layerCases, pipelineIR } from './ir-fixtures.js';
import { compile, type GraphIR } from '@regnet/compiler';

const { tf } = await initBackend('wasm');
type TF = typeof tf;

function batchFor(tf: TF, ir: GraphIR, batch = 4, seed = 7): tfTypes.Tensor {
  if (ir.input.dtype === 'int32') {
    const vocab = Number(ir.nodes.find((n) => n.op === 'embedding')?.attrs['vocab'] ?? 2);
    const rng = new Random(seed);
    const size = batch * ir.input.shape.reduce((a, b) => a * b, 1);
    return tf.tensor(Array.from({ length: size }, () => rng.int(vocab)), [batch, ...ir.input.shape], 'int32');
  }
  return tf.randomNormal([batch, ...ir.input.shape], 0, 1, 'float32', seed);
}

/** One SGD step on mean(output²); returns the loss and whether every gradient is finite. */
function sgdStep(tf: TF, model: tfTypes.LayersModel, x: tfTypes.Tensor): { loss: number; finiteGrads: boolean; nonZero: number } {
  const vars = model.trainableWeights.map((w) => w.read() as tfTypes.Variable);
  const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x, { training: true }) as tfTypes.Tensor)) as tfTypes.Scalar, vars);
  let finiteGrads = true;
  let nonZero = 0;
  for (const v of vars) {
    const g = grads[v.name];
    assert.ok(g, `no gradient for ${v.name}`);
    const data = g.dataSync();
    if (!data.every(Number.isFinite)) finiteGrads = false;
    if (data.some((d) => d !== 0)) nonZero++;
    tf.tidy(() => v.assign(tf.sub(v, tf.mul(g, 0.01))));
  }
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return { loss, finiteGrads, nonZero };
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`every layer builds with IR shapes/params and trains one step on ${backend}`, async () => {
    await tf.setBackend(backend);
    try {
      for (const { name, ir } of layerCases()) {
        const model = buildModel(tf, ir, new Random(3));
        for (const node of ir.nodes.slice(1)) {
          assert.equal(model.getLayer(node.id).countParams(), node.params, `${name}: params of ${node.id}`);
        }
        assert.equal(model.countParams(), ir.totalParams, `${name}: total params`);
        const x = batchFor(tf, ir);
        const y = model.predict(x) as tfTypes.Tensor;
        assert.deepEqual(y.shape, [4, ...ir.nodes[ir.nodes.length - 1]!.shape], `${name}: output shape`);
        const before = tf.memory().numTensors;
        const step = sgdStep(tf, model, x);
        assert.ok(Number.isFinite(step.loss), `${name}: loss ${step.loss}`);
        assert.ok(step.finiteGrads, `${name}: non-finite gradient`);
        assert.ok(step.nonZero > 0 || name.includes('zeros'), `${name}: all gradients are zero`);
        assert.ok(tf.memory().numTensors <= before, `${name}: a training step leaked ${tf.memory().numTensors - before} tensors`);
        tf.dispose([x, y]);
        model.dispose();
      }
    } finally {
      await tf.setBackend('wasm');
    }
  });
}

test('the same seed gives the same weights; another seed different ones', () => {
  const ir = layerCases().find((c) => c.name === 'conv2d same')!.ir;
  const w = (seed: number) => {
    const m = buildModel(tf, ir, new Random(seed));
    const values = m.getWeights().map((t) => Array.from(t.dataSync()));
    m.dispose();
    return values;
  };
  assert.deepEqual(w(5), w(5));
  assert.notDeepEqual(w(5), w(6));
});

test('initializers follow their formulas (zeros, ones, glorot_uniform limit, he_normal spread)', () => {
  const kernelOf = (init: string, inputs = 64, units = 64) => {
    const ir = pipelineIR([inputs], [{ op: 'dense', attrs: { units, init, activation: 'linear', bias: true, l1: 0, l2: 0 }, shape: [units], params: inputs * units + units }]);
    const m = buildModel(tf, ir, new Random(1));
    const k = Array.from(m.getLayer('dense_1').getWeights()[0]!.dataSync());
    m.dispose();
    return k;
  };
  assert.ok(kernelOf('zeros').every((v) => v === 0));
  assert.ok(kernelOf('ones').every((v) => v === 1));
  const limit = Math.sqrt(6 / (64 + 64));
  const gu = kernelOf('glorot_uniform');
  assert.ok(gu.every((v) => Math.abs(v) <= limit) && Math.max(...gu.map(Math.abs)) > 0.9 * limit);
  const hn = kernelOf('he_normal', 256, 64);
  const std = Math.sqrt(hn.reduce((s, v) => s + v * v, 0) / hn.length);
  // Truncated normal with stddev sqrt(2/fan_in) (Keras): sample std within 10%.
  assert.ok(Math.abs(std - Math.sqrt(2 / 256)) < 0.1 * Math.sqrt(2 / 256), `he_normal std ${std}`);
});

test('LSTM recurrent kernel is orthogonal and its forget bias starts at 1 (Keras defaults)', () => {
  const ir = pipelineIR([5, 3], [{ op: 'lstm', attrs: { units: 4, return_sequences: false, dropout: 0, recurrent_dropout: 0, l1: 0, l2: 0 }, shape: [4], params: 128 }]);
  const m = buildModel(tf, ir, new Random(1));
  const [, rk, bias] = m.getLayer('lstm_1').getWeights();
  const u = rk!; // [4, 16]: rows orthonormal
  const gram = tf.matMul(u, u, false, true).arraySync() as number[][];
  gram.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-5, `gram[${i}][${j}] = ${v}`)));
  assert.deepEqual(Array.from(bias!.dataSync()), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  m.dispose();
});

test('a shape the runtime cannot reproduce is reported with the node id', () => {
  const ir = pipelineIR([4], [{ op: 'dense', attrs: { units: 3 }, shape: [5], params: 15 }]);
  assert.throws(() => buildModel(tf, ir, new Random(1)), (e: unknown) => e instanceof ModelBuildError && /dense_1.*\[3\].*\[5\]/.test(e.message));
});

test('kernelWeights: kernels, recurrent kernels and embeddings with their node l1/l2; no biases or norm params', () => {
  const ir = pipelineIR(
    [5],
    [
      { op: 'embedding', attrs: { vocab: 10, dim: 3, l1: 0, l2: 0.5 }, shape: [5, 3], params: 30 },
      { op: 'gru', attrs: { units: 2, return_sequences: true, dropout: 0, recurrent_dropout: 0, l1: 0.1, l2: 0 }, shape: [5, 2], params: 48 },
      { op: 'layernorm', attrs: { epsilon: 0.001 }, shape: [5, 2], params: 4 },
      { op: 'flatten', shape: [10] },
      { op: 'dense', attrs: { units: 2, activation: 'linear', bias: true, init: 'glorot_uniform', l1: 0, l2: 0.01 }, shape: [2], params: 22 },
      { op: 'batchnorm', attrs: { momentum: 0.9, epsilon: 0.001, center: true, scale: true }, shape: [2], params: 8 },
    ],
    'int32',
  );
  const m = buildModel(tf, ir, new Random(1));
  const got = kernelWeights(m, ir).map((w) => [w.nodeId, w.kind, w.variable.shape.join('x'), w.l1, w.l2]);
  assert.deepEqual(got, [
    ['embedding_1', 'embeddings', '10x3', 0, 0.5],
    ['gru_2', 'kernel', '3x6', 0.1, 0],
    ['gru_2', 'recurrent_kernel', '2x6', 0.1, 0],
    ['dense_5', 'kernel', '10x2', 0, 0.01],
  ]);
  m.dispose();
});

test('save to a folder and load back: same predictions, custom layers included', async () => {
  const ir = pipelineIR(
    [6, 6, 1],
    [
      { op: 'conv2d', attrs: { filters: 4, kernel: [3, 3], stride: [1, 1], padding: 'same', activation: 'leaky_relu', bias: true, init: 'he_normal', l1: 0, l2: 0 }, shape: [6, 6, 4], params: 40 },
      { op: 'batchnorm', attrs: { momentum: 0.9, epsilon: 0.001, center: true, scale: true }, shape: [6, 6, 4], params: 16 },
      { op: 'groupnorm', attrs: { groups: 2, epsilon: 0.001 }, shape: [6, 6, 4], params: 8 },
      { op: 'instancenorm', attrs: { epsilon: 0.001 }, shape: [6, 6, 4], params: 8 },
      { op: 'spatial_dropout', attrs: { rate: 0.2 }, shape: [6, 6, 4] },
      { op: 'maxpool2d', attrs: { size: [2, 2], stride: [2, 2], padding: 'valid' }, shape: [3, 3, 4] },
      { op: 'reshape', attrs: { shape: [9, 4] }, shape: [9, 4] },
      { op: 'gru', attrs: { units: 3, return_sequences: true, dropout: 0.1, recurrent_dropout: 0, l1: 0, l2: 0 }, shape: [9, 3], params: 3 * 3 * (4 + 3 + 2) },
      { op: 'lstm', attrs: { units: 3, return_sequences: false, dropout: 0, recurrent_dropout: 0.1, l1: 0, l2: 0 }, shape: [3], params: 84 },
      { op: 'layernorm', attrs: { epsilon: 0.001 }, shape: [3], params: 6 },
      { op: 'gaussian_noise', attrs: { std: 0.1 }, shape: [3] },
      { op: 'dropout', attrs: { rate: 0.3 }, shape: [3] },
      { op: 'dense', attrs: { units: 2, activation: 'gelu', bias: true, init: 'glorot_uniform', l1: 0, l2: 0 }, shape: [2], params: 8 },
      { op: 'activation', attrs: { fn: 'softmax' }, shape: [2] },
    ],
  );
  const model = buildModel(tf, ir, new Random(11));
  const x = tf.randomNormal([3, 6, 6, 1], 0, 1, 'float32', 2);
  // A training step moves the batchnorm statistics away from their initial values.
  sgdStep(tf, model, x);
  const dir = mkdtempSync(join(tmpdir(), 'regnet-io-'));
  try {
    await saveModel(model, dir);
    assert.ok(existsSync(join(dir, 'model.json')) && existsSync(join(dir, 'weights.bin')));
    const loaded = await loadModel(tf, dir);
    assert.deepEqual(
      loaded.layers.map((l) => l.getClassName()),
      model.layers.map((l) => l.getClassName()),
    );
    const a = (model.predict(x) as tfTypes.Tensor).dataSync();
    const b = (loaded.predict(x) as tfTypes.Tensor).dataSync();
    assert.deepEqual(Array.from(b), Array.from(a));
    // A folder without model.json is a clear error.
    await assert.rejects(loadModel(tf, join(dir, 'missing')), /does not exist/);
    loaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
});

/** Specs using every layer the language has except embedding (needs a text file), compiled by @regnet/compiler. */
const COMPILED_SPECS: Record<string, string> = {
  image: `model {
    dense(72, activation: leaky_relu, init: he_normal, l2: 0.01)
    reshape([6, 6, 2])
    conv2d(4, kernel: 3, activation: gelu)
    batchnorm(momentum: 0.9)
    groupnorm(2)
    instancenorm
    spatial_dropout(0.1)
    maxpool(2)
    avgpool(3, stride: 1, padding: same)
    residual { conv2d(4, init: lecun_normal) relu }
    residual(projection: true) { conv2d(6, bias: false) leaky_relu(alpha: 0.1) }
    conv2d(3, kernel: [2, 3], stride: 2, padding: valid, activation: swish)
    global_avgpool
    dense(2)
  }
  data { source: playground(circle) }`,
  sequence: `model {
    dense(24, activation: selu, init: glorot_normal)
    reshape([8, 3])
    conv1d(4, kernel: 3, activation: elu)
    maxpool(2)
    avgpool(2)
    spatial_dropout(0.2)
    layernorm
    gru(5, return_sequences: true, dropout: 0.1, recurrent_dropout: 0.1)
    lstm(3, return_sequences: true)
    global_maxpool
    gaussian_noise(0.1)
    repeat(2) { dense(3, init: he_uniform) tanh dropout(0.2) }
    residual(projection: true) { dense(4) sigmoid }
    flatten
    dense(2)
    softmax
  }
  data { source: playground(xor) }`,
};

for (const backend of ['wasm', 'cpu'] as const) {
  test(`compiled specs build with the compiler's shapes and parameter counts and train on ${backend}`, async () => {
    await tf.setBackend(backend);
    try {
      for (const [name, src] of Object.entries(COMPILED_SPECS)) {
        const { ir, diagnostics } = compile(src);
        assert.ok(ir, `${name}: ${JSON.stringify(diagnostics.filter((d) => d.severity === 'error'))}`);
        const model = buildModel(tf, ir, new Random(ir.train.seed));
        for (const node of ir.nodes.slice(1)) {
          assert.equal(model.getLayer(node.id).countParams(), node.params, `${name}: params of ${node.id}`);
        }
        assert.equal(model.countParams(), ir.totalParams, `${name}: total`);
        const x = batchFor(tf, ir, 8);
        const step = sgdStep(tf, model, x);
        assert.ok(Number.isFinite(step.loss) && step.finiteGrads, `${name}: loss ${step.loss}`);
        assert.equal(step.nonZero, model.trainableWeights.length, `${name}: every weight gets a gradient`);
        x.dispose();
        model.dispose();
      }
    } finally {
      await tf.setBackend('wasm');
    }
  });
}
