// Every augmentation's effect on a batch, with p = 1 / p = 0, and its seeding.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { DataConfig, ResolvedCall } from '@regnet/compiler';
import type { Batch } from '../src/contracts.js';
import { Random } from '../src/random.js';
import { makeAugmenter } from '../src/data/augment/index.js';
import { beta } from '../src/data/augment/generic.js';
import { vocabularySynonyms } from '../src/data/augment/text.js';
import { dataConfig, source } from './data-helpers.js';

before(async () => {
  await tf.setBackend('cpu');
});

const H = 6;
const W = 5;
const C = 2;

function imageConfig(...augment: ResolvedCall[]): DataConfig {
  return dataConfig(source('images', { path: '/x' }, [H, W, C], 3), { augment, inputKind: 'image' });
}

/** Batch of `b` images whose value at (n, i, j, k) is 1 + n·1000 + i·100 + j·10 + k (never 0). */
function imageBatch(b: number): Batch {
  const x = tf.tensor(
    Float32Array.from({ length: b * H * W * C }, (_, idx) => {
      const k = idx % C;
      const j = Math.floor(idx / C) % W;
      const i = Math.floor(idx / (C * W)) % H;
      const n = Math.floor(idx / (C * W * H));
      return 1 + n * 1000 + i * 100 + j * 10 + k;
    }),
    [b, H, W, C],
  );
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: b }, (_, i) => i % 3), 'int32'), 3).toFloat();
  return { x, y };
}

const call = (kind: string, args: ResolvedCall['args']): ResolvedCall => ({ kind, args: { p: 1, ...args } });
const arr4 = (t: tf.Tensor) => t.arraySync() as number[][][][];

test('no augmentation returns the batch itself; p = 0 is the identity', () => {
  const batch = imageBatch(4);
  assert.equal(makeAugmenter(tf, imageConfig())(batch, new Random(1)), batch);
  const all = ['flip', 'crop', 'rotate', 'translate', 'zoom', 'brightness', 'contrast', 'noise', 'cutout', 'mixup'];
  const args: Record<string, ResolvedCall['args']> = {
    flip: { direction: 'both' }, crop: { size: 4, padding: 2 }, rotate: { degrees: 30 }, translate: { pixels: 2 }, zoom: { range: 0.3 },
    brightness: { delta: 0.5 }, contrast: { delta: 0.5 }, noise: { std: 1 }, cutout: { size: 2, count: 2 }, mixup: { alpha: 0.4 },
  };
  const out = makeAugmenter(tf, imageConfig(...all.map((k) => call(k, { ...args[k], p: 0 }))))(batch, new Random(1));
  assert.deepEqual(out.x.arraySync(), batch.x.arraySync());
  assert.deepEqual(out.y.arraySync(), batch.y.arraySync());
});

test('flip horizontal reverses columns exactly; vertical reverses rows; both does both at p = 1', () => {
  const batch = imageBatch(3);
  const x = arr4(batch.x);
  const h = arr4(makeAugmenter(tf, imageConfig(call('flip', { direction: 'horizontal' })))(batch, new Random(1)).x);
  assert.deepEqual(h, x.map((img) => img.map((row) => [...row].reverse())));
  const v = arr4(makeAugmenter(tf, imageConfig(call('flip', { direction: 'vertical' })))(batch, new Random(1)).x);
  assert.deepEqual(v, x.map((img) => [...img].reverse()));
  const both = arr4(makeAugmenter(tf, imageConfig(call('flip', { direction: 'both' })))(batch, new Random(1)).x);
  assert.deepEqual(both, x.map((img) => [...img].reverse().map((row) => [...row].reverse())));
});

test('flip at p = 0.5 flips about half the examples, repeatably with the same rng seed', () => {
  const batch = imageBatch(64);
  const aug = makeAugmenter(tf, imageConfig(call('flip', { direction: 'horizontal', p: 0.5 })));
  const a = arr4(aug(batch, new Random(42)).x);
  const b = arr4(aug(batch, new Random(42)).x);
  assert.deepEqual(a, b);
  const x = arr4(batch.x);
  const flipped = a.filter((img, n) => img[0][0][0] !== x[n][0][0][0]).length;
  assert.ok(flipped > 20 && flipped < 44, `flipped ${flipped} of 64`);
  const c = arr4(aug(batch, new Random(43)).x);
  assert.notDeepEqual(a, c, 'a fresh rng gives fresh flips');
});

