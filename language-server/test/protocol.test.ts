// The language server driven through the protocol, as an editor does: the built
// server runs as a child process; every feature is asserted on real specs.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind,
  DiagnosticSeverity,
  DiagnosticTag,
  SymbolKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type InlayHint,
  type Location,
  type SemanticTokens,
  type SignatureHelp,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { check, entriesOf, format, getEntry, renderMarkdown, sectionSettings } from '@regnet/compiler';
import { FIXTURES, fixtureUri, positionOf, startServer, type TestServer } from './helpers/lsp-client.js';

const CNN = readFileSync(join(FIXTURES, 'mnist-cnn.regnet'), 'utf8');
const MISTAKES = readFileSync(join(FIXTURES, 'mistakes.regnet'), 'utf8');
const cnnUri = fixtureUri('mnist-cnn.regnet');
const mistakesUri = fixtureUri('mistakes.regnet');
let scratchCount = 0;

let server: TestServer;
let cnnDiagnostics: Diagnostic[];
let mistakesDiagnostics: Diagnostic[];

before(async () => {
  server = await startServer();
  cnnDiagnostics = await server.open(cnnUri, CNN);
  mistakesDiagnostics = await server.open(mistakesUri, MISTAKES);
});

after(async () => {
  await server.stop();
  // A handler that threw would have logged its name; none may have.
  assert.doesNotMatch(server.logs.join(''), /^\[\w+\]/m, server.logs.join(''));
});

function request<R>(method: string, uri: string, params: object = {}): Promise<R> {
  return server.connection.sendRequest(method, { textDocument: { uri }, ...params }) as Promise<R>;
}

/** Opens `text` as a fresh document; the cursor is where `|` is (removed from the text). */
async function openScratch(textWithCursor: string): Promise<{ uri: string; text: string; position: { line: number; character: number } }> {
  const offset = textWithCursor.indexOf('|');
  const text = offset >= 0 ? textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1) : textWithCursor;
  const uri = pathToFileURL(join(FIXTURES, `scratch-${++scratchCount}.regnet`)).href;
  await server.open(uri, text);
  const doc = TextDocument.create(uri, 'regnet', 1, text);
  return { uri, text, position: doc.positionAt(Math.max(0, offset)) };
}

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'regnet', 1, text), edits);
}

const range = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

describe('initialize', () => {
  test('advertises every feature', () => {
    const caps = server.initializeResult.capabilities;
    assert.equal(caps.textDocumentSync, 2); // incremental
    for (const key of [
      'hoverProvider', 'completionProvider', 'signatureHelpProvider', 'inlayHintProvider', 'documentSymbolProvider',
      'foldingRangeProvider', 'semanticTokensProvider', 'documentFormattingProvider', 'definitionProvider',
      'referencesProvider', 'renameProvider', 'codeActionProvider',
    ] as const) {
      assert.ok(caps[key], `${key} advertised`);
    }
    assert.equal(server.initializeResult.serverInfo?.name, 'regnet-language-server');
  });
});

