// Training-step speed of the MNIST-sized MLP (784-256-10) and small convnet
// (conv 32 3x3, maxpool, conv 64 3x3, maxpool, dense 10) at batch 64, built by buildModel
// from IR: forward + backward + SGD update, on wasm with RegNet's kernel overrides, wasm
// without them (only the missing kernels added), and cpu (with its Conv2DBackpropFilter override). Writes bench/results/kernels.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type * as tfTypes from '@tensorflow/tfjs';
import type { GraphIR, IRNode } from '@regnet/compiler';
import { initBackend } from '../src/backend/select.js';
import { OVERRIDDEN_CPU_KERNELS, OVERRIDDEN_WASM_KERNELS, registerCpuKernels, useWasmOverrides } from '../src/backend/wasm-kernels.js';
import { buildModel } from '../src/model/build.js';
import { Random } from '../src/random.js';

const BATCH = 64;
/** Each configuration runs until both limits are reached (after one warm-up step). */
const MIN_STEPS = 5;
const MIN_SECONDS = 3;
/** A configuration slower than this per step is measured with a single step. */
const SLOW_STEP_SECONDS = 5;

function ir(name: string, inputShape: number[], layers: Omit<IRNode, 'inputs' | 'source'>[]): GraphIR {
  const nodes: IRNode[] = [{ id: 'input_0', op: 'input', attrs: {}, inputs: [], shape: inputShape, params: 0 }];
  for (const l of layers) nodes.push({ ...l, inputs: [nodes[nodes.length - 1]!.id] });
  return { version: 1, name, input: { shape: inputShape, dtype: 'float32' }, nodes, output: nodes[nodes.length - 1]!.id, totalParams: 0 } as unknown as GraphIR;
}

const dense = (units: number, activation: string) => ({ units, activation, bias: true, init: 'glorot_uniform', l1: 0, l2: 0 });
const conv = (filters: number) => ({ filters, kernel: [3, 3], stride: [1, 1], padding: 'same', activation: 'relu', bias: true, init: 'glorot_uniform', l1: 0, l2: 0 });
const pool = { size: [2, 2], stride: [2, 2], padding: 'valid' };

const MODELS: GraphIR[] = [
  ir('mlp', [784], [
    { id: 'hidden', op: 'dense', attrs: dense(256, 'relu'), shape: [256], params: 200960 },
    { id: 'logits', op: 'dense', attrs: dense(10, 'linear'), shape: [10], params: 2570 },
  ]),
  ir('convnet', [28, 28, 1], [
    { id: 'conv1', op: 'conv2d', attrs: conv(32), shape: [28, 28, 32], params: 320 },
    { id: 'pool1', op: 'maxpool2d', attrs: pool, shape: [14, 14, 32], params: 0 },
    { id: 'conv2', op: 'conv2d', attrs: conv(64), shape: [14, 14, 64], params: 18496 },
    { id: 'pool2', op: 'maxpool2d', attrs: pool, shape: [7, 7, 64], params: 0 },
    { id: 'flat', op: 'flatten', attrs: {}, shape: [3136], params: 0 },
    { id: 'logits', op: 'dense', attrs: dense(10, 'linear'), shape: [10], params: 31370 },
  ]),
];

interface Measurement {
  model: string;
  backend: string;
  steps: number;
  seconds: number;
  steps_per_second: number;
  ms_per_step: number;
}

function measure(tf: typeof tfTypes, spec: GraphIR, label: string): Measurement {
  const model = buildModel(tf, spec, new Random(1));
  const x = tf.randomNormal([BATCH, ...spec.input.shape], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10);
  const vars = model.trainableWeights.map((w) => w.read() as tfTypes.Variable);
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tfTypes.Tensor) as tfTypes.Scalar, vars);
      for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.01)));
      value.dataSync();
    });
  const warm = performance.now();
  step();
  const slow = (performance.now() - warm) / 1000 > SLOW_STEP_SECONDS;
  let steps = 0;
  const start = performance.now();
  while (steps < (slow ? 1 : MIN_STEPS) || (!slow && performance.now() - start < MIN_SECONDS * 1000)) {
    step();
    steps++;
  }
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  const m = { model: spec.name, backend: label, steps, seconds: +seconds.toFixed(3), steps_per_second: +(steps / seconds).toFixed(3), ms_per_step: +((seconds / steps) * 1000).toFixed(1) };
  console.log(`${m.model.padEnd(8)} ${m.backend.padEnd(22)} ${String(m.steps_per_second).padStart(9)} steps/s  (${m.ms_per_step} ms/step, ${m.steps} steps)`);
  return m;
}

const { tf } = await initBackend('wasm');
registerCpuKernels(tf);
const results: Measurement[] = [];
for (const spec of MODELS) {
  await tf.setBackend('wasm');
  useWasmOverrides(tf, true);
  results.push(measure(tf, spec, 'wasm'));
  useWasmOverrides(tf, false);
  results.push(measure(tf, spec, 'wasm-no-overrides'));
  useWasmOverrides(tf, true);
  await tf.setBackend('cpu');
  results.push(measure(tf, spec, 'cpu'));
}
await tf.setBackend('wasm');

const speedups: Record<string, Record<string, number>> = {};
for (const spec of MODELS) {
  const get = (b: string) => results.find((r) => r.model === spec.name && r.backend === b)!.steps_per_second;
  speedups[spec.name] = {
    wasm_vs_cpu: +(get('wasm') / get('cpu')).toFixed(2),
    overrides_vs_plain_wasm: +(get('wasm') / get('wasm-no-overrides')).toFixed(2),
  };
}
mkdirSync('bench/results', { recursive: true });
const out = {
  benchmark: 'kernels',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  batch: BATCH,
  overridden_kernels: { wasm: OVERRIDDEN_WASM_KERNELS, cpu: OVERRIDDEN_CPU_KERNELS },
  note: 'cpu runs with its Conv2DBackpropFilter override; without it a convnet step took ~120 s here',
  results,
  speedups,
};
writeFileSync('bench/results/kernels.json', JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify(speedups));
console.log('wrote bench/results/kernels.json');