test('crop keeps the shape; with padding it is a shift with zeros; a smaller size is scaled back', () => {
  const batch = imageBatch(8);
  const x = arr4(batch.x);
  const out = makeAugmenter(tf, imageConfig(call('crop', { size: [H, W], padding: 2 })))(batch, new Random(3)).x;
  assert.deepEqual(out.shape, [8, H, W, C]);
  for (const [n, img] of arr4(out).entries()) {
    // Find the shift from any non-zero pixel and check the whole image is x shifted by it.
    const v = img.flat(1).find((p) => p[0] !== 0)!;
    const di = Math.floor(((v[0] - 1) % 1000) / 100);
    const dj = Math.floor(((v[0] - 1) % 100) / 10);
    const [i0, j0] = (() => {
      for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) if (img[i][j][0] !== 0) return [i, j];
      return [0, 0];
    })();
    const si = di - i0;
    const sj = dj - j0;
    assert.ok(Math.abs(si) <= 2 && Math.abs(sj) <= 2);
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        const inside = i + si >= 0 && i + si < H && j + sj >= 0 && j + sj < W;
        assert.deepEqual(img[i][j], inside ? x[n][i + si][j + sj] : [0, 0]);
      }
    }
  }
  const small = makeAugmenter(tf, imageConfig(call('crop', { size: 3 })))(batch, new Random(3)).x;
  assert.deepEqual(small.shape, [8, H, W, C]);
});

test('translate shifts by whole pixels within ±pixels, filling zeros', () => {
  const batch = imageBatch(16);
  const x = arr4(batch.x);
  const out = arr4(makeAugmenter(tf, imageConfig(call('translate', { pixels: 1 })))(batch, new Random(5)).x);
  for (const [n, img] of out.entries()) {
    const ok = [-1, 0, 1].some((dy) =>
      [-1, 0, 1].some((dx) =>
        img.every((row, i) => row.every((p, j) => {
          const si = i - dy;
          const sj = j - dx;
          const want = si >= 0 && si < H && sj >= 0 && sj < W ? x[n][si][sj] : [0, 0];
          return p[0] === want[0] && p[1] === want[1];
        })),
      ),
    );
    assert.ok(ok, `example ${n} is a whole-pixel shift`);
  }
});

test('rotate by 0 degrees and zoom by range 0 are identities; rotate keeps the centre pixel', () => {
  const batch = imageBatch(2);
  const x = arr4(batch.x);
  const same = (a: number[][][][], b: number[][][][]) =>
    a.every((img, n) => img.every((row, i) => row.every((p, j) => p.every((v, k) => Math.abs(v - b[n][i][j][k]) < 1e-3))));
  assert.ok(same(arr4(makeAugmenter(tf, imageConfig(call('rotate', { degrees: 0 })))(batch, new Random(1)).x), x));
  assert.ok(same(arr4(makeAugmenter(tf, imageConfig(call('zoom', { range: 0 })))(batch, new Random(1)).x), x));
  // A 5x5 image rotated about its centre pixel keeps that pixel.
  const sq = tf.tensor(Float32Array.from({ length: 25 }, (_, i) => i + 1), [1, 5, 5, 1]);
  const cfg = dataConfig(source('images', { path: '/x' }, [5, 5, 1], 2), { augment: [call('rotate', { degrees: 45 })], inputKind: 'image' });
  const r = arr4(makeAugmenter(tf, cfg)({ x: sq, y: tf.tensor2d([[1, 0]]) }, new Random(2)).x);
  assert.ok(Math.abs(r[0][2][2][0] - 13) < 1e-4);
  assert.notDeepEqual(r, arr4(sq));
  // zoom in (s > 1) about the centre also keeps the centre pixel
  const z = dataConfig(source('images', { path: '/x' }, [5, 5, 1], 2), { augment: [call('zoom', { range: 0.5 })], inputKind: 'image' });
  assert.ok(Math.abs(arr4(makeAugmenter(tf, z)({ x: sq, y: tf.tensor2d([[1, 0]]) }, new Random(2)).x)[0][2][2][0] - 13) < 1e-4);
});

test('brightness adds one value per image within ±delta; contrast keeps each channel mean', () => {
  const batch = imageBatch(4);
  const x = arr4(batch.x);
  const b = arr4(makeAugmenter(tf, imageConfig(call('brightness', { delta: 0.5 })))(batch, new Random(1)).x);
  for (let n = 0; n < 4; n++) {
    const d = b[n][0][0][0] - x[n][0][0][0];
    assert.ok(Math.abs(d) <= 0.5);
    b[n].forEach((row, i) => row.forEach((p, j) => p.forEach((v, k) => assert.ok(Math.abs(v - x[n][i][j][k] - d) < 1e-3))));
  }
  const c = makeAugmenter(tf, imageConfig(call('contrast', { delta: 0.5 })))(batch, new Random(1)).x;
  const before = batch.x.mean([1, 2]).arraySync() as number[][];
  const after = c.mean([1, 2]).arraySync() as number[][];
  after.forEach((m, n) => m.forEach((v, k) => assert.ok(Math.abs(v - before[n][k]) < 1e-2)));
  assert.notDeepEqual(arr4(c), x);
});

