// Our optimizers against torch.optim step for step (goldens from runtime/goldens/make_goldens.py),
// decoupled weight decay vs L2, and state serialization for --resume.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { ResolvedCall } from '@regnet/compiler';
import { createOptimizer, type OptimizedParam } from '../src/train/optimizers.js';
import { regularizationPenalty } from '../src/train/regularization.js';
import { assertClose, fromGolden, golden, tf, useCpu, type GoldenTensor } from './train-fixtures.js';

interface OptimizerCase {
  name: string;
  optimizer: ResolvedCall;
  kernel: GoldenTensor;
  bias: GoldenTensor;
  grads: { kernel: number[]; bias: number[] }[];
  lrs: number[];
  trajectory: { kernel: number[]; bias: number[] }[];
}

before(async () => {
  await useCpu();
});

function params(kernel: tf.Tensor, bias: tf.Tensor): OptimizedParam[] {
  return [
    { name: 'kernel', variable: tf.variable(kernel, true, undefined), decay: true },
    { name: 'bias', variable: tf.variable(bias, true, undefined), decay: false },
  ];
}

const cases = golden<{ cases: OptimizerCase[] }>('optimizers').cases;

for (const c of cases) {
  test(`optimizer ${c.name} matches torch.optim for ${c.lrs.length} steps (kernel decays, bias does not)`, () => {
    const ps = params(fromGolden(c.kernel), fromGolden(c.bias));
    const optimizer = createOptimizer(tf, c.optimizer, ps);
    c.grads.forEach((g, step) => {
      const grads = {
        kernel: tf.tensor(g.kernel, c.kernel.shape),
        bias: tf.tensor(g.bias, c.bias.shape),
      };
      optimizer.apply(grads, c.lrs[step]!);
      grads.kernel.dispose();
      grads.bias.dispose();
      assertClose(ps[0]!.variable.dataSync(), c.trajectory[step]!.kernel, `${c.name} step ${step + 1} kernel`);
      assertClose(ps[1]!.variable.dataSync(), c.trajectory[step]!.bias, `${c.name} step ${step + 1} bias`);
    });
    assert.equal(optimizer.step, c.lrs.length);
    optimizer.dispose();
    ps.forEach((p) => p.variable.dispose());
  });
}

test('the goldens cover every optimizer, with and without weight decay', () => {
  const kinds = new Set(cases.map((c) => `${c.optimizer.kind}/${(c.optimizer.args.weight_decay as number) > 0}`));
  for (const kind of ['sgd', 'adagrad', 'rmsprop', 'adam', 'adamw']) {
    assert.ok(kinds.has(`${kind}/true`), `${kind} with weight decay`);
  }
  for (const kind of ['sgd', 'adagrad', 'rmsprop', 'adam']) assert.ok(kinds.has(`${kind}/false`), `${kind} without`);
});

/** Runs `steps` steps of gradient descent on a fixed quadratic-ish loss; returns the kernel. */
function descend(config: ResolvedCall, l2: number, steps: number): Float32Array {
  const init = tf.tensor2d([0.5, -1.2, 0.8, 0.3, -0.7, 1.1], [3, 2]);
  const x = tf.tensor2d([1, 2, -1, 0.5, 0.3, -2, 1.5, 1, 0.2, -0.4, 0.9, 1.3], [4, 3]);
  const target = tf.tensor2d([1, 0, 0, 1, 1, 1, 0, 0], [4, 2]);
  const kernel = tf.variable(init);
  const optimizer = createOptimizer(tf, config, [{ name: kernel.name, variable: kernel, decay: true }]);
  for (let i = 0; i < steps; i++) {
    const { value, grads } = tf.variableGrads(() => {
      const loss = tf.mean(tf.squaredDifference(tf.matMul(x, kernel), target)) as tf.Scalar;
      const penalty = regularizationPenalty(tf, [{ variable: kernel, l1: 0, l2 }]);
      return penalty ? tf.add(loss, penalty) : loss;
    }, [kernel]);
    optimizer.apply(grads, 0.1);
    value.dispose();
    Object.values(grads).forEach((g) => g.dispose());
  }
  const result = kernel.dataSync().slice() as Float32Array;
  optimizer.dispose();
  [init, x, target, kernel].forEach((t) => t.dispose());
  return result;
}

