// Training speed and memory, side by side in one run, on the four workloads of bench/*.regnet:
//   mlp      MNIST MLP 784-256-10 with dropout, 6,000 digits            goal ≤ 1.0x PyTorch
//   convnet  conv 3x3x16, batchnorm, maxpool, dense; 4,000 digits       goal ≤ 2.5x
//   lstm     embedding(5000, 64), lstm(64), dense(2); 4,000 x 100 tokens goal ≤ 3x
//   cifar    2x conv32+bn, pool, 2x conv64+bn, pool, dropout, dense; 2,000 32x32x3 images ≤ 3x
// all batch 128, adam(lr: 0.001), accuracy metric, no validation. Contenders, alternating within
// each of ROUNDS rounds (so a change of machine load hits them alike; ratios are per round and
// the tables show their medians). In a round each contender trains EPOCHS_PER_ROUND epochs and
// its median epoch is the round's figure: a 0.2 s MLP epoch varies by 30% on a shared VM.
//   - the compiled spec through RegNet's own loop (train/loop.ts) on wasm;
//   - for mlp and convnet, the same model hand-written with tfjs-layers `model.fit` (same backend);
//   - PyTorch (runtime/bench/torch_epoch.py, /usr/bin/python3; skipped with a note when it has no
//     torch) at 1 and 2 threads; a goal compares with the faster of the two in that round.
// Wall time and the process's CPU time are both recorded: on a loaded machine the CPU-time ratio is
// the steadier figure. An epoch that passes its time cap stops there and is extrapolated (flagged).
// Then, in a child process per workload (so that peak RSS is that workload's), memory over 10
// epochs: RSS (after a forced GC), JS heap, wasm heap and live tensors after each, and peak RSS,
// next to PyTorch's peak RSS; the goal is RSS after epoch 10 within 10% of epoch 2.
// Writes bench/results/training.json and prints the tables.
// Flags: --quick (1 round, shorter caps), --only NAME[,NAME]; `--timing NAME FILE` and `--memory NAME` are the child modes (a process per workload, as `regnetc train` is).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import type * as tfTypes from '@tensorflow/tfjs';
import { compile, type GraphIR } from '@regnet/compiler';
import type { LoadedData, Split, TF } from '../src/contracts.js';
import { initBackend } from '../src/backend/select.js';
import { workloadOf } from '../src/backend/wasm-threads.js';
import { loadData } from '../src/data/load.js';
import { buildModel } from '../src/model/build.js';
import { Random } from '../src/random.js';
import { train } from '../src/train/loop.js';
import { ensureBenchData } from './bench-data.js';

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
const BENCH_DIR = fileURLToPath(new URL('../../../bench/', import.meta.url));
const TORCH_SCRIPT = fileURLToPath(new URL('../../bench/torch_epoch.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

type Workload = 'mlp' | 'convnet' | 'lstm' | 'cifar';
const ALL: Workload[] = ['mlp', 'convnet', 'lstm', 'cifar'];
const SEED = 1;
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
/** Rounds per workload: the MLP's are short, and its ratio the closest to its goal. */
const ROUNDS: Record<Workload, number> = QUICK ? { mlp: 1, convnet: 1, lstm: 1, cifar: 1 } : { mlp: 3, convnet: 2, lstm: 2, cifar: 2 };
/** Epochs each contender trains in a round, of which the median counts (short epochs are the noisiest). */
const EPOCHS_PER_ROUND: Record<Workload, number> = QUICK ? { mlp: 1, convnet: 1, lstm: 1, cifar: 1 } : { mlp: 7, convnet: 3, lstm: 1, cifar: 1 };
/**
 * Before any timing each contender trains one whole epoch (JIT tiers, XNNPACK operators, the
 * allocator, caches): the goals compare seconds per epoch after the first, as issue 14 measures.
 */
const WARMUP_EPOCHS = 1;
/**
 * Epochs of the memory children, and the examples they train on: all of them where an epoch is
 * short, else a subset (with only a few steps an epoch, the wasm heap's pages are still being
 * touched for the first time at epoch 2, which shows as RSS growth without any allocation).
 */
const MEMORY_EPOCHS = 10;
const MEMORY_EXAMPLES: Record<Workload, number> = { mlp: Infinity, convnet: Infinity, lstm: 1024, cifar: 512 };
/** Goals of the fit comparison and of RSS growth (epoch 10 over epoch 2). */
const TARGET_VS_FIT = 1.1;
const TARGET_RSS_GROWTH = 1.1;

const WORKLOADS: Record<Workload, { goal: number; capSeconds: number; fit?: (tf: TF) => tfTypes.Sequential }> = {
  mlp: {
    goal: 1.0,
    capSeconds: 15,
    fit: (tf) =>
      tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [28, 28, 1] }),
          tf.layers.dense({ units: 256, activation: 'relu' }),
          tf.layers.dropout({ rate: 0.2 }),
          tf.layers.dense({ units: 10 }),
        ],
      }),
  },
  convnet: {
    goal: 2.5,
    capSeconds: 20,
    fit: (tf) =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same' }),
          tf.layers.batchNormalization(),
          tf.layers.reLU(),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 10 }),
        ],
      }),
  },
  lstm: { goal: 3.0, capSeconds: 25 },
  cifar: { goal: 3.0, capSeconds: 25 },
};
const capOf = (name: Workload) => (QUICK ? Math.ceil(WORKLOADS[name].capSeconds / 2) : WORKLOADS[name].capSeconds);

