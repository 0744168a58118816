// Every construct of docs/language.md other than the layers (those are covered by
// build.test.ts and train-layers.test.ts) trains from a real `.regnet` spec on the
// wasm backend, through the public runtime API only: compile -> loadData ->
// buildModel -> train (+ makeAugmenter, evaluate). Shapes are tiny and each spec
// combines several constructs, so the whole file runs in a few seconds.
//
// Coverage map (construct -> test):
//   sources: playground circle/xor/gauss/spiral (optimizers & schedules), mnist train/test,
//            csv string labels, csv numeric regression + mse, idx, images PNG+JPEG with
//            channels 1 and 3, text JSONL and CSV (embedding + lstm / gru / global pooling)
//   data:    validation fraction / source, test, shuffle: false, subset, label_noise,
//            normalize standard / minmax, every augmentation
//   train:   sgd (momentum, nesterov, weight_decay), adagrad, rmsprop (momentum), adam, adamw;
//            constant, step, exponential, cosine (warmup, min_lr), warm_restarts;
//            crossentropy (label_smoothing, logits and probabilities), binary_crossentropy, mse;
//            clip norm / value; regularizer l1 / l2 / l1_l2 and per-layer l1 / l2;
//            early_stopping (restore_best); checkpoint best / last / none; metrics; seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { compile, type GraphIR } from '@regnet/compiler';
import {
  Random,
  buildModel,
  evaluate,
  initBackend,
  loadData,
  makeAugmenter,
  train,
  type EpochRecord,
  type TrainResult,
} from '../src/index.js';
import { jpegBytes, pngBytes, tempDir, writeIdx } from './data-helpers.js';
import { assertClose } from './assert-close.js';

const { tf, name: backendName } = await initBackend('wasm');

interface Run {
  ir: GraphIR;
  data: Awaited<ReturnType<typeof loadData>>;
  model: tfTypes.LayersModel;
  result: TrainResult;
  /** Training steps taken, counted with the onStep callback. */
  steps: number;
  /** Every weight of the model at the start (weightsAt[0]) and at the end of each epoch (weightsAt[epoch]). */
  weightsAt: number[][][];
  /** Augmenter calls, and how many of them returned inputs different from the batch's. */
  augmented: { calls: number; changed: number };
  dispose(): void;
}

/** Compiles `text` as the file `folder/spec.regnet` and asserts it has no errors. */
function compileSpec(text: string, folder: string): GraphIR {
  const result = compile(text, { file: join(folder, 'spec.regnet') });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), [], 'the spec compiles');
  assert.ok(result.ir, 'the spec lowers to IR');
  return result.ir;
}

