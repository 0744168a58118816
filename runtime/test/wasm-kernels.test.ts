// Every kernel RegNet adds to or overrides on wasm, checked against the cpu backend on
// random inputs of several shapes, strides and paddings (max abs difference < 1e-4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfTypes from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { ADDED_WASM_KERNELS, OVERRIDDEN_WASM_KERNELS, registerCpuKernels, useKernelOverrides } from '../src/backend/wasm-kernels.js';

const { tf, name } = await initBackend('wasm');
const TOLERANCE = 1e-4;

/** Runs `make` on wasm and on cpu (same seeded inputs) and returns the max abs difference. */
async function wasmVsCpu(make: () => tfTypes.Tensor): Promise<number> {
  const results: { shape: number[]; data: Float32Array | Int32Array | Uint8Array }[] = [];
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const t = tf.tidy(make);
    results.push({ shape: t.shape, data: await t.data() });
    t.dispose();
  }
  await tf.setBackend('wasm');
  const [w, c] = results as [(typeof results)[0], (typeof results)[0]];
  assert.deepEqual(w.shape, c.shape);
  let max = 0;
  for (let i = 0; i < w.data.length; i++) max = Math.max(max, Math.abs(w.data[i]! - c.data[i]!));
  return max;
}

const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

/** The gradient of Σ op(x, f)·r with respect to `wrt`: makes the backprop kernel see dy = r. */
function backprop(op: (x: tfTypes.Tensor4D, f: tfTypes.Tensor4D) => tfTypes.Tensor, xShape: number[], fShape: number[], wrt: 'x' | 'f') {
  return () => {
    const x = rand(xShape, 1) as tfTypes.Tensor4D;
    const f = rand(fShape, 2) as tfTypes.Tensor4D;
    const r = tf.randomUniform(op(x, f).shape, -1, 1, 'float32', 3);
    const loss = (a: tfTypes.Tensor4D, b: tfTypes.Tensor4D) => tf.sum(tf.mul(op(a, b), r));
    return wrt === 'x' ? tf.grad((a: tfTypes.Tensor) => loss(a as tfTypes.Tensor4D, f))(x) : tf.grad((b: tfTypes.Tensor) => loss(x, b as tfTypes.Tensor4D))(f);
  };
}

type Conv = { x: number[]; f: number[]; stride: number | [number, number]; pad: 'same' | 'valid' };
const CONVS: Conv[] = [
  { x: [2, 7, 7, 3], f: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 8, 9, 3], f: [3, 3, 3, 5], stride: 2, pad: 'same' },
  { x: [2, 9, 9, 2], f: [5, 3, 2, 4], stride: 2, pad: 'valid' },
  { x: [3, 6, 6, 1], f: [2, 2, 1, 3], stride: [2, 1], pad: 'valid' },
  { x: [1, 5, 5, 2], f: [1, 1, 2, 3], stride: 1, pad: 'same' },
  { x: [4, 10, 10, 8], f: [3, 3, 8, 6], stride: 3, pad: 'same' },
  { x: [2, 4, 4, 2], f: [4, 4, 2, 2], stride: 1, pad: 'valid' },
];

test('the wasm backend initializes (not a silent cpu fallback) with the added kernels', () => {
  assert.equal(name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  for (const k of [...ADDED_WASM_KERNELS, ...OVERRIDDEN_WASM_KERNELS]) assert.ok(tf.getKernel(k, 'wasm'), k);
});

test('Conv2DBackpropFilter (added) and Conv2DBackpropInput (overridden) match cpu', async () => {
  for (const c of CONVS) {
    const op = (x: tfTypes.Tensor4D, f: tfTypes.Tensor4D) => tf.conv2d(x, f, c.stride, c.pad);
    const dFilter = await wasmVsCpu(backprop(op, c.x, c.f, 'f'));
    const dInput = await wasmVsCpu(backprop(op, c.x, c.f, 'x'));
    assert.ok(dFilter < TOLERANCE, `filter ${JSON.stringify(c)}: ${dFilter}`);
    assert.ok(dInput < TOLERANCE, `input ${JSON.stringify(c)}: ${dInput}`);
  }
});

test('conv1d gradients (conv2d kernels on a height-1 image) match cpu', async () => {
  for (const [stride, pad] of [[1, 'same'], [2, 'valid'], [3, 'same']] as const) {
    const diff = await wasmVsCpu(() => {
      const x = rand([3, 11, 4], 1) as tfTypes.Tensor3D;
      const f = rand([3, 4, 5], 2) as tfTypes.Tensor3D;
      const r = tf.randomUniform(tf.conv1d(x, f, stride, pad).shape, -1, 1, 'float32', 3);
      const loss = (a: tfTypes.Tensor, b: tfTypes.Tensor) => tf.sum(tf.mul(tf.conv1d(a as tfTypes.Tensor3D, b as tfTypes.Tensor3D, stride, pad), r));
      const [dx, df] = tf.grads(loss)([x, f]);
      return tf.concat([tf.reshape(dx!, [-1]), tf.reshape(df!, [-1])]);
    });
    assert.ok(diff < TOLERANCE, `stride ${stride} ${pad}: ${diff}`);
  }
});

test('DepthwiseConv2dNativeBackpropFilter and BackpropInput match cpu', async () => {
  for (const c of CONVS) {
    for (const multiplier of [1, 2]) {
      const f = [c.f[0]!, c.f[1]!, c.x[3]!, multiplier];
      const op = (x: tfTypes.Tensor4D, w: tfTypes.Tensor4D) => tf.depthwiseConv2d(x, w, c.stride, c.pad);
      const dFilter = await wasmVsCpu(backprop(op, c.x, f, 'f'));
      const dInput = await wasmVsCpu(backprop(op, c.x, f, 'x'));
      assert.ok(dFilter < TOLERANCE, `filter ${JSON.stringify(c)} m=${multiplier}: ${dFilter}`);
      assert.ok(dInput < TOLERANCE, `input ${JSON.stringify(c)} m=${multiplier}: ${dInput}`);
    }
  }
});

test('UnsortedSegmentSum (embedding gradient) matches cpu, repeated ids summed', async () => {
  for (const [vocab, dim, ids] of [
    [10, 4, [1, 3, 3, 0, 9, 1]],
    [7, 1, [6, 6, 6, 6]],
    [50, 8, Array.from({ length: 64 }, (_, i) => (i * 7) % 13)],
  ] as const) {
    const diff = await wasmVsCpu(() => {
      const table = rand([vocab, dim], 5);
      const idx = tf.tensor2d(ids as readonly number[] as number[], [2, ids.length / 2], 'int32');
      const r = rand([2, ids.length / 2, dim], 6);
      return tf.grad((t: tfTypes.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), r)))(table);
    });
    assert.ok(diff < TOLERANCE, `vocab ${vocab}: ${diff}`);
    const direct = await wasmVsCpu(() => tf.unsortedSegmentSum(rand([ids.length, dim], 1), tf.tensor1d(ids as readonly number[] as number[], 'int32'), vocab));
    assert.ok(direct < TOLERANCE);
  }
});

