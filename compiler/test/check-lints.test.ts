// RN5xx course warnings and RN901 (logits or probabilities).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits, at, codes, diagnostics, expectNoErrors, expectOne } from './check-helpers.js';

const MODEL = 'model { flatten dense(64, activation: relu) dense(10) }';
const DATA = 'data { source: mnist() }';

test('RN501 adam with an L2 regularizer: warning with a fix to adamw(weight_decay)', () => {
  const text = `${MODEL}\n${DATA}\ntrain {\n  optimizer: adam(lr: 0.003, beta1: 0.8)\n  regularizer: l2(0.0005)\n  epochs: 3\n}\n`;
  const d = expectOne(text, 'RN501', '5:16-5:26', 'warning');
  assert.match(d.message, /^L2 is not weight decay under Adam/);
  const fixed = applyEdits(text, d.fixes![0]!.edits);
  assert.equal(fixed, `${MODEL}\n${DATA}\ntrain {\n  optimizer: adamw(lr: 0.003, beta1: 0.8, weight_decay: 0.0005)\n  epochs: 3\n}\n`);
  assert.deepEqual(codes(fixed).filter((c) => c.startsWith('RN5')), []);
  expectNoErrors(fixed);
});

test('RN501 for per-layer l2 under adam, the fix removes the argument', () => {
  const text = `model { flatten dense(64, l2: 0.001) dense(10) }\n${DATA}\ntrain { optimizer: adam }\n`;
  const d = expectOne(text, 'RN501', '1:27-1:36', 'warning');
  assert.match(d.message, /^dense l2 with adam: L2 is not weight decay under Adam/);
  assert.equal(applyEdits(text, d.fixes![0]!.edits), `model { flatten dense(64) dense(10) }\n${DATA}\ntrain { optimizer: adamw(lr: 0.001, weight_decay: 0.001) }\n`);
  // adamw, sgd and an L1 penalty are not warned about.
  assert.ok(!codes(text.replace('adam }', 'adamw }')).includes('RN501'));
  assert.ok(!codes(`${MODEL}\n${DATA}\ntrain { optimizer: adam regularizer: l1(0.01) }`).includes('RN501'));
});

test('RN502 dropout as the last layer', () => {
  const text = `model {\n  flatten\n  dense(10)\n  dropout(0.5)\n}\n${DATA}`;
  const d = expectOne(text, 'RN502', '4:3-4:15', 'warning');
  assert.equal(d.message, "dropout as the last layer drops the model's outputs at random during training; put it before the last dense layer");
  // The last layer of a repeat block counts as last.
  expectOne(`model { flatten dense(10) repeat(2) { dense(10) dropout(0.1) } }\n${DATA}`, 'RN502', '1:49-1:61', 'warning');
});

test('RN503 softmax followed by a crossentropy on logits', () => {
  const text = `model {\n  flatten\n  dense(10, activation: softmax)\n  gaussian_noise(0.1)\n}\n${DATA}`;
  const d = expectOne(text, 'RN503', '3:25-3:32', 'warning');
  assert.match(d.message, /^softmax at line 3 is followed by a crossentropy on logits \(because of the layers after it \(gaussian_noise\)\)/);
  const explicit = `model { flatten dense(10) softmax }\n${DATA}\ntrain { loss: crossentropy(from_logits: true) }`;
  expectOne(explicit, 'RN503', '1:27-1:34', 'warning');
  // softmax last (probabilities) is fine; a hidden softmax followed by a dense is not this mistake.
  assert.ok(!codes(`model { flatten dense(10) softmax }\n${DATA}`).includes('RN503'));
  assert.ok(!codes(`model { flatten dense(32, activation: softmax) dense(10) }\n${DATA}`).includes('RN503'));
});

