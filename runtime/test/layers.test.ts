// RegNet's custom layers against hand computations: normalization statistics, batchnorm
// running averages, dropout/noise behaviour and seeding, LSTM/GRU step formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfTypes from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import {
  BatchNorm,
  GroupNorm,
  GRU,
  InstanceNorm,
  LayerNorm,
  LSTM,
  SeededDropout,
  SeededGaussianNoise,
  SpatialDropout,
  getNoiseState,
  setNoiseState,
} from '../src/layers/index.js';
import { Random } from '../src/random.js';
import { assertClose } from './assert-close.js';

const { tf } = await initBackend('wasm');
const EPS = 1e-3;

function randomArray(n: number, seed: number, scale = 2): number[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => rng.uniform(-scale, scale) + 0.5);
}


/** Normalizes `x` in place over each group of flat indices that `groupOf` maps together. */
function normalizeBy(x: number[], groupOf: (i: number) => string, eps: number): number[] {
  const groups = new Map<string, number[]>();
  x.forEach((_, i) => {
    const k = groupOf(i);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(i);
  });
  const y = x.slice();
  for (const idx of groups.values()) {
    const mean = idx.reduce((s, i) => s + x[i]!, 0) / idx.length;
    const variance = idx.reduce((s, i) => s + (x[i]! - mean) ** 2, 0) / idx.length;
    for (const i of idx) y[i] = (x[i]! - mean) / Math.sqrt(variance + eps);
  }
  return y;
}

/** Applies a layer to a [B, H, W, C] input (built as part of a model so weights exist). */
function run(layer: tfTypes.layers.Layer, x: tfTypes.Tensor, training = false): tfTypes.Tensor {
  return layer.apply(x, { training }) as tfTypes.Tensor;
}

const [B, H, W, C] = [2, 3, 2, 4];
const xs = randomArray(B * H * W * C, 1);
const x4 = () => tf.tensor4d(xs, [B, H, W, C]);
const coords = (i: number) => ({ b: Math.floor(i / (H * W * C)), pos: Math.floor(i / C) % (H * W), c: i % C });
const gamma = [0.5, 2, -1, 1.5];
const beta = [0.1, -0.2, 0.3, 0];
const affine = (y: number[]) => y.map((v, i) => v * gamma[i % C]! + beta[i % C]!);

test('groupnorm: statistics per example and channel group, gamma/beta per channel', () => {
  const layer = new GroupNorm({ groups: 2, epsilon: EPS });
  run(layer, x4()); // builds
  layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
  const expected = affine(normalizeBy(xs, (i) => `${coords(i).b}/${Math.floor(coords(i).c / 2)}`, EPS));
  assertClose(run(layer, x4()).dataSync(), expected, 'groupnorm', 1e-4, 0);
  assert.equal(layer.countParams(), 2 * C);
});

test('instancenorm: statistics per example and channel', () => {
  const layer = new InstanceNorm({ epsilon: EPS });
  run(layer, x4());
  layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
  const expected = affine(normalizeBy(xs, (i) => `${coords(i).b}/${coords(i).c}`, EPS));
  assertClose(run(layer, x4()).dataSync(), expected, 'instancenorm', 1e-4, 0);
  assert.throws(() => run(new GroupNorm({ groups: 3 }), x4()), /4 channels do not divide into 3 groups/);
});

test('layernorm: statistics per example and position over channels', () => {
  const layer = new LayerNorm({ epsilon: EPS });
  run(layer, x4());
  layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
  const expected = affine(normalizeBy(xs, (i) => `${coords(i).b}/${coords(i).pos}`, EPS));
  assertClose(run(layer, x4()).dataSync(), expected, 'layernorm', 1e-4, 0);
});

