// The run directory's files: atomic writes, and the resumable state whose large
// arrays (optimizer slots) are stored as binary float32 beside the JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunDir, writeDirAtomic, writeFileAtomic, type SavedState } from '../src/run/run-dir.js';
import { tempDir } from './run-helpers.js';

test('atomic writes leave the complete new file and no temp file', async () => {
  const dir = tempDir();
  const path = join(dir, 'summary.json');
  writeFileSync(path, 'old');
  writeFileAtomic(path, 'new');
  assert.equal(readFileSync(path, 'utf8'), 'new');
  await writeDirAtomic(join(dir, 'model'), async (tmp) => writeFileSync(join(tmp, 'model.json'), '{"v":1}'));
  await writeDirAtomic(join(dir, 'model'), async (tmp) => writeFileSync(join(tmp, 'model.json'), '{"v":2}'));
  assert.equal(readFileSync(join(dir, 'model', 'model.json'), 'utf8'), '{"v":2}');
  assert.deepEqual(readdirSync(dir).sort(), ['model', 'summary.json']);
});

test('the saved state round-trips; big float32 arrays go to state/arrays.f32', async () => {
  const run = new RunDir(tempDir());
  const slot = Array.from({ length: 10_000 }, (_, i) => Math.fround(Math.sin(i) * 1e-3));
  const state: SavedState = {
    train: {
      epoch: 3,
      history: [{ epoch: 1, loss: 0.5, lr: 0.1, grad_norm: 1, seconds: 0.1 }],
      bestEpoch: 1,
      bestValue: 0.5,
      optimizer: { kind: 'adam', step: 30, slots: { 'dense/kernel': { m: { shape: [100, 100], values: slot }, v: { shape: [2], values: [0.1, 0.2] } } } },
      // Not float32-exact: must stay in the JSON as written.
      rngState: [4294967295, 1, 2, 3],
      epochsWithoutImprovement: 2,
    },
    wall_seconds: 1.5,
    started_at: '2026-01-01T00:00:00.000Z',
    resumed: 0,
    model_epoch: 1,
  };
  await run.writeState(state);
  assert.deepEqual(run.readState(), state);
  assert.equal(statSync(run.file('state/arrays.f32')).size, 10_000 * 4);
  assert.ok(statSync(run.file('state/state.json')).size < 2000, 'the JSON only references the big array');
  const doubles = { ...state, train: { ...state.train, optimizer: { values: Array.from({ length: 100 }, (_, i) => i + 0.1) } } };
  await run.writeState(doubles);
  assert.deepEqual(run.readState(), doubles, 'arrays that are not float32-exact stay exact in JSON');
});
