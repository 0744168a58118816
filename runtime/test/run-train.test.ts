// `regnetc train` end to end through the real CLI: the run directory it writes, the
// model it saves (loaded back with tf.loadLayersModel), compile and data errors,
// --resume (bit-for-bit the same as an uninterrupted run), Ctrl-C, a non-finite loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { folderLoadHandler } from '../src/model/io.js';
import type { EpochRecord } from '../src/contracts.js';
import type { RunSummary } from '../src/run/run-dir.js';
import { REGNETC, interruptWhen, regnetc, tempDir, writeSpec } from './run-helpers.js';

const CIRCLE = `
let width = 16
model circle {
  dense(width, activation: relu)
  dense(width, activation: relu)
  dense(2)
}
data {
  source: playground(circle, n: 400, noise: 0.05)
  validation: 0.25
}
train {
  epochs: 20
  batch_size: 16
  optimizer: adam(lr: 0.01)
  seed: 3
}
`;

function readMetrics(dir: string): EpochRecord[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EpochRecord);
}

function readSummary(dir: string): RunSummary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
}

/** The numbers of an epoch without its wall time (which differs between runs). */
function withoutTime(records: EpochRecord[]): object[] {
  return records.map(({ seconds: _seconds, ...rest }) => rest);
}

function assertNoStackTrace(text: string): void {
  assert.doesNotMatch(text, /\n\s+at .+\(.*:\d+:\d+\)/, `no stack trace in:\n${text}`);
  assert.doesNotMatch(text, /internal error/);
}

