// The torch engine through `regnetc train --engine torch`: DDP over gloo on 127.0.0.1
// (2 ranks x batch B == 1 process x batch 2B, identical on both ranks), two launchers with
// --nnodes 2, a rank killed with SIGKILL under --max-restarts 1, a rank that never joins,
// the round trip of model/ into `regnetc eval` on tfjs, and `sweep --engine torch`. Wall time: ~100 s on a loaded
// 2-core machine (each launch imports torch in every process).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../src/model/io.js';
import { assertClose, tf, useCpu } from './train-fixtures.js';
import { REGNETC, skipWithoutTorch } from './torch-helpers.js';

// 190 examples: 152 train, 9 global batches of 16 and a short one of 8 (4 per rank).
const SPEC = `let b = 8
model m { dense(16, activation: relu) dense(2) }
data { source: playground(spiral, n: 190)
  validation: 0.2 }
train { epochs: 2
  batch_size: b
  optimizer: adam(lr: 0.01)
  checkpoint: last
  metrics: [accuracy] }
`;

let root: string;
let spec: string;

before(async () => {
  await useCpu();
  root = mkdtempSync(join(tmpdir(), 'regnet-torch-ddp-'));
  spec = join(root, 'ddp.regnet');
  writeFileSync(spec, SPEC);
});

