// The wasm backend on several threads (backend/wasm-threads.ts): the thread count it reports,
// REGNET_THREADS, the share each trial process of a sweep gets, a process that exits by itself
// with the pool's workers and RegNet's helper thread started, and training that gives the same
// numbers and weights, bit for bit, on 1 and 2 threads (XNNPACK's convolutions, and RegNet's
// GEMM, batchnorm and Adam kernels split with the helper thread).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { threadsPerProcess, threadsSettingProblem, wasmThreads, workloadOf, xnnpackPoolThreads } from '../src/backend/wasm-threads.js';
import { compile } from '@regnet/compiler';
import { REGNETC, REPO, tempDir, writeSpec } from './run-helpers.js';

test('REGNET_THREADS picks the thread count (1 to 4); by default one per core, at most 4', () => {
  assert.equal(wasmThreads({ REGNET_THREADS: '1' }), 1);
  assert.equal(wasmThreads({ REGNET_THREADS: '3' }), 3);
  assert.equal(wasmThreads({ REGNET_THREADS: '64' }), 4);
  assert.equal(wasmThreads({ REGNET_THREADS: 'many' }), Math.min(4, availableParallelism()));
  assert.equal(wasmThreads({}), Math.min(4, availableParallelism()));
});

test('a mistyped REGNET_THREADS is refused with one line naming it; valid values pass', () => {
  for (const good of [undefined, '', '1', '2', ' 3 ', '64']) assert.equal(threadsSettingProblem({ REGNET_THREADS: good }), undefined, String(good));
  for (const bad of ['two', '0', '-1', '1.5', '2x']) {
    assert.equal(
      threadsSettingProblem({ REGNET_THREADS: bad }),
      `REGNET_THREADS must be a whole number of threads, 1 or more (1: one thread; more than 4 counts as 4), not "${bad}"`,
    );
  }
});

for (const command of [['train'], ['sweep']]) {
  test(`regnetc ${command[0]} stops at a mistyped REGNET_THREADS: one line, exit 1, nothing written`, () => {
    const dir = tempDir();
    const spec = writeSpec(dir, 'convnet.regnet', CONVNET);
    const out = join(dir, 'out');
    const r = spawnSync(process.execPath, [REGNETC, ...command, spec, '--out', out], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1', REGNET_THREADS: 'two' },
    });
    assert.equal(r.status, 1);
    // (The spec's own warnings may come first.)
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.at(-1), 'regnetc: error: REGNET_THREADS must be a whole number of threads, 1 or more (1: one thread; more than 4 counts as 4), not "two"');
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    assert.equal(existsSync(join(out, 'metrics.jsonl')), false);
  });
}

test('XNNPACK\'s pool: every thread for a model with convolutions, one (and the helper) for the others', () => {
  const pool = (source: string) => xnnpackPoolThreads(2, workloadOf(compile(source).ir!));
  assert.equal(pool(CONVNET), 2);
  assert.equal(pool(MLP), 1);
  assert.equal(xnnpackPoolThreads(2, workloadOf({ nodes: [{ op: 'input' }, { op: 'conv1d' }, { op: 'dense' }] })), 2, 'conv1d counts');
  assert.equal(xnnpackPoolThreads(2), 2, 'an unknown model gets the whole pool');
  assert.equal(xnnpackPoolThreads(1, workloadOf(compile(CONVNET).ir!)), 1);
});

test('trial processes side by side share the cores; an explicit REGNET_THREADS wins', () => {
  const cores = availableParallelism();
  assert.equal(threadsPerProcess(1, {}), String(cores));
  assert.equal(threadsPerProcess(cores, {}), '1');
  assert.equal(threadsPerProcess(cores * 4, {}), '1');
  assert.equal(threadsPerProcess(2, { REGNET_THREADS: '2' }), '2');
});

