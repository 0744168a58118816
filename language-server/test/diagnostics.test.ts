// Diagnostics (in process): codes, severities, ranges, as the compiler gives them; after edits.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-protocol';
import { check } from '@regnet/compiler';
import { FIXTURES, positionOf } from './helpers/lsp-client.js';
import { featureSuite, MISTAKES, range } from './helpers/feature-suite.js';

const lsp = featureSuite();
describe('diagnostics', () => {
  test('every compiler error and warning, with its code, severity and range', () => {
    const got = lsp.mistakesDiagnostics.map((d) => [d.code, d.severity, d.range]);
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
    for (const d of lsp.mistakesDiagnostics) assert.equal(d.source, 'regnet');
    assert.match(String(lsp.mistakesDiagnostics[1].message), /unknown layer 'desne'; did you mean 'dense'\?/);
    assert.deepEqual(lsp.mistakesDiagnostics[0].tags, [DiagnosticTag.Unnecessary], 'an unused let is faded');
  });

  test('are the same as the compiler gives for the file', () => {
    const expected = check(MISTAKES, { file: join(FIXTURES, 'mistakes.regnet') }).diagnostics;
    assert.deepEqual(lsp.mistakesDiagnostics.map((d) => String(d.message)), expected.map((d) => d.message));
  });

  test('a correct spec has no errors or warnings', () => {
    assert.deepEqual(lsp.cnnDiagnostics.filter((d) => d.severity !== DiagnosticSeverity.Information), []);
    assert.deepEqual(lsp.cnnDiagnostics.map((d) => d.code), ['RN901']);
  });

  test('are published again after an edit (incremental sync)', async () => {
    const { uri, text } = await lsp.open(MISTAKES);
    const at = positionOf(text, 'desne');
    const diagnostics = await lsp.server.change(uri, [{ range: { start: at, end: { ...at, character: at.character + 5 } }, text: 'dense' }]);
    assert.ok(!diagnostics.some((d: { code?: unknown }) => d.code === 'RN201'), 'the fixed typo is no longer reported');
    assert.ok(diagnostics.some((d: { code?: unknown }) => d.code === 'RN212'), 'the other errors still are');
  });

  test('a half-typed file still gets semantic diagnostics for its intact parts', async () => {
    const broken = MISTAKES.replace('epochs: 3', 'epochs: 3 optimizer: adam(lr: ,');
    const { uri } = await lsp.open(MISTAKES);
    const diagnostics = await lsp.server.change(uri, [{ text: broken }]);
    const codes = diagnostics.map((d: { code?: unknown }) => d.code);
    assert.ok(codes.includes('RN101'), `a syntax error: ${codes}`);
    assert.ok(codes.includes('RN201'), 'the model is still checked');
    assert.ok(codes.includes('RN504'), 'the data block is still checked');
  });

  test('closing a document clears its diagnostics', async () => {
    const { uri } = await lsp.open(MISTAKES);
    const cleared = lsp.server.waitDiagnostics(uri);
    await lsp.server.close(uri);
    assert.deepEqual(await cleared, []);
  });
});

describe('diagnostics on marked text', () => {
  test('a misspelt layer: the code, the exact range, the did-you-mean', async () => {
    await lsp.expectDiagnostics('model {\n  flatten\n  <|desne|>(10)\n}\ndata { source: mnist() }\n', [
      { code: 'RN201', range: 0, severity: DiagnosticSeverity.Error, message: "unknown layer 'desne'; did you mean 'dense'?" },
      { code: 'RN901', severity: DiagnosticSeverity.Information },
    ]);
  });

  test('RN507: batchnorm momentum 0.99 over 450 steps, a warning on the call', async () => {
    await lsp.expectDiagnostics('model {\n  flatten\n  <|batchnorm()|>\n  dense(10)\n}\ndata { source: mnist() }\ntrain { epochs: 2 }\n', [
      { code: 'RN507', range: 0, severity: DiagnosticSeverity.Warning, message: /over about 100 steps .* only 450 steps \(2 epochs × 225 batches/ },
      { code: 'RN901', severity: DiagnosticSeverity.Information },
    ]);
  });
});
