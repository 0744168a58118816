// Each data source on small fixtures: shapes, values, labels, and the fixed MNIST split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MNIST_EXAMPLES, getEntry } from '@regnet/compiler';
import { Random } from '../src/random.js';
import { generatePlayground } from '../src/data/sources/playground.js';
import { loadMnist, mnistDigits, mnistSplitRange } from '../src/data/sources/mnist.js';
import { loadCsv } from '../src/data/sources/csv.js';
import { loadIdx } from '../src/data/sources/idx.js';
import { loadImages } from '../src/data/sources/images.js';
import { buildVocabulary, encodeDocuments, loadText, tokenize } from '../src/data/sources/text.js';
import { resizeBilinear } from '../src/data/pixels.js';
import { fixture, pngBytes, tempDir, writeIdx, writeImageFolder } from './data-helpers.js';

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

test('playground: every kind gives n 2-D points, half per class, labels 0/1', () => {
  for (const kind of ['circle', 'xor', 'gauss', 'spiral'] as const) {
    const d = generatePlayground(kind, 200, 0, new Random(7));
    assert.equal(d.n, 200);
    assert.deepEqual(d.exampleShape, [2]);
    assert.equal(d.x.length, 400);
    const ones = sum(d.y);
    if (kind === 'xor') assert.ok(ones > 60 && ones < 140, `xor positives ${ones}`);
    else assert.equal(ones, 100, kind);
    assert.ok(d.y.every((v) => v === 0 || v === 1));
  }
});

test('playground: the formulas (circle radii, xor quadrants and padding, spiral radius, gauss centres)', () => {
  const circle = generatePlayground('circle', 400, 0, new Random(1));
  for (let i = 0; i < circle.n; i++) {
    const r = Math.hypot(circle.x[2 * i], circle.x[2 * i + 1]);
    if (circle.y[i] === 1) assert.ok(r <= 2.5 + 1e-6);
    else assert.ok(r >= 3.5 - 1e-6 && r <= 5 + 1e-6);
  }
  const xor = generatePlayground('xor', 400, 0, new Random(1));
  for (let i = 0; i < xor.n; i++) {
    const [x, y] = [xor.x[2 * i], xor.x[2 * i + 1]];
    assert.ok(Math.abs(x) >= 0.3 - 1e-6 && Math.abs(y) >= 0.3 - 1e-6 && Math.abs(x) <= 5.3 + 1e-6);
    assert.equal(xor.y[i], x * y >= 0 ? 1 : 0);
  }
  const spiral = generatePlayground('spiral', 100, 0, new Random(1));
  // First point of each arm is at the origin; the i-th at radius i/n·5.
  assert.equal(Math.hypot(spiral.x[0], spiral.x[1]), 0);
  assert.ok(Math.abs(Math.hypot(spiral.x[20], spiral.x[21]) - (10 / 50) * 5) < 1e-5);
  const gauss = generatePlayground('gauss', 2000, 0, new Random(1));
  let mx = 0;
  for (let i = 0; i < 1000; i++) mx += gauss.x[2 * i];
  assert.ok(Math.abs(mx / 1000 - 2) < 0.1, `positive cluster centre x ${mx / 1000}`);
});

test('playground: noise flips circle labels near the boundary; same seed repeats, another differs', () => {
  const a = generatePlayground('circle', 300, 0.5, new Random(3));
  const b = generatePlayground('circle', 300, 0.5, new Random(3));
  const c = generatePlayground('circle', 300, 0.5, new Random(4));
  assert.deepEqual(a.x, b.x);
  assert.deepEqual(a.y, b.y);
  assert.notDeepEqual(a.x, c.x);
  assert.notEqual(sum(a.y), 150, 'noisy labels no longer split exactly in half');
});

