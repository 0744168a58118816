// The training arithmetic against PyTorch's (goldens from runtime/goldens/make_goldens.py):
// clip_grad_norm_/clip_grad_value_, batchnorm running statistics and outputs in both
// modes, losses with label smoothing and their gradients, a conv+dense forward/backward.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { clipGradients } from '../src/train/clip.js';
import { computeLoss, encodeTargets, lossSpec } from '../src/train/losses.js';
import { BatchNorm } from '../src/layers/normalization.js';
import { assertClose, fromGolden, golden, tf, useCpu, type GoldenTensor } from './train-fixtures.js';

before(async () => {
  await useCpu();
});

test('clip: norm(τ) and value(v) match torch.nn.utils.clip_grad_norm_ / clip_grad_value_', () => {
  const cases = golden('clip').cases as {
    kind: 'norm' | 'value';
    value: number;
    grads: GoldenTensor[];
    norm: number;
    clipped: GoldenTensor[];
  }[];
  assert.ok(cases.some((c) => c.kind === 'norm' && c.norm > c.value), 'a case that clips');
  assert.ok(cases.some((c) => c.kind === 'norm' && c.norm < c.value), 'a case that does not');
  for (const c of cases) {
    const grads: Record<string, tf.Tensor> = {};
    c.grads.forEach((g, i) => (grads[`g${i}`] = fromGolden(g)));
    const result = clipGradients(tf, grads, { kind: c.kind, value: c.value });
    assertClose([result.norm], [c.norm], `${c.kind}(${c.value}) norm`);
    c.clipped.forEach((expected, i) =>
      assertClose(result.grads[`g${i}`]!.dataSync(), expected.values, `${c.kind}(${c.value}) grad ${i}`),
    );
    for (const t of new Set([...Object.values(grads), ...Object.values(result.grads)])) t.dispose();
  }
});

test('clip: no clip config still reports the global norm and leaves gradients alone', () => {
  const g = { a: tf.tensor1d([3, 0]), b: tf.tensor1d([0, 4]) };
  const result = clipGradients(tf, g);
  assert.ok(Math.abs(result.norm - 5) < 1e-6);
  assert.equal(result.grads.a, g.a);
  g.a.dispose();
  g.b.dispose();
});

interface BatchnormGolden {
  keras_momentum: number;
  epsilon: number;
  gamma: number[];
  beta: number[];
  train_steps: { x: GoldenTensor; y: GoldenTensor; running_mean: number[]; running_var: number[]; batch_var_biased: number[] }[];
  eval: { x: GoldenTensor; y: GoldenTensor };
}

function weightNamed(layer: tf.layers.Layer, suffix: string): tf.LayerVariable {
  const weight = layer.weights.find((w) => w.originalName.split("/").at(-1) === suffix);
  assert.ok(weight, `layer has a ${suffix} weight`);
  return weight;
}

test('batchnorm (the runtime layer): train-mode outputs, running statistics (torch momentum = 1 - Keras momentum) and eval outputs match torch.nn.BatchNorm2d', () => {
  const g = golden<BatchnormGolden>('batchnorm');
  const layer = new BatchNorm({ momentum: g.keras_momentum, epsilon: g.epsilon });
  layer.build([null, 5, 5, g.gamma.length]);
  weightNamed(layer, 'gamma').write(tf.tensor1d(g.gamma));
  weightNamed(layer, 'beta').write(tf.tensor1d(g.beta));
  g.train_steps.forEach((step, i) => {
    const x = fromGolden(step.x);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    assertClose(y.dataSync(), step.y.values, `train step ${i + 1} output`, 1e-5, 1e-4);
    assertClose(weightNamed(layer, 'moving_mean').read().dataSync(), step.running_mean, `step ${i + 1} running mean`);
    assertClose(weightNamed(layer, 'moving_variance').read().dataSync(), step.running_var, `step ${i + 1} running var`);
    x.dispose();
    y.dispose();
  });
  const x = fromGolden(g.eval.x);
  const y = layer.apply(x, { training: false }) as tf.Tensor;
  assertClose(y.dataSync(), g.eval.y.values, 'eval output', 1e-5, 1e-4);
  x.dispose();
  y.dispose();
});

test("batchnorm: tfjs-layers' own BatchNormalization matches torch's train-mode output but keeps the biased running variance", () => {
  // Why the runtime has its own layer: torch (and TF's fused kernel) update the running
  // variance with the unbiased batch variance; tfjs-layers uses the biased one.
  const g = golden<BatchnormGolden>('batchnorm');
  const layer = tf.layers.batchNormalization({ momentum: g.keras_momentum, epsilon: g.epsilon });
  const step = g.train_steps[0]!;
  const x = fromGolden(step.x);
  layer.build(x.shape);
  layer.setWeights([tf.tensor1d(g.gamma), tf.tensor1d(g.beta), tf.zeros([g.gamma.length]), tf.ones([g.gamma.length])]);
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  assertClose(y.dataSync(), step.y.values, 'tfjs train output', 1e-5, 1e-4);
  const runningVar = layer.getWeights()[3]!.dataSync();
  const biasedExpectation = step.batch_var_biased.map((v) => 0.9 * 1 + 0.1 * v);
  assertClose(runningVar, biasedExpectation, 'tfjs running var (biased)');
  assert.ok(Math.abs(runningVar[0]! - step.running_var[0]!) > 1e-4, 'and so differs from torch');
  x.dispose();
  y.dispose();
});

