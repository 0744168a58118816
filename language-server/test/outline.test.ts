// Document symbols, folding ranges and semantic tokens (in process).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind, type DocumentSymbol, type FoldingRange, type SemanticTokens } from 'vscode-languageserver-protocol';
import { featureSuite, CNN, cnnUri } from './helpers/feature-suite.js';

const lsp = featureSuite();
const { request } = lsp;
describe('document symbols, folding, semantic tokens', () => {
  test('outline: constants, the model with its layers and shapes, the sections with their settings', async () => {
    const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol', cnnUri);
    assert.deepEqual(symbols.map((s) => [s.name, s.kind]), [
      ['p', SymbolKind.Constant],
      ['width', SymbolKind.Constant],
      ['model cnn', SymbolKind.Class],
      ['data', SymbolKind.Namespace],
      ['train', SymbolKind.Namespace],
      ['sweep', SymbolKind.Namespace],
    ]);
    const model = symbols[2];
    assert.equal(model.detail, '225,034 params');
    assert.deepEqual(model.children!.map((c) => `${c.name} ${c.detail}`), [
      'conv2d → [26, 26, 32]', 'maxpool → [13, 13, 32]', 'conv2d → [11, 11, 64]', 'maxpool → [5, 5, 64]',
      'flatten → [1600]', 'dense → [128]', 'dropout → [128]', 'dense → [10]',
    ]);
    const data = symbols[3];
    assert.deepEqual(data.children!.map((c) => c.name), ['source', 'validation', 'subset', 'augment']);
    assert.deepEqual(data.children![3].children!.map((c) => c.name), ['rotate', 'translate']);
    const train = symbols[4];
    assert.deepEqual(train.children!.find((c) => c.name === 'early_stopping')!.children!.map((c) => `${c.name}: ${c.detail}`), ['monitor: val_loss', 'patience: 3']);
  });

  test('folding: every multi-line block', async () => {
    const ranges = await request<FoldingRange[]>('textDocument/foldingRange', cnnUri);
    assert.deepEqual(ranges.map((r) => [r.startLine, r.endLine]), [[4, 12], [15, 22], [19, 21], [25, 35], [30, 32], [38, 40]]);
  });

  test('folding: runs of comment lines', async () => {
    const { uri } = await lsp.open('# one\n# two\n# three\nlet a = 1\n');
    const ranges = await request<FoldingRange[]>('textDocument/foldingRange', uri);
    assert.deepEqual(ranges, [{ startLine: 0, endLine: 2, kind: 'comment' }]);
  });

  test('semantic tokens: what each word means', async () => {
    const legend = lsp.server.initializeResult.capabilities.semanticTokensProvider!.legend;
    const tokens = await request<SemanticTokens>('textDocument/semanticTokens/full', cnnUri);
    const decoded = new Map<string, string>();
    let line = 0;
    let char = 0;
    const lines = CNN.split('\n');
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [dl, dc, len, type, mods] = tokens.data.slice(i, i + 5);
      line += dl;
      char = dl === 0 ? char + dc : dc;
      const word = lines[line].slice(char, char + len);
      const modifiers = legend.tokenModifiers.filter((_, bit) => mods & (1 << bit));
      decoded.set(`${line}:${word}`, [legend.tokenTypes[type], ...modifiers].join('+'));
    }
    assert.equal(decoded.get('1:p'), 'variable+declaration+readonly');
    assert.equal(decoded.get('5:conv2d'), 'class+defaultLibrary');
    assert.equal(decoded.get('5:activation'), 'parameter+defaultLibrary');
    assert.equal(decoded.get('5:relu'), 'enumMember+defaultLibrary');
    assert.equal(decoded.get('10:width'), 'variable+readonly');
    assert.equal(decoded.get('11:p'), 'variable+readonly');
    assert.equal(decoded.get('28:adamw'), 'function+defaultLibrary');
    assert.equal(decoded.get('32:patience'), 'property+defaultLibrary');
    assert.equal(decoded.get('25:train'), 'keyword+defaultLibrary');
  });
});