function weightValues(model: tfTypes.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

/** Compiles and trains a spec as `regnetc train` does, through the public API. */
async function trainSpec(text: string, folder = tempDir()): Promise<Run> {
  const ir = compileSpec(text, folder);
  // Data paths are read relative to (and confined to) the spec's folder, as `regnetc train` does.
  const data = await loadData(tf, ir.data, ir.train.seed, { specDir: folder });
  const model = buildModel(tf, ir, new Random(ir.train.seed));
  let steps = 0;
  const weightsAt: number[][][] = [weightValues(model)];
  const augmenter = makeAugmenter(tf, ir.data, data.vocabulary);
  const augmented = { calls: 0, changed: 0 };
  const result = await train({
    tf,
    ir,
    model,
    data,
    augment: (batch, rng) => {
      const out = augmenter(batch, rng);
      augmented.calls++;
      if (tf.tidy(() => tf.any(tf.notEqual(out.x, batch.x)).dataSync()[0])) augmented.changed++;
      return out;
    },
    callbacks: {
      onStep: () => void steps++,
      onEpochEnd: (record) => void (weightsAt[record.epoch] = weightValues(model)),
    },
  });
  return {
    ir,
    data,
    model,
    result,
    steps,
    weightsAt,
    augmented,
    dispose() {
      model.dispose();
      for (const split of [data.train, data.validation, data.test]) if (split) tf.dispose([split.x, split.y]);
    },
  };
}

/** The records' keys without the timing, which differs run to run. */
function withoutSeconds(history: EpochRecord[]): Record<string, number | undefined>[] {
  return history.map(({ seconds: _seconds, ...rest }) => rest);
}

function assertFiniteRecords(run: Run, keys: string[]): void {
  assert.ok(run.result.history.length > 0, 'at least one epoch');
  for (const record of run.result.history) {
    for (const key of ['loss', 'lr', 'grad_norm', ...keys]) {
      assert.ok(Number.isFinite(record[key]), `epoch ${record.epoch}: ${key} = ${record[key]} (${JSON.stringify(record)})`);
    }
  }
}

/** The augmenter ran on every training batch and changed the inputs of most of them. */
function assertAugmented(run: Run): void {
  assert.equal(run.augmented.calls, run.steps, 'one augmenter call per step');
  assert.ok(run.augmented.changed >= run.steps / 2, `inputs changed in ${run.augmented.changed} of ${run.steps} batches`);
}


test('runs on the wasm backend', () => {
  assert.equal(backendName, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
});

// ---- playground sources, each with an optimizer, a schedule, a loss, clipping and a regularizer ----

test('playground(circle): sgd with momentum, nesterov and weight_decay; step schedule; label-smoothed crossentropy; clip norm; l2', async () => {
  const run = await trainSpec(`
    model { dense(8, activation: relu) dense(2) }
    data { source: playground(circle, n: 64, noise: 0.1)  validation: 0.25 }
    train {
      epochs: 2  batch_size: 16
      optimizer: sgd(lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.001)
      schedule: step(1, gamma: 0.5)
      loss: crossentropy(label_smoothing: 0.1)
      clip: norm(1.0)
      regularizer: l2(0.0001)
      metrics: [accuracy]
    }`);
  try {
    assert.deepEqual(run.data.train.x.shape, [48, 2]);
    assert.equal(run.data.validation?.size, 16);
    assert.equal(run.data.classes, 2);
    assert.equal(run.steps, 2 * 3, '48 examples in batches of 16, two epochs');
    assertFiniteRecords(run, ['accuracy', 'val_loss', 'val_accuracy']);
    assert.deepEqual(run.result.history.map((r) => r.lr), [0.1, 0.05], 'step(1, gamma: 0.5) halves lr each epoch');
    // Label smoothing 0.1 over 2 classes: the loss cannot go below the targets' entropy.
    const floor = -(0.95 * Math.log(0.95) + 0.05 * Math.log(0.05));
    for (const r of run.result.history) assert.ok(r.loss >= floor - 1e-6 && r.val_loss! >= floor - 1e-6, `smoothed loss ${r.loss} >= ${floor}`);
  } finally {
    run.dispose();
  }
});

test('playground(xor): adagrad; exponential schedule; binary_crossentropy on one sigmoid unit; clip value; l1', async () => {
  const run = await trainSpec(`
    model { dense(8, activation: tanh) dense(1, activation: sigmoid) }
    data { source: playground(xor, n: 48)  validation: 0.25 }
    train {
      epochs: 2  batch_size: 12
      optimizer: adagrad(lr: 0.1)
      schedule: exponential(0.5)
      loss: binary_crossentropy
      clip: value(0.5)
      regularizer: l1(0.0001)
    }`);
  try {
    assert.equal(run.ir.train.loss.kind, 'binary_crossentropy');
    assert.equal(run.ir.train.loss.fromLogits, false, 'a sigmoid last layer means probabilities');
    assert.deepEqual(run.model.outputs[0]!.shape, [null, 1]);
    assert.equal(run.data.train.size, 36);
    assertFiniteRecords(run, ['accuracy', 'val_loss', 'val_accuracy']);
    assert.deepEqual(run.result.history.map((r) => r.lr), [0.1, 0.05], 'exponential(0.5)');
  } finally {
    run.dispose();
  }
});

test('playground(gauss): rmsprop with momentum; cosine with warmup and min_lr; softmax probabilities; l1_l2 and per-layer l1/l2', async () => {
  const run = await trainSpec(`
    model {
      dense(8, activation: relu, l1: 0.001, l2: 0.01)
      dense(2, activation: softmax)
    }
    data { source: playground(gauss, n: 40, noise: 0.2)  validation: 0.2 }
    train {
      epochs: 3  batch_size: 8
      optimizer: rmsprop(lr: 0.01, rho: 0.9, momentum: 0.5)
      schedule: cosine(warmup: 1, min_lr: 0.001)
      regularizer: l1_l2(l1: 0.00001, l2: 0.0001)
    }`);
  try {
    assert.equal(run.ir.train.loss.fromLogits, false, 'a softmax last layer means probabilities');
    const [hidden, out] = run.ir.nodes.filter((n) => n.op === 'dense');
    assert.deepEqual([hidden!.attrs['l1'], hidden!.attrs['l2']], [0.001, 0.01], 'per-layer l1/l2 override the regularizer');
    assert.deepEqual([out!.attrs['l1'], out!.attrs['l2']], [0.00001, 0.0001], 'the regularizer applies elsewhere');
    assert.equal(run.data.train.size, 32);
    assert.equal(run.steps, 3 * 4);
    assertFiniteRecords(run, ['accuracy', 'val_loss']);
    const lrs = run.result.history.map((r) => r.lr);
    // lr is the rate of each epoch's last step (4 steps an epoch): the warmup reaches lr at
    // the end of epoch 1; then the cosine from lr at t = 1 to min_lr at t = 3 (t = epoch + step/4).
    const cosine = (t: number) => 0.001 + ((0.01 - 0.001) * (1 + Math.cos((Math.PI * (t - 1)) / 2))) / 2;
    assertClose(lrs[0]!, 0.01, 'warmup ends at lr', 0, 1e-9);
    assertClose(lrs[1]!, cosine(1.75), 'cosine, epoch 2 end', 0, 1e-9);
    assertClose(lrs[2]!, cosine(2.75), 'cosine, epoch 3 end', 0, 1e-9);
  } finally {
    run.dispose();
  }
});

test('playground(spiral): adam; warm_restarts with period and mult (SGDR cycles of 1, 2, 4 epochs)', async () => {
  const run = await trainSpec(`
    model { dense(8, activation: relu) dense(2) }
    data { source: playground(spiral, n: 40)  validation: 0.2 }
    train {
      epochs: 4  batch_size: 16
      optimizer: adam(lr: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 0.0000001)
      schedule: warm_restarts(1, mult: 2, min_lr: 0.001)
    }`);
  try {
    assert.equal(run.data.train.size, 32);
    assertFiniteRecords(run, ['accuracy', 'val_loss']);
    // Cycles [0, 1), [1, 3), [3, 7): restarts at epochs 1, 2 and 4. lr is the rate of each
    // epoch's last step (2 steps an epoch: t = epoch + 0.5), at that point of its cycle.
    const sgdr = (position: number) => 0.001 + ((0.01 - 0.001) * (1 + Math.cos(Math.PI * position))) / 2;
    const expected = [sgdr(0.5 / 1), sgdr((1.5 - 1) / 2), sgdr((2.5 - 1) / 2), sgdr((3.5 - 3) / 4)];
    run.result.history.forEach((r, i) => assertClose(r.lr, expected[i]!, `epoch ${r.epoch} lr`, 0, 1e-12));
  } finally {
    run.dispose();
  }
});

// ---- mnist with a test split ----

test('mnist(): train/test split, subset, validation fraction, normalize standard, adamw with constant schedule', async () => {
  const run = await trainSpec(`
    model { flatten() dense(16, activation: relu) dense(10) }
    data {
      source: mnist()
      validation: 0.1
      test: mnist(split: test)
      subset: 64
      normalize: standard
    }
    train {
      epochs: 1  batch_size: 32
      optimizer: adamw(lr: 0.001, weight_decay: 0.01)
      schedule: constant
    }`);
  try {
    assert.deepEqual(run.data.train.x.shape, [64, 28, 28, 1]);
    assert.equal(run.data.validation?.size, 800, '0.1 of the 7,996 training digits');
    assert.equal(run.data.test?.size, 2004);
    assert.equal(run.data.classes, 10);
    assert.equal(run.steps, 2);
    assertFiniteRecords(run, ['accuracy', 'val_loss', 'val_accuracy']);
    assert.equal(run.result.history[0]!.lr, 0.001);
    // Normalized with the training split's statistics: its mean is 0.
    assert.ok(Math.abs(tf.tidy(() => tf.mean(run.data.train.x).dataSync()[0]!)) < 1e-3, 'standardized training inputs');
    const testMetrics = evaluate(tf, run.model, run.data.test!, run.ir.train, run.data.classes);
    assert.ok(Number.isFinite(testMetrics.loss!), `test loss ${testMetrics.loss}`);
    assert.ok(testMetrics.accuracy! >= 0 && testMetrics.accuracy! <= 1, `test accuracy ${testMetrics.accuracy}`);
  } finally {
    run.dispose();
  }
});

// ---- csv ----

const SPECIES = ['setosa', 'versicolor', 'virginica'];

test('csv with string labels: validation source, shuffle: false, label_noise, normalize minmax, noise + mixup', async () => {
  const dir = tempDir();
  const rows = (n: number, offset: number) =>
    Array.from({ length: n }, (_, i) => `${(i + offset) * 0.5},${((i + offset) * 7) % 5},${SPECIES[(i + offset) % 3]}`).join('\n');
  writeFileSync(join(dir, 'train.csv'), `x1,x2,species\n${rows(12, 0)}\n`);
  writeFileSync(join(dir, 'val.csv'), `x1,x2,species\n${rows(6, 12)}\n`);
  const run = await trainSpec(
    `
    model { dense(8, activation: relu) dense(3) }
    data {
      source: csv("train.csv", label: "species")
      validation: csv("val.csv", label: "species")
      shuffle: false
      label_noise: 0.25
      normalize: minmax
      augment { noise(0.05) mixup(0.2, p: 0.5) }
    }
    train { epochs: 2  batch_size: 4  metrics: [accuracy] }`,
    dir,
  );
  try {
    assert.deepEqual(run.data.labels, SPECIES);
    assert.deepEqual(run.data.train.x.shape, [12, 2]);
    assert.equal(run.data.validation?.size, 6);
    // shuffle: false keeps the file's order, so only the noisy examples differ from it.
    const labels = Array.from(run.data.train.y.dataSync());
    const changed = labels.filter((y, i) => y !== i % 3).length;
    assert.equal(run.data.noisyIndices?.length, 3, 'round(0.25 * 12) labels redrawn');
    assert.ok(changed <= 3, `${changed} labels differ from the file`);
    assert.deepEqual(Array.from(run.data.validation!.y.dataSync()), [0, 1, 2, 0, 1, 2], 'validation labels stay clean');
    // minmax on the training split: the training inputs span exactly [0, 1].
    const x = run.data.train.x.dataSync();
    assert.deepEqual([Math.min(...x), Math.max(...x)], [0, 1]);
    assert.equal(run.steps, 2 * 3);
    assertFiniteRecords(run, ['accuracy', 'val_loss', 'val_accuracy']);
    assertAugmented(run);
  } finally {
    run.dispose();
  }
});

test('csv with numeric regression targets: mse loss, mae/mse metrics, normalize standard', async () => {
  const dir = tempDir();
  const lines = Array.from({ length: 16 }, (_, i) => `${i},${(i * 3) % 7},${(2 * i + 1 + ((i * 3) % 7)) / 10}`);
  writeFileSync(join(dir, 'reg.csv'), `a,b,target\n${lines.join('\n')}\n`);
  const run = await trainSpec(
    `
    model { dense(8, activation: relu) dense(1) }
    data { source: csv("reg.csv", label: "target")  validation: 0.25  normalize: standard }
    train { epochs: 2  batch_size: 4  loss: mse  metrics: [mae, mse]  optimizer: adam(lr: 0.01) }`,
    dir,
  );
  try {
    assert.equal(run.data.classes, 0, 'regression');
    assert.equal(run.data.train.y.dtype, 'float32');
    assert.deepEqual(run.data.train.x.shape, [12, 2]);
    const [mean, variance] = tf.tidy(() => {
      const moments = tf.moments(run.data.train.x, 0);
      return [Array.from(moments.mean.dataSync()), Array.from(moments.variance.dataSync())];
    });
    mean!.forEach((m, k) => assert.ok(Math.abs(m) < 1e-5 && Math.abs(variance![k]! - 1) < 1e-4, `feature ${k}: mean ${m}, variance ${variance![k]}`));
    assertFiniteRecords(run, ['mae', 'mse', 'val_loss', 'val_mae', 'val_mse']);
    for (const r of run.result.history) {
      assert.equal(r.accuracy, undefined, 'no accuracy for regression');
      assertClose(r.mse!, r.loss, 'the mse metric is the mse loss', 0, 1e-5);
    }
  } finally {
    run.dispose();
  }
});

// ---- idx ----

test('idx images and labels, with an idx validation source and test source', async () => {
  const dir = tempDir();
  const rng = new Random(3);
  const images = (n: number) => Array.from({ length: n * 16 }, () => rng.int(256));
  const labels = (n: number) => Array.from({ length: n }, (_, i) => i % 3);
  writeIdx(dir, 'train-images.idx', [12, 4, 4], images(12));
  writeIdx(dir, 'train-labels.idx', [12], labels(12));
  writeIdx(dir, 'val-images.idx.gz', [6, 4, 4], images(6), true);
  writeIdx(dir, 'val-labels.idx', [6], labels(6));
  const run = await trainSpec(
    `
    model { conv2d(2, kernel: 3) flatten() dense(3) }
    data {
      source: idx(images: "train-images.idx", labels: "train-labels.idx")
      validation: idx(images: "val-images.idx.gz", labels: "val-labels.idx")
      test: idx(images: "val-images.idx.gz", labels: "val-labels.idx")
    }
    train { epochs: 1  batch_size: 4 }`,
    dir,
  );
  try {
    assert.deepEqual(run.data.train.x.shape, [12, 4, 4, 1]);
    assert.equal(run.data.classes, 3);
    assert.equal(run.data.validation?.size, 6);
    assert.equal(run.data.test?.size, 6);
    assert.ok(run.data.train.x.dataSync().every((v) => v >= 0 && v <= 1), 'bytes scaled to [0, 1]');
    assertFiniteRecords(run, ['accuracy', 'val_loss']);
    const testMetrics = evaluate(tf, run.model, run.data.test!, run.ir.train, run.data.classes);
    // The test source is the validation source: same numbers.
    assertClose(testMetrics.loss!, run.result.history[0]!.val_loss!, 'test loss = val loss', 0, 1e-6);
  } finally {
    run.dispose();
  }
});

// ---- images ----

/** pets/<cat|dog>: each class has 3 PNG and 3 JPEG files of 8x8 RGB. */
function writePets(dir: string): void {
  for (const [k, cls] of ['cat', 'dog'].entries()) {
    mkdirSync(join(dir, 'pets', cls), { recursive: true });
    for (let i = 0; i < 3; i++) {
      const color = (r: number, c: number): [number, number, number] => [k * 200 + i * 10, r * 30, c * 30];
      writeFileSync(join(dir, 'pets', cls, `${i}.png`), pngBytes(8, 8, color));
      writeFileSync(join(dir, 'pets', cls, `${i}.jpg`), jpegBytes(8, 8, color));
    }
  }
}

test('images (PNG + JPEG), channels: 1 resized with size: flip (all directions), crop (int and [h, w]), rotate, translate, zoom', async () => {
  const dir = tempDir();
  writePets(dir);
  const run = await trainSpec(
    `
    model { conv2d(4, kernel: 3, activation: relu) maxpool(2) flatten() dense(2) }
    data {
      source: images("pets", size: [6, 6], channels: 1)
      validation: 0.25
      augment {
        flip(horizontal, p: 0.5)
        flip(vertical, p: 0.5)
        flip(both)
        crop(6, padding: 1)
        crop([4, 4])
        rotate(15)
        translate(1)
        zoom(0.1)
      }
    }
    train { epochs: 2  batch_size: 3 }`,
    dir,
  );
  try {
    assert.deepEqual(run.data.labels, ['cat', 'dog']);
    assert.deepEqual(run.data.train.x.shape, [9, 6, 6, 1]);
    assert.equal(run.data.validation?.size, 3);
    assert.equal(run.steps, 2 * 3);
    assertFiniteRecords(run, ['accuracy', 'val_loss']);
    assertAugmented(run);
  } finally {
    run.dispose();
  }
});

test('images (PNG + JPEG), channels: 3: brightness, contrast, noise, cutout, mixup', async () => {
  const dir = tempDir();
  writePets(dir);
  const run = await trainSpec(
    `
    model { conv2d(4, kernel: 3, activation: relu) global_avgpool() dense(2) }
    data {
      source: images("pets", channels: 3)
      validation: 0.25
      augment {
        brightness(0.1)
        contrast(0.2)
        noise(0.05)
        cutout(2, count: 2)
        mixup(0.4, p: 0.5)
      }
    }
    train { epochs: 2  batch_size: 3 }`,
    dir,
  );
  try {
    assert.deepEqual(run.data.train.x.shape, [9, 8, 8, 3]);
    assertFiniteRecords(run, ['accuracy', 'val_loss']);
    assertAugmented(run);
  } finally {
    run.dispose();
  }
});

// ---- text ----

const REVIEWS: [string, string][] = [
  ['a great movie with great acting', 'pos'],
  ['a terrible film and a bad plot', 'neg'],
  ['good fun and a happy ending', 'pos'],
  ['boring story and poor acting', 'neg'],
  ['the best film of the year', 'pos'],
  ['the worst movie i have seen', 'neg'],
  ['a good story told well', 'pos'],
  ['a sad and boring film', 'neg'],
  ['great music and good acting', 'pos'],
  ['bad music and a poor ending', 'neg'],
  ['happy and fun from start to end', 'pos'],
  ['terrible acting in a bad film', 'neg'],
];

function writeReviews(dir: string): void {
  writeFileSync(join(dir, 'reviews.jsonl'), REVIEWS.map(([text, label]) => JSON.stringify({ text, label })).join('\n') + '\n');
  writeFileSync(join(dir, 'reviews.csv'), `body,sentiment\n${REVIEWS.map(([text, label]) => `"${text}",${label}`).join('\n')}\n`);
}

test('text JSONL: embedding + lstm with synonym, word_dropout and word_swap', async () => {
  const dir = tempDir();
  writeReviews(dir);
  const run = await trainSpec(
    `
    model { embedding(40, 8) lstm(8) dense(2) }
    data {
      source: text("reviews.jsonl", vocab: 40, length: 8)
      validation: 0.25
      augment { synonym(0.3) word_dropout(0.1) word_swap(1) }
    }
    train { epochs: 2  batch_size: 3 }`,
    dir,
  );
  try {
    assert.deepEqual(run.data.train.x.shape, [9, 8]);
    assert.equal(run.data.train.x.dtype, 'int32');
    assert.deepEqual(run.data.labels, ['neg', 'pos']);
    assert.equal(run.data.vocabulary?.[0], '<pad>');
    assertFiniteRecords(run, ['accuracy', 'val_loss']);
    assertAugmented(run);
  } finally {
    run.dispose();
  }
});

test('text CSV: embedding + gru (return_sequences) + global_maxpool, and embedding + global_avgpool', async () => {
  const dir = tempDir();
  writeReviews(dir);
  for (const model of ['embedding(40, 8) gru(8, return_sequences: true) global_maxpool() dense(2)', 'embedding(40, 8, l2: 0.001) global_avgpool() dense(2)']) {
    const run = await trainSpec(
      `
      model { ${model} }
      data { source: text("reviews.csv", text: "body", label: "sentiment", vocab: 40, length: 6)  validation: 0.25 }
      train { epochs: 1  batch_size: 4 }`,
      dir,
    );
    try {
      assert.deepEqual(run.data.train.x.shape, [9, 6], model);
      assertFiniteRecords(run, ['accuracy', 'val_loss']);
    } finally {
      run.dispose();
    }
  }
});

// ---- training mechanics ----

/** A small circle spec; `train` adds settings to `batch_size: 8  optimizer: adam(lr: 0.01)` or replaces them. */
const circle = (train: string, data = 'validation: 0.25') => {
  const defaults = ['batch_size: 8', 'optimizer: adam(lr: 0.01)'].filter((d) => !train.includes(d.split(':')[0]! + ':'));
  return `
  model { dense(8, activation: relu) dense(2) }
  data { source: playground(circle, n: 32)  ${data} }
  train { ${defaults.join('  ')}  ${train} }`;
};

test('early_stopping with restore_best stops after patience epochs and restores the best epoch', async () => {
  // min_delta larger than any change: only epoch 1 counts as an improvement.
  const run = await trainSpec(circle('epochs: 6  early_stopping { monitor: val_loss  patience: 2  min_delta: 100  restore_best: true }'));
  try {
    assert.equal(run.result.stopReason, 'early_stopping');
    assert.equal(run.result.history.length, 3);
    assert.equal(run.result.resultEpoch, 1);
    assert.deepEqual(weightValues(run.model), run.weightsAt[1], "the model holds epoch 1's weights");
    assert.notDeepEqual(run.weightsAt[3], run.weightsAt[1], 'training went on after epoch 1');
  } finally {
    run.dispose();
  }
});

test('early_stopping without validation monitors the training loss', async () => {
  const run = await trainSpec(circle('epochs: 4  checkpoint: last  early_stopping { monitor: loss  patience: 1  min_delta: 100  restore_best: false }', 'validation: 0'));
  try {
    assert.equal(run.data.validation, undefined);
    assert.equal(run.result.stopReason, 'early_stopping');
    assert.equal(run.result.history.length, 2);
    assert.equal(run.result.resultEpoch, 2, 'restore_best: false (and checkpoint: last) keeps the last weights');
    assert.equal(run.result.history[0]!.val_loss, undefined);
  } finally {
    run.dispose();
  }
});

test('checkpoint: best keeps the best epoch by val_loss; last and none keep the last epoch', async () => {
  for (const checkpoint of ['best', 'last', 'none'] as const) {
    const run = await trainSpec(circle(`epochs: 3  checkpoint: ${checkpoint}  optimizer: sgd(lr: 2.0)`));
    try {
      assert.equal(run.ir.train.checkpoint, checkpoint);
      assert.equal(run.result.stopReason, 'completed');
      const losses = run.result.history.map((r) => r.val_loss!);
      const best = losses.indexOf(Math.min(...losses)) + 1;
      assert.notEqual(best, 3, 'this spec has a best epoch before the last, so best and last differ');
      assert.equal(run.result.bestEpoch, best, `${checkpoint}: best epoch by val_loss`);
      const expected = checkpoint === 'best' ? best : 3;
      assert.equal(run.result.resultEpoch, expected, checkpoint);
      assert.deepEqual(weightValues(run.model), run.weightsAt[expected], `${checkpoint}: the model holds epoch ${expected}'s weights`);
    } finally {
      run.dispose();
    }
  }
});

test('seed: the same seed repeats a run bit for bit (data, init, shuffle, dropout, augmentation); another seed differs', async () => {
  const spec = (seed: number) => `
    model { dense(8, activation: relu) dropout(0.3) dense(2) }
    data { source: playground(spiral, n: 32, noise: 0.1)  validation: 0.25  augment { noise(0.1) } }
    train { epochs: 2  batch_size: 8  seed: ${seed}  metrics: [accuracy] }`;
  const runs = [await trainSpec(spec(7)), await trainSpec(spec(7)), await trainSpec(spec(8))];
  try {
    const [a, b, c] = runs.map((run) => ({ history: withoutSeconds(run.result.history), weights: weightValues(run.model) }));
    assert.deepEqual(b, a, 'same seed, same run');
    assert.notDeepEqual(c!.history, a!.history, 'another seed, another run');
    assert.equal(runs[0]!.ir.train.seed, 7);
  } finally {
    for (const run of runs) run.dispose();
  }
});

test('regularizer: l2 shrinks the kernels compared to the same unregularized run', async () => {
  const spec = (regularizer: string) => circle(`epochs: 2  optimizer: sgd(lr: 0.1)  ${regularizer}`);
  const plain = await trainSpec(spec(''));
  const decayed = await trainSpec(spec('regularizer: l2(1.0)'));
  try {
    // getWeights(): kernel, bias, kernel, bias.
    const norm = (run: Run) => [0, 2].reduce((s, k) => s + weightValues(run.model)[k]!.reduce((t, v) => t + v * v, 0), 0);
    assert.ok(norm(decayed) < norm(plain), `${norm(decayed)} < ${norm(plain)}`);
    assertFiniteRecords(decayed, ['accuracy', 'val_loss']);
  } finally {
    plain.dispose();
    decayed.dispose();
  }
});

test('clip: norm(τ) bounds the global norm of an sgd step by lr·τ; value(v) bounds each component by lr·v', async () => {
  for (const clip of ['norm(0.01)', 'value(0.001)']) {
    // One step (32 examples, one batch) of plain sgd: Δw = -lr·clip(g).
    const run = await trainSpec(circle(`epochs: 1  batch_size: 32  optimizer: sgd(lr: 0.5)  clip: ${clip}`, 'validation: 0'));
    try {
      assert.equal(run.steps, 1);
      const deltas = run.weightsAt[1]!.flatMap((w, k) => w.map((v, i) => v - run.weightsAt[0]![k]![i]!));
      if (clip.startsWith('norm')) {
        const norm = Math.sqrt(deltas.reduce((s, d) => s + d * d, 0));
        // The unclipped gradient is far larger than 0.01, so the step is exactly lr·τ long.
        assert.ok(run.result.history[0]!.grad_norm > 0.01, `gradient norm ${run.result.history[0]!.grad_norm}`);
        assertClose(norm, 0.5 * 0.01, 'clipped step length', 0, 1e-3);
      } else {
        const largest = Math.max(...deltas.map(Math.abs));
        // float32 weights: the difference of two weights near 1 is exact to about 1e-7.
        assert.ok(largest <= 0.5 * 0.001 + 1e-6, `largest component ${largest}`);
        assertClose(largest, 0.5 * 0.001, 'some component is clipped', 0, 1e-3);
      }
    } finally {
      run.dispose();
    }
  }
});