test('BatchMatMul override (transposed, batched, broadcast) matches cpu', async () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 6], [6, 7], false, false],
    [[6, 5], [6, 7], true, false],
    [[5, 6], [7, 6], false, true],
    [[6, 5], [7, 6], true, true],
    [[4, 5, 6], [6, 7], false, false],
    [[4, 5, 6], [7, 6], false, true],
    [[4, 6, 5], [4, 6, 7], true, false],
    [[2, 3, 5, 6], [1, 6, 7], false, false],
    [[3, 4, 5], [3, 5, 2], false, false],
  ];
  for (const [a, b, ta, tb] of cases) {
    const diff = await wasmVsCpu(() => tf.matMul(rand(a, 1), rand(b, 2), ta, tb));
    assert.ok(diff < TOLERANCE, `${a} x ${b} ${ta} ${tb}: ${diff}`);
  }
});

test('Tile override matches cpu (float and int)', async () => {
  const cases: [number[], number[]][] = [
    [[2, 3], [3, 2]],
    [[1, 1, 1, 4], [2, 5, 5, 1]],
    [[3], [4]],
    [[2, 1, 3], [1, 1, 1]],
    [[2, 1, 3, 1, 2], [2, 3, 1, 2, 2]],
  ];
  for (const [shape, reps] of cases) {
    assert.ok((await wasmVsCpu(() => tf.tile(rand(shape, 1), reps))) === 0, `${shape} x ${reps}`);
    assert.ok((await wasmVsCpu(() => tf.tile(tf.cast(tf.mul(rand(shape, 1), 10), 'int32'), reps))) === 0);
  }
});

test('a convnet training step gives the same gradients on wasm and cpu', async () => {
  const diff = await wasmVsCpu(() => {
    const x = rand([4, 12, 12, 3], 1) as tfTypes.Tensor4D;
    const f1 = rand([3, 3, 3, 8], 2) as tfTypes.Tensor4D;
    const f2 = rand([3, 3, 8, 4], 3) as tfTypes.Tensor4D;
    const w = rand([36, 5], 4) as tfTypes.Tensor2D;
    const loss = (a: tfTypes.Tensor4D, b: tfTypes.Tensor4D, c: tfTypes.Tensor2D) => {
      let h = tf.relu(tf.conv2d(x, a, 1, 'same'));
      h = tf.maxPool(h, 2, 2, 'valid');
      h = tf.relu(tf.conv2d(h, b, 2, 'same'));
      return tf.mean(tf.square(tf.matMul(tf.reshape(h, [4, 36]), c)));
    };
    const grads = tf.grads((a, b, c) => loss(a as tfTypes.Tensor4D, b as tfTypes.Tensor4D, c as tfTypes.Tensor2D))([f1, f2, w]);
    return tf.concat(grads.map((g) => tf.reshape(g, [-1])));
  });
  assert.ok(diff < TOLERANCE, `${diff}`);
});

test("cpu's Conv2DBackpropFilter override equals cpu's original kernel", async () => {
  registerCpuKernels(tf);
  await tf.setBackend('cpu');
  try {
    for (const c of CONVS) {
      const grad = backprop((x, f) => tf.conv2d(x, f, c.stride, c.pad), c.x, c.f, 'f');
      useKernelOverrides(tf, 'cpu', false);
      const original = tf.tidy(grad);
      useKernelOverrides(tf, 'cpu', true);
      const replaced = tf.tidy(grad);
      const diff = tf.max(tf.abs(tf.sub(original, replaced))).dataSync()[0]!;
      assert.ok(diff < TOLERANCE, `${JSON.stringify(c)}: ${diff}`);
      tf.dispose([original, replaced]);
    }
  } finally {
    useKernelOverrides(tf, 'cpu', false);
    await tf.setBackend('wasm');
  }
});
