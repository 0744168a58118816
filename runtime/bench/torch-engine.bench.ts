// The torch engine's speed, measured side by side in one run (`npm run bench`):
//   - epoch time of the MNIST MLP and the small convnet on `--engine torch` (the exported
//     train.py) vs the same model hand-written in PyTorch (runtime/bench/torch_epoch.py):
//     goal within 1.1x; each at 1 and 2 torch threads, the faster taken (shared machine);
//   - vs the tfjs engine (`regnetc train`, wasm) on the same examples;
//   - 2 processes (DDP, gloo, 1 thread each, half the batch per process) vs 1 process.
// The workloads are bench/mlp.regnet and bench/convnet.regnet.
// Epoch times are the second epoch's (the first warms up). Writes bench/results/torch-engine.json.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type GraphIR } from '@regnet/compiler';
import { initBackend } from '../src/backend/select.js';
import { exportTorch } from '../src/engines/torch/export.js';
import { checkTorchAvailable, pythonCommand } from '../src/engines/torch/launch.js';
import { readTensors } from '../src/engines/torch/tensor-file.js';

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
const HAND_WRITTEN = fileURLToPath(new URL('../../bench/torch_epoch.py', import.meta.url));
const REGNETC = fileURLToPath(new URL('../../bin/regnetc.js', import.meta.url));
/** The speed workloads (bench/*.regnet), which runtime/bench/torch_epoch.py writes by hand in PyTorch. */
const WORKLOADS = fileURLToPath(new URL('../../../bench/', import.meta.url));
const MODELS = ['mlp', 'convnet'] as const;
type ModelName = (typeof MODELS)[number];

/** The workload's IR, trained for 2 epochs (the first warms up), with `batch` examples per process. */
function workload(name: ModelName, batch?: number): { ir: GraphIR; file: string } {
  const file = join(WORKLOADS, `${name}.regnet`);
  const result = compile(readFileSync(file, 'utf8'), { file });
  if (!result.ir) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  result.ir.train.epochs = 2;
  if (batch !== undefined) result.ir.train.batchSize = batch;
  return { ir: result.ir, file };
}

function env(threads: number): NodeJS.ProcessEnv {
  const t = String(threads);
  return { ...process.env, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t };
}

/** Wall and CPU seconds of one epoch (CPU time is the steadier figure on a shared machine). */
interface EpochTime {
  seconds: number;
  cpu: number;
}

/** The second epoch of the exported trainer (one process, or `nproc` under torchrun: rank 0's CPU time). */
function engineEpoch(exportDir: string, threads: number, nproc = 1): EpochTime {
  const out = join(exportDir, `run-${threads}-${nproc}`);
  const trainer = [join(exportDir, 'train.py'), '--out', out, '--threads', String(threads)];
  const args =
    nproc === 1
      ? trainer
      : ['-m', 'torch.distributed.run', '--nproc_per_node', String(nproc), '--master_addr', '127.0.0.1', '--master_port', String(29400 + Math.floor(Math.random() * 500)),
          '--redirects', '1', '--tee', '1', ...trainer];
  const r = spawnSync(pythonCommand(), args, { encoding: 'utf8', env: env(threads), timeout: 900_000 });
  if (r.status !== 0) throw new Error(`train.py failed: ${r.stderr}`);
  const epochs = r.stdout
    .split('\n')
    .map((l) => l.replace(/^\[[^\]]*\]:/, ''))
    .filter((l) => l.startsWith('@regnet ') && l.includes('"epoch"'))
    .map((l) => JSON.parse(l.slice(8)) as { record: { epoch: number; seconds: number }; cpu_seconds: number });
  const second = epochs.find((e) => e.record.epoch === 2)!;
  return { seconds: second.record.seconds, cpu: second.cpu_seconds };
}