interface LossCase {
  kind: 'crossentropy' | 'binary_crossentropy' | 'mse';
  from_logits: boolean;
  label_smoothing: number;
  output: GoldenTensor;
  labels?: number[];
  targets?: GoldenTensor;
  loss: number;
  grad: GoldenTensor;
}

test('losses: crossentropy with label smoothing (torch definition), binary crossentropy, mse — values and gradients', () => {
  const cases = golden('losses').cases as LossCase[];
  assert.ok(cases.some((c) => c.kind === 'crossentropy' && c.label_smoothing > 0));
  for (const c of cases) {
    const spec = lossSpec({ kind: c.kind, args: { label_smoothing: c.label_smoothing }, fromLogits: c.from_logits });
    const output = fromGolden(c.output);
    const units = c.output.shape[1]!;
    const target = c.targets
      ? fromGolden(c.targets)
      : encodeTargets(tf, tf.tensor1d(c.labels!, 'int32'), [units], spec, true);
    const what = `${c.kind} logits=${c.from_logits} ε=${c.label_smoothing}`;
    const outVar = tf.variable(output);
    const { value, grads } = tf.variableGrads(() => computeLoss(tf, spec, target, outVar), [outVar]);
    assertClose([value.dataSync()[0]!], [c.loss], `${what} loss`);
    assertClose(grads[outVar.name]!.dataSync(), c.grad.values, `${what} gradient`);
    value.dispose();
    Object.values(grads).forEach((g) => g.dispose());
    [output, target, outVar].forEach((t) => t.dispose());
  }
});

test('crossentropy from probabilities equals crossentropy from the logits behind them', () => {
  const logits = tf.tensor2d([[2, -1, 0.5], [0.1, 0.2, 3]]);
  const labels = tf.tensor1d([0, 2], 'int32');
  const fromLogits = lossSpec({ kind: 'crossentropy', args: { label_smoothing: 0.1 }, fromLogits: true });
  const fromProbs = lossSpec({ kind: 'crossentropy', args: { label_smoothing: 0.1 }, fromLogits: false });
  const target = encodeTargets(tf, labels, [3], fromLogits, true);
  const a = computeLoss(tf, fromLogits, target, logits).dataSync()[0]!;
  const probs = tf.softmax(logits);
  const b = computeLoss(tf, fromProbs, target, probs).dataSync()[0]!;
  assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
  assertClose(target.dataSync(), [0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3, 0.1 / 3, 0.1 / 3, 0.9 + 0.1 / 3], 'smoothed one-hot');
  [logits, labels, target, probs].forEach((t) => t.dispose());
});

test('conv2d(same) + relu + flatten + dense: forward and backward match torch (NCHW/OIHW transposed to NHWC/HWIO)', () => {
  const g = golden('conv_dense');
  const [n, h, w, cin] = g.x.shape as number[];
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 'conv', inputShape: [h!, w!, cin!], filters: g.conv_kernel.shape[3], kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ name: 'dense', units: g.dense_kernel.shape[1] }),
    ],
  });
  model.setWeights([fromGolden(g.conv_kernel), fromGolden(g.conv_bias), fromGolden(g.dense_kernel), fromGolden(g.dense_bias)]);
  const x = fromGolden(g.x);
  const spec = lossSpec({ kind: 'crossentropy', args: { label_smoothing: g.label_smoothing }, fromLogits: true });
  const target = encodeTargets(tf, tf.tensor1d(g.labels, 'int32'), [g.dense_kernel.shape[1]], spec, true);
  const logits = model.predict(x) as tf.Tensor;
  assertClose(logits.dataSync(), g.logits.values, 'logits');
  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(
    () => computeLoss(tf, spec, target, model.apply(x, { training: true }) as tf.Tensor),
    variables,
  );
  assertClose([value.dataSync()[0]!], [g.loss], 'loss');
  const expected = [g.grads.conv_kernel, g.grads.conv_bias, g.grads.dense_kernel, g.grads.dense_bias];
  variables.forEach((v, i) => assertClose(grads[v.name]!.dataSync(), expected[i].values, `grad of ${v.name}`));
  assert.equal(n, g.labels.length);
  [x, target, logits, value, ...Object.values(grads)].forEach((t) => t.dispose());
  model.dispose();
});