test('mnist: fixed split 7996 train / 2004 test, [28,28,1] in [0,1], 10 interleaved classes', () => {
  const train = loadMnist('train');
  const testSet = loadMnist('test');
  assert.equal(train.n, 7996);
  assert.equal(testSet.n, 2004);
  // The docs (explain train / test / mnist, hover) and the checker's RN507 arithmetic state these sizes.
  assert.deepEqual(MNIST_EXAMPLES, { train: train.n, test: testSet.n });
  assert.match(getEntry('enum-word', 'train')!.summary, /\b7,996 MNIST digits/);
  assert.match(getEntry('enum-word', 'test')!.summary, /\b2,004 MNIST digits/);
  assert.deepEqual(train.exampleShape, [28, 28, 1]);
  assert.equal(train.x.length, 7996 * 784);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of train.x) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  assert.equal(lo, 0);
  assert.equal(hi, 1);
  assert.deepEqual([...train.y.slice(0, 12)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  const counts = (y: ArrayLike<number>) => Array.from({ length: 10 }, (_, d) => Array.from(y).filter((v) => v === d).length);
  assert.deepEqual(counts(train.y), [800, 901, 792, 825, 784, 690, 811, 856, 755, 782]);
  assert.deepEqual(counts(testSet.y), [201, 226, 199, 207, 196, 173, 203, 214, 189, 196]);
  // The first training example is the package's digit 0 sample 0; the first test one its sample 800.
  const digits = mnistDigits();
  assert.deepEqual(train.x.subarray(0, 784), digits[0].subarray(0, 784));
  assert.deepEqual(testSet.x.subarray(0, 784), digits[0].subarray(800 * 784, 801 * 784));
  assert.deepEqual(mnistSplitRange(1001, 'train'), [0, 800]);
  assert.deepEqual(mnistSplitRange(1001, 'test'), [800, 1001]);
});

test('csv: features in order, string labels sorted into classes', () => {
  const r = loadCsv({ path: fixture('data-points.csv'), label: 'species', classes: 3 });
  assert.deepEqual(r.labels, ['setosa', 'versicolor', 'virginica']);
  const ex = r.examples;
  assert.equal(ex.kind, 'dense');
  if (ex.kind !== 'dense') return;
  assert.deepEqual(ex.exampleShape, [2]);
  assert.deepEqual([...ex.x], [1, 2, 2, 3.5, 3, 1, 4, 0.5, 5, 6, 6, -0.1].map(Math.fround));
  assert.deepEqual([...ex.y], [0, 2, 0, 1, 2, 0]);
});

test('csv: the compiler\'s label order wins; `features` picks and orders columns', () => {
  const r = loadCsv({ path: fixture('data-points.csv'), label: 'species', features: ['x2'], classes: 3, labels: ['virginica', 'setosa', 'versicolor'] });
  assert.deepEqual([...r.examples.y], [1, 0, 1, 2, 0, 1]);
  assert.equal(r.examples.kind === 'dense' && r.examples.exampleShape[0], 1);
});

test('csv: numeric labels are class indices (quoted numbers too); regression targets with classes 0', () => {
  const r = loadCsv({ path: fixture('data-numeric-labels.csv'), label: 'label', classes: 3 });
  assert.equal(r.labels, undefined);
  assert.deepEqual([...r.examples.y], [0, 2, 1, 2]);
  assert.ok(r.examples.y instanceof Int32Array);
  const reg = loadCsv({ path: fixture('data-regression.csv'), label: 'y', classes: 0 });
  assert.ok(reg.examples.y instanceof Float32Array);
  assert.deepEqual([...reg.examples.y], [2.5, 4.5, 6.5]);
});

test('idx: ubyte images scaled to [0,1] with a channel axis, gzip read too', () => {
  const dir = tempDir();
  const pixels = Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20);
  for (const gz of [false, true]) {
    const images = writeIdx(dir, `images${gz ? '.gz' : ''}`, [3, 2, 2], pixels, gz);
    const labels = writeIdx(dir, `labels${gz ? '.gz' : ''}`, [3], [2, 0, 1], gz);
    const r = loadIdx({ images, labels, classes: 3 });
    assert.equal(r.examples.kind, 'dense');
    if (r.examples.kind !== 'dense') return;
    assert.deepEqual(r.examples.exampleShape, [2, 2, 1]);
    assert.deepEqual([...r.examples.x], pixels.map((v) => Math.fround(v / 255)));
    assert.deepEqual([...r.examples.y], [2, 0, 1]);
  }
  const floats = writeIdx(dir, 'floats', [2, 3], [0.5, -1, 2, 3, 4, 5], false, 0x0d);
  const r = loadIdx({ images: floats, labels: writeIdx(dir, 'l2', [2], [0, 1]), classes: 2 });
  assert.deepEqual(r.examples.kind === 'dense' && r.examples.exampleShape, [3]);
  assert.deepEqual(r.examples.kind === 'dense' && [...r.examples.x], [0.5, -1, 2, 3, 4, 5]);
});

