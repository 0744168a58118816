// A conv2d layer reading data skips the gradient with respect to its input (layers/data-conv.ts):
// same forward output and same filter and bias gradients, bit for bit, as tfjs' fused conv2d,
// without a Conv2DBackpropInput; and buildModel applies it to the first conv only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfTypes from '@tensorflow/tfjs';
import { compile } from '@regnet/compiler';
import { initBackend } from '../src/backend/select.js';
import { skipInputGradient } from '../src/layers/data-conv.js';
import { buildModel } from '../src/model/build.js';
import { Random } from '../src/random.js';

const { tf } = await initBackend('wasm');

/** Output, kernel and bias gradients of sum(conv(x)²), and the kernels that ran while computing them. */
async function run(layer: tfTypes.layers.Layer, x: tfTypes.Tensor) {
  const kernels: string[] = [];
  const profile = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tfTypes.Tensor)) as tfTypes.Scalar);
    value.dispose();
    return Object.values(grads);
  });
  for (const k of profile.kernels) kernels.push(k.name);
  const y = layer.apply(x) as tfTypes.Tensor;
  const { grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tfTypes.Tensor)) as tfTypes.Scalar);
  const names = Object.keys(grads).sort();
  return {
    kernels,
    y: Array.from(await y.data()),
    grads: await Promise.all(names.map(async (n) => Array.from(await grads[n]!.data()))),
  };
}

for (const [label, args] of [
  ['same padding, bias', { padding: 'same', useBias: true, strides: 1 }],
  ['valid padding, stride 2, no bias', { padding: 'valid', useBias: false, strides: 2 }],
] as const) {
  test(`data conv (${label}): bit-identical output and gradients, no input gradient`, async () => {
    const x = tf.randomUniform([4, 9, 9, 3], -1, 1, 'float32', 7);
    const make = () => {
      const layer = tf.layers.conv2d({ filters: 5, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 4 }), ...args });
      layer.apply(x); // builds the weights (same seeds: same values)
      return layer;
    };
    const plain = await run(make(), x);
    const skipping = make();
    skipInputGradient(tf, skipping);
    const ours = await run(skipping, x);
    assert.ok(plain.kernels.includes('Conv2DBackpropInput'), 'tfjs computes the input gradient');
    assert.ok(!ours.kernels.includes('Conv2DBackpropInput'), `no input gradient: ${ours.kernels.join(' ')}`);
    assert.ok(ours.kernels.includes('Conv2DBackpropFilter'));
    assert.deepEqual(ours.y, plain.y);
    assert.equal(ours.grads.length, args.useBias ? 2 : 1);
    assert.deepEqual(ours.grads, plain.grads);
  });
}

/** The model of an MNIST spec whose model block holds `layers` (then flatten and dense(10)), and its IR. */
function mnistModel(layers: string[]) {
  const source = `model m {\n${[...layers, 'flatten', 'dense(10)'].map((l) => `  ${l}`).join('\n')}\n}\ndata { source: mnist() }\n`;
  const { ir, diagnostics } = compile(source);
  assert.ok(ir, JSON.stringify(diagnostics));
  return { ir, model: buildModel(tf, ir, new Random(1)) };
}

test('buildModel skips the input gradient of the first conv only, and not of one with a relu', () => {
  const { model } = mnistModel(['conv2d(4)', 'conv2d(4)', 'conv2d(4, activation: relu)']);
  const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
  assert.equal(convs.length, 3);
  const overridden = convs.map((l) => Object.prototype.hasOwnProperty.call(l, 'call'));
  assert.deepEqual(overridden, [true, false, false]);
});

test('a first conv after a parameter-free layer (avgpool) trains: its saved input outlives the forward pass', () => {
  const { ir, model } = mnistModel(['avgpool(2)', 'conv2d(4)', 'batchnorm', 'relu']);
  assert.ok(Object.prototype.hasOwnProperty.call(model.getLayer(ir.nodes.find((n) => n.op === 'conv2d')!.id), 'call'));
  const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 5);
  const vars = model.trainableWeights.map((w) => w.read() as tfTypes.Variable);
  for (let step = 0; step < 2; step++) {
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x, { training: true }) as tfTypes.Tensor)) as tfTypes.Scalar, vars);
    assert.ok(Number.isFinite(value.dataSync()[0]!));
    assert.equal(Object.keys(grads).length, vars.length);
    tf.dispose([value, ...Object.values(grads)]);
  }
});
