// The wasm speed overrides written in JavaScript over the wasm heap (backend/heap-kernels.ts)
// and the matrix-product compositions (Sum over leading axes, the GEMM filter gradient), each
// checked against the cpu backend, including the shapes the MNIST convnet trains with; and the
// slicing kernels (heap-slicing.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfTypes from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { registerCpuKernels, useWasmOverrides } from '../src/backend/wasm-kernels.js';
import { squaredGlobalNorm } from '../src/train/clip.js';
import { meanOfRows, sumOfRows, transposedPatches } from '../src/backend/heap-kernels.js';
import { heapOffset, simdKernels } from '../src/backend/simd-kernels.js';
import { onWasmAndCpu } from './kernel-helpers.js';

const { tf } = await initBackend('wasm');
const TOLERANCE = 1e-4;

/** `make` on wasm and on cpu (same seeded inputs): shapes must agree; returns the max abs difference. */
async function wasmVsCpu(make: () => tfTypes.Tensor): Promise<number> {
  const result = () => {
    const t = tf.tidy(make);
    const r = { shape: t.shape, dtype: t.dtype, data: t.dataSync() as ArrayLike<number> };
    t.dispose();
    return r;
  };
  const [w, c] = await onWasmAndCpu(tf, result);
  assert.deepEqual(w.shape, c.shape);
  assert.equal(w.dtype, c.dtype);
  let max = 0;
  for (let i = 0; i < w.data.length; i++) max = Math.max(max, Math.abs(w.data[i]! - c.data[i]!));
  return max;
}

const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

test('Identity and same-dtype Cast share memory, survive the input, and leak nothing', () => {
  const before = tf.memory();
  const x = tf.tensor([1, 2, 3, 4], [2, 2]);
  const copy = x.clone();
  const cast = tf.cast(x, 'float32');
  const toInt = tf.tidy(() => tf.cast(tf.tensor([1.7, -2.2]), 'int32'));
  x.dispose();
  assert.deepEqual(Array.from(copy.dataSync()), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(cast.dataSync()), [1, 2, 3, 4]);
  assert.equal(toInt.dtype, 'int32');
  assert.deepEqual(Array.from(toInt.dataSync()), [1, -2]);
  tf.dispose([copy, cast, toInt]);
  const after = tf.memory();
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.numBytes, before.numBytes);
});

test('GatherV2 matches cpu (rows, inner axes, int32, short rows, repeated and 2-D indices)', async () => {
  const idx = (values: number[], shape = [values.length]) => tf.tensor(values, shape, 'int32');
  const cases: [string, () => tfTypes.Tensor][] = [
    ['batch rows', () => tf.gather(rand([100, 28, 28, 1], 1), idx([5, 99, 0, 5, 42]))],
    ['axis 1', () => tf.gather(rand([3, 7, 20], 2), idx([6, 0, 3]), 1)],
    ['int32 rows', () => tf.gather(tf.cast(tf.mul(rand([30, 16], 3), 100), 'int32'), idx([1, 29, 1]))],
    ['2-D indices', () => tf.gather(rand([12, 32], 4), idx([1, 2, 3, 11, 0, 0], [2, 3]))],
    ['short rows', () => tf.gather(rand([50, 3], 5), idx([4, 49, 7]))],
    ['one-hot labels', () => tf.gather(tf.oneHot(idx([3, 1, 4, 1, 5, 9]), 10), idx([5, 0, 2]))],
    ['single values', () => tf.gather(rand([40], 6), idx([39, 0, 17, 17]))],
    ['short rows of an inner axis (original kernel)', () => tf.gather(rand([4, 6, 3], 7), idx([5, 0]), 1)],
  ];
  for (const [name, make] of cases) assert.equal(await wasmVsCpu(make), 0, name);
  assert.throws(() => tf.gather(rand([4, 16], 1), idx([4])), /index value 4 is not in \[0, 3\]/);
});