describe('diagnostics', () => {
  test('every compiler error and warning, with its code, severity and range', () => {
    const got = mistakesDiagnostics.map((d) => [d.code, d.severity, d.range]);
    assert.deepEqual(got, [
      ['RN208', DiagnosticSeverity.Warning, range(1, 4, 1, 10)],
      ['RN201', DiagnosticSeverity.Error, range(4, 2, 4, 7)],
      ['RN203', DiagnosticSeverity.Error, range(5, 12, 5, 21)],
      ['RN901', DiagnosticSeverity.Information, range(6, 2, 6, 14)],
      ['RN502', DiagnosticSeverity.Warning, range(6, 2, 6, 14)],
      ['RN504', DiagnosticSeverity.Warning, range(12, 4, 12, 20)],
      ['RN501', DiagnosticSeverity.Warning, range(19, 15, 19, 25)],
      ['RN212', DiagnosticSeverity.Error, range(20, 12, 20, 17)],
    ]);
    for (const d of mistakesDiagnostics) assert.equal(d.source, 'regnet');
    assert.match(String(mistakesDiagnostics[1].message), /unknown layer 'desne'; did you mean 'dense'\?/);
    assert.deepEqual(mistakesDiagnostics[0].tags, [DiagnosticTag.Unnecessary], 'an unused let is faded');
  });

  test('are the same as the compiler gives for the file', () => {
    const expected = check(MISTAKES, { file: join(FIXTURES, 'mistakes.regnet') }).diagnostics;
    assert.deepEqual(mistakesDiagnostics.map((d) => d.message), expected.map((d) => d.message));
  });

  test('a correct spec has no errors or warnings', () => {
    assert.deepEqual(cnnDiagnostics.filter((d) => d.severity !== DiagnosticSeverity.Information), []);
    assert.deepEqual(cnnDiagnostics.map((d) => d.code), ['RN901']);
  });

  test('are published again after an edit (incremental sync)', async () => {
    const { uri, text } = await openScratch(MISTAKES);
    const at = positionOf(text, 'desne');
    const diagnostics = await server.change(uri, [{ range: { start: at, end: { ...at, character: at.character + 5 } }, text: 'dense' }]);
    assert.ok(!diagnostics.some((d) => d.code === 'RN201'), 'the fixed typo is no longer reported');
    assert.ok(diagnostics.some((d) => d.code === 'RN212'), 'the other errors still are');
  });

  test('a half-typed file still gets semantic diagnostics for its intact parts', async () => {
    const broken = MISTAKES.replace('epochs: 3', 'epochs: 3 optimizer: adam(lr: ,');
    const { uri } = await openScratch(MISTAKES);
    const diagnostics = await server.change(uri, [{ text: broken }]);
    const codes = diagnostics.map((d) => d.code);
    assert.ok(codes.includes('RN101'), `a syntax error: ${codes}`);
    assert.ok(codes.includes('RN201'), 'the model is still checked');
    assert.ok(codes.includes('RN504'), 'the data block is still checked');
  });

  test('closing a document clears its diagnostics', async () => {
    const { uri } = await openScratch(MISTAKES);
    const cleared = server.waitDiagnostics(uri);
    await server.close(uri);
    assert.deepEqual(await cleared, []);
  });
});

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
    const { uri, position } = await openScratch('train {\n  early_stopping {\n    monitor: val_loss pati|ence\n');
    const h = await request<Hover | null>('textDocument/hover', uri, { position });
    assert.equal(value(h), renderMarkdown(getEntry('section-setting', 'patience')!));
  });
});

