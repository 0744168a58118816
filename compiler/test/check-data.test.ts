// Data sources: what each gives the model (input shape, classes, labels) and
// RN601-RN603 for missing or malformed files. Fixtures: test/fixtures/data.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { FIXTURES, SPEC_IN_FIXTURES, at, check, expectNoErrors, expectOne } from './check-helpers.js';

const file = SPEC_IN_FIXTURES;

function facts(source: string, extra = '') {
  const result = check(`model { flatten dense(3) }\ndata { source: ${source} }\n${extra}`, { file });
  return result.model.data;
}

test('built-in sources: playground gives [2] and 2 classes, mnist [28, 28, 1] and 10', () => {
  assert.deepEqual(facts('playground(spiral)'), { inputShape: [2], classes: 2, inputKind: 'vector', labels: ['0', '1'] });
  const m = facts('mnist(split: test)')!;
  assert.deepEqual([m.inputShape, m.classes, m.inputKind], [[28, 28, 1], 10, 'image']);
});

test('csv: feature count from the header, string labels become sorted classes', () => {
  const f = facts('csv("iris.csv", label: "species")')!;
  assert.deepEqual(f, { inputShape: [4], classes: 3, inputKind: 'vector', labels: ['setosa', 'versicolor', 'virginica'] });
  // The label defaults to the last column; features can be chosen.
  assert.deepEqual(facts('csv("iris.csv", features: ["sepal_length", "petal_width"])')!.inputShape, [2]);
  // Integer labels are class indices: max + 1 classes.
  assert.deepEqual(facts('csv("digits.csv")')!.classes, 4);
  expectNoErrors(`model { dense(3) }\ndata { source: csv("iris.csv", label: "species") }`, { file });
});

test('csv: numeric labels are a regression target with mse, an error otherwise', () => {
  const f = facts('csv("house.csv")', 'train { loss: mse }')!;
  assert.deepEqual([f.inputShape, f.classes], [[2], 0]);
  expectNoErrors(`model { dense(1) }\ndata { source: csv("house.csv") }\ntrain { loss: mse }`, { file });
  const d = expectOne(`model { dense(1) }\ndata { source: csv("house.csv") }`, 'RN602', '2:20-2:31', 'error', { file });
  assert.equal(d.message, "house.csv: the label column (the last column) holds numbers that are not class indices (whole numbers >= 0); use loss: mse for a regression target");
  const wide = expectOne(`model { dense(3) }\ndata { source: csv("house.csv") }\ntrain { loss: mse }`, 'RN402', '1:9-1:17', 'error', { file });
  assert.equal(wide.message, 'dense(3) gives 3 outputs but the data has a regression target, which needs 1');
});

test('RN601 missing data file, reported at the path', () => {
  const d = expectOne(`model { dense(3) }\ndata { source: csv("nope.csv") }`, 'RN601', '2:20-2:30', 'error', { file });
  assert.equal(d.message, `data file 'nope.csv' not found (paths are relative to the spec's folder ${FIXTURES.replace(/\/$/, '')})`);
  expectOne(`model { flatten dense(3) }\ndata { source: images("no-such-folder") }`, 'RN601', '2:23-2:39', 'error', { file });
  expectOne(`model { flatten dense(3) }\ndata { source: idx("tiny-images-idx3-ubyte", labels: "none") }`, 'RN601', '2:54-2:60', 'error', { file });
});

test('RN602 malformed csv with the line of the problem', () => {
  const d = expectOne(`model { dense(3) }\ndata { source: csv("broken.csv") }`, 'RN602', '2:20-2:32', 'error', { file });
  assert.equal(d.message, 'broken.csv line 3: expected 3 fields (as in the header at line 1) but found 2');
  const n = expectOne(`model { dense(3) }\ndata { source: csv("notnumeric.csv") }`, 'RN602', '2:20-2:36', 'error', { file });
  assert.equal(n.message, "notnumeric.csv line 3: column 2 does not hold a number (features must be numeric)");
});

test('RN603 label or feature column not in the csv header', () => {
  const d = expectOne(`model { dense(3) }\ndata { source: csv("iris.csv", label: "kind") }`, 'RN603', '2:39-2:45', 'error', { file });
  assert.equal(d.message, "iris.csv has no column 'kind' for the label");
  expectOne(`model { dense(3) }\ndata { source: csv("iris.csv", features: ["x"]) }`, 'RN603', '2:42-2:47', 'error', { file });
});

test('idx: magic numbers and dimensions give [h, w, 1] and classes from the labels', () => {
  const f = facts('idx("tiny-images-idx3-ubyte", "tiny-labels-idx1-ubyte")')!;
  assert.deepEqual([f.inputShape, f.classes, f.inputKind], [[5, 4, 1], 3, 'image']);
  const bad = expectOne(`model { flatten dense(3) }\ndata { source: idx(images: "not-idx.bin", labels: "tiny-labels-idx1-ubyte") }`, 'RN602', '2:28-2:41', 'error', { file });
  assert.equal(bad.message, "not-idx.bin is not an IDX file: its first bytes are not an IDX magic number 00 00 <type> <dims> (e.g. 00 00 08 03 for images)");
  const count = expectOne(`model { flatten dense(3) }\ndata { source: idx("tiny-images-idx3-ubyte", "short-labels-idx1-ubyte") }`, 'RN602', '2:46-2:71', 'error', { file });
  assert.equal(count.message, 'tiny-images-idx3-ubyte holds 3 images but short-labels-idx1-ubyte holds 2 labels');
});

