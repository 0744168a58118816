// Dropout's mask kernel on wasm (backend/dropout-kernel.ts, simd/dropout.wat) against the tf ops
// it replaces, tf.randomUniform then GreaterEqual, Cast and Mul: the same mask bit for bit, for
// several seeds, rates and shapes (one long enough for millions of draws of the generator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../src/backend/select.js';
import { DROPOUT_MASK, useDropoutMaskKernel } from '../src/backend/dropout-kernel.js';
import { simdHelper, simdKernels } from '../src/backend/simd-kernels.js';
import { onWasmAndCpu, readyHelper } from './kernel-helpers.js';
import { setBackgroundWork } from '../src/backend/helper-thread.js';
import { dropoutMask } from '../src/layers/common.js';

const { tf } = await initBackend('wasm');
// (the whole pool here, as for a convnet: the helper would take no background work)
setBackgroundWork(true);

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
  const masks = () => ({
    kernel: useDropoutMaskKernel(tf),
    values: [[[128, 256], 0.2, 7], [[33], 0.5, 8]].map(([shape, rate, seed]) => tf.tidy(() => dropoutMask(shape as number[], rate as number, seed as number).dataSync() as Float32Array)),
  });
  const [wasm, cpu] = await onWasmAndCpu(tf, masks);
  assert.ok(!cpu.kernel, 'the cpu backend makes masks with the tf ops');
  assert.deepEqual(cpu.values, wasm.values);
});

test('a mask made ahead on the helper thread is the one asked for next; a wrong guess is dropped and freed', { skip: !simdHelper(tf.backend()) && 'one thread' }, async () => {
  const helper = await readyHelper(tf);
  const bits = (t: import('@tensorflow/tfjs').Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).buffer));
  // buffers the backend holds (a mask made ahead is one, though not yet a tensor)
  const buffers = () => tf.backend().numDataIds();
  // a chain as a dropout layer makes it: each call names the next seed
  const seeds = [11, 12, 13, 14];
  const made = seeds.map((seed, i) => dropoutMask([128, 256], 0.2, seed, { stream: 1, nextSeed: seeds[i + 1] }));
  made.forEach((mask, i) => assert.deepEqual(Array.from(mask.dataSync()), Array.from(opsMask([128, 256], 0.2, seeds[i]!)), `seed ${seeds[i]}`));
  // the first three came ahead: the same bits as made directly
  for (const [i, seed] of seeds.entries()) {
    const direct = dropoutMask([128, 256], 0.2, seed);
    assert.deepEqual(bits(made[i]!), bits(direct), `seed ${seed} made ahead`);
    direct.dispose();
  }
  // a guess that misses (another shape, as an epoch's last, smaller batch): dropped, not leaked
  const first = dropoutMask([128, 256], 0.2, 21, { stream: 2, nextSeed: 22 });
  first.dispose();
  const before = buffers();
  const other = dropoutMask([112, 256], 0.2, 22, { stream: 2, nextSeed: 23 }); // the mask made ahead for 22 was [128, 256]
  assert.deepEqual(Array.from(other.dataSync()), Array.from(opsMask([112, 256], 0.2, 22)));
  other.dispose();
  const plain = dropoutMask([112, 256], 0.2, 23, { stream: 2 }); // takes the [112, 256] mask made for 23, starts none
  plain.dispose();
  assert.equal(buffers(), before - 1, 'the missed [128, 256] mask is freed, the one taken is given out (and disposed)');
  tf.dispose(made);
});

test('background work that fails on the helper thread is reported by the next wait, and the helper goes on', { skip: !simdHelper(tf.backend()) && 'one thread' }, () => {
  const helper = simdHelper(tf.backend())!;
  assert.ok(helper.ready);
  // a mask written out of the heap's bounds (at 1 GB) traps on the helper
  assert.ok(helper.start('dropout_mask', [0, 0.1, 0.2, 0.3, 16, 0.5, 2, 2 ** 30]));
  assert.throws(() => helper.finish(), /background call failed on the helper thread/);
  helper.finish(); // nothing pending: no wait, no error
  const mask = dropoutMask([64, 64], 0.5, 5, { stream: 3, nextSeed: 6 });
  assert.deepEqual(Array.from(mask.dataSync()), Array.from(opsMask([64, 64], 0.5, 5)));
  mask.dispose();
  const next = dropoutMask([64, 64], 0.5, 6, { stream: 3 });
  assert.deepEqual(Array.from(next.dataSync()), Array.from(opsMask([64, 64], 0.5, 6)), 'made ahead after the failure');
  next.dispose();
});

test('two dropout layers in turn each take their own masks made ahead; none beside XNNPACK\'s pool', { skip: !simdHelper(tf.backend()) && 'one thread' }, async () => {
  await readyHelper(tf);
  const simd = simdKernels(tf.backend())!;
  const original = simd.dropout_mask;
  let madeHere = 0; // masks this thread makes (the helper's own instance is not counted)
  simd.dropout_mask = (...args) => (madeHere++, original(...args));
  try {
    const layers = [{ stream: 4, seeds: [31, 32, 33] }, { stream: 5, seeds: [41, 42, 43] }];
    for (let step = 0; step < 3; step++) {
      for (const { stream, seeds } of layers) {
        const mask = dropoutMask([32, 40], 0.3, seeds[step]!, { stream, nextSeed: seeds[step + 1] });
        assert.deepEqual(Array.from(mask.dataSync()), Array.from(opsMask([32, 40], 0.3, seeds[step]!)), `stream ${stream}, seed ${seeds[step]}`);
        mask.dispose();
      }
    }
    assert.equal(madeHere, 2, 'only each layer\'s first mask is made when asked for');
    // beside XNNPACK's pool (a convnet's) nothing is made ahead: every mask when asked for
    setBackgroundWork(false);
    madeHere = 0;
    for (const seed of [51, 52, 53]) dropoutMask([32, 40], 0.3, seed, { stream: 6, nextSeed: seed + 1 }).dispose();
    assert.equal(madeHere, 3);
  } finally {
    simd.dropout_mask = original;
    setBackgroundWork(true);
  }
});

test('masks made ahead are kept for at most 16 layers: a process that trains model after model does not gather them', { skip: !simdHelper(tf.backend()) && 'one thread' }, async () => {
  await readyHelper(tf);
  const buffers = () => tf.backend().numDataIds();
  const before = buffers();
  for (let stream = 100; stream < 140; stream++) dropoutMask([8, 8], 0.5, stream, { stream, nextSeed: stream + 1 }).dispose();
  assert.equal(buffers() - before, 16, 'one mask made ahead for each of the last 16 layers');
});
