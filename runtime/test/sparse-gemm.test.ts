// Products that skip a's zeros (simd/sparse-gemm.wat, gemm-kernel.ts' sparseNonzeros) against
// XNNPACK's matMul, bit for bit: MNIST digits times weights and their weight gradient (the MLP's
// two large products), a ReLU-like operand with a bias, column counts that leave 4-wide and
// single columns, values that test the skipping (-0, subnormals, NaN in a), the two guards that
// keep a product dense (an infinite b, a bias of -0), and the split with the helper thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfTypes from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { sparseNonzeros } from '../src/backend/gemm-kernel.js';
import { heapOffset, simdKernels } from '../src/backend/simd-kernels.js';
import { assertBitIdentical, bothWays as compareWithXnnpack, onWasmAndCpu, readyHelper } from './kernel-helpers.js';
import { assertClose } from './assert-close.js';
import { mnistDigits } from '../src/data/sources/mnist.js';

const { tf, threads } = await initBackend('wasm');
type Tensor = tfTypes.Tensor;

const bothWays = (f: () => Tensor, g = f) => compareWithXnnpack(tf, f, g);

const random = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
/** Normal values where a uniform draw is under `density`, else +0 or -0. */
const sparse = (shape: number[], density: number, seed: number) =>
  tf.tidy(() => {
    const keep = tf.less(tf.randomUniform(shape, 0, 1, 'float32', seed), density);
    const zeros = tf.mul(tf.sign(random(shape, seed + 1)), 0); // ±0
    return tf.where(keep, random(shape, seed + 2), zeros);
  });

// 128 digits, classes in turn (the package holds each class's images in one array)
const pixels = new Float32Array(128 * 784);
for (let i = 0; i < 128; i++) pixels.set(mnistDigits()[i % 10]!.subarray((i / 10 | 0) * 784, ((i / 10 | 0) + 1) * 784), i * 784);
const batch = tf.tensor2d(pixels, [128, 784]);

test('MNIST digits are mostly zeros: their products skip them', () => {
  const weights = random([784, 256], 1);
  const nonzeros = sparseNonzeros(tf.backend(), batch, weights);
  assert.ok(nonzeros !== undefined && nonzeros > 0.1 * batch.size && nonzeros < 0.3 * batch.size, `nonzeros ${nonzeros} of ${batch.size}`);
  const dense = random([128, 784], 2);
  assert.equal(sparseNonzeros(tf.backend(), dense, weights), undefined, 'a dense a is multiplied densely');
  const narrow = random([784, 10], 3);
  assert.equal(sparseNonzeros(tf.backend(), batch, narrow), undefined, 'a product 10 wide is multiplied densely');
  tf.dispose([weights, dense, narrow]);
});

test('digits times weights, and the weight gradient digitsᵀ·dy: bit-identical to XNNPACK', () => {
  const weights = random([784, 256], 3);
  assertBitIdentical(...bothWays(() => tf.matMul(batch, weights)), 'forward');
  const dy = sparse([128, 256], 0.4, 4);
  assertBitIdentical(...bothWays(() => tf.matMul(batch, dy, true, false), () => tf.matMul(tf.transpose(batch), dy)), 'weight gradient');
  tf.dispose([weights, dy]);
});

// [M, K, N, density]: N = 37 and 71 leave a 4-wide panel and a single column after 32-wide
// ones; K = 30 and 1,001 leave values after the groups of four a row is scanned in.
const SHAPES: [number, number, number, number][] = [
  [64, 200, 37, 0.3],
  [50, 30, 100, 0.1],
  [9, 1001, 71, 0.45],
];

for (const [M, K, N, density] of SHAPES) {
  test(`a ${M}×${K} operand ${density * 100}% nonzero times ${K}×${N}, plain, a transposed and with a bias: bit-identical to XNNPACK`, () => {
    const a = sparse([M, K], density, 5);
    const at = sparse([K, M], density, 6);
    const b = random([K, N], 7);
    const bias = random([N], 8);
    assert.notEqual(sparseNonzeros(tf.backend(), a, b), undefined, 'taken as sparse');
    assertBitIdentical(...bothWays(() => tf.matMul(a, b)), 'plain');
    assertBitIdentical(...bothWays(() => tf.matMul(at, b, true, false), () => tf.matMul(tf.transpose(at), b)), 'a transposed');
    assertBitIdentical(...bothWays(() => tf.fused.matMul({ a, b, bias })), 'with a bias');
    tf.dispose([a, at, b, bias]);
  });
}

