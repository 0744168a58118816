// loadData: shuffling, validation hold-out, subset, label noise, normalization, text
// vocabulary, test sources, and the tensors it hands to training.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadData } from '../src/data/load.js';
import { dataConfig, fixture, source } from './data-helpers.js';

before(async () => {
  await tf.setBackend('cpu');
});

const circle = (args: Record<string, number | string> = {}) => source('playground', { kind: 'circle', n: 200, noise: 0, ...args }, [2], 2);

function rows(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}

test('playground through loadData: shapes, dtypes, seeded repeatability', async () => {
  const a = await loadData(tf, dataConfig(circle(), { shuffle: true, validation: { fraction: 0.1 } }), 5);
  const b = await loadData(tf, dataConfig(circle(), { shuffle: true, validation: { fraction: 0.1 } }), 5);
  const c = await loadData(tf, dataConfig(circle(), { shuffle: true, validation: { fraction: 0.1 } }), 6);
  assert.deepEqual(a.train.x.shape, [180, 2]);
  assert.equal(a.train.x.dtype, 'float32');
  assert.deepEqual(a.train.y.shape, [180]);
  assert.equal(a.train.y.dtype, 'int32');
  assert.equal(a.train.size, 180);
  assert.equal(a.validation?.size, 20);
  assert.deepEqual(rows(a.train.x), rows(b.train.x));
  assert.deepEqual(a.train.y.arraySync(), b.train.y.arraySync());
  assert.notDeepEqual(rows(a.train.x), rows(c.train.x));
  assert.equal(a.classes, 2);
});

test('validation fraction: exactly round(f·N) held out, disjoint from training, same whatever the subset', async () => {
  const cfg = source('csv', { path: fixture('data-points.csv'), label: 'species' }, [2], 3);
  const full = await loadData(tf, dataConfig(cfg, { shuffle: true, validation: { fraction: 0.34 } }), 11);
  assert.equal(full.validation?.size, 2);
  assert.equal(full.train.size, 4);
  const firsts = (t: tf.Tensor) => rows(t).map((r) => r[0]);
  const all = [...firsts(full.train.x), ...firsts(full.validation!.x)].sort();
  assert.deepEqual(all, [1, 2, 3, 4, 5, 6]);
  const sub = await loadData(tf, dataConfig(cfg, { shuffle: true, validation: { fraction: 0.34 }, subset: 2 }), 11);
  assert.equal(sub.train.size, 2);
  assert.deepEqual(rows(sub.validation!.x), rows(full.validation!.x));
  assert.deepEqual(rows(sub.train.x), rows(full.train.x).slice(0, 2));
  assert.deepEqual(full.labels, ['setosa', 'versicolor', 'virginica']);
});

test('no shuffle keeps file order; validation is the last examples; validation 0 means none', async () => {
  const cfg = source('csv', { path: fixture('data-points.csv'), label: 'species' }, [2], 3);
  const d = await loadData(tf, dataConfig(cfg, { validation: { fraction: 0.5 } }), 1);
  assert.deepEqual(rows(d.train.x).map((r) => r[0]), [1, 2, 3]);
  assert.deepEqual(rows(d.validation!.x).map((r) => r[0]), [4, 5, 6]);
  const none = await loadData(tf, dataConfig(cfg), 1);
  assert.equal(none.validation, undefined);
  assert.equal(none.train.size, 6);
});

test('subset: the first N after shuffling, N larger than the data keeps all', async () => {
  const d = await loadData(tf, dataConfig(circle(), { shuffle: true, subset: 37 }), 2);
  assert.equal(d.train.size, 37);
  assert.deepEqual(d.train.x.shape, [37, 2]);
  const all = await loadData(tf, dataConfig(circle(), { shuffle: true }), 2);
  assert.deepEqual(rows(d.train.x), rows(all.train.x).slice(0, 37));
  const more = await loadData(tf, dataConfig(circle(), { subset: 1000 }), 2);
  assert.equal(more.train.size, 200);
});

test('label_noise: exactly round(f·N) training labels redrawn uniformly; validation labels clean', async () => {
  const clean = await loadData(tf, dataConfig(source('mnist', { split: 'train' }, [28, 28, 1], 10), { shuffle: true, validation: { fraction: 0.1 }, subset: 2000 }), 9);
  const noisy = await loadData(
    tf,
    dataConfig(source('mnist', { split: 'train' }, [28, 28, 1], 10), { shuffle: true, validation: { fraction: 0.1 }, subset: 2000, labelNoise: 0.3 }),
    9,
  );
  assert.equal(noisy.noisyIndices?.length, 600);
  const y0 = clean.train.y.arraySync() as number[];
  const y1 = noisy.train.y.arraySync() as number[];
  const chosen = new Set(noisy.noisyIndices);
  let changed = 0;
  for (let i = 0; i < y0.length; i++) {
    if (!chosen.has(i)) assert.equal(y1[i], y0[i], `label ${i} is not one of the noisy ones`);
    else if (y1[i] !== y0[i]) changed++;
  }
  // Uniform over 10 classes keeps the true label 1 time in 10: about 540 of 600 change.
  assert.ok(changed > 500 && changed < 580, `changed ${changed}`);
  assert.deepEqual(noisy.validation!.y.arraySync(), clean.validation!.y.arraySync());
  assert.deepEqual(rows(noisy.train.x.slice([0, 0, 0, 0], [3, 28, 28, 1]).reshape([3, 784])), rows(clean.train.x.slice([0, 0, 0, 0], [3, 28, 28, 1]).reshape([3, 784])));
});