test('GreaterEqual against one value (dropout\'s mask) equals the original kernel, ties, NaN and every length mod 16', () => {
  for (const n of [1, 15, 16, 17, 33, 32768 + 5]) {
    const values = Array.from(rand([n], 50 + n).dataSync());
    values[0] = 0.2; // a tie: ≥ holds
    if (n > 2) values[2] = NaN;
    const x = tf.tensor(values);
    const threshold = Math.fround(0.2);
    const ours = tf.greaterEqual(x, threshold).dataSync();
    useWasmOverrides(tf, false, ['GreaterEqual']);
    const theirs = tf.greaterEqual(x, threshold).dataSync();
    const broadcast = tf.greaterEqual(tf.reshape(x, [1, n]), tf.tensor([[0.5]])).dataSync();
    useWasmOverrides(tf, true, ['GreaterEqual']);
    assert.deepEqual(ours, theirs, `length ${n}`);
    assert.equal(ours[0], 1);
    if (n > 2) assert.equal(ours[2], 0);
    assert.deepEqual(tf.greaterEqual(tf.reshape(x, [1, n]), tf.tensor([[0.5]])).dataSync(), broadcast, `[1, ${n}] against [[0.5]]`);
    x.dispose();
  }
});

test('GreaterEqual against one value matches the cpu backend', async () => {
  const values = [...Array.from(rand([1000], 60).dataSync()), 0.2, NaN, -0, Infinity];
  const compare = () => tf.tidy(() => tf.greaterEqual(tf.tensor(values), 0.2).dataSync());
  const wasm = compare();
  await tf.setBackend('cpu');
  try {
    assert.deepEqual(compare(), wasm);
  } finally {
    await tf.setBackend('wasm');
  }
});

// At [64, 28, 28, 32] wasm's own MaxPoolGrad dropped ~6% of the gradients (max error ~4 against
// cpu, measured with tfjs-backend-wasm 4.22); the replacement is exact there.
test('MaxPoolGrad matches cpu, at the convnet training shapes too', async () => {
  const grad = (shape: number[], size: number, stride: number, pad: 'same' | 'valid', seed: number, input?: () => tfTypes.Tensor4D) => () => {
    const x = input ? input() : (rand(shape, seed) as tfTypes.Tensor4D);
    const r = rand(tf.maxPool(x, size, stride, pad).shape, seed + 1);
    return tf.grad((a: tfTypes.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tfTypes.Tensor4D, size, stride, pad), r)))(x);
  };
  const cases: [string, () => tfTypes.Tensor][] = [
    ['convnet pool 1', grad([64, 28, 28, 32], 2, 2, 'valid', 1)],
    ['convnet pool 2', grad([64, 14, 14, 64], 2, 2, 'valid', 3)],
    ['overlapping 3x3 stride 2, same', grad([2, 9, 9, 3], 3, 2, 'same', 5)],
    ['odd size, valid', grad([3, 7, 5, 2], 2, 2, 'valid', 7)],
    ['stride 1', grad([1, 6, 6, 4], 3, 1, 'same', 9)],
    // Ties (relu zeros): the gradient goes to the first maximum in window order, as on cpu.
    ['ties', grad([2, 8, 8, 3], 2, 2, 'valid', 11, () => tf.relu(tf.round(rand([2, 8, 8, 3], 12))) as tfTypes.Tensor4D)],
    // Channels a multiple of 4 take the SIMD kernel (simd/maxpool.wat): ties, odd sizes, −∞.
    ['ties, 8 channels', grad([2, 8, 8, 8], 2, 2, 'valid', 13, () => tf.relu(tf.round(rand([2, 8, 8, 8], 14))) as tfTypes.Tensor4D)],
    ['odd size, 4 channels', grad([3, 7, 5, 4], 2, 2, 'valid', 15)],
    ['-infinity windows, 4 channels', grad([1, 4, 4, 4], 2, 2, 'valid', 17, () => tf.where(tf.greater(rand([1, 4, 4, 4], 18), 0), tf.fill([1, 4, 4, 4], -Infinity), rand([1, 4, 4, 4], 19)) as tfTypes.Tensor4D)],
  ];
  // Exact where windows do not overlap; where they do, dx sums in another order than cpu's.
  for (const [name, make] of cases) {
    const diff = await wasmVsCpu(make);
    assert.ok(name.startsWith('overlapping') || name === 'stride 1' ? diff < 1e-6 : diff === 0, `${name}: ${diff}`);
  }
});