test('-0, subnormal and NaN values of a are skipped or kept as the dense product keeps them', () => {
  const values = new Float32Array(64 * 100);
  const special = [-0, 1e-40, -1e-40, NaN, Infinity, 3, -0, 0];
  for (let i = 0; i < values.length; i += 11) values[i] = special[(i / 11) % special.length]!;
  const a = tf.tensor2d(values, [64, 100]);
  const b = random([100, 40], 9);
  assert.notEqual(sparseNonzeros(tf.backend(), a, b), undefined, 'taken as sparse');
  assertBitIdentical(...bothWays(() => tf.matMul(a, b)), 'special values');
  tf.dispose([a, b]);
});

test('an infinite b or a bias of -0 keeps the product dense, whose result differs there', () => {
  const a = sparse([64, 100], 0.2, 10);
  const b = random([100, 40], 11);
  const infinite = tf.tidy(() => tf.where(tf.equal(tf.range(0, 4000).reshape([100, 40]), 17), tf.fill([100, 40], Infinity), b));
  assert.equal(sparseNonzeros(tf.backend(), a, infinite), undefined, 'an infinite b');
  // 0·∞ is NaN in every row: skipping the zeros would have lost it
  const [ours, theirs] = bothWays(() => tf.matMul(a, infinite));
  assert.ok(theirs.some((v, i) => i % 40 === 17 && Number.isNaN(v)), 'the dense product has 0·∞ = NaN');
  assertBitIdentical(ours, theirs, 'infinite b');

  const zeroRows = tf.concat([tf.zeros([8, 100]), a], 0);
  const negativeZero = tf.mul(tf.ones([40]), -0);
  assert.equal(sparseNonzeros(tf.backend(), zeroRows, b, negativeZero), undefined, 'a bias of -0');
  // an all-zero row's sums are -0 + (+0 or -0) terms: +0 where any term is +0; skipped, -0
  const [withBias, reference] = bothWays(() => tf.fused.matMul({ a: zeroRows, b, bias: negativeZero }));
  assert.ok(reference.slice(0, 40).some((v) => Object.is(v, 0)), 'the dense product gives +0 there');
  assertBitIdentical(withBias, reference, 'bias -0');
  tf.dispose([a, b, infinite, zeroRows, negativeZero]);
});

test('a sparse product split between the main and the helper thread equals it on one thread', { skip: (threads ?? 1) < 2 && 'one thread' }, async () => {
  const helper = await readyHelper(tf);
  const simd = simdKernels(tf.backend())!;
  const at = (t: Tensor) => heapOffset(tf.backend(), t);
  const b = random([784, 256], 12);
  const scratch = tf.zeros([2 * 200_000]).add(0);
  const partBytes = 4 * 200_000;
  for (const transposed of [false, true]) {
    const M = transposed ? 784 : 128;
    const run = (split: boolean) =>
      tf.tidy(() => {
        const out = tf.zeros([M, 256]).add(0); // a fresh buffer of its own
        const rows = (m0: number, m1: number) => {
          const own = at(scratch) + (m0 === 0 ? 0 : partBytes);
          return transposed ? [at(batch), 128, 784, at(b), 0, at(out), 256, m0, m1, own] : [at(batch), 784, at(b), 0, at(out), 256, m0, m1, own];
        };
        const kernel = transposed ? 'sparse_gemm_transposed' : 'sparse_gemm';
        if (split) helper.split(simd, kernel, M, 1, rows);
        else (simd[kernel] as (...args: number[]) => void)(...rows(0, M));
        return out;
      });
    const one = run(false);
    for (let call = 0; call < 3; call++) {
      const two = run(true);
      assertBitIdentical(two.dataSync() as Float32Array, one.dataSync() as Float32Array, `split ${transposed ? 'transposed ' : ''}product, call ${call}`);
      two.dispose();
    }
    one.dispose();
  }
  tf.dispose([b, scratch]);
});

test('sparse products match the cpu backend', async () => {
  const compute = () =>
    tf.tidy(() => {
      const a = sparse([96, 300], 0.2, 13);
      const b = random([300, 70], 14);
      const bias = random([70], 15);
      return [tf.matMul(a, b), tf.matMul(a, random([96, 70], 16), true, false), tf.fused.matMul({ a, b, bias })].map((t) => t.dataSync() as Float32Array);
    });
  // float32 sums of up to 300 products in other orders; a lost or misplaced term is off by a whole product
  const [wasm, cpu] = await onWasmAndCpu(tf, compute);
  wasm.forEach((values, i) => assertClose(values, cpu[i]!, `case ${i}`, 1e-4, 1e-4));
});