test('noise adds N(0, std²): the difference has about that std', () => {
  const batch = imageBatch(32);
  const out = makeAugmenter(tf, imageConfig(call('noise', { std: 0.5 })))(batch, new Random(1)).x;
  const { mean, variance } = tf.moments(out.sub(batch.x));
  assert.ok(Math.abs(mean.dataSync()[0]) < 0.035, `mean ${mean.dataSync()[0]}`); // 4σ of a mean of 3840 draws
  assert.ok(Math.abs(Math.sqrt(variance.dataSync()[0]) - 0.5) < 0.02);
});

test('cutout zeroes exactly size² pixels (all channels) per square', () => {
  const batch = imageBatch(10);
  const out = arr4(makeAugmenter(tf, imageConfig(call('cutout', { size: 3 })))(batch, new Random(7)).x);
  for (const img of out) {
    const zeros = img.flat(1).filter((p) => p.every((v) => v === 0)).length;
    assert.equal(zeros, 9);
    assert.equal(img.flat(2).filter((v) => v === 0).length, 18);
  }
});

test('mixup mixes inputs and one-hot labels with the same λ; labels sum to 1', () => {
  const batch = imageBatch(16);
  const out = makeAugmenter(tf, imageConfig(call('mixup', { alpha: 0.4 })))(batch, new Random(1));
  const y = out.y.arraySync() as number[][];
  for (const row of y) assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-6);
  assert.ok(y.some((row) => row.filter((v) => v > 0).length === 2), 'some labels are soft');
  const x = arr4(batch.x);
  const ox = arr4(out.x);
  // Example n mixed with partner m: value = λ·x_n + (1-λ)·x_m, λ the weight of n's own class.
  const y0 = batch.y.arraySync() as number[][];
  for (let n = 0; n < 16; n++) {
    const own = y0[n].indexOf(1);
    const v = ox[n][1][1][0];
    if (y[n][own] === 1) continue; // mixed with a partner of the same class: λ not visible in y
    const lambda = y[n][own];
    const partnerValue = (v - lambda * x[n][1][1][0]) / (1 - lambda);
    const m = Math.round((partnerValue - 112) / 1000);
    assert.ok(Math.abs(partnerValue - x[m][1][1][0]) < 0.5, `example ${n} mixes with example ${m}`);
  }
});

test('Beta(α, α) sampler: mean 1/2, variance 1/(4(2α+1))', () => {
  const rng = new Random(1);
  const alpha = 0.4;
  const draws = Array.from({ length: 20000 }, () => beta(rng, alpha, alpha));
  const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
  const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01);
  assert.ok(Math.abs(variance - 1 / (4 * (2 * alpha + 1))) < 0.005, `variance ${variance}`);
  assert.ok(draws.every((v) => v >= 0 && v <= 1));
});

test('noise and mixup work on vector inputs', () => {
  const cfg = dataConfig(source('playground', { kind: 'xor' }, [2], 2), { augment: [call('noise', { std: 0.1 }), call('mixup', { alpha: 1 })] });
  const out = makeAugmenter(tf, cfg)({ x: tf.tensor2d([[1, 2], [3, 4], [5, 6]]), y: tf.tensor2d([[1, 0], [0, 1], [1, 0]]) }, new Random(1));
  assert.deepEqual(out.x.shape, [3, 2]);
  assert.deepEqual(out.y.shape, [3, 2]);
});

