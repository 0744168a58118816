// Dropout's mask kernel on wasm (backend/dropout-kernel.ts, simd/dropout.wat) against the tf ops
// it replaces, tf.randomUniform then GreaterEqual, Cast and Mul: the same mask bit for bit, for
// several seeds, rates and shapes (one long enough for millions of draws of the generator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../src/backend/select.js';
import { DROPOUT_MASK, useDropoutMaskKernel } from '../src/backend/dropout-kernel.js';
import { dropoutMask } from '../src/layers/common.js';

const { tf } = await initBackend('wasm');

/** The mask as the tf ops make it (dropoutMask's path without the kernel). */
function opsMask(shape: number[], rate: number, seed: number): Float32Array {
  return tf.tidy(() => {
    const u = tf.randomUniform(shape, 0, 1, 'float32', seed);
    return tf.mul(tf.cast(tf.greaterEqual(u, rate), 'float32'), 1 / (1 - rate)).dataSync() as Float32Array;
  });
}

test('the wasm dropout mask is the tf ops\' mask, bit for bit', async () => {
  assert.ok(useDropoutMaskKernel(tf), 'wasm makes masks with the kernel');
  const cases: [number[], number, number][] = [
    [[128, 256], 0.2, 1],
    [[7], 0.5, 2147483646],
    [[3, 5, 1], 0.9, 0],
    [[64, 1, 13], 0.25, 123456789],
    [[1 << 21], 0.1, 42],
  ];
  for (const [shape, rate, seed] of cases) {
    const profile = await tf.profile(() => dropoutMask(shape, rate, seed));
    const ours = (profile.result as unknown as import('@tensorflow/tfjs').Tensor);
    assert.deepEqual(profile.kernels.map((k) => k.name), [DROPOUT_MASK], `${shape}: one kernel`);
    assert.deepEqual(ours.shape, shape);
    const expected = opsMask(shape, rate, seed);
    const got = ours.dataSync() as Float32Array;
    const first = got.findIndex((v, i) => !Object.is(v, expected[i]));
    assert.equal(first, -1, `${shape}, rate ${rate}, seed ${seed}: element ${first} is ${got[first]}, the ops give ${expected[first]}`);
    const kept = got.filter((v) => v !== 0).length / got.length;
    if (got.length > 1000) assert.ok(Math.abs(kept - (1 - rate)) < 0.02, `about ${1 - rate} kept, got ${kept}`);
    ours.dispose();
  }
});

test('the wasm dropout mask is the cpu backend\'s, bit for bit', async () => {
  const masks = () => [[[128, 256], 0.2, 7], [[33], 0.5, 8]].map(([shape, rate, seed]) => tf.tidy(() => dropoutMask(shape as number[], rate as number, seed as number).dataSync() as Float32Array));
  const wasm = masks();
  await tf.setBackend('cpu');
  try {
    assert.ok(!useDropoutMaskKernel(tf), 'the cpu backend makes masks with the tf ops');
    assert.deepEqual(masks(), wasm);
  } finally {
    await tf.setBackend('wasm');
  }
});
