// The training loop: a whole run against PyTorch (goldens), repeatability, early
// stopping, checkpoints, non-finite losses, interruption, resume, flat memory, evaluate.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochRecord, LoadedData, TrainResult } from '../src/contracts.js';
import { evaluate, train, type LoopState } from '../src/train/loop.js';
import { MetricMonitor, monitoredKey } from '../src/train/monitor.js';
import { trainableParams } from '../src/train/weights.js';
import {
  assertClose,
  blobData,
  disposeData,
  fromGolden,
  golden,
  graphIR,
  mlp,
  tf,
  trainConfig,
  useCpu,
  weightValues,
  type GoldenTensor,
} from './train-fixtures.js';

before(async () => {
  await useCpu();
});

test('a whole run matches PyTorch: adamw + l2 + clip norm + label smoothing + cosine warmup, 3 epochs, a short last batch', async () => {
  const g = golden('training_run');
  const model = mlp([4, 8, 3]);
  const initial = g.initial as Record<string, GoldenTensor>;
  model.setWeights(['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias'].map((k) => fromGolden(initial[k]!)));
  const x = fromGolden(g.x);
  const y = tf.tensor1d(g.y, 'int32');
  const data: LoadedData = { train: { x, y, size: g.y.length }, classes: 3 };
  const config = trainConfig({
    epochs: g.epochs,
    batchSize: g.batch_size,
    loss: { kind: 'crossentropy', args: { label_smoothing: g.label_smoothing }, fromLogits: true },
    optimizer: g.optimizer,
    schedule: g.schedule,
    clip: { kind: 'norm', value: g.clip },
    regularizer: { l1: 0, l2: g.l2 },
    checkpoint: 'last',
  });
  const ir = graphIR(config, [{ id: 'dense_1', l2: g.l2 }, { id: 'dense_2', l2: g.l2 }], false);
  const result = await train({ tf, ir, model, data });
  assert.equal(result.stopReason, 'completed');
  assert.equal(result.history.length, g.epochs);
  result.history.forEach((record, i) => {
    const expected = g.history[i];
    assertClose([record.loss, record.accuracy!, record.grad_norm, record.lr], [expected.loss, expected.accuracy, expected.grad_norm, expected.lr], `epoch ${i + 1} loss/accuracy/grad_norm/lr`);
    assert.equal(record.val_loss, undefined, 'no validation split, no val_loss');
  });
  const final = g.final as Record<string, GoldenTensor>;
  const names = ['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias'];
  weightValues(model).forEach((values, i) => assertClose(values, final[names[i]!]!.values, `final ${names[i]}`));
  model.dispose();
  disposeData(data);
});

test('trainableParams: kernels decay and carry their node l1/l2; biases neither', () => {
  const model = mlp([4, 5, 3]);
  const ir = graphIR(trainConfig(), [{ id: 'dense_1', l2: 0.01 }, { id: 'dense_2', l1: 0.02 }]);
  const params = trainableParams(model, ir).map((p) => ({ kernel: p.kernel, l1: p.l1, l2: p.l2 }));
  assert.deepEqual(params, [
    { kernel: true, l1: 0, l2: 0.01 },
    { kernel: false, l1: 0, l2: 0 },
    { kernel: true, l1: 0.02, l2: 0 },
    { kernel: false, l1: 0, l2: 0 },
  ]);
  model.dispose();
});

/** A run with dropout, shuffling and an augmentation drawing from its rng. */
async function noisyRun(seed: number, epochs = 3, resume?: { state: LoopState; weights: tf.Tensor[] }, stopAt?: number) {
  const model = mlp([4, 16, 3], 3, () => tf.layers.dropout({ rate: 0.3 }));
  if (resume) model.setWeights(resume.weights);
  const data = blobData();
  const config = trainConfig({
    epochs,
    optimizer: { kind: 'sgd', args: { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 } },
    checkpoint: 'last',
    seed,
  });
  const snapshots: { state: LoopState; weights: tf.Tensor[] }[] = [];
  const result = await train({
    tf,
    ir: graphIR(config, [{ id: 'dense_1' }, { id: 'dense_2' }]),
    model,
    data,
    augment: (batch, rng) => ({ x: tf.add(batch.x, rng.normal() * 0.1), y: batch.y.clone() }),
    callbacks: {
      onEpochEnd: (_record: EpochRecord, state?: LoopState) => {
        if (stopAt !== undefined) snapshots.push({ state: JSON.parse(JSON.stringify(state)), weights: model.getWeights().map((w) => w.clone()) });
      },
    },
    resume: resume?.state,
  });
  const weights = weightValues(model);
  model.dispose();
  disposeData(data);
  return { result, weights, snapshots };
}

test('the same seed gives bit-identical weights (dropout, shuffling, augmentation); another seed does not', async () => {
  const a = await noisyRun(5);
  const b = await noisyRun(5);
  const c = await noisyRun(6);
  assert.deepEqual(a.weights, b.weights);
  assert.deepEqual(
    a.result.history.map((r) => r.loss),
    b.result.history.map((r) => r.loss),
  );
  assert.notDeepEqual(a.weights, c.weights);
});

