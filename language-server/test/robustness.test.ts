// Thousands of random edits (tokens and characters inserted, ranges deleted, at
// random places) sent as incremental didChange; after each the server must answer
// diagnostics, hover, completion and signature help without an error response or
// a crash, and at the end its view of the text must match the editor's. CI runs
// 10,000 edits (REGNET_FUZZ_EDITS); `npm run fuzz` also records the p50/p95
// time from an edit to its diagnostics (REGNET_FUZZ_RESULTS names the file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { check } from '@regnet/compiler';
import { FIXTURES, fixtureUri, startServer } from './helpers/lsp-client.js';

const EDITS = Number(process.env.REGNET_FUZZ_EDITS ?? 10000);
const SEED = Number(process.env.REGNET_FUZZ_SEED ?? 20240611);

/** mulberry32: a small seeded generator, so a failure can be replayed with its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  'model', 'data', 'train', 'sweep', 'let ', 'let x = ', 'as ', 'augment', 'true', 'false', '{', '}', '(', ')', '[', ']',
  ',', ':', '=', '"', '"str"', '#', '# comment\n', '\n', ' ', '  ', 'dense(', 'conv2d(32, kernel: ', 'dropout(1.2)',
  'relu', 'softmax', 'repeat(2) {', 'residual {', 'activation: ', 'padding: same', 'optimizer: adam(', 'lr: -1',
  'early_stopping {', 'monitor: ', 'p', 'width', '0.5', '-1', '.5', '1e-4', '2.5E3', '1e', '\\', '"\\q', 'é', '😀', '\t',
];

test(`${EDITS} random edits: every answer arrives, no error, no crash`, { timeout: 600_000 }, async (t) => {
  const rnd = random(SEED);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  const original = readFileSync(join(FIXTURES, 'mnist-cnn.regnet'), 'utf8') + readFileSync(join(FIXTURES, 'mistakes.regnet'), 'utf8');
  const uri = fixtureUri('fuzz.regnet');
  const server = await startServer({ initializationOptions: { diagnostics: { debounceMs: 0 } } });
  let doc = TextDocument.create(uri, 'regnet', 1, original);
  let lastDiagnostics: Diagnostic[] = await server.open(uri, original);
  const at = () => doc.positionAt(Math.floor(rnd() * (doc.getText().length + 1)));
  const textDocument = { uri };
  const seen = { hovers: 0, completions: 0, signatures: 0, internalErrors: 0 };
  const latencies: number[] = [];
  const started = performance.now();
  try {
    for (let i = 0; i < EDITS; i++) {
      const text = doc.getText();
      let change;
      if (i % 400 === 399 || text.length > 6000) {
        change = { text: original }; // start over from a real spec now and then
      } else if (rnd() < 0.4 && text.length > 0) {
        const start = Math.floor(rnd() * text.length);
        const end = Math.min(text.length, start + 1 + Math.floor(rnd() * 12));
        change = { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, text: '' };
      } else {
        const insert = rnd() < 0.75 ? pick(TOKENS) : String.fromCharCode(32 + Math.floor(rnd() * 95));
        const position = at();
        change = { range: { start: position, end: position }, text: insert };
      }
      doc = TextDocument.update(doc, [change], doc.version + 1);
      const sent = performance.now();
      const version = server.changeNoWait(uri, [change]);
      assert.equal(version, doc.version);
      const diagnostics = server.waitDiagnostics(uri, version).then((d) => (latencies.push(performance.now() - sent), d));
      const context = `edit ${i} (seed ${SEED}): ${JSON.stringify(change)}`;
      const answers = [
        server.connection.sendRequest('textDocument/hover', { textDocument, position: at() }),
        server.connection.sendRequest('textDocument/completion', { textDocument, position: at() }),
        server.connection.sendRequest('textDocument/signatureHelp', { textDocument, position: at() }),
      ];
      if (i % 20 === 0) {
        const whole = { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) };
        answers.push(
          server.connection.sendRequest('textDocument/documentSymbol', { textDocument }),
          server.connection.sendRequest('textDocument/foldingRange', { textDocument }),
          server.connection.sendRequest('textDocument/semanticTokens/full', { textDocument }),
          server.connection.sendRequest('textDocument/inlayHint', { textDocument, range: whole }),
          server.connection.sendRequest('textDocument/formatting', { textDocument, options: { tabSize: 2, insertSpaces: true } }),
          server.connection.sendRequest('textDocument/codeAction', { textDocument, range: whole, context: { diagnostics: [] } }),
          server.connection.sendRequest('textDocument/definition', { textDocument, position: at() }),
          server.connection.sendRequest('textDocument/references', { textDocument, position: at(), context: { includeDeclaration: true } }),
          server.connection.sendRequest('textDocument/prepareRename', { textDocument, position: at() }),
          server.connection.sendRequest('regnet/summary', { textDocument }),
          server.connection.sendRequest('regnet/explain', { textDocument, position: at() }),
        );
      }
      try {
        const [hover, completion, signature] = await Promise.all(answers);
        if (hover) seen.hovers++;
        if (Array.isArray(completion) && completion.length) seen.completions++;
        if (signature) seen.signatures++;
        lastDiagnostics = await diagnostics;
        // RN990 is the compiler's own "internal error" diagnostic: a crash it caught.
        const internal = lastDiagnostics.find((d) => d.code === 'RN990');
        if (internal) {
          seen.internalErrors++;
          t.diagnostic(`RN990 after ${context}: ${internal.message}`);
        }
      } catch (err) {
        assert.fail(`${context}: ${err instanceof Error ? err.message : String(err)}`);
      }
      assert.ok(!server.exited, `server exited after ${context}`);
    }
    t.diagnostic(`answers with content: ${JSON.stringify(seen)}`);
    const sorted = [...latencies].sort((a, b) => a - b);
    const quantile = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
    const figures = {
      edits: EDITS,
      seed: SEED,
      diagnostics_after_edit_ms: { p50: quantile(0.5), p95: quantile(0.95), max: quantile(1) },
      internal_errors: seen.internalErrors,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    t.diagnostic(`diagnostics after an edit: ${JSON.stringify(figures.diagnostics_after_edit_ms)}`);
    if (process.env.REGNET_FUZZ_RESULTS) writeFileSync(process.env.REGNET_FUZZ_RESULTS, JSON.stringify(figures, null, 2) + '\n');
    // Half-typed text still gets docs and completions most of the time.
    assert.ok(seen.hovers > EDITS / 10 && seen.completions > EDITS / 10, JSON.stringify(seen));
    assert.equal(seen.internalErrors, 0, 'the compiler reported internal errors (see the diagnostics above)');
    // The server's text is the editor's: its diagnostics are the compiler's on our copy.
    const expected = check(doc.getText(), { file: join(FIXTURES, 'fuzz.regnet') }).diagnostics;
    assert.deepEqual(lastDiagnostics.map((d) => [d.code, d.message]), expected.map((d) => [d.code, d.message]));
    assert.doesNotMatch(server.logs.join(''), /^\[\w+\]/m, 'a handler threw (logged by the server)');
  } finally {
    await server.stop();
  }
});
