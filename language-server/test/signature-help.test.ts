// Signature help (in process): the callable around the cursor and the argument being typed.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { type SignatureHelp } from 'vscode-languageserver-protocol';
import { featureSuite } from './helpers/feature-suite.js';

const lsp = featureSuite();
const { request } = lsp;
describe('signature help', () => {
  async function help(textWithCursor: string): Promise<SignatureHelp | null> {
    const { uri, position } = await lsp.open(textWithCursor);
    return request<SignatureHelp | null>('textDocument/signatureHelp', uri, { position });
  }
  const active = (h: SignatureHelp | null) => {
    const sig = h!.signatures[0];
    const p = sig.parameters![h!.activeParameter!];
    return p && Array.isArray(p.label) ? sig.label.slice(p.label[0], p.label[1]) : undefined;
  };

  test('the signature with defaults and the positional argument being typed', async () => {
    const h = await help('model {\n  conv2d(3<|>');
    assert.equal(h!.signatures[0].label, 'conv2d(filters, kernel: 3, stride: 1, padding: same, activation: linear, bias: true, init: glorot_uniform, l1: 0, l2: 0)');
    assert.equal(active(h), 'filters');
    assert.equal(h!.signatures[0].parameters!.length, 9);
  });

  test('the named argument being typed', async () => {
    assert.equal(active(await help('model {\n  conv2d(32, padding: <|>)\n}')), 'padding: same');
    assert.equal(active(await help('train {\n  optimizer: adamw(0.01, weight_decay: 0.<|>1)\n}')), 'weight_decay: 0.01');
  });

  test('no highlight for a positional slot that does not exist', async () => {
    const h = await help('model {\n  dense(10, <|>)\n}');
    assert.equal(h!.activeParameter, h!.signatures[0].parameters!.length);
  });

  test('inside a list argument, the call around it', async () => {
    assert.equal(active(await help('model {\n  conv2d(32, kernel: [3, <|>')), 'kernel: 3');
  });

  test('none outside calls', async () => {
    assert.equal(await help('model {\n  dense(10)\n  <|>\n}'), null);
  });
});
