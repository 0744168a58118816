// Helpers of the tests of RegNet's wasm kernels: the helper thread once started, products
// against XNNPACK's, bit for bit, and results on wasm and on the cpu backend.
import assert from 'node:assert/strict';
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../src/contracts.js';
import type { HelperThread } from '../src/backend/helper-thread.js';
import { simdHelper } from '../src/backend/simd-kernels.js';
import { useWasmOverrides } from '../src/backend/wasm-kernels.js';

/** The backend's helper thread, once it has started (it takes ~50 ms); fails where there is none. */
export async function readyHelper(tf: TF): Promise<HelperThread> {
  const helper = simdHelper(tf.backend());
  assert.ok(helper, 'the threaded build has a helper thread');
  for (let i = 0; i < 100 && !helper.ready; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(helper.ready, 'the helper thread started');
  return helper;
}

type Tensor = tfTypes.Tensor;

/**
 * f's values with RegNet's kernels, and g's (f's by default) with XNNPACK's (the overrides
 * switched off). XNNPACK takes plain operands only: tfjs' wasm kernel multiplies transposed ones
 * in another order, so g transposes them first, as RegNet did before its GEMM.
 */
export function bothWays(tf: TF, f: () => Tensor, g = f): [Float32Array, Float32Array] {
  const ours = tf.tidy(f).dataSync() as Float32Array;
  useWasmOverrides(tf, false, ['BatchMatMul', '_FusedMatMul']);
  try {
    return [ours, tf.tidy(g).dataSync() as Float32Array];
  } finally {
    useWasmOverrides(tf, true, ['BatchMatMul', '_FusedMatMul']);
  }
}

/** The same float32 bit patterns (a NaN matches any NaN: payloads are not specified). */
export function assertBitIdentical(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const bits = (x: Float32Array) => new Uint32Array(x.buffer, x.byteOffset, x.length);
  const [a, e] = [bits(actual), bits(expected)];
  const first = a.findIndex((v, i) => v !== e[i] && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i])));
  assert.equal(first, -1, `${what}: element ${first} is ${actual[first]}, XNNPACK gives ${expected[first]}`);
}

/** `compute`'s results on the wasm backend, then on cpu (the same seeded inputs); wasm is active again after. */
export async function onWasmAndCpu<T>(tf: TF, compute: () => T | Promise<T>): Promise<[wasm: T, cpu: T]> {
  await tf.setBackend('wasm');
  const wasm = await compute();
  await tf.setBackend('cpu');
  try {
    return [wasm, await compute()];
  } finally {
    await tf.setBackend('wasm');
  }
}
