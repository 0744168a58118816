// Formatting (in process): the edits that make a file what `regnetc fmt` prints.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { type TextEdit } from 'vscode-languageserver-protocol';
import { format } from '@regnet/compiler';
import { featureSuite, cnnUri, range, applyEdits } from './helpers/feature-suite.js';

const lsp = featureSuite();
const { request } = lsp;
describe('formatting', () => {
  test('edits that make the file what `regnetc fmt` prints', async () => {
    const messy = 'let  p=0.5\nmodel {dense(64, activation:relu)   dropout(p)\n dense(10)}\ndata{source:mnist()}\n';
    const { uri, text } = await lsp.open(messy);
    const edits = await request<TextEdit[]>('textDocument/formatting', uri, { options: { tabSize: 2, insertSpaces: true } });
    const expected = format(messy).text!;
    assert.equal(applyEdits(text, edits), expected);
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0].range.start, { line: 0, character: 4 }, 'the unchanged start is not replaced');
  });

  test('no edits on a formatted file or on a file with syntax errors', async () => {
    assert.deepEqual(await request<TextEdit[]>('textDocument/formatting', cnnUri, { options: { tabSize: 2, insertSpaces: true } }), []);
    const { uri } = await lsp.open('model { dense(10 }\n');
    assert.deepEqual(await request<TextEdit[]>('textDocument/formatting', uri, { options: { tabSize: 2, insertSpaces: true } }), []);
  });
});

describe('formatting on marked text', () => {
  test('one block per line, two-space indent', async () => {
    await lsp.expectFormatting('model {dense(10)}\ndata{source:mnist()}\n', 'model {\n  dense(10)\n}\n\ndata {\n  source: mnist()\n}\n');
  });
});