function compileWorkload(name: Workload): GraphIR {
  const file = join(BENCH_DIR, `${name}.regnet`);
  const result = compile(readFileSync(file, 'utf8'), { file });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.ir || errors.length > 0) throw new Error(`bench/${name}.regnet: ${errors.map((d) => d.message).join('; ')}`);
  return result.ir;
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (v: number, digits = 3) => +v.toFixed(digits);

/** One timed run: `steps` training steps in `seconds` of wall time and `cpuSeconds` of the process's CPU time (all threads). */
interface Timing {
  steps: number;
  seconds: number;
  cpuSeconds: number;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** The first `n` examples of a split (new tensors). */
function head(tf: TF, split: Split, n: number): Split {
  const size = Math.min(n, split.size);
  return { x: tf.slice(split.x, 0, size), y: tf.slice(split.y, 0, size), size };
}

/** RegNet's loop: one epoch of `split` (stopped after `cap` seconds). */
async function regnetRun(tf: TF, ir: GraphIR, model: tfTypes.LayersModel, data: LoadedData, cap = Infinity): Promise<Timing> {
  let steps = 0;
  const cpuStart = cpuNow();
  const start = performance.now();
  await train({
    tf,
    ir,
    model,
    data,
    epochs: 1,
    callbacks: {
      onStep: () => void steps++,
      shouldStop: () => (performance.now() - start) / 1000 > cap,
    },
  });
  return { steps, seconds: (performance.now() - start) / 1000, cpuSeconds: cpuNow() - cpuStart };
}

/** tfjs-layers: `model.fit` for one epoch of x/y (stopped after `cap` seconds). */
async function fitRun(model: tfTypes.Sequential, x: tfTypes.Tensor, y: tfTypes.Tensor, batch: number, cap = Infinity): Promise<Timing> {
  let steps = 0;
  const cpuStart = cpuNow();
  const start = performance.now();
  await model.fit(x, y, {
    batchSize: batch,
    epochs: 1,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onBatchEnd: async () => {
        steps++;
        if ((performance.now() - start) / 1000 > cap) model.stopTraining = true;
      },
    },
  });
  return { steps, seconds: (performance.now() - start) / 1000, cpuSeconds: cpuNow() - cpuStart };
}

