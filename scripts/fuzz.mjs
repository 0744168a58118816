// `npm run fuzz -- --cases 100000 [--edits 10000] [--seed N]`: the long fuzz runs.
// 1. Compiler: N mutated specs (compiler/test/fuzz-mutate.ts) through compile and
//    format; a crash is a throw, an RN990 or a broken property; a hang is a case
//    slower than 2 s.
// 2. Language server: the robustness test (language-server/test/robustness.test.ts)
//    with --edits random incremental edits through the protocol, requests interleaved;
//    it records p50/p95 of the time from an edit to its diagnostics.
// Figures go to bench/results/fuzz.json. Exit 1 when anything crashed or hung.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '100000' }, edits: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } },
});
const cases = Number(values.cases);
const edits = Number(values.edits);
const seed = Number(values.seed);
const HANG_MS = 2000;

const { checkCase, fuzzCase, fuzzCorpus, rng } = await import('../compiler/dist/test/fuzz-mutate.js');

const corpus = fuzzCorpus();
const random = rng(seed);
const failures = [];
let hangs = 0;
let slowest = 0;
const started = performance.now();
for (let i = 0; i < cases; i++) {
  const { text, kinds } = fuzzCase(corpus, random, i);
  const t0 = performance.now();
  let problems;
  try {
    problems = checkCase(text).problems;
  } catch (error) {
    problems = [`threw: ${error instanceof Error ? error.message : String(error)}`];
  }
  const ms = performance.now() - t0;
  slowest = Math.max(slowest, ms);
  if (ms > HANG_MS) hangs++;
  if (problems.length > 0 && failures.length < 20) failures.push({ case: i, kinds, problems, input: text.slice(0, 2000) });
  else if (problems.length > 0) failures.push({ case: i });
  if ((i + 1) % 10000 === 0) process.stdout.write(`compiler: ${i + 1}/${cases} cases, ${failures.length} crashes, ${hangs} hangs\n`);
}
const compiler = {
  cases,
  seed,
  crashes: failures.length,
  hangs,
  hang_threshold_ms: HANG_MS,
  slowest_case_ms: Math.round(slowest),
  seconds: Math.round((performance.now() - started) / 100) / 10,
  first_crashes: failures.slice(0, 20),
};
console.log(`compiler: ${cases} cases in ${compiler.seconds} s: ${compiler.crashes} crashes, ${hangs} hangs, slowest ${compiler.slowest_case_ms} ms`);

// The language server, through the protocol (its own test file, with more edits).
const lspFile = join('bench', 'results', '.fuzz-lsp.json');
rmSync(lspFile, { force: true });
const lspStarted = performance.now();
const run = spawnSync(process.execPath, ['--test', 'language-server/dist/test/robustness.test.js'], {
  stdio: 'inherit',
  env: { ...process.env, REGNET_FUZZ_EDITS: String(edits), REGNET_FUZZ_RESULTS: lspFile },
});
let lsp = { edits, passed: run.status === 0, seconds: Math.round((performance.now() - lspStarted) / 100) / 10 };
try {
  lsp = { ...lsp, ...JSON.parse(readFileSync(lspFile, 'utf8')) };
  rmSync(lspFile, { force: true });
} catch {
  // the test failed before writing its figures
}
console.log(`language server: ${JSON.stringify(lsp)}`);

mkdirSync(join('bench', 'results'), { recursive: true });
const result = { date: new Date().toISOString(), compiler, language_server: lsp };
writeFileSync(join('bench', 'results', 'fuzz.json'), JSON.stringify(result, null, 2) + '\n');
console.log('wrote bench/results/fuzz.json');
process.exit(compiler.crashes === 0 && hangs === 0 && lsp.passed ? 0 : 1);
