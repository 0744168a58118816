// Random mutations of real specs (the mutations and properties are in
// fuzz-mutate.ts; `npm run fuzz -- --cases 100000` runs more): the compiler must
// never throw, never report an internal error, give valid ranges, and format
// idempotently. REGNET_FUZZ_CASES changes the count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCase, fuzzCase, fuzzCorpus, MUTATION_KINDS, rng } from './fuzz-mutate.js';

const CASES = Number(process.env.REGNET_FUZZ_CASES ?? 10_000);

test(`${CASES.toLocaleString('en-US')} mutated specs (bytes, tokens, splices, values) through compile and format: no throw, no RN990, valid ranges, idempotent formatting`, () => {
  const corpus = fuzzCorpus();
  const random = rng(12345);
  let slowest = 0;
  let withErrors = 0;
  const kinds = new Map<string, number>();
  for (let i = 0; i < CASES; i++) {
    const { text, kinds: used } = fuzzCase(corpus, random, i);
    for (const k of used) kinds.set(k, (kinds.get(k) ?? 0) + 1);
    const started = performance.now();
    let outcome: ReturnType<typeof checkCase>;
    try {
      outcome = checkCase(text);
    } catch (error) {
      assert.fail(`the compiler threw on case ${i}: ${(error as Error).stack}\n--- input ---\n${text}`);
    }
    const elapsed = performance.now() - started;
    slowest = Math.max(slowest, elapsed);
    assert.deepEqual(outcome.problems, [], `case ${i} (${used.join(', ')})\n--- input ---\n${text}`);
    if (outcome.hasErrors) withErrors++;
    assert.ok(elapsed < 2000, `case ${i} took ${elapsed.toFixed(0)} ms`);
  }
  // Every kind of mutation ran, and they do break specs: most are rejected.
  for (const kind of MUTATION_KINDS) assert.ok((kinds.get(kind) ?? 0) > CASES / 10, `${kind}: ${kinds.get(kind)}`);
  assert.ok(withErrors > CASES / 2, `only ${withErrors} of ${CASES} mutations gave errors`);
});