function compileFit(tf: TF, name: Workload): tfTypes.Sequential {
  const model = WORKLOADS[name].fit!(tf);
  model.compile({
    optimizer: tf.train.adam(0.001),
    // The models end in logits, as the compiled specs' (their crossentropy is from logits).
    loss: (yTrue: tfTypes.Tensor, yPred: tfTypes.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
    metrics: ['accuracy'],
  });
  return model;
}

interface TorchRun extends Timing {
  version: string;
  peakRssMb: number;
}

/** Whether /usr/bin/python3 imports torch, and the reason when it does not. */
function torchStatus(): { available: boolean; note?: string } {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.error) return { available: false, note: `${PYTHON} not found: PyTorch not measured` };
  if (r.status !== 0) return { available: false, note: `${PYTHON} has no torch (or numpy): PyTorch not measured` };
  return { available: true };
}

interface TorchFiles {
  x: string;
  y: string;
  n: number;
  shape: number[];
  batch: number;
}

/** The epoch of median time per step among `epochs`. */
function medianEpoch(epochs: Timing[]): Timing {
  const sorted = [...epochs].sort((a, b) => a.seconds / a.steps - b.seconds / b.steps);
  return sorted[(sorted.length - 1) >> 1]!;
}

/** `count` epochs of `run`, and its median one. */
async function medianOf(count: number, run: () => Promise<Timing>): Promise<Timing> {
  const epochs: Timing[] = [];
  for (let e = 0; e < count; e++) epochs.push(await run());
  return medianEpoch(epochs);
}

