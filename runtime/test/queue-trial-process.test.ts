// A queue worker's trial process (queue/trial-process.ts), without Redis: checkpoints are
// handed to `store` epoch by epoch while training goes on, and a checkpoint that cannot be
// stored stops the trial's whole process group with the reason (the worker then fails the
// job, and BullMQ retries it from the last stored epoch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { runTrialProcess } from '../src/queue/trial-process.js';
import { decodeRun, trialPaths } from '../src/queue/run-pack.js';
import { RunDir } from '../src/run/run-dir.js';
import { REGNETC, tempDir, writeSpec } from './run-helpers.js';

const SPEC = `
model circle {
  dense(8, activation: relu)
  dense(2)
}
data { source: playground(circle, n: 200) }
train {
  epochs: 4
  batch_size: 20
  optimizer: adam(lr: 0.01)
  seed: 2
}
`;

async function trial(store: (packed: Buffer) => Promise<void>) {
  const dir = tempDir('regnet-trial-');
  const spec = writeSpec(dir, 'circle.regnet', SPEC);
  const runFolder = join(dir, 'run');
  new RunDir(runFolder).create();
  const logFd = openSync(join(runFolder, 'train.log'), 'w');
  let child: ChildProcess | undefined;
  try {
    const end = await runTrialProcess({
      args: [REGNETC, 'train', spec, '--out', runFolder, '--quiet', '--backend', 'wasm'],
      env: { ...process.env, REGNET_THREADS: '1' },
      runFolder,
      paths: trialPaths(dir, runFolder),
      logFd,
      store,
      progress: async () => {},
      started: (c) => (child = c),
      at: () => 0,
    });
    return { end, child: child!, runFolder };
  } finally {
    closeSync(logFd);
  }
}

test('every epoch\'s checkpoint is stored once, in order, and the trial ends normally', async () => {
  const stored: number[] = [];
  const { end, runFolder } = await trial(async (packed) => {
    const metrics = [...decodeRun(packed)].find(([rel]) => rel.endsWith('metrics.jsonl'))?.[1];
    stored.push(metrics ? metrics.toString('utf8').trim().split('\n').length : -1);
  });
  assert.equal(end.code, 0, readFileSync(join(runFolder, 'train.log'), 'utf8'));
  assert.equal(end.storeFailure, undefined);
  assert.deepEqual(stored, [1, 2, 3, 4]);
});

test('a checkpoint the queue cannot store stops the trial\'s process group, with the reason', async () => {
  const { end, child } = await trial(async () => {
    throw new Error('OOM command not allowed when used memory > maxmemory');
  });
  assert.equal(end.signal, 'SIGKILL');
  assert.equal(end.storeFailure, 'could not store epoch 1 on the queue: OOM command not allowed when used memory > maxmemory');
  // The whole group is gone (no trial process left behind).
  assert.throws(() => process.kill(-child.pid!, 0), { code: 'ESRCH' });
});