describe('completion', () => {
  async function complete(textWithCursor: string): Promise<CompletionItem[]> {
    const { uri, position } = await openScratch(textWithCursor);
    const result = await request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', uri, { position });
    return Array.isArray(result) ? result : result.items;
  }
  const labels = (items: CompletionItem[]) => items.map((i) => i.label).sort();

  test('layer names inside model, each with its docs', async () => {
    const items = await complete('model {\n  dense(10)\n  |\n}\n');
    assert.deepEqual(labels(items), entriesOf('layer').map((e) => e.name).sort());
    const conv = items.find((i) => i.label === 'conv2d')!;
    assert.deepEqual(conv.documentation, { kind: 'markdown', value: renderMarkdown(getEntry('layer', 'conv2d')!) });
    assert.equal(conv.insertText, 'conv2d(${1:filters})');
    assert.equal(items.find((i) => i.label === 'residual')!.insertText, 'residual {\n  $0\n}');
  });

  test('layer names inside a repeat block', async () => {
    const items = await complete('model {\n  repeat(2) {\n    dense(8)\n    |\n  }\n}\n');
    assert.ok(labels(items).includes('batchnorm'));
  });

  test('only the named arguments not yet given', async () => {
    const items = await complete('model {\n  conv2d(32, kernel: 3, |)\n}\n');
    const names = labels(items);
    assert.ok(names.includes('padding') && names.includes('activation') && names.includes('stride'));
    assert.ok(!names.includes('kernel'), 'kernel is given');
    assert.ok(!names.includes('filters'), 'filters is given positionally');
    assert.equal(items.find((i) => i.label === 'padding')!.insertText, 'padding: ');
  });

  test('enum words where an enum is expected, plus let constants', async () => {
    const items = await complete('let act = relu\nmodel {\n  dense(10, activation: |)\n}\n');
    const expected = ['linear', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax', 'act'];
    assert.deepEqual(labels(items), expected.sort());
    assert.equal(items.find((i) => i.label === 'act')!.kind, CompletionItemKind.Constant);
    assert.equal(items.find((i) => i.label === 'gelu')!.kind, CompletionItemKind.EnumMember);
  });

  test('while the call is still half-typed (no closing parenthesis)', async () => {
    const items = await complete('model {\n  conv2d(32, padding: |');
    assert.deepEqual(labels(items), ['same', 'valid']);
  });

  test('setting keys of train not yet given', async () => {
    const items = await complete('train {\n  epochs: 3\n  batch_size: 32\n  |\n}\n');
    const expected = sectionSettings('train').map((e) => e.name).filter((n) => n !== 'epochs' && n !== 'batch_size');
    assert.deepEqual(labels(items), expected.sort());
    assert.equal(items.find((i) => i.label === 'early_stopping')!.insertText, 'early_stopping {\n  $0\n}');
    assert.equal(items.find((i) => i.label === 'seed')!.insertText, 'seed: $0');
  });

  test('early_stopping keys, data keys, augmentations', async () => {
    assert.deepEqual(labels(await complete('train {\n  early_stopping {\n    patience: 2\n    |\n  }\n}\n')), ['min_delta', 'monitor', 'restore_best']);
    assert.deepEqual(
      labels(await complete('data {\n  source: mnist()\n  |\n}\n')),
      sectionSettings('data').map((e) => e.name).filter((n) => n !== 'source').sort(),
    );
    assert.deepEqual(labels(await complete('data {\n  augment {\n    |\n  }\n}\n')), entriesOf('augmentation').map((e) => e.name).sort());
  });

  test('optimizers, schedules, sources where a call is expected', async () => {
    assert.deepEqual(labels(await complete('train {\n  optimizer: |\n}\n')), ['adagrad', 'adam', 'adamw', 'rmsprop', 'sgd']);
    assert.deepEqual(labels(await complete('train {\n  schedule: co|\n}\n')), entriesOf('schedule').map((e) => e.name).sort());
    const sources = await complete('data {\n  source: |\n}\n');
    assert.deepEqual(labels(sources), entriesOf('source').map((e) => e.name).sort());
    assert.equal(sources.find((i) => i.label === 'csv')!.insertText, 'csv(${1:path})');
  });

  test('arguments of a nested call, and a positional enum', async () => {
    assert.deepEqual(labels(await complete('train {\n  optimizer: sgd(lr: 0.1, |)\n}\n')), ['momentum', 'nesterov', 'weight_decay']);
    // flip(direction, p: 1.0): both names, and the words the first positional slot accepts.
    const flip = labels(await complete('data {\n  augment {\n    flip(|)\n  }\n}\n'));
    assert.deepEqual(flip, ['both', 'direction', 'horizontal', 'p', 'vertical']);
    assert.deepEqual(labels(await complete('data {\n  augment {\n    flip(vertical, |)\n  }\n}\n')), ['p']);
  });

  test('list elements: metrics', async () => {
    const metrics = await complete('train {\n  metrics: [|]\n}\n');
    assert.deepEqual(labels(metrics), ['accuracy', 'mae', 'mse']);
    // `accuracy` is documented as the metric here, not as the early-stopping monitor word.
    assert.deepEqual(metrics.find((i) => i.label === 'accuracy')!.documentation, { kind: 'markdown', value: renderMarkdown(getEntry('metric', 'accuracy')!) });
    const monitor = await complete('train {\n  early_stopping {\n    monitor: |\n  }\n}\n');
    assert.deepEqual(monitor.find((i) => i.label === 'accuracy')!.documentation, { kind: 'markdown', value: renderMarkdown(getEntry('enum-word', 'accuracy')!) });
    // `metrics: ` without the bracket inserts the list.
    assert.equal((await complete('train {\n  metrics: |\n}\n')).find((i) => i.label === 'mae')!.insertText, '[mae]');
  });

  test('sweep keys are the let constants not yet swept', async () => {
    const items = await complete('let p = 0.5\nlet width = 64\nsweep {\n  p: [0.1]\n  |\n}\n');
    assert.deepEqual(labels(items), ['repeats', 'width']);
    assert.equal(items.find((i) => i.label === 'width')!.insertText, 'width: [${1:64}]');
  });

  test('block snippets at the top level, for blocks not yet written', async () => {
    const items = await complete('model {\n  dense(2)\n}\n|');
    assert.deepEqual(labels(items), ['data', 'let', 'sweep', 'train']);
    const data = items.find((i) => i.label === 'data')!;
    assert.equal(data.kind, CompletionItemKind.Snippet);
    assert.equal(data.insertTextFormat, 2);
    assert.match(data.insertText!, /^data \{\n  source: \$\{1:mnist\(\)\}/);
  });

  test('nothing inside comments, strings and numbers, or after `as`', async () => {
    assert.deepEqual(await complete('# model {|'), []);
    assert.deepEqual(await complete('data {\n  source: csv("da|ta.csv")\n}'), []);
    assert.deepEqual(await complete('model {\n  dense(1|0)\n}'), []);
    assert.deepEqual(await complete('model {\n  dense(10) as |\n}'), []);
  });
});

describe('signature help', () => {
  async function help(textWithCursor: string): Promise<SignatureHelp | null> {
    const { uri, position } = await openScratch(textWithCursor);
    return request<SignatureHelp | null>('textDocument/signatureHelp', uri, { position });
  }
  const active = (h: SignatureHelp | null) => {
    const sig = h!.signatures[0];
    const p = sig.parameters![h!.activeParameter!];
    return p && Array.isArray(p.label) ? sig.label.slice(p.label[0], p.label[1]) : undefined;
  };

  test('the signature with defaults and the positional argument being typed', async () => {
    const h = await help('model {\n  conv2d(3|');
    assert.equal(h!.signatures[0].label, 'conv2d(filters, kernel: 3, stride: 1, padding: same, activation: linear, bias: true, init: glorot_uniform, l1: 0, l2: 0)');
    assert.equal(active(h), 'filters');
    assert.equal(h!.signatures[0].parameters!.length, 9);
  });

  test('the named argument being typed', async () => {
    assert.equal(active(await help('model {\n  conv2d(32, padding: |)\n}')), 'padding: same');
    assert.equal(active(await help('train {\n  optimizer: adamw(0.01, weight_decay: 0.|1)\n}')), 'weight_decay: 0.01');
  });

  test('no highlight for a positional slot that does not exist', async () => {
    const h = await help('model {\n  dense(10, |)\n}');
    assert.equal(h!.activeParameter, h!.signatures[0].parameters!.length);
  });

  test('inside a list argument, the call around it', async () => {
    assert.equal(active(await help('model {\n  conv2d(32, kernel: [3, |')), 'kernel: 3');
  });

  test('none outside calls', async () => {
    assert.equal(await help('model {\n  dense(10)\n  |\n}'), null);
  });
});

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
    const { uri } = await openScratch('model {\n  input([8])\n  repeat(2) {\n    dense(8, activation: relu)\n  }\n  residual {\n    dense(8)\n  }\n  dense(2)\n}\n');
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
    const { uri } = await openScratch('# one\n# two\n# three\nlet a = 1\n');
    const ranges = await request<FoldingRange[]>('textDocument/foldingRange', uri);
    assert.deepEqual(ranges, [{ startLine: 0, endLine: 2, kind: 'comment' }]);
  });

  test('semantic tokens: what each word means', async () => {
    const legend = server.initializeResult.capabilities.semanticTokensProvider!.legend;
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

describe('formatting', () => {
  test('edits that make the file what `regnetc fmt` prints', async () => {
    const messy = 'let  p=0.5\nmodel {dense(64, activation:relu)   dropout(p)\n dense(10)}\ndata{source:mnist()}\n';
    const { uri, text } = await openScratch(messy);
    const edits = await request<TextEdit[]>('textDocument/formatting', uri, { options: { tabSize: 2, insertSpaces: true } });
    const expected = format(messy).text!;
    assert.equal(applyEdits(text, edits), expected);
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0].range.start, { line: 0, character: 4 }, 'the unchanged start is not replaced');
  });

  test('no edits on a formatted file or on a file with syntax errors', async () => {
    assert.deepEqual(await request<TextEdit[]>('textDocument/formatting', cnnUri, { options: { tabSize: 2, insertSpaces: true } }), []);
    const { uri } = await openScratch('model { dense(10 }\n');
    assert.deepEqual(await request<TextEdit[]>('textDocument/formatting', uri, { options: { tabSize: 2, insertSpaces: true } }), []);
  });
});

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

