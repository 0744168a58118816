// The examples' committed results are what a run produces, and the READMEs' numbers are
// what the results say. Runs are deterministic (a seed repeats a run bit for bit on one
// backend), so the cheap sweeps (examples/course.mjs, `cheap: true`) are re-run here and
// every metric column of results.csv must equal the committed one exactly; timing
// columns are left out. `npm run examples:regen` rewrites both after a change that moves
// the numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES, TIMING_COLUMN } from '../course.mjs';
import { readResultsCsv, readmeValues } from '../readme-values.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const REGNETC = join(REPO, 'runtime', 'bin', 'regnetc.js');
const REGEN = 'npm run examples:regen';

function regnetc(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [REGNETC, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('every sweep and comparison of examples/course.mjs has its committed results and plots', () => {
  for (const example of EXAMPLES) {
    const results = [...example.sweeps.map((s) => s.results), ...(example.compare ?? []).map((c) => c.results)];
    for (const r of results) {
      for (const file of ['results.csv', 'results.md', 'plots']) {
        assert.ok(existsSync(join(REPO, 'examples', example.dir, r, file)), `examples/${example.dir}/${r}/${file} (run ${REGEN} -- ${example.dir.slice(0, 2)})`);
      }
    }
    for (const sweep of example.sweeps) {
      for (const p of sweep.runPlots ?? []) assert.ok(existsSync(join(REPO, 'examples', example.dir, sweep.results, 'plots', p.as)), p.as);
    }
  }
});

test("every number marked in the examples' READMEs is the committed results' number", () => {
  const readmes = [join(REPO, 'examples', 'README.md'), ...EXAMPLES.map((e) => join(REPO, 'examples', e.dir, 'README.md'))];
  let count = 0;
  for (const readme of readmes) {
    for (const v of readmeValues(readme).values) {
      assert.equal(v.written, v.measured, `${v.source}: the README says ${v.written}, the results say ${v.measured} (run ${REGEN} -- --readmes)`);
      count++;
    }
  }
  assert.ok(count >= 30, `${count} marked numbers`);
});

for (const example of EXAMPLES) {
  for (const sweep of example.sweeps.filter((s) => s.cheap)) {
    test(`${example.dir}/${sweep.spec}: a full re-run reproduces ${sweep.results}/results.csv exactly`, async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'regnet-reproduce-')), 'sweep');
      const r = await regnetc(['sweep', join('examples', example.dir, sweep.spec), '--out', out, '--backend', 'wasm', '--workers', '2']);
      assert.equal(r.code, 0, r.stderr);
      const fresh = readResultsCsv(join(out, 'results.csv'));
      const committed = readResultsCsv(join(REPO, 'examples', example.dir, sweep.results, 'results.csv'));
      assert.equal(fresh.length, committed.length, 'rows');
      const columns = Object.keys(committed[0]).filter((c) => !TIMING_COLUMN.test(c));
      assert.deepEqual(Object.keys(fresh[0]).filter((c) => !TIMING_COLUMN.test(c)), columns, 'columns');
      fresh.forEach((row, i) => {
        for (const c of columns) {
          assert.equal(row[c], committed[i][c], `row ${i + 1} (${Object.values(row).slice(0, 2).join(', ')}), ${c}: fresh ${row[c]} vs committed ${committed[i][c]} (a change moved the numbers? run ${REGEN} -- ${example.dir.slice(0, 2)})`);
        }
      });
    });
  }
}
