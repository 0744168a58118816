// LSP latency on a generated 1,000-line spec, through the protocol against the
// built server (as an editor sees it): didChange -> published diagnostics (with the
// default debounce and without), hover, completion (steady, and right after an
// edit, which includes re-checking). Medians and p95; targets: diagnostics
// < 50 ms, hover and completion < 10 ms. Writes bench/results/lsp.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer, type TestServer } from '../test/helpers/lsp-client.js';
import { DEFAULT_SETTINGS } from '../src/settings.js';
import { generateSpec } from './generate-spec.js';
import { check } from '@regnet/compiler';

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
const ROUNDS = Number(process.env.REGNET_BENCH_ROUNDS ?? 200);
const URI = 'file:///bench/big.regnet';

function stats(samples: number[]): { median: number; p95: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: +at(0.5).toFixed(2), p95: +at(0.95).toFixed(2), n: s.length };
}

async function measure(server: TestServer, text: string): Promise<Record<string, ReturnType<typeof stats>>> {
  let doc = TextDocument.create(URI, 'regnet', 1, text);
  await server.open(URI, text);
  const lines = text.split('\n');
  const layerLines = lines.flatMap((l, i) => (l.startsWith('  dense(width, activation') ? [i] : []));
  const textDocument = { uri: URI };
  const diagnostics: number[] = [];
  const hover: number[] = [];
  const completion: number[] = [];
  const completionAfterEdit: number[] = [];
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  for (let round = 0; round < ROUNDS; round++) {
    const line = layerLines[(round * 37) % layerLines.length];
    // An edit as typed: change `64`-ish width argument text of one layer (`l2: 0.0001` -> `0.0002`, and back).
    const col = lines[line].indexOf('0.0001') + 5;
    const next = doc.getText(({ start: { line, character: col }, end: { line, character: col + 1 } })) === '1' ? '2' : '1';
    const change = { range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: next };
    doc = TextDocument.update(doc, [change], doc.version + 1);
    const t0 = performance.now();
    const version = server.changeNoWait(URI, [change]);
    if (round % 2 === 0) {
      // Completion straight after the keystroke: pays for the re-check.
      completionAfterEdit.push(await time(() => server.connection.sendRequest('textDocument/completion', { textDocument, position: { line: line + 1, character: 2 } })));
    }
    await server.waitDiagnostics(URI, version);
    diagnostics.push(performance.now() - t0);
    hover.push(await time(() => server.connection.sendRequest('textDocument/hover', { textDocument, position: { line, character: 4 } })));
    completion.push(await time(() => server.connection.sendRequest('textDocument/completion', { textDocument, position: { line, character: 30 } })));
  }
  return {
    diagnostics: stats(diagnostics),
    hover: stats(hover),
    completion: stats(completion),
    completionAfterEdit: stats(completionAfterEdit),
  };
}

async function main(): Promise<void> {
  const text = generateSpec(1000);
  const lineCount = text.split('\n').length - 1;
  const withDebounce = await startServer();
  const a = await measure(withDebounce, text);
  await withDebounce.stop();
  const noDebounce = await startServer({ initializationOptions: { diagnostics: { debounceMs: 0 } } });
  const b = await measure(noDebounce, text);
  await noDebounce.stop();
  // The compiler's share: check() of the same text in this process.
  const checks: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    check(text);
    if (i >= 5) checks.push(performance.now() - t);
  }
  const result = {
    spec: { lines: lineCount, rounds: ROUNDS },
    // Latencies on a busy machine are not comparable with an idle one.
    machine: { cpus: cpus().length, loadAverage1m: +loadavg()[0].toFixed(2) },
    compilerCheck: stats(checks),
    debounceMs: DEFAULT_SETTINGS.diagnostics.debounceMs,
    targetsMs: { diagnostics: 50, hover: 10, completion: 10 },
    ...a,
    diagnosticsWithoutDebounce: b.diagnostics,
    node: process.version,
    date: new Date().toISOString(),
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(RESULTS + 'lsp.json', JSON.stringify(result, null, 2) + '\n');
  const row = (name: string, s: { median: number; p95: number }, target?: number) =>
    console.log(`${name.padEnd(34)} median ${String(s.median).padStart(7)} ms   p95 ${String(s.p95).padStart(7)} ms${target ? `   (target < ${target} ms)` : ''}`);
  console.log(`LSP latency on a ${lineCount}-line spec, ${ROUNDS} rounds`);
  row(`didChange -> diagnostics (debounce ${result.debounceMs} ms)`, a.diagnostics, 50);
  row('didChange -> diagnostics (no debounce)', b.diagnostics);
  row('hover', a.hover, 10);
  row('completion', a.completion, 10);
  row('completion right after an edit', a.completionAfterEdit);
  row('(compiler check() alone, in-process)', result.compilerCheck);
  console.log(`${result.machine.cpus} CPUs, load average ${result.machine.loadAverage1m}`);
  console.log(`written to ${RESULTS}lsp.json`);
}

await main();