describe('code actions', () => {
  const actionsAt = (line: number, character: number, diagnostics: Diagnostic[] = []) =>
    request<CodeAction[]>('textDocument/codeAction', mistakesUri, { range: range(line, character, line, character), context: { diagnostics } });

  test('"did you mean" quick fix', async () => {
    const actions = await actionsAt(4, 4);
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred]), [["Replace with 'dense'", 'quickfix', true]]);
    assert.equal(actions[0].diagnostics![0].code, 'RN201');
    const fixed = applyEdits(MISTAKES, actions[0].edit!.changes![mistakesUri]);
    assert.match(fixed, /^ {2}dense\(128, activation: relu\)$/m);
  });

  test('the course lint fix: adam + l2 becomes adamw(weight_decay: …)', async () => {
    const actions = await actionsAt(19, 18);
    const fix = actions.find((a) => a.diagnostics?.[0].code === 'RN501')!;
    assert.equal(fix.title, 'Use adamw(weight_decay: 0.0001) instead of adam with an L2 penalty');
    const fixed = applyEdits(MISTAKES, fix.edit!.changes![mistakesUri]);
    assert.match(fixed, /optimizer: adamw\(lr: 0\.001, weight_decay: 0\.0001\)/);
    assert.doesNotMatch(fixed, /regularizer/);
    assert.ok(!check(fixed).diagnostics.some((d) => d.code === 'RN501'));
  });

  test('none where no diagnostic has a fix; none when only other kinds are asked for', async () => {
    assert.deepEqual(await actionsAt(12, 6), []);
    const only = await request<CodeAction[]>('textDocument/codeAction', mistakesUri, { range: range(4, 4, 4, 4), context: { diagnostics: [], only: ['refactor'] } });
    assert.deepEqual(only, []);
  });
});

