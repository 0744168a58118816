// Monte Carlo dropout (train { mc_samples }, regnetc eval --mc-samples): one pass without
// dropout is the deterministic evaluation; with dropout the passes differ, their average
// is repeatable, and the model is left as it was. End to end: the summary's test_mc and
// `regnetc eval --mc-samples` agree.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '@regnet/compiler';
import { buildModel } from '../src/model/build.js';
import { Random } from '../src/random.js';
import { SeededDropout } from '../src/layers/index.js';
import { evaluate } from '../src/train/loop.js';
import { evaluateMonteCarlo } from '../src/train/mc-dropout.js';
import type { RunSummary } from '../src/run/run-dir.js';
import { planTrials, type SweepManifest } from '../src/run/sweep-plan.js';
import { collectResults, resultsMarkdown } from '../src/run/sweep-results.js';
import { writeReport } from '../src/report/write-report.js';
import { tf, useCpu } from './train-fixtures.js';
import { fakeRun, regnetc, tempDir, writeSpec } from './run-helpers.js';

before(async () => {
  await useCpu();
});

/** 40 points of two classes (the sign of x₀ + x₁), seeded. */
function twoClasses() {
  const x = tf.randomNormal([40, 2], 0, 1, 'float32', 5);
  const y = tf.cast(tf.greater(tf.sum(x, 1), 0), 'int32');
  return { x, y, size: 40 };
}

function modelWithDropout(rate: number) {
  const result = compile(`
    model m { input([2]) dense(16, activation: relu) dropout(${rate}) dense(16, activation: relu) dropout(${rate}) dense(2) }
    data { source: playground(gauss) }
    train { batch_size: 8 }
  `);
  assert.ok(result.ir, JSON.stringify(result.diagnostics));
  return { ir: result.ir, model: buildModel(tf, result.ir, new Random(3)) };
}

test('one pass with dropout 0 is the deterministic evaluation, and so is the average of several', () => {
  const { ir, model } = modelWithDropout(0);
  const split = twoClasses();
  const deterministic = evaluate(tf, model, split, ir.train, 2);
  for (const samples of [1, 4]) {
    const mc = evaluateMonteCarlo(tf, model, split, ir.train, samples, 2);
    assert.equal(mc.samples, samples);
    assert.equal(mc.dropoutLayers, 2);
    assert.equal(mc.ensemble.accuracy, deterministic.accuracy);
    assert.ok(Math.abs(mc.ensemble.loss! - deterministic.loss!) < 1e-6, `loss ${mc.ensemble.loss} vs ${deterministic.loss}`);
    assert.equal(mc.mean.accuracy, deterministic.accuracy);
    assert.equal(mc.std.accuracy, 0);
    assert.equal(mc.std.loss, 0);
  }
  model.dispose();
  tf.dispose([split.x, split.y]);
});

test('with dropout the passes differ (spread > 0), the average is repeatable and the model is left deterministic', () => {
  const { ir, model } = modelWithDropout(0.5);
  const split = twoClasses();
  const layers = model.layers.filter((l) => l instanceof SeededDropout) as SeededDropout[];
  layers[0]!.noiseCalls = 17;
  const before = evaluate(tf, model, split, ir.train, 2);
  const a = evaluateMonteCarlo(tf, model, split, ir.train, 8, 2);
  const b = evaluateMonteCarlo(tf, model, split, ir.train, 8, 2);
  assert.ok(a.std.loss! > 0, `spread of the passes' losses ${a.std.loss}`);
  assert.notEqual(a.mean.loss, before.loss, 'a pass with dropout is not the deterministic one');
  assert.deepEqual(a, b, 'the same masks every time');
  // The average of the passes' probabilities scores better than a single pass does on average.
  assert.ok(a.ensemble.loss! < a.mean.loss!, `ensemble loss ${a.ensemble.loss} < mean pass loss ${a.mean.loss}`);
  assert.deepEqual(evaluate(tf, model, split, ir.train, 2), before, 'inference is deterministic again');
  assert.equal(layers[0]!.noiseCalls, 17, 'the training counters are restored');
  assert.ok(layers.every((l) => !l.monteCarlo));
  assert.throws(() => evaluateMonteCarlo(tf, model, split, ir.train, 0, 2), /positive integer/);
  model.dispose();
  tf.dispose([split.x, split.y]);
});