test('the usual CIFAR pipeline on a 64-image 32x32x3 batch: one read-back, two new tensors, fresh per batch', () => {
  // Speed is measured by the benchmarks; here what keeps augmentation cheap per batch:
  // it reads the batch back once (not once per step or per example), leaves exactly the two
  // output tensors behind (no leaked intermediates), and draws new randomness for each batch.
  const cfg = dataConfig(source('images', { path: '/x' }, [32, 32, 3], 10), {
    inputKind: 'image',
    augment: [call('flip', { direction: 'horizontal', p: 0.5 }), call('crop', { size: 32, padding: 4 }), call('rotate', { degrees: 10 }), call('cutout', { size: 8 })],
  });
  const aug = makeAugmenter(tf, cfg);
  const batch = { x: tf.randomUniform([64, 32, 32, 3], 0.1, 1, 'float32', 3), y: tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), 'int32'), 10).toFloat() };
  const labels = batch.y.arraySync();
  const pixels = batch.x.dataSync().slice();
  const reads = { x: 0, y: 0 };
  for (const key of ['x', 'y'] as const) {
    const original = batch[key].dataSync.bind(batch[key]);
    batch[key].dataSync = (() => {
      reads[key]++;
      return original();
    }) as typeof batch.x.dataSync;
  }
  const before = tf.memory().numTensors;
  const first = aug(batch, new Random(1));
  assert.deepEqual(reads, { x: 1, y: 1 });
  assert.equal(tf.memory().numTensors, before + 2);
  assert.deepEqual(first.x.shape, [64, 32, 32, 3]);
  assert.deepEqual(first.y.arraySync(), labels);
  const again = aug(batch, new Random(1));
  const next = aug(batch, new Random(2));
  assert.deepEqual(reads, { x: 3, y: 3 });
  assert.deepEqual(again.x.dataSync(), first.x.dataSync(), 'the same seed gives the same batch');
  const changed = (a: tf.Tensor, v: ArrayLike<number>) => {
    const u = a.dataSync();
    let n = 0;
    for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) n++;
    return n;
  };
  assert.ok(changed(next.x, first.x.dataSync()) > 1000, 'another draw gives another batch');
  assert.ok(changed(first.x, pixels) > 1000, 'the batch is augmented');
  tf.dispose([first.x, first.y, again.x, again.y, next.x, next.y]);
  assert.equal(tf.memory().numTensors, before);
});

// Text: vocabulary ids, 0 padding in front.
const VOCAB = ['<pad>', '<unk>', 'movie', 'film', 'good', 'bad', 'the', 'picture', 'plot'];
function textConfig(...augment: ResolvedCall[]): DataConfig {
  return dataConfig(source('text', { path: '/x', vocab: 9, length: 6 }, [6], 2), { augment, inputKind: 'tokens' });
}
const textBatch = (): Batch => ({ x: tf.tensor2d([[0, 0, 6, 2, 8, 4], [0, 0, 0, 5, 3, 1]], [2, 6], 'int32'), y: tf.tensor2d([[1, 0], [0, 1]]) });

test('word_dropout at p = 1 empties every text; at p = 0 keeps it', () => {
  const batch = textBatch();
  const empty = makeAugmenter(tf, textConfig(call('word_dropout', { p: 1 })), VOCAB)(batch, new Random(1));
  assert.equal(empty.x.dtype, 'int32');
  assert.deepEqual(empty.x.arraySync(), [[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]]);
  const same = makeAugmenter(tf, textConfig(call('word_dropout', { p: 0 })), VOCAB)(batch, new Random(1));
  assert.deepEqual(same.x.arraySync(), batch.x.arraySync());
  const half = makeAugmenter(tf, textConfig(call('word_dropout', { p: 0.5 })), VOCAB)(batch, new Random(4)).x.arraySync() as number[][];
  // Kept words stay in order and are re-padded in front.
  for (const row of half) {
    const firstWord = row.findIndex((v) => v !== 0);
    if (firstWord >= 0) assert.ok(row.slice(firstWord).every((v) => v !== 0));
  }
});

test('word_swap swaps words within each text (same multiset, padding untouched)', () => {
  const batch = textBatch();
  const out = makeAugmenter(tf, textConfig(call('word_swap', { n: 1 })), VOCAB)(batch, new Random(2)).x.arraySync() as number[][];
  const before = batch.x.arraySync() as number[][];
  out.forEach((row, i) => {
    assert.deepEqual([...row].sort(), [...before[i]].sort());
    assert.deepEqual(row.slice(0, 2), [0, 0]);
    assert.equal(row.filter((v, k) => v !== before[i][k]).length, 2, 'exactly two positions changed');
  });
});

test('synonym replaces a known word with an in-vocabulary WordNet synonym', () => {
  const syn = vocabularySynonyms(VOCAB);
  assert.deepEqual(syn.get('movie'), ['film', 'picture']);
  assert.ok(syn.get('film')!.includes('movie'));
  assert.deepEqual(syn.get('the'), []);
  const batch = { x: tf.tensor2d([[0, 0, 2, 2, 2, 6]], [1, 6], 'int32'), y: tf.tensor2d([[1, 0]]) };
  const out = makeAugmenter(tf, textConfig(call('synonym', { p: 1 })), VOCAB)(batch, new Random(1)).x.arraySync() as number[][];
  // movie (2) -> film (3) or picture (7); "the" (6) has no synonym and stays.
  assert.deepEqual(out[0].slice(0, 2), [0, 0]);
  for (const id of out[0].slice(2, 5)) assert.ok(id === 3 || id === 7, `movie became ${VOCAB[id]}`);
  assert.equal(out[0][5], 6);
});