test('Sum and Mean over leading axes (bias gradients, batchnorm moments) match cpu; other reductions unchanged', async () => {
  const cases: [number[], number | number[], boolean][] = [
    [[64, 28, 28, 32], [0, 1, 2], false],
    [[64, 256], 0, false],
    [[4, 5, 6, 7], [1, 0], true],
    [[4, 5, 6], [-3, -2], false],
    [[4, 5, 6], [1, 2], false],
    [[4, 5, 6], [0, 2], true],
    [[4, 5, 6], null as unknown as number[], false],
  ];
  for (const [shape, axis, keepDims] of cases) {
    const diff = await wasmVsCpu(() => tf.sum(rand(shape, 1), axis, keepDims));
    // Sums of up to 50,176 values in [-1, 1]: float32 rounding in a different order.
    assert.ok(diff < 1e-3, `${shape} ${axis}: ${diff}`);
    const meanDiff = await wasmVsCpu(() => tf.mean(tf.add(rand(shape, 2), 3), axis, keepDims));
    assert.ok(meanDiff < TOLERANCE, `mean ${shape} ${axis}: ${meanDiff}`);
    // And bit for bit wasm's own Mean (the examples' committed results depend on it).
    const mean = () => tf.tidy(() => Array.from(tf.mean(tf.add(rand(shape, 3), 3), axis, keepDims).dataSync()));
    const ours = mean();
    useWasmOverrides(tf, false, ['Mean']);
    const theirs = mean();
    useWasmOverrides(tf, true, ['Mean']);
    assert.deepEqual(ours, theirs, `mean ${shape} ${axis} bit for bit`);
  }
  assert.equal(await wasmVsCpu(() => tf.sum(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), 0)), 0);
});

test('Sum and Mean over leading axes in WebAssembly equal their JavaScript loops bit for bit (odd widths, rows mod 4, extremes)', () => {
  const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
  for (const [rows, width] of [[128, 256], [7, 5], [12, 6], [4, 1], [131, 3], [1, 9], [2048, 32]] as const) {
    // small values between a large one and its negation (2^56 and -2^56): the float64 sums round
    // while the large value is in them, so they depend on the order of the additions; and extremes
    const values = Float32Array.from({ length: rows * width }, (_, i) => {
      const r = Math.floor(i / width) % 6;
      return r === 0 ? 2 ** 56 : r === 3 ? -(2 ** 56) : ((i * 7919) % 1000) / 7 - 70;
    });
    if (rows * width > 12) [values[3], values[8], values[11]] = [-0, 1e-42, 3e38];
    const x = tf.tensor2d(values, [rows, width]);
    for (const mean of [false, true]) {
      const ours = (mean ? tf.mean(x, 0) : tf.sum(x, 0)).dataSync() as Float32Array;
      const reference = new Float32Array(width);
      (mean ? meanOfRows : sumOfRows)(values, rows, width, reference);
      assert.deepEqual(bits(ours), bits(reference), `${mean ? 'mean' : 'sum'} of ${rows}×${width}`);
    }
    x.dispose();
  }
  // a NaN and an infinity stay in their columns
  const special = tf.tensor2d([1, NaN, 2, 3, Infinity, 4], [3, 2]);
  assert.deepEqual(Array.from(tf.sum(special, 0).dataSync()), [Infinity, NaN]);
  special.dispose();
});

test('the filter gradient (im2col GEMM) matches cpu at the convnet shapes and with strides', async () => {
  const cases: [number[], number[], number, 'same' | 'valid'][] = [
    [[16, 28, 28, 1], [3, 3, 1, 32], 1, 'same'],
    [[4, 14, 14, 32], [3, 3, 32, 64], 1, 'same'],
    [[3, 11, 9, 5], [4, 2, 5, 3], 3, 'same'],
    [[2, 10, 10, 2], [5, 5, 2, 2], 2, 'valid'],
  ];
  for (const [xShape, fShape, stride, pad] of cases) {
    const diff = await wasmVsCpu(() => {
      const x = rand(xShape, 1) as tfTypes.Tensor4D;
      const r = rand(tf.conv2d(x, rand(fShape, 2) as tfTypes.Tensor4D, stride, pad).shape, 3);
      return tf.grad((f: tfTypes.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tfTypes.Tensor4D, stride, pad), r)))(rand(fShape, 2));
    });
    // Sums of up to 12,544 products in another order than cpu's.
    assert.ok(diff < 2e-3, `${xShape} * ${fShape} stride ${stride} ${pad}: ${diff}`);
  }
});

