// The built server driven through the protocol as an editor does: spawned as a child
// process over stdio. The features themselves are tested in process, one file each
// (hover.test.ts, completion.test.ts, ...); here what only the real process shows:
// initialize, text sync and publishing, the custom requests, unknown documents.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DiagnosticSeverity, type CompletionItem, type Hover } from 'vscode-languageserver-protocol';
import { getEntry, renderMarkdown } from '@regnet/compiler';
import { EXPLAIN_REQUEST, SUMMARY_REQUEST, type ExplainResult, type SummaryResult } from '../src/protocol.js';
import { positionOf, startServer, type TestServer } from './helpers/lsp-client.js';
import { CNN, MISTAKES, cnnUri, mistakesUri, range } from './helpers/feature-suite.js';

let server: TestServer;
let mistakesDiagnostics: Awaited<ReturnType<TestServer['open']>>;

before(async () => {
  server = await startServer();
  await server.open(cnnUri, CNN);
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
    const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(server.initializeResult.serverInfo?.version, own.version, 'the real version, from package.json');
  });
});

describe('through the process: publish, edit, hover, completion', () => {
  test('diagnostics are published on open and again after an incremental edit', async () => {
    assert.deepEqual(mistakesDiagnostics.slice(0, 2).map((d) => [d.code, d.severity, d.range]), [
      ['RN208', DiagnosticSeverity.Warning, range(1, 4, 1, 10)],
      ['RN201', DiagnosticSeverity.Error, range(4, 2, 4, 7)],
    ]);
    const uri = mistakesUri.replace('mistakes', 'mistakes-copy');
    await server.open(uri, MISTAKES);
    const at = positionOf(MISTAKES, 'desne');
    const after = await server.change(uri, [{ range: { start: at, end: { ...at, character: at.character + 5 } }, text: 'dense' }]);
    assert.ok(!after.some((d) => d.code === 'RN201') && after.some((d) => d.code === 'RN212'));
  });

  test('hover and completion answer from the process', async () => {
    const h = await request<Hover>('textDocument/hover', cnnUri, { position: positionOf(CNN, 'adamw', 1) });
    assert.deepEqual(h.contents, { kind: 'markdown', value: renderMarkdown(getEntry('optimizer', 'adamw')!) });
    const items = await request<CompletionItem[]>('textDocument/completion', cnnUri, { position: positionOf(CNN, 'adamw', 0) });
    assert.ok(items.some((i) => i.label === 'sgd'));
  });
});

describe('custom requests for the VS Code commands', () => {
  test('regnet/summary: the layer table', async () => {
    const summary = await server.connection.sendRequest<SummaryResult>(SUMMARY_REQUEST, { textDocument: { uri: cnnUri } });
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
    const byPosition = await server.connection.sendRequest<ExplainResult>(EXPLAIN_REQUEST, { textDocument: { uri: cnnUri }, position: positionOf(CNN, 'cosine', 2) });
    assert.equal(byPosition.name, 'cosine');
    assert.equal(byPosition.markdown, renderMarkdown(getEntry('schedule', 'cosine')!));
    const byName = await server.connection.sendRequest<ExplainResult>(EXPLAIN_REQUEST, { name: 'dropout' });
    assert.ok(byName.markdown.includes(renderMarkdown(getEntry('layer', 'dropout')!)));
    const byCode = await server.connection.sendRequest<ExplainResult>(EXPLAIN_REQUEST, { name: 'rn501' });
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