test('normalize standard: training features get mean 0 / std 1, validation uses the training statistics', async () => {
  const d = await loadData(tf, dataConfig(circle({ n: 400 }), { shuffle: true, validation: { fraction: 0.25 }, normalize: 'standard' }), 3);
  const { mean, variance } = tf.moments(d.train.x, 0);
  for (const m of mean.arraySync() as number[]) assert.ok(Math.abs(m) < 1e-5, `mean ${m}`);
  for (const v of variance.arraySync() as number[]) assert.ok(Math.abs(v - 1) < 1e-4, `variance ${v}`);
  const raw = await loadData(tf, dataConfig(circle({ n: 400 }), { shuffle: true, validation: { fraction: 0.25 } }), 3);
  const { shift, scale } = d.normalizer!;
  const expected = rows(raw.validation!.x).map((r) => r.map((v, f) => (v - shift[f]) / scale[f]));
  const got = rows(d.validation!.x);
  got.forEach((r, i) => r.forEach((v, f) => assert.ok(Math.abs(v - expected[i][f]) < 1e-5)));
});

test('normalize minmax maps training features onto [0, 1]; images per channel', async () => {
  const d = await loadData(tf, dataConfig(circle(), { normalize: 'minmax' }), 3);
  assert.deepEqual((d.train.x.min(0).arraySync() as number[]).map((v) => Math.round(v * 1e6) / 1e6), [0, 0]);
  assert.deepEqual((d.train.x.max(0).arraySync() as number[]).map((v) => Math.round(v * 1e6) / 1e6), [1, 1]);
  const m = await loadData(tf, dataConfig(source('mnist', { split: 'test' }, [28, 28, 1], 10), { subset: 300, normalize: 'standard' }), 1);
  assert.equal(m.normalizer!.shift.length, 1, 'one channel: one statistic');
  const { mean, variance } = tf.moments(m.train.x);
  assert.ok(Math.abs(mean.dataSync()[0]) < 1e-4);
  assert.ok(Math.abs(variance.dataSync()[0] - 1) < 1e-3);
});

test('mnist: train source with a test source gives the fixed split as tensors', async () => {
  const d = await loadData(
    tf,
    dataConfig(source('mnist', { split: 'train' }, [28, 28, 1], 10), { test: source('mnist', { split: 'test' }, [28, 28, 1], 10), validation: { fraction: 0.1 } }),
    1,
  );
  assert.deepEqual(d.train.x.shape, [7196, 28, 28, 1]);
  assert.equal(d.validation!.size, 800);
  assert.deepEqual(d.test!.x.shape, [2004, 28, 28, 1]);
  assert.equal(d.test!.y.dtype, 'int32');
  assert.equal(d.train.x.max().dataSync()[0], 1);
});

test('csv regression targets are float32 [N]; a test csv uses the training labels', async () => {
  const reg = await loadData(tf, dataConfig(source('csv', { path: fixture('data-regression.csv'), label: 'y' }, [1], 0)), 1);
  assert.equal(reg.train.y.dtype, 'float32');
  assert.deepEqual(reg.train.y.arraySync(), [2.5, 4.5, 6.5]);
  const points = source('csv', { path: fixture('data-points.csv'), label: 'species' }, [2], 3);
  const d = await loadData(tf, dataConfig(points, { test: source('csv', { path: fixture('data-points.csv'), label: 'species' }, [2], 3) }), 1);
  assert.deepEqual(d.test!.y.arraySync(), [0, 2, 0, 1, 2, 0]);
});

test('text: vocabulary from the training split only, int32 ids [N, length], shared with validation', async () => {
  const cfg = source('text', { path: fixture('data-reviews.jsonl'), text: 'text', label: 'label', vocab: 6, length: 5 }, [5], 2);
  const d = await loadData(tf, dataConfig(cfg, { validation: { fraction: 0.25 } }), 1);
  // Training texts are the first three reviews: great×3, a, movie, ... ; "the"/"bad" only in validation.
  assert.deepEqual(d.vocabulary, ['<pad>', '<unk>', 'great', 'a', 'acting', "didn't"]);
  assert.equal(d.train.x.dtype, 'int32');
  assert.deepEqual(d.train.x.shape, [3, 5]);
  assert.deepEqual(d.train.x.arraySync(), [
    [3, 2, 1, 2, 4],
    [1, 1, 5, 1, 1],
    [0, 0, 0, 2, 1],
  ]);
  assert.deepEqual(d.validation!.x.arraySync(), [[1, 1, 1, 1, 1]]);
  assert.deepEqual(d.train.y.arraySync(), [1, 0, 1]);
});
