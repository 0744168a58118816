// The LSTM's fused recurrence (layers/lstm-recurrence.ts with backend/lstm-kernels.ts) against
// the tf-op loop it replaces, on the cpu backend (REGNET_LSTM=ops): outputs and the gradients of
// every weight and of the input, with recurrent dropout and returned sequences; on wasm too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfTypes from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { registerCpuKernels } from '../src/backend/wasm-kernels.js';
import { hasLstmKernels } from '../src/backend/lstm-kernels.js';
import { LSTM } from '../src/layers/recurrent.js';

const { tf } = await initBackend('wasm');
registerCpuKernels(tf);

interface Case {
  name: string;
  returnSequences: boolean;
  recurrentDropout: number;
  shape: [number, number, number];
  units: number;
}

/** Output and gradients (input, kernel, recurrent kernel, bias) of Σ lstm(x)·r, as flat arrays. */
function forwardAndGradients(c: Case, path: 'fused' | 'ops'): Float32Array[] {
  const previous = process.env.REGNET_LSTM;
  if (path === 'ops') process.env.REGNET_LSTM = 'ops';
  else delete process.env.REGNET_LSTM;
  try {
    return tf.tidy(() => {
      const layer = new LSTM({ units: c.units, returnSequences: c.returnSequences, recurrentDropout: c.recurrentDropout, seed: 3 });
      const x = tf.randomUniform(c.shape, -2, 2, 'float32', 1);
      layer.apply(x);
      const weights = layer.trainableWeights.map((w) => w.read());
      const kwargs = { training: true };
      const r = tf.randomUniform(layer.computeOutputShape(c.shape) as number[], -1, 1, 'float32', 2);
      layer.noiseCalls = 0;
      const y = layer.call(x, kwargs) as tfTypes.Tensor;
      layer.noiseCalls = 0;
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.call(x, kwargs) as tfTypes.Tensor, r)) as tfTypes.Scalar);
      const dx = tf.grad((input: tfTypes.Tensor) => {
        layer.noiseCalls = 0;
        return tf.sum(tf.mul(layer.call(input, kwargs) as tfTypes.Tensor, r));
      })(x);
      const byWeight = layer.trainableWeights.map((w) => grads[w.originalName ?? w.name]!);
      assert.equal(byWeight.length, weights.length);
      return [y, dx, ...byWeight].map((t) => t.dataSync() as Float32Array);
    });
  } finally {
    if (previous === undefined) delete process.env.REGNET_LSTM;
    else process.env.REGNET_LSTM = previous;
  }
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const CASES: Case[] = [
  { name: 'last h', returnSequences: false, recurrentDropout: 0, shape: [5, 7, 3], units: 4 },
  { name: 'every h', returnSequences: true, recurrentDropout: 0, shape: [3, 6, 5], units: 8 },
  { name: 'recurrent dropout', returnSequences: false, recurrentDropout: 0.3, shape: [4, 9, 2], units: 6 },
  { name: 'every h, recurrent dropout, one step', returnSequences: true, recurrentDropout: 0.5, shape: [2, 1, 3], units: 3 },
];
const PARTS = ['output', 'input gradient', 'kernel gradient', 'recurrent kernel gradient', 'bias gradient'];

test('the LSTM step kernels are registered on wasm and cpu', async () => {
  assert.ok(hasLstmKernels(tf));
  await tf.setBackend('cpu');
  assert.ok(hasLstmKernels(tf));
  await tf.setBackend('wasm');
});

test('fused LSTM recurrence equals the tf-op loop on cpu, and on wasm (outputs and all gradients)', async () => {
  for (const c of CASES) {
    await tf.setBackend('cpu');
    const reference = forwardAndGradients(c, 'ops');
    const fusedCpu = forwardAndGradients(c, 'fused');
    await tf.setBackend('wasm');
    const fusedWasm = forwardAndGradients(c, 'fused');
    reference.forEach((ref, i) => {
      assert.ok(maxDiff(fusedCpu[i]!, ref) < 1e-5, `${c.name}: cpu ${PARTS[i]} differs by ${maxDiff(fusedCpu[i]!, ref)}`);
      assert.ok(maxDiff(fusedWasm[i]!, ref) < 1e-4, `${c.name}: wasm ${PARTS[i]} differs by ${maxDiff(fusedWasm[i]!, ref)}`);
    });
    if (c.shape[1] > 1) assert.ok(reference[3]!.some((v) => v !== 0), `${c.name}: the recurrent kernel gets a gradient`);
  }
});

test('the fused recurrence leaks no tensors in training or inference', () => {
  const layer = new LSTM({ units: 4, seed: 1 });
  const x = tf.randomUniform([2, 5, 3], -1, 1, 'float32', 1);
  layer.apply(x);
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    layer.call(x, {});
  });
  const { value, grads } = tf.variableGrads(() => tf.sum(layer.call(x, { training: true }) as tfTypes.Tensor) as tfTypes.Scalar);
  tf.dispose([value, ...Object.values(grads)]);
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
});