test('train writes a complete run directory; model/ loads with tf.loadLayersModel; circle reaches > 0.95 validation accuracy', async () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'circle.regnet', CIRCLE);
  const out = join(dir, 'run');
  const r = regnetc(['train', spec, '--out', out, '--backend', 'wasm']);
  assert.equal(r.code, 0, r.stderr);
  // Not a TTY: a plain line per epoch, the backend named, a final table.
  assert.match(r.stdout, /^backend: wasm( \(\d threads\))?$/m);
  assert.match(r.stdout, /^data: playground\(kind: circle, n: 400, noise: 0\.05\): 300 train, 100 validation examples, 2 classes$/m);
  assert.equal(r.stdout.match(/^epoch \d+\/20  loss \d\.\d{4}  accuracy \d\.\d{4}  val_loss \d\.\d{4}  val_accuracy \d\.\d{4}  lr 1\.00e-2  grad_norm \S+  \d+\.\ds$/gm)?.length, 20);
  assert.match(r.stdout, /│ best \(epoch \d+\)/);
  assert.match(r.stdout, /^report: .*report\.html$/m);

  for (const name of ['spec.regnet', 'ir.json', 'metrics.jsonl', 'summary.json', 'model', 'state', 'report.html', 'plots']) {
    assert.ok(existsSync(join(out, name)), `${name} in the run directory`);
  }
  assert.equal(readFileSync(join(out, 'spec.regnet'), 'utf8'), CIRCLE);
  const ir = JSON.parse(readFileSync(join(out, 'ir.json'), 'utf8'));
  assert.equal(ir.name, 'circle');
  assert.equal(ir.train.epochs, 20);
  assert.deepEqual(readdirSync(join(out, 'model')).sort(), ['model.json', 'weights.bin']);
  // No temp files left behind by the atomic writes.
  assert.deepEqual(readdirSync(out).filter((f) => f.includes('.tmp-') || f.includes('.old-')), []);

  const metrics = readMetrics(out);
  assert.deepEqual(metrics.map((m) => m.epoch), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.deepEqual(Object.keys(metrics[0]!), ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr', 'grad_norm', 'seconds']);

  const summary = readSummary(out);
  assert.equal(summary.epochs_run, 20);
  assert.equal(summary.stop_reason, 'completed');
  assert.equal(summary.backend, 'wasm');
  assert.equal(summary.seed, 3);
  assert.equal(summary.checkpoint, 'best');
  assert.equal(summary.monitor, 'val_loss');
  assert.deepEqual(summary.constants, { width: 16 });
  const bestByLoss = metrics.reduce((a, b) => (b.val_loss! < a.val_loss! ? b : a));
  assert.equal(summary.best_epoch, bestByLoss.epoch, 'best epoch = lowest val_loss');
  assert.equal(summary.model_epoch, bestByLoss.epoch);
  assert.deepEqual(summary.best, { epoch: bestByLoss.epoch, loss: bestByLoss.loss, accuracy: bestByLoss.accuracy, val_loss: bestByLoss.val_loss, val_accuracy: bestByLoss.val_accuracy });
  assert.equal(summary.final!.epoch, 20);
  assert.ok(summary.best!.val_accuracy! > 0.95, `acceptance: circle validation accuracy ${summary.best!.val_accuracy} > 0.95`);

  // model/ is a tfjs layers model: it loads with tf.loadLayersModel and predicts.
  await tf.setBackend('cpu');
  const model = await tf.loadLayersModel(folderLoadHandler(tf, join(out, 'model')));
  const points = tf.tensor2d([[0, 0], [0.5, -0.5], [4.5, 4.5], [-4.8, 0.3]]);
  const logits = model.predict(points) as tf.Tensor;
  assert.deepEqual(logits.shape, [4, 2]);
  const classes = Array.from(await logits.argMax(1).data());
  // Circle: label 1 inside radius 2.5 (the Playground's convention: positive inside).
  assert.equal(classes[0], classes[1], 'two points near the centre get the same class');
  assert.equal(classes[2], classes[3], 'two points far out get the same class');
  assert.notEqual(classes[0], classes[2], 'centre and outside differ');

  // model/ holds the best epoch: eval measures the same validation accuracy as that epoch did.
  const e = regnetc(['eval', out, '--backend', 'cpu', '--json']);
  assert.equal(e.code, 0, e.stderr);
  const evaluated = JSON.parse(e.stdout);
  assert.equal(evaluated.model_epoch, summary.model_epoch);
  assert.ok(Math.abs(evaluated.validation.accuracy - summary.best!.val_accuracy!) < 1e-6, `${evaluated.validation.accuracy} vs ${summary.best!.val_accuracy}`);
  assert.ok(Math.abs(evaluated.validation.loss - summary.best!.val_loss!) < 1e-4);

  // eval --data: the data block of another spec (fresh circle points, half held out).
  const other = writeSpec(dir, 'fresh.regnet', 'model { dense(2) }\ndata { source: playground(circle, n: 200, noise: 0.05) validation: 0.5 }\n');
  const fresh = regnetc(['eval', out, '--data', other, '--backend', 'cpu']);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.match(fresh.stdout, /on playground\(kind: circle, n: 200, noise: 0\.05\)/);
  assert.match(fresh.stdout, /│ validation │ \d\.\d{4} +│ (0\.9\d{3}|1\.0000) +│/);
  const digits = writeSpec(dir, 'digits.regnet', 'model { flatten dense(10) }\ndata { source: mnist() }\n');
  const mismatch = regnetc(['eval', out, '--data', digits, '--backend', 'cpu']);
  assert.equal(mismatch.code, 1);
  assert.match(mismatch.stderr, /digits\.regnet: its data gives inputs \[28, 28, 1\] with 10 classes, but the model in .* takes \[2\] with 2 classes/);

  // `regnetc report` rewrites the report the run wrote at its end.
  const rep = regnetc(['report', out]);
  assert.equal(rep.code, 0, rep.stderr);
  assert.match(rep.stdout, /^report: .*run\/report\.html\nplot: .*plots\/loss\.svg\nplot: .*plots\/accuracy\.svg\nplot: .*plots\/lr\.svg\n$/);
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /RegNet run: circle/);
});

test('compile errors print like check, exit 1, and nothing is trained', () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'bad.regnet', 'model {\n  dense(4)\n  dropot(0.5)\n  dense(2)\n}\ndata { source: playground(circle) }\n');
  const r = regnetc(['train', spec, '--out', join(dir, 'run'), '--backend', 'cpu']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.regnet:3:3: error RN201: .*dropot.*\n3 \|   dropot\(0\.5\)\n {2}\| {3}\^{6}/);
  assert.match(r.stderr, /did you mean 'dropout'/);
  assert.match(r.stderr, /regnetc: not training: .*bad\.regnet has 1 error/);
  assert.doesNotMatch(r.stdout, /backend:/, 'no backend was even started');
  assert.ok(!existsSync(join(dir, 'run')), 'no run directory');
  assertNoStackTrace(r.stderr);
});