test('resume from the state saved at epoch 2 continues exactly like an uninterrupted run', async () => {
  const straight = await noisyRun(9, 4);
  const firstHalf = await noisyRun(9, 4, undefined, 2);
  const atEpoch2 = firstHalf.snapshots[1]!;
  assert.equal(atEpoch2.state.epoch, 2);
  const resumed = await noisyRun(9, 4, atEpoch2);
  assert.deepEqual(resumed.weights, straight.weights);
  assert.equal(resumed.result.history.length, 4);
  assert.deepEqual(resumed.result.history.map((r) => r.loss), straight.result.history.map((r) => r.loss));
  firstHalf.snapshots.forEach((s) => s.weights.forEach((w) => w.dispose()));
});

test('early stopping: a scripted metric sequence stops at the right epoch (min_delta, patience)', () => {
  // Improvements must beat the best by more than 0.05: 1.0 -> 0.8 improves, 0.79 / 0.85 / 0.9 do not.
  const monitor = new MetricMonitor('val_loss', 'min', 0.05);
  const sequence = [1.0, 0.8, 0.79, 0.85, 0.9, 0.5];
  let stoppedAt: number | undefined;
  sequence.forEach((value, i) => {
    if (stoppedAt !== undefined) return;
    monitor.update(i + 1, value);
    if (monitor.epochsWithoutImprovement >= 3) stoppedAt = i + 1;
  });
  assert.equal(stoppedAt, 5);
  assert.equal(monitor.bestEpoch, 2);
  const max = new MetricMonitor('val_accuracy', 'max', 0);
  [0.5, 0.6, 0.6, 0.7, NaN].forEach((v, i) => max.update(i + 1, v));
  assert.deepEqual(max.state(), { bestEpoch: 4, bestValue: 0.7, epochsWithoutImprovement: 1 });
  assert.equal(monitoredKey('val_accuracy', false), 'accuracy');
  assert.equal(monitoredKey('val_loss', true), 'val_loss');
});

test('early stopping in the loop: with nothing improving (lr 0) it stops after 1 + patience epochs', async () => {
  const model = mlp([4, 6, 3]);
  const data = blobData();
  const config = trainConfig({
    epochs: 20,
    optimizer: { kind: 'sgd', args: { lr: 0 } },
    earlyStopping: { monitor: 'val_loss', patience: 2, minDelta: 0, restoreBest: true, mode: 'min' },
  });
  const result = await train({ tf, ir: graphIR(config), model, data });
  assert.equal(result.stopReason, 'early_stopping');
  assert.equal(result.history.length, 3);
  assert.equal(result.resultEpoch, 1);
  assert.equal(result.state.epochsWithoutImprovement, 2);
  model.dispose();
  disposeData(data);
});

test('restore_best / checkpoint best: the result holds the weights of the best epoch by the monitor', async () => {
  const model = mlp([4, 6, 3], 2);
  const data = blobData();
  const config = trainConfig({
    epochs: 6,
    // A large learning rate makes val_loss bounce, so the best epoch is not the last.
    optimizer: { kind: 'sgd', args: { lr: 3 } },
    checkpoint: 'best',
    checkpointMonitor: 'val_accuracy',
    checkpointMode: 'max',
  });
  const perEpoch: number[][][] = [];
  const result = await train({
    tf,
    ir: graphIR(config),
    model,
    data,
    callbacks: { onEpochEnd: () => void perEpoch.push(weightValues(model)) },
  });
  const accuracies = result.history.map((r) => r.val_accuracy!);
  const best = accuracies.indexOf(Math.max(...accuracies)) + 1;
  assert.equal(result.bestEpoch, best);
  assert.equal(result.resultEpoch, best);
  assert.deepEqual(weightValues(model), perEpoch[best - 1]);
  model.dispose();
  disposeData(data);
});

test('a non-finite loss stops with its epoch and step and keeps the best checkpoint', async () => {
  const model = mlp([4, 6, 3]);
  const data = blobData();
  const config = trainConfig({ epochs: 5, batchSize: 16 });
  let calls = 0;
  const perEpoch: number[][][] = [];
  const result: TrainResult = await train({
    tf,
    ir: graphIR(config),
    model,
    data,
    // The 2nd batch of epoch 2 (3 batches per epoch) is poisoned.
    augment: (batch) => {
      calls += 1;
      return calls === 5 ? { x: tf.mul(batch.x, NaN), y: batch.y } : batch;
    },
    callbacks: { onEpochEnd: () => void perEpoch.push(weightValues(model)) },
  });
  assert.equal(result.stopReason, 'non_finite');
  assert.deepEqual(result.nonFinite, { epoch: 2, step: 2 });
  assert.equal(result.history.length, 1);
  assert.equal(result.resultEpoch, 1);
  assert.deepEqual(weightValues(model), perEpoch[0]);
  assert.equal(result.state.epoch, 1);
  model.dispose();
  disposeData(data);
});