test('images: class folders sorted, PNG and JPEG decoded to [0,1], other files skipped', () => {
  const root = writeImageFolder(tempDir());
  const rgb = loadImages({ path: root, channels: 3 });
  assert.deepEqual(rgb.labels, ['cat', 'dog']);
  const ex = rgb.examples;
  if (ex.kind !== 'dense') throw new Error('dense expected');
  assert.equal(ex.n, 3);
  assert.deepEqual(ex.exampleShape, [4, 6, 3]);
  assert.deepEqual([...ex.y], [0, 0, 1]);
  // a.png pixel (1, 2) = (255, 10, 20)
  const at = (n: number, i: number, j: number, k: number) => ex.x[n * 72 + (i * 6 + j) * 3 + k];
  assert.equal(at(0, 1, 2, 0), 1);
  assert.equal(at(0, 1, 2, 1), Math.fround(10 / 255));
  assert.equal(at(0, 1, 2, 2), Math.fround(20 / 255));
  assert.ok(Math.abs(at(2, 3, 5, 0) - 128 / 255) < 3 / 255, 'JPEG gray 128 within quantization');
  const gray = loadImages({ path: root, channels: 1 });
  if (gray.examples.kind !== 'dense') throw new Error('dense expected');
  assert.deepEqual(gray.examples.exampleShape, [4, 6, 1]);
  assert.ok(Math.abs(gray.examples.x[0] - 0.299) < 1e-6, 'luma of pure red');
});

test('images: `size` resizes bilinearly to [h, w]', () => {
  const root = writeImageFolder(tempDir());
  const r = loadImages({ path: root, channels: 1, size: [2, 3] });
  if (r.examples.kind !== 'dense') throw new Error('dense expected');
  assert.deepEqual(r.examples.exampleShape, [2, 3, 1]);
  assert.equal(r.examples.x.length, 3 * 6);
  // Resize of a horizontal ramp keeps it a ramp: half-pixel centres map 6 -> 3 columns onto 0.5, 2.5, 4.5.
  const ramp = Float32Array.from({ length: 6 }, (_, j) => j);
  assert.deepEqual([...resizeBilinear(ramp, 1, 6, 1, 1, 3)], [0.5, 2.5, 4.5]);
});

test('images: a test folder uses the training class order', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'dog'), { recursive: true });
  writeFileSync(join(dir, 'dog', 'x.png'), pngBytes(4, 6, () => [1, 2, 3]));
  const r = loadImages({ path: dir, channels: 3, labels: ['cat', 'dog'] });
  assert.deepEqual([...r.examples.y], [1]);
});

test('text: tokens lower-cased, JSONL and CSV (quoted, multi-line) read alike', () => {
  assert.deepEqual(tokenize("A great movie, GREAT acting! Don't-stop 42"), ['a', 'great', 'movie', 'great', 'acting', "don't", 'stop', '42']);
  const jsonl = loadText({ path: fixture('data-reviews.jsonl'), textField: 'text', labelField: 'label', classes: 2 });
  assert.deepEqual(jsonl.labels, ['neg', 'pos']);
  assert.deepEqual([...jsonl.examples.y], [1, 0, 1, 0]);
  const csv = loadText({ path: fixture('data-reviews.csv'), textField: 'review', labelField: 'sentiment', classes: 2 });
  if (csv.examples.kind !== 'text') throw new Error('text expected');
  assert.deepEqual(csv.examples.tokens[0], ['a', 'great', 'movie', 'great', 'acting']);
  assert.deepEqual(csv.examples.tokens[1], ['terrible', 'film', 'i', "didn't", 'like', 'it']);
  assert.deepEqual([...csv.examples.y], [1, 0, 1]);
});

test('text: vocabulary by frequency (0 pad, 1 unknown), ids padded in front, last tokens kept', () => {
  const docs = [['b', 'a', 'a'], ['c', 'a', 'b', 'd']];
  const vocab = buildVocabulary(docs, 4);
  assert.deepEqual(vocab, ['<pad>', '<unk>', 'a', 'b']);
  assert.deepEqual([...encodeDocuments(docs, vocab, 3)], [3, 2, 2, 2, 3, 1]);
  assert.deepEqual([...encodeDocuments([['a']], vocab, 3)], [0, 0, 2]);
});

test('csv: the label column defaults to the last column (as the compiler resolves it)', () => {
  const r = loadCsv({ path: fixture('data-points.csv'), classes: 3 });
  assert.deepEqual(r.labels, ['setosa', 'versicolor', 'virginica']);
  assert.equal(r.examples.kind === 'dense' && r.examples.exampleShape[0], 2);
});

test('text: a file of JSON objects is JSONL whatever its extension', () => {
  const dir = tempDir();
  const path = join(dir, 'reviews.txt');
  writeFileSync(path, '{"text": "Fine", "label": 1}\n{"text": "bad", "label": 0}\n');
  const r = loadText({ path, textField: 'text', labelField: 'label', classes: 2 });
  assert.deepEqual([...r.examples.y], [1, 0]);
  assert.equal(r.labels, undefined, 'numeric labels are class indices');
});