test('a missing data file exits 1 with file:line:col and no stack trace', () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'missing.regnet', 'model { dense(2) }\ndata { source: csv("nowhere.csv", label: "label") }\n');
  const r = regnetc(['train', spec, '--backend', 'cpu', '--out', join(dir, 'run')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /missing\.regnet:2:20: error RN601: data file 'nowhere\.csv' not found/);
  assertNoStackTrace(r.stderr);
});

test('bad data found while loading prints file:line: error, exits 1, no stack trace', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'train.csv'), 'x,y,label\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n');
  writeFileSync(join(dir, 'val.csv'), 'x,y,label\n1,2,a\n3,4,c\n');
  const spec = writeSpec(dir, 'val.regnet', 'model { dense(2) }\ndata { source: csv("train.csv", label: "label") validation: csv("val.csv", label: "label") }\n');
  const r = regnetc(['train', spec, '--backend', 'cpu', '--out', join(dir, 'run')]);
  assert.equal(r.code, 1);
  // The line and the column, never the value (a shared spec must not echo data files).
  assert.match(r.stderr, new RegExp(`^${join(dir, 'val.csv').replace(/[.]/g, '\\.')}:3: error: a label in 'label' that the training data does not have`, 'm'));
  assert.doesNotMatch(r.stderr, /"c"/);
  assertNoStackTrace(r.stderr);
});

test('bad command lines are one clear line, exit 1', () => {
  const r1 = regnetc(['train', '/no/such/spec.regnet']);
  assert.equal(r1.code, 1);
  assert.match(r1.stderr, /^regnetc: error: \/no\/such\/spec\.regnet: no such file$/m);
  const r2 = regnetc(['train', 'x.regnet', '--epochs', 'zero']);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /--epochs must be a positive integer, not 'zero'/);
  const r3 = regnetc(['train', '--resume', join(tempDir(), 'nothing')]);
  assert.equal(r3.code, 1);
  assert.match(r3.stderr, /no such run directory to resume/);
  const r4 = regnetc(['eval', tempDir()]);
  assert.equal(r4.code, 1);
  assert.match(r4.stderr, /not a run directory \(no ir\.json\)/);
  for (const r of [r1, r2, r3, r4]) assertNoStackTrace(r.stderr);
});

test('--resume continues from the last saved epoch, exactly as an uninterrupted run', () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'circle.regnet', CIRCLE);
  const full = join(dir, 'full');
  const part = join(dir, 'part');
  assert.equal(regnetc(['train', spec, '--out', full, '--epochs', '4', '--backend', 'cpu', '--no-report']).code, 0);
  assert.equal(regnetc(['train', spec, '--out', part, '--epochs', '2', '--backend', 'cpu', '--no-report']).code, 0);
  assert.equal(readMetrics(part).length, 2);
  const r = regnetc(['train', '--resume', part, '--epochs', '4', '--backend', 'cpu', '--no-report']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /resuming .*part after epoch 2: training epochs 3\.\.4/);
  assert.doesNotMatch(r.stdout, /^epoch [12]\//m, 'epochs 1-2 are not trained again');
  assert.deepEqual(withoutTime(readMetrics(part)), withoutTime(readMetrics(full)), 'same numbers as the 4-epoch run');
  const summary = readSummary(part);
  assert.equal(summary.epochs_run, 4);
  assert.equal(summary.resumed, 1);
  assert.equal(readFileSync(join(part, 'model', 'weights.bin')).compare(readFileSync(join(full, 'model', 'weights.bin'))), 0, 'same saved weights');
  // Resuming a finished run does nothing.
  const again = regnetc(['train', '--resume', part, '--backend', 'cpu']);
  assert.equal(again.code, 0);
  assert.match(again.stderr, /already complete \(4 epochs\); nothing to resume/);
});