function torchRun(name: Workload, files: TorchFiles, threads: number, cap: number, warmupSteps: number, epochs: number): TorchRun {
  const r = spawnSync(
    PYTHON,
    [TORCH_SCRIPT, '--model', name, '--shape', files.shape.join(','), '--data', files.x, '--labels', files.y, '--n', String(files.n),
      '--batch', String(files.batch), '--threads', String(threads), '--epochs', String(epochs), '--warmup-steps', String(warmupSteps),
      '--lr', '0.001', '--max-seconds', String(cap)],
    {
      encoding: 'utf8',
      timeout: (epochs * cap + 120) * 1000,
      // torch.set_num_threads covers ATen's OpenMP pool, not OpenBLAS's own pthreads (the MLP's
      // matrix products): without these, "1 thread" ran BLAS on 2 threads and "2 threads" ran 4.
      env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
    },
  );
  if (r.status !== 0) throw new Error(`torch_epoch.py failed: ${r.error?.message ?? r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    torch: string;
    peak_rss_mb: number;
    epochs: { seconds: number; cpu_seconds: number; steps: number }[];
  };
  const epoch = medianEpoch(out.epochs.map((e) => ({ steps: e.steps, seconds: e.seconds, cpuSeconds: e.cpu_seconds })));
  return { ...epoch, version: out.torch, peakRssMb: out.peak_rss_mb };
}

interface ContenderResult {
  backend: string;
  /** Wall time (median over rounds). */
  seconds_per_epoch: number;
  /** The process's CPU time per epoch (median over rounds). */
  cpu_seconds_per_epoch: number;
  /** Per round: measured steps and seconds. */
  rounds: { steps: number; seconds: number; seconds_per_epoch: number; cpu_seconds_per_epoch: number }[];
  extrapolated: boolean;
}

function summarize(backend: string, rounds: Timing[], stepsPerEpoch: number): ContenderResult {
  const perEpoch = rounds.map((r) => (r.seconds / r.steps) * stepsPerEpoch);
  const cpuPerEpoch = rounds.map((r) => (r.cpuSeconds / r.steps) * stepsPerEpoch);
  return {
    backend,
    seconds_per_epoch: round(median(perEpoch)),
    cpu_seconds_per_epoch: round(median(cpuPerEpoch)),
    rounds: rounds.map((r, i) => ({
      steps: r.steps,
      seconds: round(r.seconds),
      seconds_per_epoch: round(perEpoch[i]!),
      cpu_seconds_per_epoch: round(cpuPerEpoch[i]!),
    })),
    extrapolated: rounds.some((r) => r.steps < stepsPerEpoch),
  };
}

/** Median over rounds of a's seconds/epoch ÷ the best of `peers` in the same round (wall or CPU time). */
function ratio(a: ContenderResult | undefined, peers: (ContenderResult | undefined)[], cpu = false): number | undefined {
  const present = peers.filter((p): p is ContenderResult => p !== undefined);
  if (!a || present.length === 0) return undefined;
  const n = Math.min(a.rounds.length, ...present.map((p) => p.rounds.length));
  if (n === 0) return undefined;
  const of = (c: ContenderResult, i: number) => (cpu ? c.rounds[i]!.cpu_seconds_per_epoch : c.rounds[i]!.seconds_per_epoch);
  return round(median(Array.from({ length: n }, (_, i) => of(a, i) / Math.min(...present.map((p) => of(p, i))))), 2);
}

/** The split's examples and labels as raw files for torch_epoch.py. */
function writeTorchFiles(split: Split, dir: string, name: Workload, batch: number): TorchFiles {
  const files = { x: join(dir, `${name}-x.bin`), y: join(dir, `${name}-y.i32`), n: split.size, shape: split.x.shape.slice(1), batch };
  writeFileSync(files.x, split.x.dataSync() as Float32Array | Int32Array);
  writeFileSync(files.y, split.y.dataSync() as Int32Array);
  return files;
}

async function benchWorkload(name: Workload, torch: { available: boolean; note?: string }, dir: string) {
  const ir = compileWorkload(name);
  // As `regnetc train` starts it for this model (XNNPACK's pool sized by its layers).
  const { tf, threads = 1 } = await initBackend('wasm', workloadOf(ir));
  const loaded = await loadData(tf, ir.data, SEED);
  const data: LoadedData = { train: loaded.train, classes: loaded.classes };
  const split = data.train;
  const batch = ir.train.batchSize;
  const stepsPerEpoch = Math.ceil(split.size / batch);
  const cap = capOf(name);
  const log = (msg: string) => console.log(`  ${name} ${msg}`);
  const files = writeTorchFiles(split, dir, name, batch);

  const ours = buildModel(tf, ir, new Random(SEED));
  const warmupSteps = WARMUP_EPOCHS * stepsPerEpoch;
  for (let e = 0; e < WARMUP_EPOCHS; e++) await regnetRun(tf, ir, ours, data, cap);
  const fitModel = WORKLOADS[name].fit ? compileFit(tf, name) : undefined;
  const yOneHot = fitModel ? tf.oneHot(split.y as tfTypes.Tensor1D, data.classes).toFloat() : undefined;
  if (fitModel) for (let e = 0; e < WARMUP_EPOCHS; e++) await fitRun(fitModel, split.x, yOneHot!, batch, cap);

  const rounds: Record<string, Timing[]> = { regnet_wasm: [], fit_wasm: [], torch_1: [], torch_2: [] };
  const perRound = EPOCHS_PER_ROUND[name];
  let torchVersion = '';
  let torchPeakRss = 0;
  for (let r = 0; r < ROUNDS[name]; r++) {
    const a = await medianOf(perRound, () => regnetRun(tf, ir, ours, data, cap));
    rounds.regnet_wasm!.push(a);
    const of = perRound > 1 ? ` (median of ${perRound} epochs)` : '';
    log(`round ${r + 1}: regnet/wasm ${a.steps} steps in ${a.seconds.toFixed(2)} s (CPU ${a.cpuSeconds.toFixed(2)} s)${of}`);
    if (fitModel) {
      const b = await medianOf(perRound, () => fitRun(fitModel, split.x, yOneHot!, batch, cap));
      rounds.fit_wasm!.push(b);
      log(`round ${r + 1}: fit/wasm    ${b.steps} steps in ${b.seconds.toFixed(2)} s (CPU ${b.cpuSeconds.toFixed(2)} s)${of}`);
    }
    if (torch.available) {
      for (const threads of [1, 2]) {
        const t = torchRun(name, files, threads, cap, warmupSteps, perRound);
        torchVersion = t.version;
        torchPeakRss = Math.max(torchPeakRss, t.peakRssMb);
        rounds[`torch_${threads}`]!.push(t);
        log(`round ${r + 1}: torch/${threads}     ${t.steps} steps in ${t.seconds.toFixed(2)} s (CPU ${t.cpuSeconds.toFixed(2)} s)${of}`);
      }
    }
  }
  tf.dispose([split.x, split.y, ...(yOneHot ? [yOneHot] : [])]);
  ours.dispose();
  fitModel?.dispose();

  const contenders: Record<string, ContenderResult> = { regnet_wasm: summarize('wasm', rounds.regnet_wasm!, stepsPerEpoch) };
  if (fitModel) contenders.fit_wasm = summarize('wasm', rounds.fit_wasm!, stepsPerEpoch);
  if (torch.available) {
    contenders.torch_1_thread = summarize(`torch ${torchVersion}, 1 thread`, rounds.torch_1!, stepsPerEpoch);
    contenders.torch_2_threads = summarize(`torch ${torchVersion}, 2 threads`, rounds.torch_2!, stepsPerEpoch);
  }
  const torchPeers = [contenders.torch_1_thread, contenders.torch_2_threads];
  const vsTorch = ratio(contenders.regnet_wasm, torchPeers);
  const vsFit = fitModel ? ratio(contenders.regnet_wasm, [contenders.fit_wasm]) : undefined;
  return {
    spec: `bench/${name}.regnet`,
    wasm_threads: threads,
    train_examples: split.size,
    batch,
    steps_per_epoch: stepsPerEpoch,
    contenders,
    ratios: {
      regnet_vs_best_torch: vsTorch,
      regnet_vs_torch_1_thread: ratio(contenders.regnet_wasm, [contenders.torch_1_thread]),
      regnet_vs_torch_2_threads: ratio(contenders.regnet_wasm, [contenders.torch_2_threads]),
      ...(fitModel ? { regnet_vs_fit: vsFit } : {}),
    },
    // The same by CPU time: what each would take on an idle machine (torch's 2 threads count twice).
    cpu_time_ratios: {
      regnet_vs_best_torch: ratio(contenders.regnet_wasm, torchPeers, true),
      regnet_vs_torch_1_thread: ratio(contenders.regnet_wasm, [contenders.torch_1_thread], true),
      ...(fitModel ? { regnet_vs_fit: ratio(contenders.regnet_wasm, [contenders.fit_wasm], true) } : {}),
    },
    goals: {
      regnet_vs_best_torch: { goal: WORKLOADS[name].goal, met: vsTorch === undefined ? null : vsTorch <= WORKLOADS[name].goal },
      ...(fitModel ? { regnet_vs_fit: { goal: TARGET_VS_FIT, met: vsFit !== undefined && vsFit <= TARGET_VS_FIT } } : {}),
    },
    torch_peak_rss_mb: torch.available ? round(torchPeakRss, 1) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Memory: a child process per workload.

interface MemoryPoint {
  epoch: number;
  /** After a forced GC (V8 collects lazily: without it RSS drifts up a few MB an epoch, all garbage). */
  rss_mb: number;
  js_heap_mb: number;
  wasm_heap_mb: number;
  tensors: number;
  tensor_mb: number;
}

async function memoryChild(name: Workload): Promise<void> {
  const ir = compileWorkload(name);
  const { tf } = await initBackend('wasm', workloadOf(ir));
  const loaded = await loadData(tf, ir.data, SEED);
  const split = head(tf, loaded.train, MEMORY_EXAMPLES[name]);
  tf.dispose([loaded.train.x, loaded.train.y]);
  const model = buildModel(tf, ir, new Random(SEED));
  const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  const point = (epoch: number): MemoryPoint => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = tf.memory();
    const usage = process.memoryUsage();
    return {
      epoch,
      rss_mb: round(usage.rss / 2 ** 20, 1),
      js_heap_mb: round(usage.heapUsed / 2 ** 20, 1),
      wasm_heap_mb: round(heapBytes() / 2 ** 20, 1),
      tensors: m.numTensors,
      tensor_mb: round(m.numBytes / 2 ** 20, 1),
    };
  };
  const points: MemoryPoint[] = [point(0)];
  await train({
    tf,
    ir,
    model,
    data: { train: split, classes: loaded.classes },
    epochs: MEMORY_EPOCHS,
    callbacks: { onEpochEnd: (record) => void points.push(point(record.epoch)) },
  });
  const peak = round(process.resourceUsage().maxRSS / 1024, 1);
  const at = (e: number) => points.find((p) => p.epoch === e)!;
  const growth = round(at(MEMORY_EPOCHS).rss_mb / at(2).rss_mb, 3);
  console.log(JSON.stringify({ workload: name, train_examples: split.size, epochs: MEMORY_EPOCHS, peak_rss_mb: peak, rss_epoch10_over_epoch2: growth, after_epoch: points }));
}

function memoryOf(name: Workload): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--memory', name], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------

type WorkloadResult = Awaited<ReturnType<typeof benchWorkload>>;

/** The timing of one workload in a process of its own (each `regnetc train` is one; the backend's threads depend on the model), written to `resultFile`. */
async function timingChild(name: Workload, resultFile: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'regnet-bench-'));
  try {
    writeFileSync(resultFile, JSON.stringify(await benchWorkload(name, torchStatus(), dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function timingOf(name: Workload): WorkloadResult {
  const dir = mkdtempSync(join(tmpdir(), 'regnet-bench-result-'));
  const resultFile = join(dir, 'result.json');
  try {
    const childArgs = [...process.execArgv, fileURLToPath(import.meta.url), '--timing', name, resultFile, ...(QUICK ? ['--quick'] : [])];
    const r = spawnSync(process.execPath, childArgs, { stdio: 'inherit', timeout: 1_800_000 });
    if (r.status !== 0) throw new Error(`the ${name} timing failed: ${r.error?.message ?? `exit ${r.status}`}`);
    return JSON.parse(readFileSync(resultFile, 'utf8')) as WorkloadResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTables(results: Record<string, WorkloadResult>, memory: Record<string, Record<string, unknown>>): void {
  const speed = new Table({ head: ['workload', 'contender', 's/epoch', 'CPU s/epoch', 'note'], style: { head: [], border: [] } });
  for (const [name, m] of Object.entries(results)) {
    for (const [key, c] of Object.entries(m.contenders)) {
      speed.push([name, `${key} (${c.backend})`, c.seconds_per_epoch.toFixed(2), c.cpu_seconds_per_epoch.toFixed(2), c.extrapolated ? 'epoch capped, extrapolated' : '']);
    }
  }
  console.log(speed.toString());
  const ratios = new Table({ head: ['workload', 'ratio of s/epoch (median of rounds)', 'wall', 'CPU time', 'goal', 'met (wall)'], style: { head: [], border: [] } });
  for (const [name, m] of Object.entries(results)) {
    for (const [key, v] of Object.entries(m.ratios)) {
      const goal = (m.goals as Record<string, { goal: number; met: boolean | null }>)[key];
      const cpu = (m.cpu_time_ratios as Record<string, number | undefined>)[key];
      ratios.push([name, key, v === undefined ? '—' : `${v}x`, cpu === undefined ? '' : `${cpu}x`, goal ? `≤ ${goal.goal}x` : '', goal ? String(goal.met) : '']);
    }
  }
  console.log(ratios.toString());
  const mem = new Table({
    head: ['workload', 'peak RSS MB', 'torch peak RSS MB', 'RSS MB after epoch 2 → 10', 'epoch 10 / 2 (goal ≤ 1.1)', 'tensors after 2 → 10'],
    style: { head: [], border: [] },
  });
  for (const [name, m] of Object.entries(memory)) {
    if ('error' in m) {
      mem.push([name, 'error', String(m.error), '', '', '']);
      continue;
    }
    const points = m.after_epoch as MemoryPoint[];
    const at = (e: number) => points.find((p) => p.epoch === e)!;
    mem.push([name, String(m.peak_rss_mb), String(results[name]?.torch_peak_rss_mb ?? '—'), `${at(2).rss_mb} → ${at(MEMORY_EPOCHS).rss_mb}`, String(m.rss_epoch10_over_epoch2), `${at(2).tensors} → ${at(MEMORY_EPOCHS).tensors}`]);
  }
  console.log(mem.toString());
}

async function main(): Promise<void> {
  const memoryFlag = args.indexOf('--memory');
  ensureBenchData(BENCH_DIR);
  if (memoryFlag >= 0) return memoryChild(args[memoryFlag + 1] as Workload);
  const timingFlag = args.indexOf('--timing');
  if (timingFlag >= 0) return timingChild(args[timingFlag + 1] as Workload, args[timingFlag + 2]!);
  const onlyFlag = args.indexOf('--only');
  const names: Workload[] = onlyFlag >= 0 ? ((args[onlyFlag + 1] ?? '').split(',') as Workload[]) : ALL;
  const unknown = names.filter((name) => !ALL.includes(name));
  if (unknown.length > 0) {
    console.error(`training.bench: --only takes workloads among ${ALL.join(', ')}, not ${unknown.map((n) => `"${n}"`).join(', ')}`);
    process.exit(2);
  }

  const started = performance.now();
  const load = { start: loadavg().map((v) => round(v, 2)) as number[], end: [] as number[] };
  const torch = torchStatus();
  if (!torch.available) console.log(`note: ${torch.note}`);
  const results: Record<string, WorkloadResult> = {};
  for (const name of names) {
    results[name] = timingOf(name);
    console.log(`  ${name}: RegNet's wasm backend on ${results[name]!.wasm_threads} thread(s)`);
  }
  const memory: Record<string, Record<string, unknown>> = {};
  for (const name of names) {
    memory[name] = memoryOf(name);
    const m = memory[name]!;
    (m as { goal_met?: boolean }).goal_met = typeof m.rss_epoch10_over_epoch2 === 'number' ? m.rss_epoch10_over_epoch2 <= TARGET_RSS_GROWTH : undefined;
  }
  load.end = loadavg().map((v) => round(v, 2));

  const out = {
    benchmark: 'training',
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    // Other processes share the machine: a load average above the core count slows every contender.
    load_average: load,
    setup: {
      specs: 'bench/{mlp,convnet,lstm,cifar}.regnet (lstm and cifar on seeded synthetic files in bench/data/)',
      rounds: Object.fromEntries(names.map((n) => [n, ROUNDS[n]])),
      epochs_per_round: Object.fromEntries(names.map((n) => [n, EPOCHS_PER_ROUND[n]])),
      warmup_epochs: WARMUP_EPOCHS,
      cap_seconds: Object.fromEntries(names.map((n) => [n, capOf(n)])),
      torch: torch.available
        ? 'torch_epoch.py with /usr/bin/python3 (same examples, batch, Adam); OMP/OPENBLAS/MKL_NUM_THREADS = torch threads'
        : torch.note,
      memory: `${MEMORY_EPOCHS} epochs of the first ${JSON.stringify(MEMORY_EXAMPLES)} examples (null: all), in a child process per workload`,
    },
    workloads: results,
    memory,
    seconds: round((performance.now() - started) / 1000, 1),
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'training.json'), JSON.stringify(out, null, 2) + '\n');
  printTables(results, memory);
  console.log(`load average ${load.start.join(' ')} at the start, ${load.end.join(' ')} at the end (${out.cores} cores)`);
  console.log(`wrote bench/results/training.json (${out.seconds} s)`);
}

await main();