describe('custom requests for the VS Code commands', () => {
  test('regnet/summary: the layer table', async () => {
    const summary = await server.connection.sendRequest('regnet/summary', { textDocument: { uri: cnnUri } }) as {
      name: string; rows: { layer: string; outputShape: number[]; params: number; depth: number }[]; totalParams: number; text: string;
    };
    assert.equal(summary.name, 'cnn');
    assert.equal(summary.totalParams, 225034);
    assert.deepEqual(summary.rows.map((r) => [r.layer, r.outputShape, r.params]).slice(0, 2), [
      ['conv2d(32, kernel: 3, padding: valid, activation: relu)', [26, 26, 32], 320],
      ['maxpool(2)', [13, 13, 32], 0],
    ]);
    assert.match(summary.text, /^dense\(width, activation: relu\)\s+\[128\]\s+204,928$/m);
    assert.match(summary.text, /Total params: 225,034/);
  });

  test('regnet/explain: the word at a position, a name, a code', async () => {
    const byPosition = await server.connection.sendRequest('regnet/explain', { textDocument: { uri: cnnUri }, position: positionOf(CNN, 'cosine', 2) }) as { name: string; markdown: string };
    assert.equal(byPosition.name, 'cosine');
    assert.equal(byPosition.markdown, renderMarkdown(getEntry('schedule', 'cosine')!));
    const byName = await server.connection.sendRequest('regnet/explain', { name: 'dropout' }) as { markdown: string };
    assert.ok(byName.markdown.includes(renderMarkdown(getEntry('layer', 'dropout')!)));
    const byCode = await server.connection.sendRequest('regnet/explain', { name: 'rn501' }) as { markdown: string };
    assert.equal(byCode.markdown, '**RN501** (warning) — L2 is not weight decay under Adam: use adamw');
    assert.equal(await server.connection.sendRequest('regnet/explain', { name: 'nonsense_word' }), null);
  });
});

describe('requests on documents the server does not have', () => {
  test('answer empty, not with an error', async () => {
    const uri = 'file:///nowhere/unknown.regnet';
    const position = { line: 0, character: 0 };
    assert.equal(await request('textDocument/hover', uri, { position }), null);
    assert.deepEqual(await request('textDocument/completion', uri, { position }), []);
    assert.deepEqual(await request('textDocument/documentSymbol', uri), []);
    assert.deepEqual(await request('textDocument/inlayHint', uri, { range: range(0, 0, 1, 0) }), []);
    assert.deepEqual(await request('textDocument/semanticTokens/full', uri), { data: [] });
    assert.equal(await server.connection.sendRequest('regnet/summary', { textDocument: { uri } }), null);
  });
});
