// Inlay hints (in process): shapes and parameter counts after each layer.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { type InlayHint } from 'vscode-languageserver-protocol';
import { featureSuite, cnnUri, range } from './helpers/feature-suite.js';

const lsp = featureSuite();
const { request } = lsp;
describe('inlay hints', () => {
  test('output shape and params after each layer, total after the model', async () => {
    const hints = await request<InlayHint[]>('textDocument/inlayHint', cnnUri, { range: range(0, 0, 60, 0) });
    assert.deepEqual(
      hints.map((h) => [h.position.line, h.position.character, h.label]),
      [
        [5, 57, '→ [26, 26, 32] · 320 params'],
        [6, 12, '→ [13, 13, 32]'],
        [7, 57, '→ [11, 11, 64] · 18,496 params'],
        [8, 12, '→ [5, 5, 64]'],
        [9, 9, '→ [1600]'],
        [10, 32, '→ [128] · 204,928 params'],
        [11, 12, '→ [128]'],
        [12, 11, '→ [10] · 1,290 params'],
        [13, 1, 'total: 225,034 params'],
      ],
    );
  });

  test('only in the requested range', async () => {
    const hints = await request<InlayHint[]>('textDocument/inlayHint', cnnUri, { range: range(7, 0, 8, 100) });
    assert.deepEqual(hints.map((h) => h.label), ['→ [11, 11, 64] · 18,496 params', '→ [5, 5, 64]']);
  });

  test('inside repeat and residual blocks', async () => {
    const { uri } = await lsp.open('model {\n  input([8])\n  repeat(2) {\n    dense(8, activation: relu)\n  }\n  residual {\n    dense(8)\n  }\n  dense(2)\n}\n');
    const hints = await request<InlayHint[]>('textDocument/inlayHint', uri, { range: range(0, 0, 20, 0) });
    assert.deepEqual(hints.map((h) => [h.position.line, h.label]), [
      [1, '→ [8]'],
      [2, '→ [8] · 144 params'],
      [3, '→ [8] · 72 params'],
      [5, '→ [8] · 72 params'],
      [6, '→ [8] · 72 params'],
      [8, '→ [2] · 18 params'],
      [9, 'total: 234 params'],
    ]);
  });
});