test('RN504 horizontal flip on digit data (mnist and idx digits), not on other images', () => {
  const text = `${MODEL}\ndata {\n  source: mnist()\n  augment { flip(horizontal, p: 0.5) flip(vertical) }\n}`;
  const d = expectOne(text, 'RN504', '4:13-4:37', 'warning');
  assert.match(d.message, /^flip\(horizontal\) on digit data \(mnist\)/);
  expectOne(`${MODEL}\ndata { source: mnist() augment { flip } }`, 'RN504', '2:34-2:38', 'warning');
  const idx = `${MODEL}\ndata { source: idx("train-images", "train-labels") augment { flip(both) } }`;
  expectOne(idx, 'RN504', '2:62-2:72', 'warning', { inspectData: false });
  const fashion = `${MODEL}\ndata { source: idx("fashion/train-images", "fashion/train-labels") augment { flip(horizontal) } }`;
  assert.ok(!codes(fashion, { inspectData: false }).includes('RN504'));
});

test('RN505 batchnorm with a batch size below 8', () => {
  const text = `model { conv2d(8) batchnorm flatten dense(10) }\n${DATA}\ntrain { batch_size: 4 }`;
  const d = expectOne(text, 'RN505', '3:21-3:22', 'warning');
  assert.equal(d.message, 'batch_size 4 is below 8 with batchnorm (line 1): its batch mean and variance are too noisy; use a larger batch or groupnorm/layernorm');
  assert.ok(!codes(text.replace('batch_size: 4', 'batch_size: 8')).includes('RN505'));
  assert.ok(!codes(text.replace('batchnorm', 'groupnorm(4)')).includes('RN505'));
});

test('RN506 very high learning rate without normalization layers', () => {
  const adam = `${MODEL}\n${DATA}\ntrain { optimizer: adam(lr: 0.5) }`;
  const d = expectOne(adam, 'RN506', '3:29-3:32', 'warning');
  assert.equal(d.message, 'learning rate 0.5 is very high for adam (above 0.1) in a model without normalization layers; training will likely diverge');
  expectOne(`${MODEL}\n${DATA}\ntrain { optimizer: sgd(2) }`, 'RN506', '3:24-3:25', 'warning');
  assert.ok(!codes(`${MODEL}\n${DATA}\ntrain { optimizer: sgd(0.5) }`).includes('RN506'));
  assert.ok(!codes(`model { flatten dense(64) layernorm dense(10) }\n${DATA}\ntrain { optimizer: adam(lr: 0.5) }`).includes('RN506'));
  // Through a let constant: reported at the use.
  expectOne(`let lr = 0.9\n${MODEL}\n${DATA}\ntrain { optimizer: adamw(lr) }`, 'RN506', '4:26-4:28', 'warning');
});

test('RN901 says whether the loss uses logits or probabilities, and why', () => {
  const logits = `${MODEL}\n${DATA}\ntrain { loss: crossentropy }`;
  const d = expectOne(logits, 'RN901', '3:15-3:27', 'info');
  assert.equal(d.message, 'crossentropy is computed from logits because the last layer (dense(10) at line 1) has no softmax');
  const probs = `model {\n  flatten\n  dense(10)\n  softmax\n}\n${DATA}`;
  const p = expectOne(probs, 'RN901', '4:3-4:10', 'info');
  assert.equal(p.message, 'crossentropy is computed from probabilities because the last layer (softmax at line 4) ends with softmax');
  const binary = `model { dense(1, activation: sigmoid) }\ndata { source: playground(xor) }\ntrain { loss: binary_crossentropy }`;
  assert.match(expectOne(binary, 'RN901', '3:15-3:34', 'info').message, /^binary_crossentropy is computed from probabilities/);
  // mse has no logits: no RN901.
  assert.ok(!codes(`model { dense(1) }\ndata { source: playground(xor) }\ntrain { loss: mse }`).includes('RN901'));
});

test('lints stay quiet on a clean spec', () => {
  const text = `model { flatten dense(64, activation: relu) dropout(0.2) dense(10) }\n${DATA}\ntrain { optimizer: adamw(lr: 0.001, weight_decay: 0.01) batch_size: 64 }`;
  assert.deepEqual(diagnostics(text).map((d) => `${d.code} ${at(d)}`), ['RN901 1:58-1:67']);
});