test('Ctrl-C stops the run, keeps the last finished epoch, and --resume finishes the run', async () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'circle.regnet', CIRCLE);
  const out = join(dir, 'run');
  const { code, stdout } = await interruptWhen(['train', spec, '--out', out, '--epochs', '500', '--backend', 'cpu', '--no-report'], /^epoch 2\/500/m);
  assert.equal(code, 130, stdout);
  assert.match(stdout, /interrupt: stopping after this step/);
  assert.match(stdout, /interrupted after epoch \d+; continue with: regnetc train --resume /);
  const summary = readSummary(out);
  assert.equal(summary.stop_reason, 'interrupted');
  assert.ok(summary.epochs_run >= 2 && summary.epochs_run < 500);
  const state = JSON.parse(readFileSync(join(out, 'state', 'state.json'), 'utf8'));
  assert.equal(state.train.epoch, summary.epochs_run);
  assert.equal(readMetrics(out).length, summary.epochs_run);

  const r = regnetc(['train', '--resume', out, '--epochs', String(summary.epochs_run + 2), '--backend', 'cpu', '--no-report']);
  assert.equal(r.code, 0, r.stderr);
  const resumed = readSummary(out);
  assert.equal(resumed.stop_reason, 'completed');
  assert.equal(resumed.epochs_run, summary.epochs_run + 2);
  assert.equal(readMetrics(out).length, summary.epochs_run + 2);
});

test('Ctrl-C in the middle of a long epoch stops within a step, not at the epoch end', async () => {
  const dir = tempDir();
  // batch_size 1 on 20,000 points: one epoch is far longer than the test waits.
  const spec = writeSpec(dir, 'long.regnet', CIRCLE.replace(/batch_size: \d+/, 'batch_size: 1').replace(/n: \d+/, 'n: 20000'));
  const out = join(dir, 'run');
  const child = spawn(process.execPath, [REGNETC, 'train', spec, '--out', out, '--backend', 'cpu', '--no-report'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let scheduled = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    if (/^training /m.test(stdout) && !scheduled) {
      scheduled = true; // one Ctrl-C only: a second one quits at once
      setTimeout(() => child.kill('SIGINT'), 500);
    }
  });
  let interruptedAt = 0;
  child.on('exit', () => (interruptedAt = performance.now()));
  const sentAt = await new Promise<number>((done) => {
    const poll = setInterval(() => {
      if (child.killed) {
        clearInterval(poll);
        done(performance.now());
      }
    }, 10);
  });
  const code = await new Promise<number | null>((done) => (child.exitCode !== null ? done(child.exitCode) : child.on('exit', (c) => done(c))));
  assert.equal(code, 130, stdout);
  assert.doesNotMatch(stdout, /^epoch 1\//m, 'the first epoch must not have finished');
  assert.ok(interruptedAt - sentAt < 5000, `stopping took ${(interruptedAt - sentAt).toFixed(0)} ms`);
  assert.equal(readSummary(out).stop_reason, 'interrupted');
  assert.equal(readSummary(out).epochs_run, 0);
});

test('a non-finite loss stops with epoch and step, exit 1, and keeps the best checkpoint', () => {
  const dir = tempDir();
  // The learning rate grows 20x per epoch: fine in epoch 1, divergent in epoch 3.
  const spec = writeSpec(
    dir,
    'nan.regnet',
    `model {\n  dense(32, activation: relu)\n  dense(32, activation: relu)\n  dense(2)\n}\ndata {\n  source: playground(circle, n: 200)\n  validation: 0.25\n}\ntrain {\n  epochs: 6\n  batch_size: 10\n  optimizer: sgd(lr: 0.05, momentum: 0.9)\n  schedule: exponential(gamma: 20)\n  seed: 1\n}\n`,
  );
  const out = join(dir, 'run');
  const r = regnetc(['train', spec, '--out', out, '--backend', 'cpu', '--no-report']);
  assert.equal(r.code, 1);
  const summary = readSummary(out);
  assert.equal(summary.stop_reason, 'non_finite');
  const { epoch, step } = summary.non_finite!;
  assert.ok(epoch >= 2, `diverges after the first epoch (epoch ${epoch})`);
  assert.match(r.stderr, new RegExp(`regnetc: error: the loss became non-finite \\(NaN or infinity\\) at epoch ${epoch}, step ${step}; training stopped\\.`));
  assert.match(r.stderr, new RegExp(`model/ keeps the best checkpoint \\(epoch ${summary.best_epoch}\\)`));
  assert.equal(summary.model_epoch, summary.best_epoch);
  assert.ok(existsSync(join(out, 'model', 'model.json')));
  assert.equal(summary.epochs_run, epoch - 1, 'metrics of the finished epochs only');
  assertNoStackTrace(r.stderr);
});
