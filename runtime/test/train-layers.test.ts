// The loop on models built from IR by the runtime's model builder: every layer case
// trains (finite loss, weights move), weight decay skips biases and normalization
// parameters, batchnorm statistics update in training, seeded dropout repeats.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { GraphIR } from '@regnet/compiler';
import type { EpochRecord, LoadedData } from '../src/contracts.js';
import { buildModel } from '../src/model/build.js';
import { Random } from '../src/random.js';
import { train, type LoopState } from '../src/train/loop.js';
import { trainableParams } from '../src/train/weights.js';
import { layerCases, pipelineIR } from './ir-fixtures.js';
import { tf, useCpu, weightValues } from './train-fixtures.js';

before(async () => {
  await useCpu();
});

/** Random inputs for the IR's input (token ids for int32) and regression targets shaped like its output. */
function randomData(ir: GraphIR, n: number, seed: number): LoadedData {
  const rng = new Random(seed);
  const inShape = ir.input.shape;
  const outShape = ir.nodes.find((node) => node.id === ir.output)!.shape;
  const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const x =
    ir.input.dtype === 'int32'
      ? tf.tensor(Array.from({ length: n * count(inShape) }, () => rng.int(10)), [n, ...inShape], 'int32')
      : tf.tensor(Array.from({ length: n * count(inShape) }, () => rng.normal()), [n, ...inShape]);
  const y = tf.tensor(Array.from({ length: n * count(outShape) }, () => rng.normal()), [n, ...outShape]);
  return { train: { x, y, size: n }, classes: 0 };
}

function withTraining(ir: GraphIR, overrides: Partial<GraphIR['train']>): GraphIR {
  return { ...ir, train: { ...ir.train, ...overrides } };
}

test('every layer case of the model builder trains with the loop (finite loss, weights move)', async () => {
  for (const { name, ir: base } of layerCases()) {
    const ir = withTraining(base, {
      epochs: 1,
      batchSize: 4,
      optimizer: { kind: 'adamw', args: { lr: 0.01, weight_decay: 0.01 } },
      clip: { kind: 'norm', value: 1 },
      metrics: ['mae'],
    });
    const model = buildModel(tf, ir, new Random(1));
    const before = weightValues(model);
    const data = randomData(ir, 8, 2);
    const result = await train({ tf, ir, model, data });
    assert.equal(result.stopReason, 'completed', name);
    const record = result.history[0]!;
    assert.ok(Number.isFinite(record.loss) && Number.isFinite(record.mae!) && Number.isFinite(record.grad_norm), `${name}: ${JSON.stringify(record)}`);
    if (model.trainableWeights.length > 0) assert.notDeepEqual(weightValues(model), before, `${name}: weights moved`);
    model.dispose();
    data.train.x.dispose();
    data.train.y.dispose();
  }
});

const dense = (units: number, extra = {}) => ({ units, activation: 'linear', bias: true, init: 'glorot_uniform', l1: 0, l2: 0, ...extra });
const bn = { momentum: 0.9, epsilon: 0.001, center: true, scale: true };

test('decoupled weight decay touches kernels only: w - lr·wd·w_prev on kernels; biases and batchnorm parameters untouched', async () => {
  const ir = withTraining(
    pipelineIR([3], [
      { op: 'dense', attrs: dense(4), shape: [4], params: 16 },
      { op: 'batchnorm', attrs: bn, shape: [4], params: 16 },
      { op: 'dense', attrs: dense(2, { l2: 0 }), shape: [2], params: 10 },
    ]),
    { epochs: 1, batchSize: 4, optimizer: { kind: 'sgd', args: { lr: 0.1, weight_decay: 0.5 } } },
  );
  const model = buildModel(tf, ir, new Random(4));
  const params = trainableParams(model, ir);
  assert.deepEqual(
    params.map((p) => [p.key, p.kernel]),
    [
      ['dense_1/kernel', true],
      ['dense_1/bias', false],
      ['batchnorm_2/gamma', false],
      ['batchnorm_2/beta', false],
      ['dense_3/kernel', true],
      ['dense_3/bias', false],
    ],
  );
  // One step (4 examples, batch 4) with and without weight_decay from the same start:
  // the kernels differ by exactly lr·wd·w_prev; every other weight is identical.
  const kernelsBefore = params.filter((p) => p.kernel).map((p) => Array.from(p.variable.dataSync()));
  const data = randomData(ir, 4, 5);
  const gradStep = await (async () => {
    // The same run without weight decay: the difference is exactly the decay term.
    const twin = buildModel(tf, withTraining(ir, { optimizer: { kind: 'sgd', args: { lr: 0.1 } } }), new Random(4));
    await train({ tf, ir: withTraining(ir, { optimizer: { kind: 'sgd', args: { lr: 0.1 } } }), model: twin, data });
    const values = weightValues(twin);
    twin.dispose();
    return values;
  })();
  await train({ tf, ir, model, data });
  const after = weightValues(model);
  // getWeights(): trainable (dense_1 kernel, bias, gamma, beta, dense_3 kernel, bias), then moving mean, variance.
  const kernelIndex = [0, 4];
  kernelIndex.forEach((wi, k) => {
    after[wi]!.forEach((v, i) => {
      const expected = gradStep[wi]![i]! - 0.1 * 0.5 * kernelsBefore[k]![i]!;
      assert.ok(Math.abs(v - expected) < 1e-6, `kernel ${wi}[${i}]: ${v} vs ${expected}`);
    });
  });
  for (const wi of [1, 2, 3, 5, 6, 7]) assert.deepEqual(after[wi], gradStep[wi], `non-kernel weight ${wi} is not decayed`);
  model.dispose();
  data.train.x.dispose();
  data.train.y.dispose();
});