test('images: class sub-folders, size from PNG IHDR / JPEG SOF headers, or from size:', () => {
  const f = facts('images("pets")')!;
  assert.deepEqual(f, { inputShape: [8, 12, 3], classes: 3, inputKind: 'image', labels: ['bird', 'cat', 'dog'] });
  assert.deepEqual(facts('images("pets", size: [32, 30], channels: 1)')!.inputShape, [32, 30, 1]);
  const mixed = expectOne(`model { flatten dense(2) }\ndata { source: images("mixed") }`, 'RN602', '2:23-2:30', 'error', { file });
  assert.equal(mixed.message, 'mixed/b/two.png is 16x16 but mixed/a/one.png is 12x8; give size: [h, w] to resize them all');
  expectNoErrors(`model { flatten dense(2) }\ndata { source: images("mixed", size: [8, 8]) }`, { file });
  const empty = expectOne(`model { flatten dense(2) }\ndata { source: images("empty-class") }`, 'RN602', '2:23-2:36', 'error', { file });
  assert.equal(empty.message, 'class folder empty-class/b holds no PNG or JPEG images');
  const fake = expectOne(`model { flatten dense(2) }\ndata { source: images("bad-image") }`, 'RN602', '2:23-2:34', 'error', { file });
  assert.equal(fake.message, 'bad-image/a/fake.png is not a readable PNG or JPEG image');
});

test('text: JSONL and CSV fields, labels, [length] token ids', () => {
  const f = facts('text("reviews.jsonl", length: 20)')!;
  assert.deepEqual(f, { inputShape: [20], classes: 2, inputKind: 'tokens', labels: ['neg', 'pos'] });
  assert.deepEqual(facts('text("reviews.csv", text: "review", label: "sentiment")')!.classes, 3);
  const broken = expectOne(`model { embedding(10000, 8) flatten dense(2) }\ndata { source: text("broken.jsonl") }`, 'RN602', '2:21-2:35', 'error', { file });
  assert.match(broken.message, /^broken\.jsonl line 2: not valid JSON/);
  const field = expectOne(`model { embedding(10000, 8) flatten dense(3) }\ndata { source: text("reviews.csv", label: "sentiment") }`, 'RN603', '2:21-2:34', 'error', { file });
  assert.equal(field.message, "reviews.csv has no column 'text'");
});

test('validation and test sources must give examples like the training source', () => {
  const text = `model { flatten dense(10) }\ndata { source: mnist() validation: playground(xor) test: mnist(split: test) }`;
  const d = expectOne(text, 'RN406', '2:36-2:51', 'error');
  assert.equal(d.message, 'the validation source gives examples of shape [2] but the training source gives [28, 28, 1]');
});

test('inspectData: false reads no file (shapes from arguments only)', () => {
  const result = check(`model { flatten dense(3) }\ndata { source: csv("nope.csv") }`, { file, inspectData: false });
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
  const shaped = check(`model { flatten dense(3) }\ndata { source: images("x", size: [4, 4]) }`, { inspectData: false });
  assert.deepEqual(shaped.diagnostics.filter((d) => d.severity !== 'info').map(at), []);
  assert.deepEqual(shaped.model.layers.map((l) => l.outputShape), [[48], [3]]);
});

test('RN407 augmentations on the wrong kind of input; RN307 a crop that does not fit', () => {
  const text = `model { dense(2) }\ndata {\n  source: playground(xor)\n  augment { noise(0.1) rotate(10) synonym }\n}`;
  const all = check(text).diagnostics.filter((d) => d.code === 'RN407');
  assert.deepEqual(all.map((d) => [at(d), d.severity]), [['4:24-4:30', 'error'], ['4:35-4:42', 'error']]);
  assert.deepEqual(all.map((d) => d.message), [
    'rotate applies to images but playground gives feature vectors',
    'synonym applies to text but playground gives feature vectors',
  ]);
  const mix = expectOne(`model { embedding(10000, 4) flatten dense(2) }\ndata { source: text("reviews.jsonl") augment { mixup(0.2) } }`, 'RN407', '2:48-2:53', 'error', { file });
  assert.equal(mix.message, 'mixup applies to numeric inputs but text gives text (token ids)');
  const crop = expectOne(`model { flatten dense(10) }\ndata { source: mnist() augment { crop(30, padding: 0) crop(32, padding: 2) } }`, 'RN307', '2:39-2:41', 'error');
  assert.equal(crop.message, 'crop size [30, 30] is larger than the 28x28 images of mnist (input [28, 28, 1])');
});

test('gzipped idx files are read; an edited data file is inspected again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'regnet-data-'));
  try {
    writeFileSync(join(dir, 'images.gz'), gzipSync(readFileSync(join(FIXTURES, 'tiny-images-idx3-ubyte'))));
    writeFileSync(join(dir, 'labels.gz'), gzipSync(readFileSync(join(FIXTURES, 'tiny-labels-idx1-ubyte'))));
    const spec = join(dir, 'spec.regnet');
    const idx = check(`model { flatten dense(3) }\ndata { source: idx("images.gz", "labels.gz") }`, { file: spec });
    assert.deepEqual([idx.model.data?.inputShape, idx.model.data?.classes], [[5, 4, 1], 3]);
    const text = `model { dense(2) }\ndata { source: csv("d.csv") }`;
    writeFileSync(join(dir, 'd.csv'), 'a,label\n1,x\n2,y\n');
    assert.deepEqual(check(text, { file: spec }).model.data?.labels, ['x', 'y']);
    writeFileSync(join(dir, 'd.csv'), 'a,b,label\n1,2,x\n2,3,y\n3,4,z\n');
    const edited = check(text, { file: spec }).model.data;
    assert.deepEqual([edited?.inputShape, edited?.labels], [[2], ['x', 'y', 'z']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