test('batchnorm: batch statistics in training, Keras momentum for running averages (unbiased variance), running stats at inference', () => {
  const layer = new BatchNorm({ momentum: 0.9, epsilon: EPS });
  run(layer, x4());
  layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([C]), tf.ones([C])]);
  const expected = affine(normalizeBy(xs, (i) => `${coords(i).c}`, EPS));
  assertClose(run(layer, x4(), true).dataSync(), expected, 'train output', 1e-4, 0);
  const n = B * H * W;
  const mean = [0, 1, 2, 3].map((c) => xs.filter((_, i) => i % C === c).reduce((s, v) => s + v, 0) / n);
  const unbiased = [0, 1, 2, 3].map((c) => xs.filter((_, i) => i % C === c).reduce((s, v) => s + (v - mean[c]!) ** 2, 0) / (n - 1));
  const [, , runningMean, runningVar] = layer.getWeights();
  assertClose(runningMean!.dataSync(), mean.map((m) => 0.1 * m), 'running mean', 1e-5, 0);
  assertClose(runningVar!.dataSync(), unbiased.map((v) => 0.9 + 0.1 * v), 'running variance', 1e-5, 0);
  const rm = Array.from(runningMean!.dataSync());
  const rv = Array.from(runningVar!.dataSync());
  const inference = xs.map((v, i) => ((v - rm[i % C]!) / Math.sqrt(rv[i % C]! + EPS)) * gamma[i % C]! + beta[i % C]!);
  assertClose(run(layer, x4(), false).dataSync(), inference, 'inference output', 1e-4, 0);

  const plain = new BatchNorm({ center: false, scale: false, epsilon: EPS });
  assertClose(run(plain, x4(), true).dataSync(), normalizeBy(xs, (i) => `${coords(i).c}`, EPS), 'no center/scale', 1e-4, 0);
  assert.equal(plain.countParams(), 2 * C);
});

test('dropout: inverted scaling in training, identity at inference, fresh masks each step, repeatable by seed', () => {
  const x = tf.ones([200, 50]);
  const layer = new SeededDropout({ rate: 0.3, seed: 42 });
  assert.deepEqual(Array.from(run(layer, x, false).dataSync()), Array.from(x.dataSync()));
  const first = Array.from(run(layer, x, true).dataSync());
  const second = Array.from(run(layer, x, true).dataSync());
  const kept = 1 / 0.7;
  assert.ok(first.every((v) => v === 0 || Math.abs(v - kept) < 1e-6));
  const dropped = first.filter((v) => v === 0).length / first.length;
  assert.ok(Math.abs(dropped - 0.3) < 0.02, `dropped fraction ${dropped}`);
  assert.notDeepEqual(first, second, 'the mask changes between steps');
  const again = new SeededDropout({ rate: 0.3, seed: 42 });
  assert.deepEqual(Array.from(run(again, x, true).dataSync()), first, 'same seed, same first mask');
  // The call counter is training state: restoring it continues the same mask sequence.
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [50] }), new SeededDropout({ rate: 0.3, seed: 42, name: 'drop' })] });
  (model.apply(x, { training: true }) as tfTypes.Tensor).dispose();
  assert.deepEqual(getNoiseState(model), { drop: 1 });
  const resumed = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [50] }), new SeededDropout({ rate: 0.3, seed: 42, name: 'drop' })] });
  setNoiseState(resumed, getNoiseState(model));
  assert.deepEqual(Array.from((resumed.apply(x, { training: true }) as tfTypes.Tensor).dataSync()), second);
});

test('spatial dropout drops whole channels of [h, w, c] and [steps, c] inputs', () => {
  for (const shape of [[8, 5, 5, 16], [8, 7, 16]]) {
    const layer = new SpatialDropout({ rate: 0.5, seed: 3 });
    const y = run(layer, tf.ones(shape), true);
    const perChannel = tf.transpose(tf.reshape(y, [8, -1, 16]), [0, 2, 1]).arraySync() as number[][][];
    let droppedChannels = 0;
    for (const example of perChannel) {
      for (const channel of example) {
        assert.ok(channel.every((v) => v === channel[0]), 'one mask value per channel');
        assert.ok(channel[0] === 0 || Math.abs(channel[0]! - 2) < 1e-6);
        if (channel[0] === 0) droppedChannels++;
      }
    }
    assert.ok(droppedChannels > 20 && droppedChannels < 108, `${droppedChannels} of 128 channels dropped`);
  }
});

test('gaussian noise: N(0, std²) in training only, seeded', () => {
  const layer = new SeededGaussianNoise({ std: 0.5, seed: 9 });
  const x = tf.zeros([100, 100]);
  assert.ok(Array.from(run(layer, x, false).dataSync()).every((v) => v === 0));
  const noise = Array.from(run(layer, x, true).dataSync());
  const mean = noise.reduce((s, v) => s + v, 0) / noise.length;
  const std = Math.sqrt(noise.reduce((s, v) => s + (v - mean) ** 2, 0) / noise.length);
  assert.ok(Math.abs(mean) < 0.02 && Math.abs(std - 0.5) < 0.02, `mean ${mean} std ${std}`);
  assert.deepEqual(Array.from(run(new SeededGaussianNoise({ std: 0.5, seed: 9 }), x, true).dataSync()), noise);
});

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
type Matrix = number[][];
const matvec = (v: number[], m: Matrix) => m[0]!.map((_, j) => v.reduce((s, vi, i) => s + vi * m[i]![j]!, 0));
const toMatrix = (flat: number[], rows: number, cols: number): Matrix => Array.from({ length: rows }, (_, r) => flat.slice(r * cols, (r + 1) * cols));