test('past a 64 MB patch matrix the filter gradient takes the convolution form, with the same values', () => {
  // dW[i, j] = Σ x shifted by (i, j) ⊗ dy: nine products over the zero-padded input, on wasm too.
  const [x, dy] = [rand([40, 32, 32, 48], 31), rand([40, 32, 32, 4], 32)];
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, 48, 4] } as never) as tfTypes.Tensor;
  const reference = tf.tidy(() => {
    const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
    const dyRows = tf.reshape(dy, [-1, 4]);
    const parts = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) parts.push(tf.matMul(tf.reshape(tf.slice(padded, [0, i, j, 0], [40, 32, 32, 48]), [-1, 48]), dyRows, true, false));
    return tf.reshape(tf.stack(parts), [3, 3, 48, 4]);
  });
  const diff = tf.max(tf.abs(tf.sub(dw, reference))).dataSync()[0]!;
  // Sums of 40,960 products in two orders.
  assert.ok(diff < 2e-3, `max difference ${diff}`);
  tf.dispose([x, dy, dw, reference]);
});

test('the patch matrix from simd/patches.wat is the transpose of the JavaScript loop\'s, bit for bit (padding, strides, dilation)', () => {
  const backend = tf.backend();
  const simd = simdKernels(backend);
  assert.ok(simd, 'the SIMD kernels are built');
  const geometries: [number[], Parameters<typeof transposedPatches>[2]][] = [
    [[3, 7, 6, 1], { kh: 3, kw: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 1, padLeft: 1, outH: 7, outW: 6 }],
    [[2, 9, 8, 5], { kh: 3, kw: 2, strideH: 2, strideW: 3, dilationH: 2, dilationW: 1, padTop: 1, padLeft: 0, outH: 4, outW: 3 }],
    [[1, 5, 5, 4], { kh: 2, kw: 2, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0, outH: 4, outW: 4 }],
  ];
  for (const [shape, g] of geometries) {
    const x = rand(shape, 21);
    const info = { dataId: x.dataId, shape: x.shape, dtype: x.dtype } as tfTypes.TensorInfo;
    const rows = shape[0]! * g.outH * g.outW;
    const columns = g.kh * g.kw * shape[3]!;
    const js = tf.engine().makeTensorFromTensorInfo(transposedPatches(backend, info, g));
    const wasm = tf.zeros([rows, columns]).add(0); // a buffer of its own
    const at = (t: tfTypes.Tensor) => heapOffset(backend, t);
    simd.patches(at(x), at(wasm), shape[0]!, shape[1]!, shape[2]!, shape[3]!, g.outH, g.outW, g.kh, g.kw, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft);
    assert.deepEqual(js.shape, [columns, rows]);
    assert.deepEqual(Array.from(tf.transpose(wasm).dataSync()), Array.from(js.dataSync()), `${shape}`);
    tf.dispose([x, js, wasm]);
  }
});

test('RegNetSumOfSquares (the gradient norm in one kernel) matches tf ops on wasm and cpu', async () => {
  registerCpuKernels(tf);
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const grads = [rand([784, 256], 1), rand([256], 2), rand([3, 3, 32, 64], 3), tf.scalar(-2)];
    const fused = squaredGlobalNorm(tf, grads).dataSync()[0]!;
    // The exact sum (float64 over the float32 values): wasm's own float32 Sum drifts by ~3e-5 here.
    let exact = 0;
    for (const g of grads) for (const v of g.dataSync()) exact += v * v;
    assert.equal(fused, Math.fround(exact), backend);
    assert.equal(squaredGlobalNorm(tf, [tf.tensor([3, 4])]).dataSync()[0], 25);
    tf.dispose(grads);
  }
  await tf.setBackend('wasm');
});

