// RegNet's GEMM (backend/gemm-kernel.ts, simd/gemm.wat) against the XNNPACK matMul it replaces,
// bit for bit: plain, transposed a or b, with a bias, shapes that are not multiples of the 4×8
// tiles, a leading batch dimension of 1, and products large enough to be split with the helper
// thread (checked against the same product on one thread). Shapes it does not take (a batch
// of matrices, a fused activation) still give tfjs' results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfTypes from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { simdMatMul } from '../src/backend/gemm-kernel.js';
import { simdKernels } from '../src/backend/simd-kernels.js';
import { useWasmOverrides } from '../src/backend/wasm-kernels.js';
import { assertBitIdentical, bothWays as compareWithXnnpack, onWasmAndCpu, readyHelper } from './kernel-helpers.js';
import { assertClose } from './assert-close.js';

const { tf, threads } = await initBackend('wasm');
type Tensor = tfTypes.Tensor;

const bothWays = (f: () => Tensor, g = f) => compareWithXnnpack(tf, f, g);

const random = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

// [M, K, N]: the MNIST MLP's products (forward, weight gradient, the small layer), odd sizes
// (row and column remainders, N < 8), one row, and K = 1.
const SHAPES: [number, number, number][] = [
  [128, 784, 256],
  [784, 128, 256],
  [128, 256, 10],
  [37, 19, 21],
  [5, 3, 7],
  [1, 64, 33],
  [64, 1, 16],
];

for (const [M, K, N] of SHAPES) {
  for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    test(`matMul ${M}×${K}·${K}×${N}${transposeA ? ', a transposed' : ''}${transposeB ? ', b transposed' : ''}: bit-identical to XNNPACK`, () => {
      const a = random(transposeA ? [K, M] : [M, K], 1);
      const b = random(transposeB ? [N, K] : [K, N], 2);
      const [ours, theirs] = bothWays(
        () => tf.matMul(a, b, transposeA, transposeB),
        () => tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b),
      );
      assertBitIdentical(ours, theirs, 'product');
      tf.dispose([a, b]);
    });
  }
  test(`a dense layer's ${M}×${K}·${K}×${N} plus bias: bit-identical to XNNPACK`, () => {
    const [a, b, bias] = [random([M, K], 3), random([K, N], 4), random([N], 5)];
    const [ours, theirs] = bothWays(() => tf.fused.matMul({ a, b, bias }));
    assertBitIdentical(ours, theirs, 'product plus bias');
    tf.dispose([a, b, bias]);
  });
}

test('a leading batch dimension of 1 is a plain product; a batch of matrices and a fused relu stay with tfjs', () => {
  const [a, b, bias] = [random([1, 20, 30], 6), random([1, 30, 12], 7), random([12], 8)];
  assert.ok(simdKernels(tf.backend()), 'the SIMD kernels are built');
  const out = simdMatMul(tf.backend(), a, b, false);
  assert.deepEqual(out?.shape, [1, 20, 12]);
  tf.engine().makeTensorFromTensorInfo(out!).dispose();
  assertBitIdentical(...bothWays(() => tf.matMul(a, b)), 'batch of one');
  const [a3, b3] = [random([3, 8, 5], 9), random([3, 5, 4], 10)];
  assert.equal(simdMatMul(tf.backend(), a3, b3, false), undefined, 'a batch of 3 is not taken');
  assertBitIdentical(...bothWays(() => tf.matMul(a3, b3)), 'batch of three');
  assertBitIdentical(...bothWays(() => tf.fused.matMul({ a: a.squeeze([0]), b: b.squeeze([0]), bias, activation: 'relu' })), 'fused relu');
  tf.dispose([a, b, bias, a3, b3]);
});

test('a product split between the main and the helper thread equals it on one thread', { skip: (threads ?? 1) < 2 && 'one thread' }, async () => {
  const helper = await readyHelper(tf);
  const simd = simdKernels(tf.backend())!;
  const [a, b] = [random([96, 200], 11), random([200, 72], 12)];
  const run = (split: boolean) =>
    tf.tidy(() => {
      const out = tf.zeros([96, 72]).add(0); // a fresh buffer of its own
      const at = (t: Tensor) => (tf.backend() as unknown as { dataIdMap: { get(id: unknown): { memoryOffset: number } } }).dataIdMap.get(t.dataId).memoryOffset;
      const rows = (m0: number, m1: number) => [at(a), 200 * 4, 4, at(b), 0, at(out), 200, 72, m0, m1, 0];
      if (split) helper.runBoth(simd, 'gemm', rows(0, 48), rows(48, 96));
      else simd.gemm(...(rows(0, 96) as Parameters<typeof simd.gemm>));
      return out;
    });
  const [one, two] = [run(false), run(true)];
  assertBitIdentical(two.dataSync() as Float32Array, one.dataSync() as Float32Array, 'split product');
  assertBitIdentical(one.dataSync() as Float32Array, tf.matMul(a, b).dataSync() as Float32Array, 'against matMul');
  tf.dispose([a, b, one, two]);
});

