// Bad data: every DataError names the file and line (or example) with an exact message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DataError } from '../src/data/errors.js';
import { loadCsv } from '../src/data/sources/csv.js';
import { loadIdx } from '../src/data/sources/idx.js';
import { loadImages } from '../src/data/sources/images.js';
import { loadText } from '../src/data/sources/text.js';
import { loadData } from '../src/data/load.js';
import { makeAugmenter } from '../src/data/augment/index.js';
import { dataConfig, fixture, pngBytes, source, tempDir, writeIdx } from './data-helpers.js';

function throwsData(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${e}`);
    assert.equal(e.message, message);
    return true;
  });
}

test('missing file and folder', () => {
  const path = fixture('no-such.csv');
  throwsData(() => loadCsv({ path, label: 'y', classes: 2 }), `${path}: error: no such file`);
  throwsData(() => loadImages({ path: fixture('no-such-folder'), channels: 3 }), `${fixture('no-such-folder')}: error: no such folder`);
});

test('ragged CSV row names its line', () => {
  const path = fixture('data-ragged.csv');
  throwsData(() => loadCsv({ path, label: 'species', classes: 2 }), `${path}:4: error: row has 2 fields, expected 3 (as in the header)`);
});

test('non-numeric feature names the column and line (blank lines counted), never the value', () => {
  const path = fixture('data-non-numeric.csv');
  throwsData(() => loadCsv({ path, label: 'species', classes: 2 }), `${path}:4: error: non-numeric value in feature column 2`);
  throwsData(() => loadCsv({ path, label: 'species', features: ['x1', 'x2'], classes: 2 }), `${path}:4: error: non-numeric value in feature 'x2'`);
});

test('unknown label, missing column, label out of range', () => {
  const path = fixture('data-unknown-label.csv');
  throwsData(
    () => loadCsv({ path, label: 'species', classes: 2, labels: ['setosa', 'virginica'] }),
    `${path}:3: error: a label in 'species' that the training data does not have (2 known labels)`,
  );
  throwsData(() => loadCsv({ path, label: 'kind', classes: 2 }), `${path}:1: error: no column named "kind"`);
  const numeric = fixture('data-numeric-labels.csv');
  throwsData(() => loadCsv({ path: numeric, label: 'label', classes: 2 }), `${numeric}:3: error: a label in 'label' is not a class index in 0..1`);
  const dir = tempDir();
  const images = writeIdx(dir, 'i', [2, 1, 1], [0, 0]);
  const labels = writeIdx(dir, 'l', [2], [1, 7]);
  throwsData(() => loadIdx({ images, labels, classes: 3 }), `${labels}: error: the label of example 1 is not a class index in 0..2`);
});

test('idx: bad magic, truncated data, count mismatch', () => {
  const dir = tempDir();
  const bad = join(dir, 'bad');
  writeFileSync(bad, 'hello world');
  const labels = writeIdx(dir, 'l', [2], [0, 1]);
  throwsData(() => loadIdx({ images: bad, labels, classes: 2 }), `${bad}: error: not an IDX file (bad magic number)`);
  const short = join(dir, 'short');
  writeFileSync(short, writeIdxBytes([2, 2, 2], [1, 2, 3]));
  throwsData(() => loadIdx({ images: short, labels, classes: 2 }), `${short}: error: truncated: dimensions [2, 2, 2] need 8 bytes of data, found 3`);
  const three = writeIdx(dir, 'three', [3, 1, 1], [0, 0, 0]);
  throwsData(() => loadIdx({ images: three, labels, classes: 2 }), `${labels}: error: 2 labels for 3 images in ${three}`);
});

function writeIdxBytes(dims: number[], values: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
  return Buffer.concat([header, Buffer.from(values)]);
}

test('images: wrong size and undecodable files are named', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'a', '1.png'), pngBytes(4, 4, () => [0, 0, 0]));
  writeFileSync(join(dir, 'b', '2.png'), pngBytes(5, 4, () => [0, 0, 0]));
  throwsData(
    () => loadImages({ path: dir, channels: 3 }),
    `${join(dir, 'b', '2.png')}: error: image is 5x4, expected 4x4 (h x w; write size: [h, w] to resize)`,
  );
  throwsData(
    () => loadImages({ path: dir, channels: 3, expectedSize: [5, 4] }),
    `${join(dir, 'a', '1.png')}: error: image is 4x4, expected 5x4 (h x w; write size: [h, w] to resize)`,
  );
  writeFileSync(join(dir, 'b', '2.png'), Buffer.from('\x89PNG\r\n\x1a\n garbage'));
  assert.throws(
    () => loadImages({ path: dir, channels: 3 }),
    (e: unknown) => e instanceof DataError && e.message.startsWith(`${join(dir, 'b', '2.png')}: error: cannot decode image: `),
  );
  writeFileSync(join(dir, 'b', '2.png'), 'plain text');
  throwsData(() => loadImages({ path: dir, channels: 3 }), `${join(dir, 'b', '2.png')}: error: cannot decode image: neither PNG nor JPEG data`);
  const test = tempDir();
  mkdirSync(join(test, 'c'));
  throwsData(() => loadImages({ path: test, channels: 3, labels: ['a', 'b'] }), `${join(test, 'c')}: error: unknown label "c" (known labels: a, b)`);
});

test('text: invalid JSON line and missing field', () => {
  const path = fixture('data-bad.jsonl');
  throwsData(
    () => loadText({ path, textField: 'text', labelField: 'label', classes: 2 }),
    `${path}:2: error: invalid JSON`, // JSON.parse's own message would quote the line
  );
  const reviews = fixture('data-reviews.jsonl');
  throwsData(() => loadText({ path: reviews, textField: 'body', labelField: 'label', classes: 2 }), `${reviews}:1: error: missing string field "body"`);
});

test('DataError formats as file:line: error: message; loadData passes it through', async () => {
  const e = new DataError('/d/x.csv', 3, 'bad');
  assert.equal(e.format(), '/d/x.csv:3: error: bad');
  assert.equal(new DataError('/d/x.csv', undefined, 'bad').format(), '/d/x.csv: error: bad');
  const path = fixture('data-ragged.csv');
  await assert.rejects(loadData(tf, dataConfig(source('csv', { path, label: 'species' }, [2], 2)), 1), DataError);
  const all = dataConfig(source('csv', { path: fixture('data-points.csv'), label: 'species' }, [2], 3), { validation: { fraction: 1 } });
  await assert.rejects(loadData(tf, all, 1), {
    message: `${fixture('data-points.csv')}: error: validation: 1 holds out all 6 examples, leaving none to train on`,
  });
});

test('augmentations that do not fit the input are rejected', () => {
  const cfg = dataConfig(source('playground', { kind: 'circle' }, [2], 2), { augment: [{ kind: 'flip', args: { direction: 'horizontal', p: 1 } }] });
  assert.throws(() => makeAugmenter(tf, cfg), { message: "augment: error: augmentation 'flip' needs image inputs, but this data gives vector inputs" });
  const crop = dataConfig(source('mnist', { split: 'train' }, [28, 28, 1], 10), { augment: [{ kind: 'crop', args: { size: 40, padding: 4, p: 1 } }] });
  assert.throws(() => makeAugmenter(tf, crop), { message: 'augment: error: crop size [40, 40] does not fit a 28x28 image padded by 4' });
});