test('a process that started the threaded backend and the helper thread exits by itself, and reports its threads', () => {
  const script = `
    const { initBackend } = await import(${JSON.stringify(join(REPO, 'runtime/dist/src/backend/select.js'))});
    const { simdHelper } = await import(${JSON.stringify(join(REPO, 'runtime/dist/src/backend/simd-kernels.js'))});
    const { name, threads, tf } = await initBackend('wasm');
    tf.matMul(tf.ones([256, 256]), tf.ones([256, 256])).dataSync(); // large enough for the helper thread
    await new Promise((resolve) => setTimeout(resolve, 500));
    tf.matMul(tf.ones([256, 256]), tf.ones([256, 256])).dataSync();
    console.log(name, threads, simdHelper(tf.backend())?.ready ? 'helper' : 'no helper');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, REGNET_THREADS: '2' } });
  assert.equal(r.error, undefined, 'exited within 30 s');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'wasm 2 helper');
});

test('the helper takes background work (the next dropout mask) beside a pool of one, not beside a convnet\'s pool', () => {
  const startsBackground = (convolutions: boolean) => {
    const script = `
      const { initBackend } = await import(${JSON.stringify(join(REPO, 'runtime/dist/src/backend/select.js'))});
      const { simdHelper, heapOffset } = await import(${JSON.stringify(join(REPO, 'runtime/dist/src/backend/simd-kernels.js'))});
      const { tf } = await initBackend('wasm', { convolutions: ${convolutions} });
      const helper = simdHelper(tf.backend());
      for (let i = 0; i < 100 && !helper.ready; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const out = tf.zeros([16]);
      const started = helper.start('dropout_mask', [0, 0.1, 0.2, 0.3, 16, 0.5, 2, heapOffset(tf.backend(), out)]);
      helper.finish();
      console.log(started);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, REGNET_THREADS: '2' } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  assert.equal(startsBackground(false), 'true');
  assert.equal(startsBackground(true), 'false');
});

/** The data and training of every spec here: two short epochs of MNIST. */
const DATA_AND_TRAIN = `
data {
  source: mnist()
  subset: 512
  validation: 0.25
}
train {
  epochs: 2
  batch_size: 64
  optimizer: adam(lr: 0.003)
  seed: 5
}
`;

const CONVNET = `
model small_convnet {
  conv2d(16)
  batchnorm
  relu
  maxpool(2)
  conv2d(8)
  relu
  flatten
  dropout(0.2)
  dense(128, activation: relu)
  dense(10)
}
${DATA_AND_TRAIN}`;

// A model without convolutions runs XNNPACK's pool on one thread and the helper thread beside it
// (wasm-threads.ts' xnnpackPoolThreads): still 2 threads, and still the numbers of 1. Sizes are
// above the helper's thresholds: the convnet's batchnorm (64×28×28×16 values), the MLP's first
// weights for Adam (784×1536) and its products.
const MLP = `
model mlp {
  flatten
  dense(1536, activation: relu)
  dropout(0.2)
  dense(10)
}
${DATA_AND_TRAIN}`;

for (const [name, source] of [['a convnet', CONVNET], ['an MLP', MLP]] as const) test(`training ${name} on 2 threads gives the numbers and weights of 1 thread, bit for bit`, () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'model.regnet', source);
  const runs = ['1', '2'].map((threads) => {
    const out = join(dir, `threads-${threads}`);
    const r = spawnSync(process.execPath, [REGNETC, 'train', spec, '--out', out, '--backend', 'wasm'], {
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, NO_COLOR: '1', REGNET_THREADS: threads },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, threads === '1' ? /^backend: wasm$/m : /^backend: wasm \(2 threads\)$/m);
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => ({ ...JSON.parse(line), seconds: undefined }));
    return { metrics, weights: readFileSync(join(out, 'model', 'weights.bin')) };
  });
  assert.equal(runs[0]!.metrics.length, 2);
  assert.deepEqual(runs[1]!.metrics, runs[0]!.metrics);
  assert.ok(runs[1]!.weights.equals(runs[0]!.weights), 'weights.bin is byte-identical');
});
