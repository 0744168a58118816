// Batch normalization's training kernels (backend/batchnorm-kernels.ts, simd/batchnorm.wat)
// against the tf-op path they replace (REGNET_FUSED_BATCHNORM=0): output, running statistics and
// the gradients of x, γ and β within float32 rounding, with and without scale and center, on
// image-shaped and flat inputs, and against the cpu backend at a size the helper thread splits;
// channel counts that are not a multiple of 4 keep the op path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfTypes from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { BATCHNORM_FORWARD, useBatchNormKernels } from '../src/backend/batchnorm-kernels.js';
import { BatchNorm } from '../src/layers/normalization.js';
import { onWasmAndCpu, readyHelper } from './kernel-helpers.js';

const { tf, threads } = await initBackend('wasm');
type Tensor = tfTypes.Tensor;

interface Outcome {
  y: Float32Array;
  movingMean: Float32Array;
  movingVariance: Float32Array;
  grads: Float32Array[];
  kernels: string[];
}

async function train(shape: number[], args: { center?: boolean; scale?: boolean }, fused: boolean): Promise<Outcome> {
  if (fused) delete process.env.REGNET_FUSED_BATCHNORM;
  else process.env.REGNET_FUSED_BATCHNORM = '0';
  try {
    const layer = new BatchNorm({ momentum: 0.9, epsilon: 1e-3, ...args });
    // A non-zero mean and a spread, as activations have; gradients weighted per position.
    const x = tf.tidy(() => tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 11), 3), 0.5));
    const weight = tf.randomUniform(shape, -1, 1, 'float32', 12);
    layer.build(shape);
    // γ and β away from 1 and 0, so that their gradients matter.
    layer.trainableWeights.forEach((w, i) => w.write(tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', 20 + i)));
    const xVar = tf.variable(x);
    const variables = [xVar, ...layer.trainableWeights.map((w) => w.read() as tfTypes.Variable)];
    let y: Tensor | undefined;
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => {
        const out = layer.apply(xVar, { training: true }) as Tensor;
        y = tf.keep(out.clone());
        return tf.sum(tf.mul(out, weight)) as tfTypes.Scalar;
      }, variables);
      value.dispose();
      return variables.map((v) => grads[v.name]!);
    });
    const grads = profile.result as unknown as Tensor[];
    const stats = layer.getWeights().slice(-2);
    return {
      y: (await y!.data()) as Float32Array,
      movingMean: (await stats[0]!.data()) as Float32Array,
      movingVariance: (await stats[1]!.data()) as Float32Array,
      grads: await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array)),
      kernels: profile.kernels.map((k) => k.name),
    };
  } finally {
    delete process.env.REGNET_FUSED_BATCHNORM;
  }
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string, tolerance = 2e-5): void {
  assert.equal(actual.length, expected.length, what);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    assert.ok(err <= tolerance * Math.max(1, scale), `${what}[${i}]: ${actual[i]} vs ${expected[i]} (scale ${scale})`);
  }
}

for (const [label, shape, args] of [
  ['images, scale and center', [16, 6, 6, 8], {}],
  ['images, no scale', [8, 5, 5, 4], { scale: false }],
  ['flat, no center', [32, 12], { center: false }],
  ['flat, neither', [32, 12], { scale: false, center: false }],
] as const) {
  test(`batchnorm kernels (${label}) match the tf-op path`, async () => {
    assert.ok(useBatchNormKernels(tf, shape[shape.length - 1]!));
    const ops = await train([...shape], args, false);
    const fused = await train([...shape], args, true);
    assert.ok(fused.kernels.includes(BATCHNORM_FORWARD), `kernels: ${fused.kernels.join(' ')}`);
    assert.ok(!ops.kernels.includes(BATCHNORM_FORWARD));
    assertClose(fused.y, ops.y, 'y');
    assertClose(fused.movingMean, ops.movingMean, 'moving mean');
    assertClose(fused.movingVariance, ops.movingVariance, 'moving variance');
    assert.equal(fused.grads.length, ops.grads.length);
    fused.grads.forEach((g, i) => assertClose(g, ops.grads[i]!, `gradient ${i}`, 1e-4));
  });
}

test('batchnorm kernels on wasm match the cpu backend (split by channels with the helper thread: 64×16×16×32 values)', async () => {
  const shape = [64, 16, 16, 32];
  if ((threads ?? 1) >= 2) await readyHelper(tf); // (else one thread: no helper)
  const [fused, cpu] = await onWasmAndCpu(tf, () => train(shape, {}, true));
  assert.ok(fused.kernels.includes(BATCHNORM_FORWARD));
  assert.ok(!cpu.kernels.includes(BATCHNORM_FORWARD), 'cpu runs the tf ops');
  assertClose(fused.y, cpu.y, 'y');
  assertClose(fused.movingMean, cpu.movingMean, 'moving mean');
  assertClose(fused.movingVariance, cpu.movingVariance, 'moving variance');
  fused.grads.forEach((g, i) => assertClose(g, cpu.grads[i]!, `gradient ${i}`, 1e-4));
});

test('a channel count that is not a multiple of 4 keeps the tf-op path', async () => {
  assert.equal(useBatchNormKernels(tf, 6), false);
  const outcome = await train([8, 6], {}, true);
  assert.ok(!outcome.kernels.includes(BATCHNORM_FORWARD));
});
