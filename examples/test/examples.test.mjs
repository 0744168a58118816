// Every example of examples/ run in a reduced version (fewer epochs, smaller
// training sets, through --epochs and --set), checking the direction of the effect
// where it is robust at that size. Full-size results are in each example's README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const REGNETC = join(REPO, 'runtime', 'bin', 'regnetc.js');
const example = (path) => join(REPO, 'examples', path);
const tmp = () => mkdtempSync(join(tmpdir(), 'regnet-example-'));

/** Runs `regnetc ARGS`; resolves with its exit code and output. */
function regnetc(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [REGNETC, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Trains SPEC once per list of extra arguments, two at a time (2 cores); returns each run's summary. */
async function trainEach(spec, runs, common = []) {
  const dir = tmp();
  const results = [];
  for (let i = 0; i < runs.length; i += 2) {
    const batch = runs.slice(i, i + 2).map(async (extra, j) => {
      const out = join(dir, `run${i + j}`);
      const r = await regnetc(['train', spec, '--out', out, '--backend', 'wasm', '--quiet', '--no-report', ...common, ...extra]);
      const summaryPath = join(out, 'summary.json');
      assert.ok(existsSync(summaryPath), `train ${extra.join(' ')} wrote no summary (exit ${r.code}):\n${r.stderr}`);
      return { ...r, out, summary: JSON.parse(readFileSync(summaryPath, 'utf8')) };
    });
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

/** The raw float32 weights of a saved model (model/weights.bin). */
function weights(runDir) {
  const bytes = readFileSync(join(runDir, 'model', 'weights.bin'));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function maxAbsDiff(a, b) {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

test('every example spec checks without errors', async () => {
  const specs = readdirSync(join(REPO, 'examples'))
    .filter((d) => /^\d\d-/.test(d))
    .flatMap((d) => readdirSync(example(d)).filter((f) => f.endsWith('.regnet')).map((f) => example(join(d, f))));
  assert.ok(specs.length >= 12, `found ${specs.length} specs`);
  const r = await regnetc(['check', ...specs]);
  assert.equal(r.code, 0, r.stderr);
});

test('01 overfitting: an L2 penalty shrinks the generalization gap on noisy circle data', async () => {
  // Full size (150 epochs on 100 points is quick): memorization needs the epochs.
  const [plain, l2] = await trainEach(example('01-overfitting-l1-l2/circle.regnet'), [['--set', 'l2=0'], ['--set', 'l2=0.01']]);
  const lossGap = (s) => s.final.val_loss - s.final.loss;
  assert.ok(lossGap(plain.summary) > 0.2, `without a penalty the model overfits (validation − training loss ${lossGap(plain.summary)})`);
  assert.ok(lossGap(l2.summary) < lossGap(plain.summary) / 2, `gap ${lossGap(l2.summary)} with L2 vs ${lossGap(plain.summary)} without`);
  assert.ok(l2.summary.final.val_loss < plain.summary.final.val_loss, 'and a lower validation loss');
});

test('02 dropout: a smaller gap between training and test accuracy with dropout', async () => {
  const [plain, dropout] = await trainEach(example('02-dropout/dropout.regnet'), [['--set', 'p=0'], ['--set', 'p=0.5']], ['--epochs', '8', '--set', 'train_size=1000', '--set', 'width=256']);
  const testGap = (s) => s.final.accuracy - s.test.accuracy;
  assert.ok(plain.summary.final.accuracy > 0.97, 'without dropout the MLP fits its 1,000 digits');
  assert.ok(testGap(dropout.summary) < testGap(plain.summary), `gap ${testGap(dropout.summary)} with dropout < ${testGap(plain.summary)} without`);
  assert.ok(dropout.summary.test.accuracy > 0.8);
});

test('03 at the same strength λ = 0.1, AdamW generalizes better than Adam + L2 (unlike plain SGD, see 04)', async () => {
  const common = ['--epochs', '4', '--set', 'train_size=500', '--set', 'decay=0.1'];
  const [adamL2] = await trainEach(example('03-adam-l2-vs-adamw/adam-l2.regnet'), [[]], common);
  const [adamw] = await trainEach(example('03-adam-l2-vs-adamw/adamw.regnet'), [[]], common);
  assert.ok(maxAbsDiff(weights(adamL2.out), weights(adamw.out)) > 1e-3, 'different weights: L2 under Adam is not weight decay');
  assert.ok(adamw.summary.test.accuracy > adamL2.summary.test.accuracy, `test accuracy: AdamW ${adamw.summary.test.accuracy} > Adam + L2 ${adamL2.summary.test.accuracy}`);
});

test('04 L2 equals weight decay under plain SGD: the two runs end with the same weights', async () => {
  const dir = tmp();
  const r = await regnetc(['sweep', example('04-l2-equals-weight-decay/sgd.regnet'), '--out', dir, '--epochs', '2', '--set', 'train_size=500', '--backend', 'wasm', '--workers', '2']);
  assert.equal(r.code, 0, r.stderr);
  const none = weights(join(dir, 'l2=0,wd=0,rep0'));
  const l2 = weights(join(dir, 'l2=0.01,wd=0,rep0'));
  const wd = weights(join(dir, 'l2=0,wd=0.01,rep0'));
  assert.ok(maxAbsDiff(l2, wd) < 1e-5, `l2(λ) and weight_decay: λ match (max |Δw| = ${maxAbsDiff(l2, wd)})`);
  assert.ok(maxAbsDiff(l2, none) > 1e-3, 'and both differ from no regularization');
  assert.equal(readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n').length, 5);
});

test('05 batchnorm allows a large learning rate: lr 3 diverges without it and trains with it', async () => {
  const common = ['--epochs', '2', '--set', 'train_size=1000', '--set', 'lr=3.0'];
  const [plain] = await trainEach(example('05-batchnorm-learning-rate/plain.regnet'), [[]], common);
  const [bn] = await trainEach(example('05-batchnorm-learning-rate/batchnorm.regnet'), [[]], common);
  const diverged = plain.summary.stop_reason === 'non_finite' || plain.summary.final.val_accuracy < 0.3;
  assert.ok(diverged, `without batchnorm: ${plain.summary.stop_reason}, ${JSON.stringify(plain.summary.final)}`);
  assert.equal(bn.summary.stop_reason, 'completed');
  assert.ok(bn.summary.test.accuracy > 0.7, `with batchnorm test accuracy ${bn.summary.test.accuracy}`);
});

test('06 random labels: training accuracy climbs far above chance, test accuracy stays at chance', async () => {
  const [random, real] = await trainEach(example('06-random-labels/random-labels.regnet'), [['--set', 'noise=1.0'], ['--set', 'noise=0.0']], ['--epochs', '25', '--set', 'train_size=300']);
  assert.ok(random.summary.final.accuracy > 0.6, `memorizes random labels: train accuracy ${random.summary.final.accuracy}`);
  assert.ok(random.summary.test.accuracy < 0.2, `test accuracy ${random.summary.test.accuracy} near chance (0.1)`);
  assert.ok(real.summary.test.accuracy > 0.75, `real labels: test accuracy ${real.summary.test.accuracy}`);
});

test('07 double descent: the width sweep runs (the curve needs the full-size run, see its README)', async () => {
  const [run] = await trainEach(example('07-double-descent/double-descent.regnet'), [['--set', 'width=12']], ['--epochs', '3', '--set', 'train_size=300']);
  assert.equal(run.summary.stop_reason, 'completed');
  assert.equal(run.summary.constants.noise, 0.2);
});

test('08 early stopping ends at the best epoch + patience and keeps the best epoch', async () => {
  const [run] = await trainEach(example('08-early-stopping-and-clipping/early-stopping.regnet'), [['--set', 'patience=2']], ['--epochs', '40', '--set', 'train_size=500']);
  const s = run.summary;
  assert.equal(s.stop_reason, 'early_stopping');
  assert.ok(s.epochs_run < 40);
  assert.equal(s.epochs_run, s.best_epoch + 2, 'stopped 2 epochs (patience) after the best one');
  assert.equal(s.model_epoch, s.best_epoch, 'restore_best: the saved model is the best epoch');
});

test('08 clipping: at lr 0.5 the loss blows up without clipping and training works with clip: norm(1.0)', async () => {
  const [free, clipped] = await trainEach(example('08-early-stopping-and-clipping/clipping.regnet'), [['--set', 'max_norm=1e9'], ['--set', 'max_norm=1.0']], ['--epochs', '2', '--set', 'train_size=1000']);
  assert.equal(clipped.summary.stop_reason, 'completed');
  assert.ok(clipped.summary.final.val_accuracy > 0.5, `clipped: validation accuracy ${clipped.summary.final.val_accuracy}`);
  const blewUp = free.summary.stop_reason === 'non_finite' || free.summary.final.loss > 10 * clipped.summary.final.loss;
  assert.ok(blewUp, `unclipped: ${free.summary.stop_reason}, loss ${free.summary.final?.loss} vs ${clipped.summary.final.loss}`);
});

test('09 augmentation: digits train with crop/rotate/cutout; synonyms lower the test loss on the review set', async () => {
  const [digits] = await trainEach(example('09-augmentation/digits.regnet'), [['--set', 'p_aug=0.5']], ['--epochs', '2', '--set', 'train_size=200']);
  assert.equal(digits.summary.stop_reason, 'completed');
  assert.ok(digits.summary.final.loss < 2.3, 'the augmented convnet learns');
  const [plain, synonyms] = await trainEach(example('09-augmentation/sentiment.regnet'), [['--set', 'p_syn=0'], ['--set', 'p_syn=0.3']], ['--set', 'p_drop=0']);
  assert.ok(synonyms.summary.test.loss < plain.summary.test.loss, `test loss ${synonyms.summary.test.loss} with synonyms < ${plain.summary.test.loss} without`);
  assert.ok(synonyms.summary.test.accuracy >= plain.summary.test.accuracy);
});

test('11 large batches: with lr held, batch 512 trains less and tests worse than batch 32; scaling lr with the batch recovers most of it', async () => {
  const common = ['--epochs', '3', '--set', 'train_size=500'];
  const spec = example('11-large-batch/batch-size.regnet');
  const [small, held, scaled] = await trainEach(spec, [['--set', 'batch=32', '--set', 'lr=0.02'], ['--set', 'batch=512', '--set', 'lr=0.02'], ['--set', 'batch=512', '--set', 'lr=0.32']], common);
  assert.ok(held.summary.test.accuracy < small.summary.test.accuracy - 0.1, `lr held: batch 512 ${held.summary.test.accuracy} vs batch 32 ${small.summary.test.accuracy}`);
  assert.ok(scaled.summary.test.accuracy > held.summary.test.accuracy, `lr scaled ${scaled.summary.test.accuracy} > lr held ${held.summary.test.accuracy}`);
});

test('13 Monte Carlo dropout: one pass with dropout is worse than the deterministic pass; averaging the passes recovers it', async () => {
  const [run] = await trainEach(example('13-mc-dropout/mc-dropout.regnet'), [['--set', 'p=0.5', '--set', 'samples=10']], ['--epochs', '2', '--set', 'train_size=500']);
  const { test: single, test_mc: mc } = run.summary;
  assert.equal(mc.samples, 10);
  assert.ok(mc.pass_accuracy < single.accuracy, `a single dropout pass ${mc.pass_accuracy} < deterministic ${single.accuracy}`);
  assert.ok(mc.loss < mc.pass_loss, `the average of the passes (loss ${mc.loss}) beats one pass (${mc.pass_loss})`);
  assert.ok(mc.accuracy_std > 0, 'the passes differ');
  assert.ok(Math.abs(mc.accuracy - single.accuracy) < 0.05, `MC ${mc.accuracy} ≈ deterministic ${single.accuracy}`);
});

test('10 gaussian noise on activations regularizes at a small learning rate: lower training accuracy', async () => {
  const [plain, noisy] = await trainEach(example('10-noise-learning-rate/noise-lr.regnet'), [['--set', 'noise=0'], ['--set', 'noise=0.3']], ['--epochs', '10', '--set', 'train_size=500', '--set', 'lr=0.02']);
  assert.ok(noisy.summary.final.accuracy < plain.summary.final.accuracy, `training accuracy ${noisy.summary.final.accuracy} with noise < ${plain.summary.final.accuracy} without`);
});

test('12 normalization layers: the four convnets (batch, layer, group, instance norm) train at a batch of 4', async () => {
  for (const norm of ['batchnorm', 'layernorm', 'groupnorm', 'instancenorm']) {
    const [{ summary }] = await trainEach(example(`12-normalization-layers/${norm}.regnet`), [['--set', 'batch=4']], ['--epochs', '2', '--set', 'train_size=200']);
    assert.equal(summary.stop_reason, 'completed', norm);
    assert.ok(summary.final.loss < 1.5, `${norm}: training loss ${summary.final.loss} far below chance (ln 10 = 2.3)`);
  }
});

test('14 double descent: above the interpolation threshold the MLP fits all 200 noisy training labels', async () => {
  const [run] = await trainEach(example('14-double-descent-error-peak/error-peak.regnet'), [['--set', 'width=16']], ['--epochs', '700']);
  assert.equal(run.summary.constants.noise, 0.2);
  assert.equal(run.summary.final.accuracy, 1, `training accuracy ${run.summary.final.accuracy} (20% of the labels are random)`);
});
