// Printing diagnostics: linear in the number of diagnostics (the source is split into
// lines once, not once per code frame), capped per file, errors kept first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '@regnet/compiler';
import { diagnosticPrinting, printDiagnostics, shownDiagnostics } from '../src/run/print-diagnostics.js';

function diagnostic(line: number, severity: Diagnostic['severity'] = 'warning', offset = 0): Diagnostic {
  const at = (column: number) => ({ line, column, offset: offset + column - 1 });
  return { severity, code: severity === 'error' ? 'RN301' : 'RN208', message: `line ${line}`, range: { start: at(5), end: at(8) } };
}

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = { isTTY: false, write: (chunk: string) => chunks.push(chunk) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

test('printing diagnostics is linear: 40,000 code frames of a 5 MB spec (quadratic took minutes)', { timeout: 60_000 }, () => {
  const lines = 100_000;
  const source = Array.from({ length: lines }, (_, i) => `let u${i} = ${'9'.repeat(40)}`).join('\n');
  assert.ok(source.length > 5_000_000);
  const diagnostics = Array.from({ length: 40_000 }, (_, i) => diagnostic(i * 2 + 1));
  const out = capture();
  const saved = diagnosticPrinting.maxPerFile;
  diagnosticPrinting.maxPerFile = 0;
  try {
    printDiagnostics('big.regnet', source, diagnostics, out.stream);
  } finally {
    diagnosticPrinting.maxPerFile = saved;
  }
  const printed = out.text().split('\n');
  assert.equal(printed.length, 40_000 * 3 + 1);
  assert.equal(printed[120_000 - 3], 'big.regnet:79999:5: warning RN208: line 79999');
  assert.equal(printed[120_000 - 2], `79999 | let u79998 = ${'9'.repeat(40)}`);
});

test('over the cap the errors are kept (in source order) and the rest counted', () => {
  const diagnostics = [diagnostic(1), diagnostic(2, 'error'), diagnostic(3), diagnostic(4, 'error'), diagnostic(5, 'info')];
  assert.deepEqual(
    shownDiagnostics(diagnostics, { verbose: false, maxPerFile: 3 }).shown.map((d) => d.range.start.line),
    [1, 2, 4],
  );
  assert.equal(shownDiagnostics(diagnostics, { verbose: false, maxPerFile: 3 }).omitted, 1, 'the note is hidden, not omitted');
  assert.equal(shownDiagnostics(diagnostics, { verbose: true, maxPerFile: 0 }).shown.length, 5);
  const out = capture();
  const saved = { ...diagnosticPrinting };
  Object.assign(diagnosticPrinting, { verbose: false, maxPerFile: 2 });
  try {
    printDiagnostics('f.regnet', 'a\nb\nc\nd\ne', diagnostics, out.stream);
  } finally {
    Object.assign(diagnosticPrinting, saved);
  }
  assert.match(out.text(), /f\.regnet:2:5: error RN301: line 2\n/);
  assert.match(out.text(), /\n… and 2 more diagnostics in f\.regnet \(use --max-diagnostics N, or 0 for all\)\n$/);
});