test('batchnorm running statistics update during training', async () => {
  const ir = withTraining(
    pipelineIR([3], [
      { op: 'dense', attrs: dense(4), shape: [4], params: 16 },
      { op: 'batchnorm', attrs: bn, shape: [4], params: 16 },
    ]),
    { epochs: 2, batchSize: 4 },
  );
  const model = buildModel(tf, ir, new Random(2));
  const data = randomData(ir, 8, 3);
  const stats = () => model.getLayer('batchnorm_2').getWeights().slice(2).map((w) => Array.from(w.dataSync()));
  const [mean0, var0] = stats();
  await train({ tf, ir, model, data });
  const [mean1, var1] = stats();
  assert.ok(mean1!.some((v, i) => v !== mean0![i]), 'moving mean moved');
  assert.ok(var1!.some((v, i) => v !== var0![i]), 'moving variance moved');
  model.dispose();
  data.train.x.dispose();
  data.train.y.dispose();
});

const noisyIR = () =>
  withTraining(
    pipelineIR([4], [
      { op: 'dense', attrs: dense(8, { activation: 'relu' }), shape: [8], params: 40 },
      { op: 'dropout', attrs: { rate: 0.5 }, shape: [8] },
      { op: 'gaussian_noise', attrs: { std: 0.3 }, shape: [8] },
      { op: 'dense', attrs: dense(2), shape: [2], params: 18 },
    ]),
    { epochs: 4, batchSize: 4, seed: 11, optimizer: { kind: 'adam', args: { lr: 0.01 } } },
  );

/** Trains noisyIR() from scratch, or resumes from a state + weights; returns the final weights, losses and per-epoch saves. */
async function noisyRun(resume?: { state: LoopState; weights: tf.Tensor[] }) {
  const ir = noisyIR();
  const model = buildModel(tf, ir, new Random(ir.train.seed));
  if (resume) model.setWeights(resume.weights);
  const data = randomData(ir, 12, 6);
  const saves: { state: LoopState; weights: tf.Tensor[] }[] = [];
  const result = await train({
    tf,
    ir: { ...ir, data: { ...ir.data, shuffle: true } },
    model,
    data,
    resume: resume?.state,
    callbacks: {
      onEpochEnd: (_record: EpochRecord, state?: LoopState) =>
        void saves.push({ state: JSON.parse(JSON.stringify(state)), weights: model.getWeights().map((w) => w.clone()) }),
    },
  });
  const weights = weightValues(model);
  model.dispose();
  data.train.x.dispose();
  data.train.y.dispose();
  return { weights, losses: result.history.map((r) => r.loss), saves };
}

const release = (saves: { weights: tf.Tensor[] }[]) => saves.forEach((s) => s.weights.forEach((w) => w.dispose()));

test('seeded dropout and gaussian noise (model builder layers): two fresh runs with one seed are bit-identical', async () => {
  const run = async () => {
    const { weights, losses, saves } = await noisyRun();
    release(saves);
    return { weights, losses };
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a, b);
});

test('resume with the model builder noise layers: epochs 3-4 after a resume equal an uninterrupted run', async () => {
  const straight = await noisyRun();
  const save = straight.saves[1]!;
  assert.equal(save.state.epoch, 2);
  assert.ok(save.state.noise && Object.keys(save.state.noise).length === 2, 'noise counters are saved');
  const resumed = await noisyRun(save);
  assert.deepEqual(resumed.losses, straight.losses);
  assert.deepEqual(resumed.weights, straight.weights);
  release(straight.saves);
  release(resumed.saves);
});
