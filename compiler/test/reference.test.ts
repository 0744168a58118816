// docs/reference.md is generated from the catalogue: it must be current, and it must
// carry every name with the same text as hover (renderMarkdown).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CATALOGUE, catalogueGroups, renderMarkdown, renderReference } from '../src/index.js';

const REFERENCE = new URL('../../../docs/reference.md', import.meta.url);

test('docs/reference.md is the catalogue rendered (run `npm run docs` when this fails)', () => {
  const onDisk = readFileSync(REFERENCE, 'utf8');
  assert.ok(onDisk === renderReference(CATALOGUE), 'docs/reference.md is out of date: run `npm run docs` and commit it');
});

test('the reference has every catalogue entry, under an anchor, with its hover text', () => {
  const text = renderReference(CATALOGUE);
  const listed = new Set(catalogueGroups(CATALOGUE).flatMap((g) => g.entries));
  for (const entry of CATALOGUE) {
    assert.ok(listed.has(entry), `${entry.category} ${entry.name} is in no group of the reference`);
    assert.ok(text.includes(renderMarkdown(entry)), `${entry.category} ${entry.name}: hover text missing from the reference`);
  }
  // Anchors are unique (a `relu` layer and a `relu` word get different ones).
  const anchors = [...text.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]);
  assert.equal(new Set(anchors).size, anchors.length);
  assert.ok(anchors.includes('layer-relu') && anchors.includes('enum-word-relu') && anchors.includes('early-stopping-patience'));
});

test('the language guide (docs/language.md) mentions every layer, source, augmentation, optimizer, schedule, loss and setting', () => {
  const guide = readFileSync(new URL('../../../docs/language.md', import.meta.url), 'utf8');
  const missing = CATALOGUE.filter((e) => ['layer', 'source', 'augmentation', 'optimizer', 'schedule', 'loss', 'regularizer', 'clip', 'metric', 'section-setting', 'keyword'].includes(e.category))
    .filter((e) => !new RegExp(`\\b${e.name}\\b`).test(guide))
    .map((e) => `${e.category} ${e.name}`);
  assert.deepEqual(missing, []);
  // It links to the generated reference for each category.
  for (const anchor of ['layers', 'sources', 'optimizers', 'schedules', 'losses', 'settings-data', 'settings-train', 'words', 'keywords']) {
    assert.ok(guide.includes(`reference.md#${anchor}`), `no link to reference.md#${anchor}`);
  }
});