// [batch, height, width, channels, out channels, kernel, stride, padding]: the CIFAR bench's
// first layer (3 channels, not a multiple of 4), a strided valid convolution, and two whose
// batch takes several chunks of the patch matrix.
const CONVOLUTIONS: [number, number, number, number, number, number, number, 'same' | 'valid'][] = [
  [16, 32, 32, 3, 32, 3, 1, 'same'],
  [8, 15, 13, 8, 12, 3, 2, 'valid'],
  [64, 16, 16, 32, 16, 3, 1, 'same'],
  [64, 16, 16, 32, 12, 3, 1, 'same'], // several chunks added up in the last 12 mod 8 columns too
];

for (const [batch, height, width, channels, outChannels, k, stride, pad] of CONVOLUTIONS) {
  test(`a ${k}×${k} convolution's filter gradient (${batch}×${height}×${width}×${channels} → ${outChannels}, stride ${stride}, ${pad}): bit-identical to its patch matrix times dy on XNNPACK`, () => {
    const x = random([batch, height, width, channels], 13) as tfTypes.Tensor4D;
    const filterShape: [number, number, number, number] = [k, k, channels, outChannels];
    const ours = tf.tidy(() => {
      const y = tf.conv2d(x, random(filterShape, 14) as tfTypes.Tensor4D, stride, pad);
      const dy = random(y.shape, 15) as tfTypes.Tensor4D;
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [stride, stride], pad, dataFormat: 'NHWC', filterShape }) as Tensor;
      // the reference: the whole im2col matrix, as a tensor, times dy on XNNPACK
      const [, outH, outW] = y.shape;
      const patches = tf.tidy(() => {
        const rows: Tensor[] = [];
        const padded = pad === 'same' ? tf.pad(x, [[0, 0], [Math.floor(((outH! - 1) * stride + k - height) / 2), Math.ceil(((outH! - 1) * stride + k - height) / 2)], [Math.floor(((outW! - 1) * stride + k - width) / 2), Math.ceil(((outW! - 1) * stride + k - width) / 2)], [0, 0]]) : x;
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k; j++) {
            const window = tf.stridedSlice(padded, [0, i, j, 0], [batch, i + (outH! - 1) * stride + 1, j + (outW! - 1) * stride + 1, channels], [1, stride, stride, 1]);
            rows.push(tf.reshape(window, [batch * outH! * outW!, channels]));
          }
        }
        return tf.transpose(tf.concat(rows, 1)); // [(i,j,c), (b,y,x)]
      });
      useWasmOverrides(tf, false, ['BatchMatMul', '_FusedMatMul']);
      try {
        const reference = tf.matMul(patches, tf.reshape(dy, [-1, outChannels]));
        return [dw, tf.reshape(reference, filterShape)];
      } finally {
        useWasmOverrides(tf, true, ['BatchMatMul', '_FusedMatMul']);
      }
    });
    assertBitIdentical(ours[0]!.dataSync() as Float32Array, ours[1]!.dataSync() as Float32Array, 'filter gradient');
    tf.dispose([x, ...ours]);
  });
}

test('products, biased products and a filter gradient at the GEMM\'s tile and block sizes match the cpu backend', async () => {
  // [M, K, N, transposeA, transposeB, bias]: full 4×8 tiles, several 256-k blocks, remainders.
  const cases: [number, number, number, boolean, boolean, boolean][] = [
    [128, 784, 256, false, false, false],
    [784, 128, 256, true, false, false],
    [128, 10, 256, false, true, false],
    [37, 600, 21, false, true, true],
    [64, 300, 40, true, true, true],
  ];
  const compute = () =>
    cases.map(([M, K, N, ta, tb, withBias]) =>
      tf.tidy(() => {
        const a = random(ta ? [K, M] : [M, K], 31);
        const b = random(tb ? [N, K] : [K, N], 32);
        const product = withBias ? tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias: random([N], 33) }) : tf.matMul(a, b, ta, tb);
        return product.dataSync() as Float32Array;
      }),
    );
  const filterGradient = () =>
    tf.tidy(() => {
      const x = random([24, 16, 16, 32], 34) as tfTypes.Tensor4D;
      const dy = random([24, 16, 16, 16], 35) as tfTypes.Tensor4D;
      const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 32, 16] };
      return (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tfTypes.NamedAttrMap) as Tensor).dataSync() as Float32Array;
    });
  // float32 sums of up to 6,144 products in other orders (measured: up to 1.3e-4); a wrong index
  // or a lost block is off by whole products
  const [wasm, cpu] = await onWasmAndCpu(tf, () => [...compute(), filterGradient()]);
  wasm.forEach((values, i) => assertClose(values, cpu[i]!, `case ${i}`, 1e-3, 1e-3));
});
