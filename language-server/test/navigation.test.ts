// Definition, references and rename of let constants (in process).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { type Location, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { check } from '@regnet/compiler';
import { positionOf } from './helpers/lsp-client.js';
import { featureSuite, CNN, cnnUri, range, applyEdits } from './helpers/feature-suite.js';

const lsp = featureSuite();
const { request } = lsp;
describe('definition, references, rename of let constants', () => {
  const at = (needle: string, delta: number) => positionOf(CNN, needle, delta);

  test('go to definition from a use and from a sweep key', async () => {
    const expected = { uri: cnnUri, range: range(1, 4, 1, 5) };
    assert.deepEqual(await request<Location>('textDocument/definition', cnnUri, { position: at('dropout(p', 8) }), expected);
    assert.deepEqual(await request<Location>('textDocument/definition', cnnUri, { position: at('  p: [', 2) }), expected);
    assert.equal(await request<Location | null>('textDocument/definition', cnnUri, { position: at('dense(10', 1) }), null);
  });

  test('references: declaration, uses and sweep key', async () => {
    const refs = await request<Location[]>('textDocument/references', cnnUri, { position: at('let p', 4), context: { includeDeclaration: true } });
    assert.deepEqual(refs.map((r) => r.range), [range(1, 4, 1, 5), range(11, 10, 11, 11), range(39, 2, 39, 3)]);
    const uses = await request<Location[]>('textDocument/references', cnnUri, { position: at('let p', 4), context: { includeDeclaration: false } });
    assert.equal(uses.length, 2);
  });

  test('rename edits every occurrence; the renamed spec checks the same', async () => {
    const prepared = await request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', cnnUri, { position: at('dropout(p', 8) });
    assert.deepEqual(prepared, { range: range(11, 10, 11, 11), placeholder: 'p' });
    const edit = await request<WorkspaceEdit>('textDocument/rename', cnnUri, { position: at('dropout(p', 8), newName: 'rate' });
    const edits = edit.changes![cnnUri];
    assert.equal(edits.length, 3);
    const renamed = applyEdits(CNN, edits);
    assert.match(renamed, /let rate = 0\.25[\s\S]*dropout\(rate\)[\s\S]*rate: \[0\.0, 0\.25, 0\.5\]/);
    assert.deepEqual(check(renamed).diagnostics.map((d) => d.code), ['RN901']);
  });

  test('rename refuses bad names with a message, and non-constants', async () => {
    await assert.rejects(
      request('textDocument/rename', cnnUri, { position: at('let p', 4), newName: '2x' }),
      /'2x' is not a valid constant name/,
    );
    await assert.rejects(request('textDocument/rename', cnnUri, { position: at('let p', 4), newName: 'width' }), /already exists/);
    assert.equal(await request('textDocument/prepareRename', cnnUri, { position: at('dense(10', 1) }), null);
  });
});