test('plain sgd: l2(λ) and weight_decay: λ give the same weights (docs/language.md §5)', () => {
  const lambda = 0.05;
  const withL2 = descend({ kind: 'sgd', args: { lr: 0.1 } }, lambda, 10);
  const withDecay = descend({ kind: 'sgd', args: { lr: 0.1, weight_decay: lambda } }, 0, 10);
  const plain = descend({ kind: 'sgd', args: { lr: 0.1 } }, 0, 10);
  assertClose(withL2, withDecay, 'l2 vs weight_decay', 1e-6, 0);
  assert.ok(Math.abs(withL2[0]! - plain[0]!) > 1e-3, 'the penalty changes the weights at all');
});

test('adam + l2(λ) is not adamw(weight_decay: λ)', () => {
  const lambda = 0.05;
  const adamL2 = descend({ kind: 'adam', args: { lr: 0.1 } }, lambda, 10);
  const adamw = descend({ kind: 'adamw', args: { lr: 0.1, weight_decay: lambda } }, 0, 10);
  const maxDiff = Math.max(...adamL2.map((v, i) => Math.abs(v - adamw[i]!)));
  assert.ok(maxDiff > 1e-3, `adam+l2 and adamw differ (max diff ${maxDiff})`);
});

test('adam with weight_decay is decoupled, i.e. adamw', () => {
  const a = descend({ kind: 'adam', args: { lr: 0.1, weight_decay: 0.05 } }, 0, 5);
  const b = descend({ kind: 'adamw', args: { lr: 0.1, weight_decay: 0.05 } }, 0, 5);
  assert.deepEqual(Array.from(a), Array.from(b));
});

test('optimizer state round-trips through JSON: resumed steps equal uninterrupted ones', () => {
  const config: ResolvedCall = { kind: 'adamw', args: { lr: 0.01, weight_decay: 0.1 } };
  const grads = [0.3, -0.2, 0.5, 0.1].map((s) => tf.tensor1d([s, -s, 2 * s]));
  const straight = tf.variable(tf.tensor1d([1, 2, 3]));
  const a = createOptimizer(tf, config, [{ name: 'w', variable: straight, decay: true }]);
  grads.forEach((g) => a.apply({ w: g }, 0.01));

  const resumed = tf.variable(tf.tensor1d([1, 2, 3]));
  const b = createOptimizer(tf, config, [{ name: 'w', variable: resumed, decay: true }]);
  grads.slice(0, 2).forEach((g) => b.apply({ w: g }, 0.01));
  const taken = b.getState();
  const early = b.getState();
  // the state taken is a snapshot: a later step (undone on the weights) does not change it
  const weights = resumed.clone();
  b.apply({ w: grads[2]! }, 0.01);
  resumed.assign(weights);
  weights.dispose();
  const saved = JSON.parse(JSON.stringify(taken));
  assert.deepEqual(saved, JSON.parse(JSON.stringify(early)));
  assert.notDeepEqual(saved, JSON.parse(JSON.stringify(b.getState())));
  b.dispose();
  const c = createOptimizer(tf, config, [{ name: 'w', variable: resumed, decay: true }]);
  c.setState(saved);
  assert.equal(c.step, 2);
  grads.slice(2).forEach((g) => c.apply({ w: g }, 0.01));
  assert.deepEqual(Array.from(resumed.dataSync()), Array.from(straight.dataSync()));
  assert.throws(() => createOptimizer(tf, { kind: 'sgd', args: { lr: 1 } }, []).setState(saved), /saved optimizer is 'adamw'/);
  [a, c].forEach((o) => o.dispose());
  [...grads, straight, resumed].forEach((t) => t.dispose());
});

test('optimizers do not leak tensors across steps', () => {
  for (const kind of ['sgd', 'adagrad', 'rmsprop', 'adam', 'adamw']) {
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const g = tf.tensor1d([0.1, 0.2, 0.3]);
    const optimizer = createOptimizer(tf, { kind, args: { lr: 0.1, momentum: 0.9 } }, [{ name: 'w', variable: w, decay: true }]);
    optimizer.apply({ w: g }, 0.1);
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) optimizer.apply({ w: g }, 0.1);
    assert.equal(tf.memory().numTensors, after1, kind);
    optimizer.dispose();
    w.dispose();
    g.dispose();
  }
});

test('bad optimizer configurations are clear errors', () => {
  assert.throws(() => createOptimizer(tf, { kind: 'lion', args: {} }, []), /unknown optimizer 'lion'/);
  assert.throws(() => createOptimizer(tf, { kind: 'sgd', args: { lr: 0.1, nesterov: true } }, []), /nesterov needs momentum/);
  assert.throws(() => createOptimizer(tf, { kind: 'adam', args: { beta1: 'x' } }, []), /'beta1' must be a finite number/);
});
