// The fused Adam / AdamW update (backend/adam-kernel.ts, on wasm its SIMD kernel, via
// train/fused-update.ts) against the
// per-parameter tf ops it replaces (REGNET_FUSED_UPDATE=0): bit-identical weights and moments
// over several steps, on cpu and on wasm, with and without decoupled weight decay, across a
// getState/setState round trip; one kernel call per step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfTypes from '@tensorflow/tfjs';
import type { ResolvedCall } from '@regnet/compiler';
import { initBackend } from '../src/backend/select.js';
import { registerCpuKernels } from '../src/backend/wasm-kernels.js';
import { ADAM_UPDATE } from '../src/backend/adam-kernel.js';
import { simdKernels } from '../src/backend/simd-kernels.js';
import { createOptimizer, type OptimizedParam } from '../src/train/optimizers.js';

const { tf } = await initBackend('wasm');
registerCpuKernels(tf);

// The last is larger than the cpu's fused limit, and not a multiple of 4 (the SIMD kernel's tail).
const SHAPES = [[7, 5], [5], [3, 3, 2, 4], [1], [301, 257]];

/** Weights and moments after `steps` updates with seeded gradients and a changing lr. */
function run(config: ResolvedCall, fused: boolean, steps: number): number[][] {
  if (fused) delete process.env.REGNET_FUSED_UPDATE;
  else process.env.REGNET_FUSED_UPDATE = '0';
  try {
    const params: OptimizedParam[] = SHAPES.map((shape, i) => ({
      name: `p${i}`,
      variable: tf.variable(tf.randomUniform(shape, -1, 1, 'float32', 10 + i)),
      decay: shape.length > 1,
    }));
    let optimizer = createOptimizer(tf, config, params);
    for (let s = 0; s < steps; s++) {
      if (s === 2) {
        // --resume: a new optimizer from the saved state.
        const state = optimizer.getState();
        optimizer.dispose();
        optimizer = createOptimizer(tf, config, params);
        optimizer.setState(state);
      }
      const grads = Object.fromEntries(params.map((p, i) => [p.name, tf.randomUniform(p.variable.shape, -3, 3, 'float32', 100 * s + i)]));
      tf.tidy(() => optimizer.apply(grads, 0.01 / (s + 1)));
      tf.dispose(Object.values(grads));
    }
    const state = optimizer.getState();
    const out = [...params.map((p) => Array.from(p.variable.dataSync())), ...Object.values(state.slots).flatMap((s) => Object.values(s).map((v) => v.values))];
    optimizer.dispose();
    params.forEach((p) => p.variable.dispose());
    return out;
  } finally {
    delete process.env.REGNET_FUSED_UPDATE;
  }
}

const CONFIGS: ResolvedCall[] = [
  { kind: 'adam', args: { lr: 0.01 } },
  { kind: 'adamw', args: { lr: 0.01, weight_decay: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 } },
];

test('fused Adam/AdamW is bit-identical to the tf-op update on cpu and wasm, across a resume', async () => {
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    // On wasm every tensor takes RegNet's SIMD kernel (backend/simd/adam.wat).
    assert.equal(simdKernels(tf.backend()) !== undefined, backend === 'wasm');
    for (const config of CONFIGS) {
      const ops = run(config, false, 5);
      const fused = run(config, true, 5);
      assert.equal(fused.length, SHAPES.length * 3);
      assert.deepEqual(fused, ops, `${backend} ${config.kind}`);
    }
  }
  await tf.setBackend('wasm');
});

test('one kernel call updates every parameter; no tensors leak', () => {
  const params: OptimizedParam[] = SHAPES.map((shape, i) => ({ name: `p${i}`, variable: tf.variable(tf.ones(shape)), decay: true }));
  const optimizer = createOptimizer(tf, { kind: 'adam', args: { lr: 0.1 } }, params);
  const grads = Object.fromEntries(params.map((p) => [p.name, tf.onesLike(p.variable)]));
  optimizer.apply(grads, 0.1);
  const before = tf.memory().numTensors;
  const calls: string[] = [];
  const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown };
  const original = engine.runKernel.bind(engine);
  engine.runKernel = (name, ...rest) => (calls.push(name), original(name, ...rest));
  try {
    optimizer.apply(grads, 0.1);
  } finally {
    engine.runKernel = original;
  }
  assert.deepEqual(calls, [ADAM_UPDATE]);
  assert.equal(tf.memory().numTensors, before);
  optimizer.dispose();
  tf.dispose([...Object.values(grads), ...params.map((p) => p.variable as tfTypes.Tensor)]);
});