test('RegNetSumOfSquares on wasm (simd/sum-of-squares.wat) gives the cpu kernel\'s JavaScript sums, for every length mod 4', async () => {
  const lengths = [1, 2, 3, 4, 5, 6, 7, 1001, 200_704];
  const values = lengths.map((n, i) => Array.from(rand([n], 40 + i).dataSync()).map((v, j) => v * 10 ** ((j % 7) - 3)));
  const norms = async (backend: string) => {
    await tf.setBackend(backend);
    return values.map((v) => tf.tidy(() => squaredGlobalNorm(tf, [tf.tensor(v), tf.tensor(v.slice(0, 3))]).dataSync()[0]!));
  };
  registerCpuKernels(tf);
  const cpu = await norms('cpu');
  assert.deepEqual(await norms('wasm'), cpu);
});

test('Slice, Unpack and SplitV read the input in place and match cpu (strided, int32, bool, rank 0-4)', async () => {
  const ints = (shape: number[], seed: number) => tf.cast(tf.mul(rand(shape, seed), 100), 'int32');
  const cases: [string, () => tfTypes.Tensor][] = [
    ['slice rows', () => tf.slice(rand([10, 32], 1), [3, 0], [4, 32])],
    ['slice inner block', () => tf.slice(rand([4, 5, 6, 7], 2), [1, 2, 0, 3], [2, 3, 6, 4])],
    ['slice short runs', () => tf.slice(rand([6, 9], 3), [1, 2], [4, 3])],
    ['slice to the end (-1)', () => tf.slice(rand([5, 40], 4), [2, 10], [-1, -1])],
    ['slice of nothing', () => tf.slice(rand([5, 4], 5), [1, 0], [0, 4])],
    ['slice int32', () => tf.slice(ints([7, 20], 6), [2, 3], [3, 17])],
    ['slice bool', () => tf.cast(tf.slice(tf.greater(rand([6, 20], 7), 0), [1, 1], [4, 18]), 'int32')],
    ['slice rank 1', () => tf.slice(rand([50], 8), 7, 30)],
    ['unstack time-major steps', () => tf.stack(tf.unstack(rand([5, 8, 24], 9), 0).map((t, i) => tf.mul(t, i + 1)), 0)],
    ['unstack middle axis', () => tf.stack(tf.unstack(rand([8, 5, 24], 10), 1).reverse(), 1)],
    ['unstack last axis', () => tf.stack(tf.unstack(rand([3, 4, 5], 11), 2).reverse(), 0)],
    ['unstack int32', () => tf.stack(tf.unstack(ints([4, 30], 12), 0).reverse(), 0)],
    ['split equal', () => tf.concat(tf.split(rand([6, 32], 13), 4, 1).reverse(), 1)],
    ['split sizes with -1', () => tf.concat(tf.split(rand([9, 5, 6], 14), [2, -1, 3], 0).reverse(), 0)],
    ['split int32 middle axis', () => tf.concat(tf.split(ints([3, 8, 17], 15), [5, 3], 1).reverse(), 1)],
  ];
  for (const [name, make] of cases) assert.equal(await wasmVsCpu(make), 0, name);
  const scalarSlice = tf.tidy(() => tf.unstack(tf.tensor1d([4, 5, 6]))[2]!.dataSync()[0]);
  assert.equal(scalarSlice, 6);
  assert.throws(() => tf.slice(rand([4, 4], 1), [3, 0], [2, 4]));
});

test('the overrides can be switched off and on again', () => {
  useWasmOverrides(tf, false);
  const off = tf.tidy(() => tf.sum(tf.gather(rand([8, 16], 1), tf.tensor1d([7, 1], 'int32')), 0).dataSync());
  useWasmOverrides(tf, true);
  const on = tf.tidy(() => tf.sum(tf.gather(rand([8, 16], 1), tf.tensor1d([7, 1], 'int32')), 0).dataSync());
  for (let i = 0; i < on.length; i++) assert.ok(Math.abs(on[i]! - off[i]!) < TOLERANCE);
});