after(() => rmSync(root, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function regnetc(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [REGNETC, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

async function train(out: string, extra: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const run = await regnetc(['train', spec, '--engine', 'torch', '-q', '--no-report', '-o', join(root, out), ...extra], env);
  return run;
}

function summary(out: string): Record<string, any> {
  return JSON.parse(readFileSync(join(root, out, 'summary.json'), 'utf8'));
}

async function weights(out: string): Promise<Float32Array[]> {
  const model = await loadModel(tf, join(root, out, 'model'));
  const values = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
  model.dispose();
  return values;
}

async function assertSameWeights(a: string, b: string, tolerance: number): Promise<void> {
  const [wa, wb] = [await weights(a), await weights(b)];
  assert.equal(wa.length, wb.length);
  wa.forEach((w, i) => assertClose(w, wb[i]!, `${a} vs ${b} weight ${i}`, tolerance, 0));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const ok = (run: Outcome, what: string) => assert.equal(run.code, 0, `${what} failed:\n${run.stdout}\n${run.stderr}`);

test('DDP: 2 ranks x batch B give the weights of 1 process x batch 2B within 1e-5, identical on both ranks; model/ evaluates on tfjs as torch reported', async (t) => {
  if (skipWithoutTorch(t)) return;
  const single = await train('single', ['--set', 'b=16']);
  ok(single, 'single process');
  const ddp = await train('ddp', ['--nproc', '2']);
  ok(ddp, '--nproc 2');
  const s = summary('ddp');
  assert.equal(s.engine, 'torch');
  assert.equal(s.world_size, 2);
  assert.match(s.torch_version, /^\d+\.\d+/);
  assert.equal(s.rank_max_diff, 0, 'both ranks hold the same parameters');
  assert.equal(summary('single').world_size, 1);
  await assertSameWeights('ddp', 'single', 1e-5);

  // Round trip: the torch-trained model/ in `regnetc eval` (tfjs) gives torch's numbers.
  const evaluated = await regnetc(['eval', join(root, 'single'), '--json']);
  ok(evaluated, 'regnetc eval');
  const metrics = JSON.parse(evaluated.stdout) as Record<string, Record<string, number>>;
  const validation = metrics.validation ?? (metrics as any).splits?.validation;
  assert.ok(validation, `eval --json reports the validation split: ${evaluated.stdout}`);
  const reported = summary('single').final;
  assert.ok(Math.abs(validation.accuracy! - reported.val_accuracy) <= 1e-3, `accuracy ${validation.accuracy} vs torch's ${reported.val_accuracy}`);
  assert.ok(Math.abs(validation.loss! - reported.val_loss) <= 1e-3, `loss ${validation.loss} vs torch's ${reported.val_loss}`);
});

test('--nnodes 2: two launchers on one machine train like one process with the global batch', async (t) => {
  if (skipWithoutTorch(t)) return;
  const master = `127.0.0.1:${await freePort()}`;
  const common = ['--nnodes', '2', '--master', master, '--join-timeout', '60'];
  const [node0, node1] = await Promise.all([
    train('node0', [...common, '--node-rank', '0']),
    train('node1', [...common, '--node-rank', '1']),
  ]);
  ok(node0, 'node 0');
  ok(node1, 'node 1');
  assert.match(node1.stdout, /node 1 done; node 0 writes the run directory/);
  assert.equal(summary('node0').world_size, 2);
  assert.equal(summary('node0').rank_max_diff, 0);
  await assertSameWeights('node0', 'single', 1e-5);
});

test('faults: a rank killed with SIGKILL under --max-restarts 1 restarts the group from the last epoch and ends with the same weights', async (t) => {
  if (skipWithoutTorch(t)) return;
  const run = await train('fault', ['--nproc', '2', '--max-restarts', '1'], { REGNET_TORCH_KILL: '2:1' });
  ok(run, 'the run with a killed rank');
  const s = summary('fault');
  assert.equal(s.restarts, 1, 'the group restarted once');
  assert.equal(s.epochs_run, 2);
  assert.match(run.stdout, /restarted from epoch 1/);
  await assertSameWeights('fault', 'ddp', 1e-6);
});

test('faults: a rank that never joins fails the run with a clear message within the join timeout', async (t) => {
  if (skipWithoutTorch(t)) return;
  const master = `127.0.0.1:${await freePort()}`;
  const run = await train('lonely', ['--nnodes', '2', '--node-rank', '0', '--master', master, '--join-timeout', '5']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /regnetc: error: not every process joined within 5 s/);
  assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, 'no JavaScript stack trace');
  assert.ok(run.seconds < 90, `failed after ${run.seconds.toFixed(1)} s`);
});

test('missing Python or torch: one clear line naming the install command, exit 1, nothing trained', async () => {
  const run = await train('nopython', [], { REGNET_PYTHON: join(root, 'no-such-python') });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^regnetc: error: cannot run Python .*apt-get install python3-torch.*REGNET_PYTHON/m);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  const noTorch = spawnSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' }).stdout.trim();
  if (noTorch && spawnSync(noTorch, ['-c', 'import torch']).status !== 0) {
    const run2 = await train('notorch', [], { REGNET_PYTHON: noTorch });
    assert.equal(run2.code, 1);
    assert.match(run2.stderr, /PyTorch is not installed for .*apt-get install python3-torch/);
  }
});

test('sweep --engine torch: every trial trains on torch with its own value, as `train --engine torch --set` does', async (t) => {
  if (skipWithoutTorch(t)) return;
  const sweepSpec = join(root, 'sweep.regnet');
  writeFileSync(sweepSpec, `${SPEC}sweep { b: [8, 16] }\n`);
  const sweep = await regnetc(['sweep', sweepSpec, '--engine', 'torch', '--workers', '1', '--epochs', '1', '-o', join(root, 'sweep')]);
  ok(sweep, 'sweep --engine torch');
  const manifest = JSON.parse(readFileSync(join(root, 'sweep', 'sweep.json'), 'utf8')) as { trials: { id: string; values: { b: number } }[] };
  assert.deepEqual(manifest.trials.map((trial) => trial.values.b).sort((x, y) => x - y), [8, 16]);
  const rows = readFileSync(join(root, 'sweep', 'results.csv'), 'utf8').trim().split('\n');
  assert.equal(rows.length, 3, `a header and one row per trial:\n${rows.join('\n')}`);
  for (const trial of manifest.trials) {
    const s = summary(join('sweep', trial.id));
    assert.equal(s.engine, 'torch', `${trial.id} trained on torch`);
  }
  const b16 = manifest.trials.find((trial) => trial.values.b === 16)!;
  ok(await train('direct-b16', ['--set', 'b=16', '--epochs', '1']), 'train --set b=16');
  await assertSameWeights(join('sweep', b16.id), 'direct-b16', 1e-6);
});
