// Learning-rate schedules: exact values, and torch's schedulers (goldens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSchedule } from '../src/train/schedules.js';
import { assertClose, golden } from './train-fixtures.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('constant', () => {
  const lr = makeSchedule({ kind: 'constant', args: {} }, 0.05, 10);
  assert.equal(lr(0, 0, 5), 0.05);
  assert.equal(lr(9, 4, 5), 0.05);
});

test('step(every: 3, gamma: 0.1) changes only at epoch boundaries', () => {
  const lr = makeSchedule({ kind: 'step', args: { every: 3, gamma: 0.1 } }, 1, 10);
  const perEpoch = [0, 1, 2, 3, 5, 6, 9].map((e) => lr(e, 7, 10));
  [1, 1, 1, 0.1, 0.1, 0.01, 0.001].forEach((v, i) => close(perEpoch[i]!, v, `epoch ${i}`));
  assert.equal(lr(2, 0, 10), lr(2, 9, 10));
});

test('exponential(gamma) per epoch', () => {
  const lr = makeSchedule({ kind: 'exponential', args: { gamma: 0.5 } }, 0.8, 10);
  close(lr(0, 3, 4), 0.8, 'epoch 0');
  close(lr(3, 0, 4), 0.1, 'epoch 3');
});

test('cosine without warmup: lr at the start, (lr+min)/2 halfway, per step in between', () => {
  const lr = makeSchedule({ kind: 'cosine', args: { warmup: 0, min_lr: 0.01 } }, 0.11, 4);
  close(lr(0, 0, 10), 0.11, 'start');
  close(lr(2, 0, 10), 0.06, 'halfway');
  close(lr(1, 5, 10), 0.01 + 0.1 * (1 + Math.cos(Math.PI * 1.5 / 4)) / 2, 'epoch 1.5');
  assert.ok(lr(3, 9, 10) > 0.01 && lr(3, 9, 10) < 0.0102, 'last step is just above min_lr');
});

test('cosine(warmup: 2): linear from 0 per step, reaching lr at the end of the warmup, then cosine', () => {
  const lr = makeSchedule({ kind: 'cosine', args: { warmup: 2, min_lr: 0 } }, 1, 6);
  // 4 steps per epoch: 8 warmup steps use lr·1/8 ... lr·8/8.
  const warm = [0, 1, 2, 3].flatMap((s) => [lr(0, s, 4)]).concat([0, 1, 2, 3].map((s) => lr(1, s, 4)));
  warm.forEach((v, k) => close(v, (k + 1) / 8, `warmup step ${k}`));
  close(lr(2, 0, 4), 1, 'first step after warmup');
  close(lr(4, 0, 4), 0.5, 'halfway through the cosine');
});

test('matches torch StepLR, ExponentialLR, CosineAnnealingLR (per step), CosineAnnealingWarmRestarts', () => {
  const g = golden('schedules');
  const base: number = g.base_lr;
  const epochs: number = g.epochs;
  const steps: number = g.steps_per_epoch;
  const stepLr = makeSchedule({ kind: 'step', args: g.step.args }, base, epochs);
  assertClose(g.step.per_epoch.map((_: number, e: number) => stepLr(e, 0, steps)), g.step.per_epoch, 'step', 1e-12, 1e-12);
  const expLr = makeSchedule({ kind: 'exponential', args: g.exponential.args }, base, epochs);
  assertClose(g.exponential.per_epoch.map((_: number, e: number) => expLr(e, 0, steps)), g.exponential.per_epoch, 'exponential', 1e-12, 1e-9);
  const cosine = makeSchedule({ kind: 'cosine', args: g.cosine.args }, base, epochs);
  const ours = g.cosine.per_step.map((_: number, k: number) => cosine(Math.floor(k / steps), k % steps, steps));
  assertClose(ours, g.cosine.per_step, 'cosine', 1e-9, 1e-9);
  for (const c of g.warm_restarts) {
    const sgdr = makeSchedule({ kind: 'warm_restarts', args: c.args }, base, c.epochs);
    const values = c.per_step.map((_: number, k: number) => sgdr(Math.floor(k / steps), k % steps, steps));
    assertClose(values, c.per_step, `warm_restarts ${JSON.stringify(c.args)}`, 1e-9, 1e-9);
  }
});

test('unknown schedule and bad arguments are clear errors', () => {
  assert.throws(() => makeSchedule({ kind: 'linear', args: {} }, 1, 1), /unknown schedule 'linear'/);
  assert.throws(() => makeSchedule({ kind: 'step', args: { every: 0 } }, 1, 1), /'every' must be positive/);
});
