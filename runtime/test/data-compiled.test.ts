// End to end through the compiler: specs compile to a DataConfig that loadData and
// makeAugmenter run as written (argument names, defaults, labels agree).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compile, type GraphIR } from '@regnet/compiler';
import { Random } from '../src/random.js';
import { loadData } from '../src/data/load.js';
import { makeAugmenter } from '../src/data/augment/index.js';
import { FIXTURES, tempDir, writeImageFolder } from './data-helpers.js';

before(async () => {
  await tf.setBackend('cpu');
});

function compileSpec(text: string, folder = FIXTURES): GraphIR {
  const r = compile(text, { file: join(folder, 'spec.regnet') });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  assert.ok(r.ir, 'compiled');
  return r.ir;
}

function oneHot(y: tf.Tensor, classes: number): tf.Tensor {
  return tf.oneHot(y as tf.Tensor1D, classes).toFloat();
}

test('csv spec: labels, validation, normalize and vector augmentations', async () => {
  const ir = compileSpec(`
    model { dense(8, activation: relu) dense(3) }
    data {
      source: csv("data-points.csv", label: "species")
      validation: 0.34
      normalize: standard
      augment { noise(0.1) mixup(0.2, p: 0.5) }
    }`);
  const data = await loadData(tf, ir.data, ir.train.seed);
  assert.equal(data.train.size, 4);
  assert.equal(data.validation?.size, 2);
  assert.deepEqual(data.labels, ['setosa', 'versicolor', 'virginica']);
  const out = makeAugmenter(tf, ir.data)({ x: data.train.x, y: oneHot(data.train.y, 3) }, new Random(1));
  assert.deepEqual(out.x.shape, [4, 2]);
});

test('mnist spec with test source and image augmentations', async () => {
  const ir = compileSpec(`
    model { flatten() dense(10) }
    data {
      source: mnist()
      test: mnist(split: test)
      subset: 1000
      augment { flip(horizontal, p: 0.5) crop(28, padding: 4) rotate(10) translate(2) zoom(0.1) brightness(0.1) contrast(0.2) cutout(8) }
    }`);
  const data = await loadData(tf, ir.data, ir.train.seed);
  assert.equal(data.train.size, 1000);
  assert.equal(data.validation?.size, 800);
  assert.equal(data.test?.size, 2004);
  const batch = { x: data.train.x.slice(0, 64), y: oneHot(data.train.y.slice(0, 64), 10) };
  const out = makeAugmenter(tf, ir.data)(batch, new Random(1));
  assert.deepEqual(out.x.shape, [64, 28, 28, 1]);
  assert.notDeepEqual(out.x.dataSync(), batch.x.dataSync());
});

test('text spec: vocabulary, ids and text augmentations', async () => {
  const ir = compileSpec(`
    model { embedding(50, 8) global_avgpool() dense(2) }
    data {
      source: text("data-reviews.jsonl", vocab: 50, length: 8)
      validation: 0
      augment { synonym(0.5) word_dropout(0.1) word_swap(1) }
    }`);
  const data = await loadData(tf, ir.data, ir.train.seed);
  assert.deepEqual(data.train.x.shape, [4, 8]);
  assert.equal(data.train.x.dtype, 'int32');
  assert.equal(data.vocabulary?.[0], '<pad>');
  const out = makeAugmenter(tf, ir.data, data.vocabulary)({ x: data.train.x, y: oneHot(data.train.y, 2) }, new Random(1));
  assert.equal(out.x.dtype, 'int32');
  assert.deepEqual(out.x.shape, [4, 8]);
});

test('images spec: folders become classes, size from the first image', async () => {
  const dir = tempDir();
  writeImageFolder(dir);
  const ir = compileSpec(`
    model { flatten() dense(2) }
    data { source: images("pets", channels: 1) validation: 0 }`, dir);
  const data = await loadData(tf, ir.data, ir.train.seed, { specDir: dir });
  assert.deepEqual(data.train.x.shape, [3, 4, 6, 1]);
  assert.deepEqual(data.labels, ['cat', 'dog']);
});

test('playground spec: circle with noise, label noise, seeded', async () => {
  const ir = compileSpec(`
    model { dense(8, activation: relu) dense(2) }
    data { source: playground(circle, n: 300, noise: 0.1) label_noise: 0.1 }
    train { seed: 3 }`);
  const a = await loadData(tf, ir.data, ir.train.seed);
  const b = await loadData(tf, ir.data, ir.train.seed);
  assert.equal(a.train.size, 270);
  assert.equal(a.noisyIndices?.length, 27);
  assert.deepEqual(a.train.x.arraySync(), b.train.x.arraySync());
});