test('shouldStop (Ctrl-C) interrupts between steps; the state is that of the last whole epoch', async () => {
  const model = mlp([4, 6, 3]);
  const data = blobData();
  let steps = 0;
  const result = await train({
    tf,
    ir: graphIR(trainConfig({ epochs: 10, batchSize: 16 })),
    model,
    data,
    callbacks: { onStep: () => void (steps += 1), shouldStop: () => steps >= 7 },
  });
  assert.equal(result.stopReason, 'interrupted');
  assert.equal(result.history.length, 2);
  assert.equal(result.state.epoch, 2);
  assert.equal(steps, 7);
  model.dispose();
  disposeData(data);
});

test('memory stays flat: tf.memory().numTensors does not grow across epochs, and nothing is left after training', async () => {
  const model = mlp([4, 8, 3], 4, () => tf.layers.dropout({ rate: 0.2 }));
  const data = blobData();
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const config = trainConfig({
    epochs: 5,
    optimizer: { kind: 'adamw', args: { lr: 0.01, weight_decay: 0.01 } },
    schedule: { kind: 'cosine', args: { warmup: 1, min_lr: 0 } },
    clip: { kind: 'norm', value: 0.1 },
    regularizer: { l1: 0.001, l2: 0.001 },
    checkpointMonitor: 'val_accuracy',
    checkpointMode: 'max',
  });
  await train({
    tf,
    ir: graphIR(config, [{ id: 'dense_1', l1: 0.001, l2: 0.001 }, { id: 'dense_2', l2: 0.001 }]),
    model,
    data,
    augment: (batch, rng) => {
      const x = tf.add(batch.x, rng.normal() * 0.01);
      batch.x.dispose();
      return { x, y: batch.y };
    },
    callbacks: { onEpochEnd: () => void counts.push(tf.memory().numTensors) },
  });
  // Epoch 1 creates the optimizer slots and the first best-checkpoint copy; after that the count is fixed.
  assert.deepEqual(counts.slice(1), counts.slice(1).map(() => counts[1]), `tensor counts per epoch: ${counts}`);
  assert.equal(tf.memory().numTensors, before, 'slots and snapshots are released at the end');
  model.dispose();
  disposeData(data);
});

test('evaluate: loss and metrics in inference mode, as means over the split', () => {
  const model = mlp([4, 6, 3]);
  model.setWeights(model.getWeights().map((w) => tf.zerosLike(w)));
  const data = blobData(30, 10);
  const config = trainConfig({ batchSize: 7, metrics: ['accuracy'] });
  const result = evaluate(tf, model, data.train, config, 3);
  // Zero weights: uniform probabilities, loss ln 3; argmax picks class 0, a third of the labels.
  assertClose([result.loss!, result.accuracy!], [Math.log(3), 1 / 3], 'loss, accuracy');
  const smoothed = evaluate(tf, model, data.train, trainConfig({ loss: { kind: 'crossentropy', args: { label_smoothing: 0.2 }, fromLogits: true } }), 3);
  assertClose([smoothed.loss!], [Math.log(3)], 'uniform prediction: smoothing does not change the loss');
  model.dispose();
  disposeData(data);
});

test('binary crossentropy with one sigmoid unit and mse regression train and report their metrics', async () => {
  const n = 40;
  const xs = Array.from({ length: n * 2 }, (_, i) => Math.sin(i * 1.7));
  const x = tf.tensor2d(xs, [n, 2]);
  const labels = Array.from({ length: n }, (_, i) => (xs[2 * i]! + xs[2 * i + 1]! > 0 ? 1 : 0));
  for (const kind of ['binary_crossentropy', 'mse'] as const) {
    const model = mlp([2, 8, 1], 5);
    const y = kind === 'mse' ? tf.tensor1d(labels.map((l, i) => l * 2 + xs[2 * i]!)) : tf.tensor1d(labels, 'int32');
    const data: LoadedData = { train: { x, y, size: n }, classes: kind === 'mse' ? 0 : 2 };
    const config = trainConfig({
      epochs: 15,
      loss: { kind, args: { label_smoothing: 0 }, fromLogits: true },
      optimizer: { kind: 'adam', args: { lr: 0.05 } },
      metrics: kind === 'mse' ? ['mae'] : ['accuracy'],
    });
    const result = await train({ tf, ir: graphIR(config), model, data });
    const first = result.history[0]!;
    const last = result.history.at(-1)!;
    assert.ok(last.loss < first.loss * 0.7, `${kind}: loss falls (${first.loss} -> ${last.loss})`);
    if (kind === 'mse') assert.ok(typeof last.mae === 'number');
    else assert.ok(last.accuracy! > 0.85, `accuracy ${last.accuracy}`);
    y.dispose();
    model.dispose();
  }
  x.dispose();
});