test('train { mc_samples } writes test_mc to the summary; regnetc eval --mc-samples reproduces it', () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'mc.regnet', `
    model m { dense(32, activation: relu) dropout(0.3) dense(2) }
    data { source: playground(xor, n: 300) validation: 0.2 test: playground(xor, n: 200) }
    train { epochs: 3 batch_size: 32 mc_samples: 6 }
  `);
  const out = join(dir, 'run');
  const t = regnetc(['train', spec, '--out', out, '--backend', 'cpu', '--no-report']);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /test, MC average of 6/, 'the end-of-run table shows the Monte Carlo rows');
  assert.match(t.stdout, /test, one MC pass .* ± /);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  const mc = summary.test_mc!;
  assert.ok(mc, 'summary.test_mc');
  assert.deepEqual(Object.keys(mc).sort(), ['accuracy', 'accuracy_std', 'loss', 'loss_std', 'pass_accuracy', 'pass_loss', 'samples']);
  assert.equal(mc.samples, 6);
  assert.ok(mc.loss_std! > 0);

  const e = regnetc(['eval', out, '--backend', 'cpu', '--json', '--mc-samples', '6']);
  assert.equal(e.code, 0, e.stderr);
  const evaluated = JSON.parse(e.stdout);
  assert.equal(evaluated.monte_carlo.test.ensemble.accuracy, mc.accuracy);
  assert.equal(evaluated.monte_carlo.test.ensemble.loss, mc.loss);
  assert.equal(evaluated.monte_carlo.test.std.accuracy, mc.accuracy_std);
  assert.equal(evaluated.test.accuracy, summary.test!.accuracy);

  // Without the flag, eval takes the spec's mc_samples; the table names both passes.
  const text = regnetc(['eval', out, '--backend', 'cpu']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Monte Carlo dropout, 6 passes with dropout on \(1 dropout layer\(s\)\)/);
  assert.match(text.stdout, /deterministic pass/);
  assert.match(text.stdout, /average of 6 passes/);

  const bad = regnetc(['eval', out, '--mc-samples', '0']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--mc-samples/);
});

test('a sweep with mc_samples: test_mc columns in the results and an MC line in the plot', async () => {
  const dir = tempDir('regnet-mc-sweep-');
  const params = { p: [0.1, 0.5] };
  const trials = planTrials({ params, repeats: 1 }, 1);
  const manifest: SweepManifest = { kind: 'sweep', name: 'mc', spec_file: '/nowhere/mc.regnet', params, repeats: 1, base_seed: 1, trials };
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify(manifest));
  for (const trial of trials) {
    fakeRun(join(dir, trial.id), 2, {
      constants: trial.values,
      test: { loss: 0.5, accuracy: 0.8 },
      test_mc: { loss: 0.45, accuracy: 0.81, pass_loss: 0.6, pass_accuracy: 0.75, loss_std: 0.01, accuracy_std: 0.004, samples: 20 },
    });
  }
  const results = collectResults(dir, manifest);
  assert.ok(results.columns.includes('test_mc_accuracy') && results.columns.includes('test_mc_accuracy_std'));
  assert.ok(!results.columns.includes('test_mc_samples'), 'the pass count is not a statistic');
  assert.match(resultsMarkdown(results), /\| test accuracy \| test loss \| test accuracy \(MC dropout\) \| test accuracy spread \(MC dropout\) \| test loss \(MC dropout\) \|/);
  await writeReport(dir);
  const svg = readFileSync(join(dir, 'plots', 'sweep-p-accuracy.svg'), 'utf8');
  assert.ok(svg.includes('>test, MC dropout<'), 'a legend entry for the MC line');
});
