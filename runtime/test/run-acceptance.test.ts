// Acceptance targets of `regnetc train` on real data, through the CLI on wasm:
// an MLP on MNIST above 0.9 test accuracy within 5 epochs, and a small convnet with
// batch normalization that trains (loss falls, accuracy far above chance).
// (playground(circle) above 0.95 validation accuracy is in run-train.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochRecord } from '../src/contracts.js';
import type { RunSummary } from '../src/run/run-dir.js';
import { regnetc, tempDir, writeSpec } from './run-helpers.js';

function results(out: string): { summary: RunSummary; metrics: EpochRecord[] } {
  return {
    summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary,
    metrics: readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EpochRecord),
  };
}

test('an MLP on MNIST reaches test accuracy above 0.9 within 5 epochs (wasm)', () => {
  const dir = tempDir();
  const spec = writeSpec(
    dir,
    'mnist-mlp.regnet',
    `model mlp {\n  flatten\n  dense(128, activation: relu)\n  dense(10)\n}\ndata {\n  source: mnist()\n  validation: 0.1\n  test: mnist(split: test)\n}\ntrain {\n  epochs: 5\n  batch_size: 64\n  optimizer: adam(lr: 0.001)\n  seed: 1\n}\n`,
  );
  const out = join(dir, 'run');
  const r = regnetc(['train', spec, '--out', out, '--backend', 'wasm', '--no-report']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^data: mnist\(split: train\): 7196 train, 800 validation, 2004 test examples, 10 classes$/m);
  const { summary } = results(out);
  assert.equal(summary.epochs_run, 5);
  assert.ok(summary.test!.accuracy! > 0.9, `test accuracy ${summary.test!.accuracy}`);
  assert.match(r.stdout, /│ test\s+│ -\s+│ -\s+│ \d\.\d{4}\s+│ 0\.9\d{3}\s+│/, 'the final table shows the test row');
});

test('a small convnet with batchnorm trains on wasm', () => {
  const dir = tempDir();
  const spec = writeSpec(
    dir,
    'convnet.regnet',
    `model convnet {\n  conv2d(8, kernel: 3)\n  batchnorm(momentum: 0.9)\n  relu\n  maxpool(2)\n  conv2d(16, kernel: 3)\n  batchnorm(momentum: 0.9)\n  relu\n  maxpool(2)\n  flatten\n  dense(10)\n}\ndata {\n  source: mnist()\n  subset: 1000\n  validation: 0.1\n}\ntrain {\n  epochs: 3\n  batch_size: 32\n  optimizer: adam(lr: 0.003)\n  seed: 2\n}\n`,
  );
  const out = join(dir, 'run');
  const r = regnetc(['train', spec, '--out', out, '--backend', 'wasm', '--no-report']);
  assert.equal(r.code, 0, r.stderr);
  const { summary, metrics } = results(out);
  assert.equal(summary.backend, 'wasm');
  assert.ok(metrics[2]!.loss < metrics[0]!.loss, `training loss falls: ${metrics.map((m) => m.loss.toFixed(3)).join(' → ')}`);
  assert.ok(summary.best!.val_accuracy! > 0.7, `validation accuracy ${summary.best!.val_accuracy} (chance is 0.1)`);
  // The saved model evaluates to the same numbers on another backend (cpu).
  const e = regnetc(['eval', out, '--backend', 'cpu', '--json']);
  assert.equal(e.code, 0, e.stderr);
  const evaluated = JSON.parse(e.stdout);
  assert.ok(Math.abs(evaluated.validation.accuracy - summary.best!.val_accuracy!) < 0.01, `${evaluated.validation.accuracy} vs ${summary.best!.val_accuracy}`);
});
