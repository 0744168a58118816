// Every example spec of the course (examples/**/*.regnet) through the server:
// its diagnostics are the compiler's, and hover, completion, inlay hints,
// symbols, folding, semantic tokens and formatting all answer on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, InlayHint } from 'vscode-languageserver-protocol';
import { check } from '@regnet/compiler';
import { PACKAGE_DIR, startServer } from './helpers/lsp-client.js';

const EXAMPLES = join(PACKAGE_DIR, '..', 'examples');

function specs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(path).isDirectory() ? specs(path) : name.endsWith('.regnet') ? [path] : [];
  });
}

test('every example spec through the server', async (t) => {
  const files = specs(EXAMPLES);
  if (files.length === 0) {
    t.skip(`no .regnet files under ${EXAMPLES} yet`);
    return;
  }
  const server = await startServer();
  try {
    for (const file of files) {
      const name = relative(EXAMPLES, file);
      const text = readFileSync(file, 'utf8');
      const uri = pathToFileURL(file).href;
      const textDocument = { uri };
      const diagnostics = await server.open(uri, text);
      const expected = check(text, { file }).diagnostics;
      assert.deepEqual(diagnostics.map((d) => [d.code, d.message]), expected.map((d) => [d.code, d.message]), name);

      // Hover on every word that is a layer: its shape line (when the spec checks) and docs.
      const doc = TextDocument.create(uri, 'regnet', 1, text);
      const model = check(text, { file }).model;
      const layerSymbols = model.symbols.filter((s) => s.kind === 'layer');
      for (const symbol of layerSymbols) {
        const position = doc.positionAt(symbol.range.start.offset + 1);
        const hover = (await server.connection.sendRequest('textDocument/hover', { textDocument, position })) as Hover | null;
        assert.ok(hover, `${name}: hover at ${position.line + 1}:${position.character + 1}`);
      }
      const hints = (await server.connection.sendRequest('textDocument/inlayHint', {
        textDocument,
        range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) },
      })) as InlayHint[];
      const errors = expected.filter((d) => d.severity === 'error');
      if (errors.length === 0 && model.layers.length > 0) {
        assert.ok(hints.length > model.layers.length, `${name}: a hint per layer and the total`);
      }
      for (const method of ['textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/semanticTokens/full', 'textDocument/formatting']) {
        await server.connection.sendRequest(method, { textDocument, options: { tabSize: 2, insertSpaces: true } });
      }
      await server.connection.sendRequest('textDocument/completion', { textDocument, position: doc.positionAt(text.length) });
      t.diagnostic(`${name}: ${diagnostics.length} diagnostics, ${layerSymbols.length} layer hovers, ${hints.length} inlay hints`);
    }
  } finally {
    await server.stop();
  }
  assert.doesNotMatch(server.logs.join(''), /^\[\w+\]/m);
});