test('RN507 batchnorm momentum 0.99 over a short run: the arithmetic, and a fix to 0.9', () => {
  // mnist(): 7,996 digits, 800 held out -> 7,196 -> ceil(7196 / 64) = 113 batches; 2 epochs = 226 steps < 5 × 100.
  const text = `model {\n  flatten\n  dense(64)\n  batchnorm()\n  relu\n  dense(10)\n}\n${DATA}\ntrain { epochs: 2  batch_size: 64 }\n`;
  const d = expectOne(text, 'RN507', '4:3-4:14', 'warning');
  assert.equal(
    d.message,
    'batchnorm momentum 0.99 averages its moving mean and variance over about 100 steps (1/(1 − momentum)), but the run has only 226 steps (2 epochs × 113 batches: 7196 training examples in batches of 64), fewer than 5×100 = 500: at evaluation the statistics are still near their initial values, so validation accuracy lags training accuracy; use momentum: 0.9',
  );
  assert.equal(d.fixes![0]!.title, 'Set batchnorm momentum to 0.9 (statistics averaged over 10 steps)');
  const fixed = applyEdits(text, d.fixes![0]!.edits);
  assert.ok(fixed.includes('  batchnorm(momentum: 0.9)\n'), fixed);
  assert.ok(!codes(fixed).includes('RN507'));
  // A written momentum is replaced; a bare `batchnorm` gets parentheses; other args are kept.
  const written = text.replace('batchnorm()', 'batchnorm(momentum: 0.995)');
  const w = expectOne(written, 'RN507', '4:23-4:28', 'warning');
  assert.ok(applyEdits(written, w.fixes![0]!.edits).includes('batchnorm(momentum: 0.9)'));
  assert.ok(applyEdits(text.replace('batchnorm()', 'batchnorm'), expectOne(text.replace('batchnorm()', 'batchnorm'), 'RN507', '4:3-4:12', 'warning').fixes![0]!.edits).includes('batchnorm(momentum: 0.9)\n'));
  assert.ok(applyEdits(text.replace('batchnorm()', 'batchnorm(epsilon: 0.01)'), diagnostics(text.replace('batchnorm()', 'batchnorm(epsilon: 0.01)')).find((x) => x.code === 'RN507')!.fixes![0]!.edits).includes('batchnorm(epsilon: 0.01, momentum: 0.9)'));
  // subset shrinks the run: 10 epochs × ceil(200 / 32) = 70 steps < 500, and 0.9 (50) fits; 0.8 would be offered below 50 steps.
  const small = expectOne(`model { flatten batchnorm dense(10) }\ndata { source: mnist() subset: 200 }\ntrain { batch_size: 32 }`, 'RN507', '1:17-1:26', 'warning');
  assert.match(small.message, /the run has only 70 steps \(10 epochs × 7 batches: 200 training examples in batches of 32\)/);
  const tiny = diagnostics(`model { flatten batchnorm dense(10) }\ndata { source: mnist() subset: 200 }\ntrain { batch_size: 32 epochs: 4 }`).find((x) => x.code === 'RN507')!;
  assert.match(tiny.message, /28 steps .* use momentum: 0.8$/);
  // Enough steps, or momentum 0.9 over 226 steps: no warning.
  assert.ok(!codes(text.replace('epochs: 2', 'epochs: 5')).includes('RN507'));
  assert.ok(!codes(text.replace('batchnorm()', 'batchnorm(momentum: 0.9)')).includes('RN507'));
});

test('RN507 uses the row count of a csv file, and stays quiet when the size is unknown', async () => {
  const { SPEC_IN_FIXTURES } = await import('./check-helpers.js');
  // iris.csv: 6 rows, round(0.6) = 1 held out -> 5 -> 1 batch × 10 epochs = 10 steps; momentum 0.5 (5 × 2 steps) fits.
  const text = `model { batchnorm dense(3) }\ndata { source: csv("iris.csv", label: "species") }\ntrain { batch_size: 32 }`;
  const d = expectOne(text, 'RN507', '1:9-1:18', 'warning', { file: SPEC_IN_FIXTURES });
  assert.match(d.message, /only 10 steps \(10 epochs × 1 batch: 5 training examples in batches of 32\), fewer than 5×100 = 500: .*; use momentum: 0.5$/);
  assert.ok(!codes(text, { file: SPEC_IN_FIXTURES, inspectData: false }).includes('RN507'));
});
