// `regnetc report SWEEP SWEEP --out DIR`: two sweeps drawn on one axis, one line per
// sweep; the merged results.csv; the usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeSweeps } from '../src/report/compare.js';
import { planTrials, type SweepManifest } from '../src/run/sweep-plan.js';
import { fakeRun, regnetc, tempDir } from './run-helpers.js';

/** A fake sweep of `name` over lr, test accuracy from `accuracy(lr)`. */
function fakeLrSweep(name: string, lrs: number[], accuracy: (lr: number) => number, params: Record<string, number[]> = { lr: lrs }): string {
  const dir = tempDir(`regnet-${name}-`);
  const trials = planTrials({ params, repeats: 1 }, 5);
  const manifest: SweepManifest = { kind: 'sweep', name, spec_file: `/nowhere/${name}.regnet`, params, repeats: 1, base_seed: 5, trials };
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify(manifest));
  for (const trial of trials) {
    const acc = accuracy(trial.values.lr as number);
    fakeRun(join(dir, trial.id), 3, {
      constants: trial.values,
      final: { epoch: 3, loss: 0.2, accuracy: acc + 0.05, val_loss: 0.4, val_accuracy: acc },
      test: { loss: 1 - acc, accuracy: acc },
    });
  }
  return dir;
}

const LRS = [0.001, 0.01, 0.1];

test('two sweeps over the same constant on one axis: one line per sweep, merged results', async () => {
  const plain = fakeLrSweep('plain_mlp', LRS, (lr) => 0.8 + lr);
  const bn = fakeLrSweep('batchnorm_mlp', LRS, (lr) => 0.81 + 2 * lr);
  const out = join(tempDir(), 'compare');
  const r = regnetc(['report', plain, bn, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /report: .*compare\/report\.html/);
  assert.deepEqual(readdirSync(join(out, 'plots')).sort(), ['compare-lr-accuracy.svg', 'compare-lr-loss.svg']);
  const svg = readFileSync(join(out, 'plots', 'compare-lr-accuracy.svg'), 'utf8');
  assert.ok(svg.includes('>sweep=plain_mlp<') && svg.includes('>sweep=batchnorm_mlp<'), 'a legend entry per sweep');
  assert.equal(svg.match(/class="mark-line role-mark/g)?.length, 2, 'a line per sweep, on the test split');
  assert.match(svg, /test of the saved model/);
  const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
  assert.equal(csv.length, 1 + 2 * LRS.length);
  const header = csv[0]!.split(',');
  assert.deepEqual(header.slice(0, 2), ['sweep', 'lr']);
  const testAcc = header.indexOf('test_accuracy_mean');
  const row = csv.find((l) => l.startsWith('batchnorm_mlp,0.1,'))!.split(',');
  assert.ok(Math.abs(Number(row[testAcc]) - 1.01) < 1e-12, `batchnorm at lr 0.1: ${row[testAcc]}`);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.equal(html.match(/<svg /g)?.length, 2);
  assert.match(html, /RegNet comparison: plain_mlp vs batchnorm_mlp/);
});

test('sweeps with the same model name are told apart by their folders; values of both lists are kept', () => {
  const a = fakeLrSweep('mlp', [0.1, 1], () => 0.5);
  const b = fakeLrSweep('mlp', [0.01, 0.1], () => 0.6);
  const merged = mergeSweeps([a, b]);
  assert.equal(new Set(merged.manifest.params.sweep).size, 2);
  assert.ok((merged.manifest.params.sweep as string[]).every((l) => l.startsWith('regnet-mlp-')));
  assert.deepEqual(merged.manifest.params.lr, [0.1, 1, 0.01]);
  assert.equal(merged.rows.length, 4);
});

test('comparing: --out is required, only sweeps compare, and they must share a swept constant', () => {
  const plain = fakeLrSweep('plain_mlp', LRS, () => 0.8);
  const other = fakeLrSweep('other', LRS, () => 0.8, { width: [8, 16] });
  const noOut = regnetc(['report', plain, other]);
  assert.equal(noOut.code, 1);
  assert.match(noOut.stderr, /regnetc: error: comparing 2 sweeps needs --out DIR/);
  const run = join(tempDir(), 'run');
  fakeRun(run, 2);
  const notSweep = regnetc(['report', plain, run, '--out', join(tempDir(), 'x')]);
  assert.equal(notSweep.code, 1);
  assert.match(notSweep.stderr, /run: not a sweep directory \(no sweep\.json\); only sweeps can be compared/);
  const unrelated = regnetc(['report', plain, other, '--out', join(tempDir(), 'y')]);
  assert.equal(unrelated.code, 1);
  assert.match(unrelated.stderr, /the sweeps vary no constant in common \(.*: lr; .*: width\)/);
  const single = regnetc(['report', plain, '--out', join(tempDir(), 'z')]);
  assert.equal(single.code, 1);
  assert.match(single.stderr, /--out is for comparing several sweeps/);
  assert.doesNotMatch(noOut.stderr + notSweep.stderr + unrelated.stderr, /at .*\.js/, 'no stack trace');
});

test('a comparison writes only into a new, empty or RegNet-made folder: --out . in a project is refused', () => {
  const plain = fakeLrSweep('plain_mlp', LRS, () => 0.8);
  const bn = fakeLrSweep('batchnorm_mlp', LRS, () => 0.9);
  const project = tempDir();
  writeFileSync(join(project, 'report.html'), 'my report');
  const refused = regnetc(['report', plain, bn, '--out', '.'], project);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^regnetc: error: --out \.: the folder is not empty and is not a RegNet report folder \(no \.regnet-run\); choose a new or empty folder \(nothing was changed\)\n$/);
  assert.equal(readFileSync(join(project, 'report.html'), 'utf8'), 'my report');
  const out = join(project, 'compare');
  assert.equal(regnetc(['report', plain, bn, '--out', out]).code, 0);
  const again = regnetc(['report', plain, bn, '--out', out]);
  assert.equal(again.code, 0, 'its own folder is replaced: ' + again.stderr);
});
