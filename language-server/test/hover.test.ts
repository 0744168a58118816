// Hover (in process): shapes and parameter counts, the catalogue docs, constants.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { type Hover } from 'vscode-languageserver-protocol';
import { getEntry, renderMarkdown } from '@regnet/compiler';
import { positionOf } from './helpers/lsp-client.js';
import { featureSuite, CNN, cnnUri, range } from './helpers/feature-suite.js';

const lsp = featureSuite();
const { request } = lsp;
describe('hover', () => {
  const hoverAt = (needle: string, delta = 1, uri = cnnUri, text = CNN) =>
    request<Hover | null>('textDocument/hover', uri, { position: positionOf(text, needle, delta) });
  const value = (h: Hover | null) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

  test('on a layer: its output shape, parameter count and catalogue docs', async () => {
    const h = await hoverAt('conv2d(32');
    assert.ok(value(h).startsWith('**Output** `[26, 26, 32]` · 320 params · input `[28, 28, 1]`'), value(h));
    assert.ok(value(h).includes(renderMarkdown(getEntry('layer', 'conv2d')!)));
    assert.deepEqual(h!.range, range(5, 2, 5, 8));
  });

  test('on an argument: the argument of that callable, with type and default', async () => {
    const h = await hoverAt('lr: 0.001');
    assert.match(value(h), /\*argument of `adamw`\* — \*\*lr\*\*: Learning rate/);
    assert.match(value(h), /default `0\.001`/);
  });

  test('on an enum word, an optimizer, a setting and a keyword: their entries', async () => {
    assert.equal(value(await hoverAt('val_loss')), renderMarkdown(getEntry('enum-word', 'val_loss')!));
    assert.equal(value(await hoverAt('adamw')), renderMarkdown(getEntry('optimizer', 'adamw')!));
    assert.equal(value(await hoverAt('patience')), renderMarkdown(getEntry('section-setting', 'patience')!));
    assert.equal(value(await hoverAt('train {')), renderMarkdown(getEntry('keyword', 'train')!));
  });

  test('on a let constant: its value and uses', async () => {
    const h = await hoverAt('dropout(p', 8);
    assert.equal(value(h), '```regnet\nlet p = 0.25\n```\n\n*constant* — Value `0.25`. Used 2 times (lines 12, 40).');
    assert.deepEqual(h!.range, range(11, 10, 11, 11));
  });

  test('nothing in a comment or on punctuation', async () => {
    assert.equal(await hoverAt('# A small', 4), null);
    assert.equal(await hoverAt('{\n  source', 0), null);
  });

  test('on a word the checker could not place (half-typed file), still the docs', async () => {
    const { uri, position } = await lsp.open('train {\n  early_stopping {\n    monitor: val_loss pati<|>ence\n');
    const h = await request<Hover | null>('textDocument/hover', uri, { position });
    assert.equal(value(h), renderMarkdown(getEntry('section-setting', 'patience')!));
  });
});

describe('hover on marked text', () => {
  test('a layer in a fresh spec: its shape, params and docs', async () => {
    await lsp.expectHover('model {\n  flatten\n  den<|>se(16)\n  dense(10)\n}\ndata { source: mnist() }\n', /^\*\*Output\*\* `\[16\]` · 12,560 params · input `\[784\]`/);
  });

  test('nothing on a comment', async () => {
    await lsp.expectHover('# a co<|>mment\nmodel { dense(10) }\n', null);
  });
});