/** The hand-written PyTorch epoch on the same examples (its own warm-up steps first). */
function handWrittenEpoch(name: ModelName, files: { x: string; y: string; n: number }, batch: number, threads: number): EpochTime {
  const r = spawnSync(
    pythonCommand(),
    [HAND_WRITTEN, '--model', name, '--shape', '28,28,1', '--data', files.x, '--labels', files.y, '--n', String(files.n), '--batch', String(batch), '--threads', String(threads), '--epochs', '2'],
    { encoding: 'utf8', env: env(threads), timeout: 900_000 },
  );
  if (r.status !== 0) throw new Error(`torch_epoch.py failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { epochs: { seconds: number; cpu_seconds: number }[] };
  return { seconds: out.epochs[1]!.seconds, cpu: out.epochs[1]!.cpu_seconds };
}

/** The tfjs engine's second epoch (`regnetc train`, wasm). */
function tfjsEpoch(specFile: string, dir: string): number {
  const r = spawnSync(process.execPath, [REGNETC, 'train', specFile, '--epochs', '2', '-q', '--no-report', '--backend', 'wasm', '-o', dir], { encoding: 'utf8', timeout: 1_800_000 });
  if (r.status !== 0) throw new Error(`regnetc train failed: ${r.stderr}`);
  const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  return (JSON.parse(lines[1]!) as { seconds: number }).seconds;
}

const round = (v: number, digits = 3) => +v.toFixed(digits);

async function main(): Promise<void> {
  try {
    checkTorchAvailable();
  } catch (error) {
    console.log(`torch engine benchmark skipped: ${(error as Error).message}`);
    return;
  }
  const { tf } = await initBackend('wasm');
  const root = mkdtempSync(join(tmpdir(), 'regnet-torch-bench-'));
  const results: Record<string, unknown> = {};
  try {
    for (const name of MODELS) {
      const dir = join(root, name);
      const { ir, file: specFile } = workload(name);
      const batch = ir.train.batchSize;
      await exportTorch(tf, ir, dir);
      // The same examples as raw files for the hand-written script.
      const data = readTensors(join(dir, 'data'));
      const x = data.get('train_x')!;
      const files = { x: join(root, `${name}.f32`), y: join(root, `${name}.i32`), n: x.shape[0]! };
      writeFileSync(files.x, x.values);
      writeFileSync(files.y, data.get('train_y')!.values);

      const engine = { 1: engineEpoch(dir, 1), 2: engineEpoch(dir, 2) };
      const hand = { 1: handWrittenEpoch(name, files, batch, 1), 2: handWrittenEpoch(name, files, batch, 2) };
      const engineBest = Math.min(engine[1].seconds, engine[2].seconds);
      const handBest = Math.min(hand[1].seconds, hand[2].seconds);
      const tfjs = tfjsEpoch(specFile, join(root, `${name}-tfjs`));
      // 2 processes x batch B/2 = the same global batch as 1 process x batch B.
      const ddpDir = join(root, `${name}-ddp`);
      mkdirSync(ddpDir);
      await exportTorch(tf, workload(name, batch / 2).ir, ddpDir);
      const ranks2 = engineEpoch(ddpDir, 1, 2);
      const ratios = {
        engine_vs_hand_written_wall: round(engineBest / handBest, 2),
        engine_vs_hand_written_cpu_1_thread: round(engine[1].cpu / hand[1].cpu, 2),
        tfjs_engine_vs_torch_engine_wall: round(tfjs / engineBest, 2),
        two_ranks_vs_one_rank_wall_1_thread: round(ranks2.seconds / engine[1].seconds, 2),
      };
      results[name] = {
        examples: files.n,
        batch,
        engine: { threads_1: engine[1], threads_2: engine[2] },
        hand_written: { threads_1: hand[1], threads_2: hand[2] },
        tfjs_engine_wall_seconds: round(tfjs),
        two_ranks: ranks2,
        ratios,
      };
      console.log(
        `${name}: torch engine ${round(engineBest)} s/epoch vs hand-written PyTorch ${round(handBest)} s: ${ratios.engine_vs_hand_written_wall}x wall, ` +
          `${ratios.engine_vs_hand_written_cpu_1_thread}x CPU at 1 thread (goal <= 1.1x); tfjs engine ${round(tfjs)} s (${ratios.tfjs_engine_vs_torch_engine_wall}x); ` +
          `2 ranks ${round(ranks2.seconds)} s vs 1 rank ${round(engine[1].seconds)} s at 1 thread (${ratios.two_ranks_vs_one_rank_wall_1_thread}x)`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  mkdirSync(RESULTS, { recursive: true });
  const out = {
    benchmark: 'torch engine: epoch time vs hand-written PyTorch, vs the tfjs engine, 2 ranks vs 1',
    machine: '2 cores, shared with other work; the faster of 1 and 2 torch threads; second epoch of each run',
    torch: spawnSync(pythonCommand(), ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim(),
    models: results,
  };
  writeFileSync(join(RESULTS, 'torch-engine.json'), JSON.stringify(out, null, 2) + '\n');
  console.log('wrote bench/results/torch-engine.json');
}

await main();
