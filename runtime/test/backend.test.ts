// Backend selection: auto falls back to wasm when tfjs-node is absent (as on these
// machines), an explicit but missing backend fails with a clear message, cpu works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendUnavailableError, initBackend, type BackendChoice } from '../src/backend/select.js';

let hasTfjsNode = true;
try {
  await import('@tensorflow/tfjs-node' as string);
} catch {
  hasTfjsNode = false;
}

test('--backend tensorflow without @tensorflow/tfjs-node: a clear error naming the fix', { skip: hasTfjsNode }, async () => {
  await assert.rejects(
    initBackend('tensorflow'),
    (e: unknown) =>
      e instanceof BackendUnavailableError &&
      /backend 'tensorflow' is not available: @tensorflow\/tfjs-node is not installed/.test(e.message) &&
      /npm install @tensorflow\/tfjs-node/.test(e.message) &&
      /--backend wasm/.test(e.message),
  );
});

test('auto picks tensorflow when installed, else wasm, and the backend really runs', async () => {
  const { tf, name } = await initBackend('auto');
  assert.equal(name, hasTfjsNode ? 'tensorflow' : 'wasm');
  assert.equal(tf.getBackend(), name);
  assert.deepEqual(Array.from(tf.add(tf.tensor1d([1, 2]), 1).dataSync()), [2, 3]);
});

test('cpu and wasm can be chosen explicitly, and switched between', async () => {
  for (const choice of ['cpu', 'wasm', 'cpu'] as const) {
    const { tf, name } = await initBackend(choice);
    assert.equal(name, choice);
    assert.equal(tf.getBackend(), choice);
  }
});

test('an unknown backend name is rejected with the accepted ones', async () => {
  await assert.rejects(initBackend('gpu' as BackendChoice), /unknown backend 'gpu' \(expected auto, tensorflow, wasm, cpu\)/);
});