test('LSTM follows Keras: gates i, f, c, o; returns the last h or every h', () => {
  const [steps, features, units] = [3, 2, 2];
  const xSeq = randomArray(steps * features, 4, 1);
  const kernel = randomArray(features * 4 * units, 5, 0.5);
  const recurrent = randomArray(units * 4 * units, 6, 0.5);
  const bias = randomArray(4 * units, 7, 0.5);
  const layer = new LSTM({ units, returnSequences: true, seed: 1 });
  const input = tf.tensor3d(xSeq, [1, steps, features]);
  run(layer, input);
  layer.setWeights([tf.tensor2d(kernel, [features, 4 * units]), tf.tensor2d(recurrent, [units, 4 * units]), tf.tensor1d(bias)]);
  let h = [0, 0];
  let c = [0, 0];
  const expected: number[] = [];
  for (let t = 0; t < steps; t++) {
    const xt = xSeq.slice(t * features, (t + 1) * features);
    const z = matvec(xt, toMatrix(kernel, features, 4 * units)).map((v, j) => v + matvec(h, toMatrix(recurrent, units, 4 * units))[j]! + bias[j]!);
    const gate = (g: number) => z.slice(g * units, (g + 1) * units);
    c = c.map((cv, j) => sigmoid(gate(1)[j]!) * cv + sigmoid(gate(0)[j]!) * Math.tanh(gate(2)[j]!));
    h = c.map((cv, j) => sigmoid(gate(3)[j]!) * Math.tanh(cv));
    expected.push(...h);
  }
  assertClose(run(layer, input).dataSync(), expected, 'lstm sequence', 1e-5, 0);
});

test('GRU follows Keras reset_after=True: h̃ = tanh(x·W_h + b_h + r·(h·U_h + b_rh))', () => {
  const [steps, features, units] = [3, 2, 2];
  const xSeq = randomArray(steps * features, 8, 1);
  const kernel = randomArray(features * 3 * units, 9, 0.5);
  const recurrent = randomArray(units * 3 * units, 10, 0.5);
  const bias = randomArray(2 * 3 * units, 11, 0.5);
  const layer = new GRU({ units, returnSequences: false, seed: 1 });
  const input = tf.tensor3d(xSeq, [1, steps, features]);
  run(layer, input);
  layer.setWeights([tf.tensor2d(kernel, [features, 3 * units]), tf.tensor2d(recurrent, [units, 3 * units]), tf.tensor2d(bias, [2, 3 * units])]);
  let h = [0, 0];
  for (let t = 0; t < steps; t++) {
    const xt = xSeq.slice(t * features, (t + 1) * features);
    const xp = matvec(xt, toMatrix(kernel, features, 3 * units)).map((v, j) => v + bias[j]!);
    const hp = matvec(h, toMatrix(recurrent, units, 3 * units)).map((v, j) => v + bias[3 * units + j]!);
    const part = (v: number[], g: number) => v.slice(g * units, (g + 1) * units);
    const z = part(xp, 0).map((v, j) => sigmoid(v + part(hp, 0)[j]!));
    const r = part(xp, 1).map((v, j) => sigmoid(v + part(hp, 1)[j]!));
    const cand = part(xp, 2).map((v, j) => Math.tanh(v + r[j]! * part(hp, 2)[j]!));
    h = h.map((hv, j) => z[j]! * hv + (1 - z[j]!) * cand[j]!);
  }
  assertClose(run(layer, input).dataSync(), h, 'gru last state', 1e-5, 0);
  assert.equal(layer.countParams(), 3 * units * (features + units + 2));
});

test('recurrent dropout masks are seeded: same seed, same training output', () => {
  const input = tf.randomNormal([4, 5, 3], 0, 1, 'float32', 1);
  const outputs = [1, 1, 2].map((seed) => {
    const layer = new GRU({ units: 3, dropout: 0.3, recurrentDropout: 0.3, seed });
    return Array.from(run(layer, input, true).dataSync());
  });
  assert.deepEqual(outputs[0], outputs[1]);
  assert.notDeepEqual(outputs[0], outputs[2]);
});
