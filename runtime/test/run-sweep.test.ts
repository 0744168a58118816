// `regnetc sweep` through the real CLI: trials in parallel worker processes, one
// run directory each, results.csv / results.md / report; re-running skips complete
// trials; a crashing trial is reported while the others finish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../src/run/run-dir.js';
import { regnetc, tempDir, writeSpec } from './run-helpers.js';

const SWEPT = `
let width = 4
let lr = 0.01
model {
  dense(width, activation: relu)
  dense(2)
}
data { source: playground(xor, n: 80) validation: 0.25 }
train { epochs: 2 batch_size: 20 optimizer: adam(lr: lr) seed: 11 }
sweep {
  width: [4, 8]
  lr: [0.01, 0.1]
}
`;

function summaryOf(dir: string): RunSummary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
}

function csvRows(dir: string): string[][] {
  return readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n').map((line) => line.split(','));
}

test('a 2x2 sweep trains 4 runs in parallel, writes results and a report, and skips done trials on rerun', () => {
  const dir = tempDir('regnet-sweep-');
  const spec = writeSpec(dir, 'xor.regnet', SWEPT);
  const out = join(dir, 'sweep');
  const r = regnetc(['sweep', spec, '--out', out, '--workers', '2', '--backend', 'cpu']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /sweep: 4 trials \(width: 2 × lr: 2\) into .*; 4 to run on 2 worker\(s\)/);
  assert.equal(r.stdout.match(/^\[\d\/4\] width=\d,lr=0\.1?0?1?,rep0: done in \d+\.\d s, 2 epochs: val_loss /gm)?.length, 4, r.stdout);

  const trials = ['width=4,lr=0.01,rep0', 'width=4,lr=0.1,rep0', 'width=8,lr=0.01,rep0', 'width=8,lr=0.1,rep0'];
  assert.deepEqual(readdirSync(out).filter((f) => f.startsWith('width=')).sort(), trials);
  for (const trial of trials) {
    const summary = summaryOf(join(out, trial));
    assert.equal(summary.stop_reason, 'completed');
    assert.equal(summary.seed, 11);
    const [, width, lr] = /width=(\d+),lr=([\d.]+)/.exec(trial)!;
    assert.deepEqual(summary.constants, { width: Number(width), lr: Number(lr) }, 'the trial trained with its swept values');
    assert.ok(existsSync(join(out, trial, 'model', 'model.json')));
    assert.ok(existsSync(join(out, trial, 'train.log')));
  }

  const rows = csvRows(out);
  assert.equal(rows.length, 5, 'header + one row per configuration');
  assert.deepEqual(rows[0]!.slice(0, 5), ['width', 'lr', 'trials', 'done', 'failed']);
  assert.deepEqual(rows.slice(1).map((row) => row.slice(0, 5).join(',')), ['4,0.01,1,1,0', '4,0.1,1,1,0', '8,0.01,1,1,0', '8,0.1,1,1,0']);
  const valAcc = rows[0]!.indexOf('final_val_accuracy_mean');
  const summary = summaryOf(join(out, 'width=8,lr=0.1,rep0'));
  assert.equal(Number(rows[4]![valAcc]), summary.final!.val_accuracy, 'the csv holds the trial numbers');
  assert.match(readFileSync(join(out, 'results.md'), 'utf8'), /\| width \| lr \| done \|/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.equal(html.match(/<svg /g)?.length, 4, 'accuracy and loss against width and against lr');
  assert.deepEqual(readdirSync(join(out, 'plots')).sort(), ['sweep-lr-accuracy.svg', 'sweep-lr-loss.svg', 'sweep-width-accuracy.svg', 'sweep-width-loss.svg']);

  // Re-running skips every complete trial...
  const again = regnetc(['sweep', spec, '--out', out, '--workers', '2', '--backend', 'cpu']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /4 already complete, 0 to run/);
  assert.doesNotMatch(again.stdout, /done in/);
  // ...and runs only what is missing.
  rmSync(join(out, 'width=4,lr=0.1,rep0'), { recursive: true });
  const third = regnetc(['sweep', spec, '--out', out, '--workers', '2', '--backend', 'cpu']);
  assert.equal(third.code, 0, third.stderr);
  assert.match(third.stdout, /3 already complete, 1 to run/);
  assert.equal(third.stdout.match(/done in/g)?.length, 1);
  assert.equal(csvRows(out).length, 5);
});

test('a crashing trial is reported and the others finish; repeats get seed + r', () => {
  const dir = tempDir('regnet-sweep-');
  writeFileSync(join(dir, 'points.csv'), 'x,y,label\n' + Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2 ? 'odd' : 'even'}`).join('\n') + '\n');
  const spec = writeSpec(
    dir,
    'files.regnet',
    `let file = "points.csv"\nmodel { dense(4, activation: relu) dense(2) }\ndata { source: csv(file, label: "label") validation: 0.25 }\ntrain { epochs: 1 batch_size: 10 seed: 5 }\nsweep {\n  file: ["points.csv", "gone.csv"]\n  repeats: 2\n}\n`,
  );
  const out = join(dir, 'sweep');
  const r = regnetc(['sweep', spec, '--out', out, '--workers', '2', '--backend', 'cpu']);
  assert.equal(r.code, 1, 'a failed trial makes the sweep exit 1');
  assert.equal(r.stderr.match(/\] file=gone\.csv,rep\d: FAILED \(exit code 1\); see .*train\.log/g)?.length, 2, r.stderr);
  assert.match(r.stderr, /error RN601: data file 'gone\.csv' not found/, 'the log tail shows why');
  assert.match(r.stderr, /regnetc: 2 of 4 trials did not complete/);
  assert.equal(summaryOf(join(out, 'file=points.csv,rep0')).seed, 5);
  assert.equal(summaryOf(join(out, 'file=points.csv,rep1')).seed, 6);
  const rows = csvRows(out);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[1]!.slice(0, 4), ['points.csv', '2', '2', '0']);
  assert.deepEqual(rows[2]!.slice(0, 5), ['gone.csv', '2', '0', '2', '']);
  assert.match(readFileSync(join(out, 'results.md'), 'utf8'), /\*\*2 trial\(s\) failed\*\*/);
});

test('sweep without a sweep block, and with compile errors, exits 1 with a clear message', () => {
  const dir = tempDir('regnet-sweep-');
  const plain = writeSpec(dir, 'plain.regnet', 'model { dense(2) }\ndata { source: playground(circle) }\n');
  const r = regnetc(['sweep', plain, '--out', join(dir, 'o')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /plain\.regnet has no sweep block/);
  const bad = writeSpec(dir, 'bad.regnet', 'let p = 0.5\nmodel { dense(2) }\ndata { source: playground(circle) }\nsweep { q: [1, 2] }\n');
  const b = regnetc(['sweep', bad, '--out', join(dir, 'o2')]);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /bad\.regnet:4:9: error RN210/);
  assert.ok(!existsSync(join(dir, 'o2')));
});

test('a sweep over optimizers (calls) trains every trial with its optimizer', () => {
  const dir = tempDir('regnet-sweep-');
  const spec = writeSpec(
    dir,
    'opt.regnet',
    `let opt = sgd(0.1)\nmodel { dense(4, activation: relu) dense(2) }\ndata { source: playground(xor, n: 40) validation: 0.25 }\n` +
      `train { epochs: 1 batch_size: 10 optimizer: opt seed: 2 }\nsweep { opt: [sgd(0.1), adam(lr: 0.001)] }\n`,
  );
  const out = join(dir, 'sweep');
  const r = regnetc(['sweep', spec, '--out', out, '--workers', '2', '--backend', 'cpu']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const trials = readdirSync(out).filter((f) => f.startsWith('opt=')).sort();
  assert.equal(trials.length, 2, trials.join(' '));
  const kinds = trials.map((t) => (summaryOf(join(out, t)).constants.opt as { kind: string }).kind).sort();
  assert.deepEqual(kinds, ['adam', 'sgd']);
  assert.equal(csvRows(out).length, 3, 'one row per optimizer');
});
