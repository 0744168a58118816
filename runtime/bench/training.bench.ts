// Training speed, side by side in one run: an epoch of the MNIST MLP and of the small convnet
// (all 7,996 training digits, batch 64, adam(lr: 0.001), accuracy metric, no validation) as
//   - the compiled spec through RegNet's own loop (train/loop.ts) on wasm, and on cpu;
//   - the same model hand-written with tfjs-layers `model.fit`, on the same backend;
//   - PyTorch on this machine (runtime/bench/torch_epoch.py with /usr/bin/python3; skipped with a
//     note when it has no torch), 2 threads as the guide asks, and 1 thread (wasm runs on one).
// The contenders alternate within each of REPEATS rounds, so a change of machine load hits them
// alike; ratios are per round (same round, back to back), and the table shows their medians.
// cpu epochs are extrapolated from a few steps, and any contender whose epoch passes its time
// cap stops there and is extrapolated from the steps it ran (both are flagged in the results).
// Then, in a child process per model (so that peak RSS is that model's), memory across epochs:
// RSS and the JS heap (after a forced GC), peak RSS, the wasm heap and tf.memory()'s tensors
// after every epoch.
// Writes bench/results/training.json and prints the tables.
// Flags: --quick (1 round, shorter caps), --only mlp|convnet; `--memory MODEL` is the child mode.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import type * as tfTypes from '@tensorflow/tfjs';
import { compile, type GraphIR } from '@regnet/compiler';
import type { LoadedData, Split, TF } from '../src/contracts.js';
import { initBackend } from '../src/backend/select.js';
import { loadData } from '../src/data/load.js';
import { buildModel } from '../src/model/build.js';
import { Random } from '../src/random.js';
import { train } from '../src/train/loop.js';

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
const TORCH_SCRIPT = fileURLToPath(new URL('../../bench/torch_epoch.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

type ModelName = 'mlp' | 'convnet';
const BATCH = 64;
const LR = 0.001;
const SEED = 1;
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const REPEATS = QUICK ? 1 : 3;
/** Warm-up steps before any timing (JIT, XNNPACK operators, allocator). */
const WARMUP_STEPS = 5;
/** Seconds after which a contender's timed epoch stops and is extrapolated. */
const CAP_SECONDS: Record<ModelName, number> = QUICK ? { mlp: 5, convnet: 8 } : { mlp: 20, convnet: 25 };
/** cpu: steps timed (an epoch would take minutes), extrapolated to the epoch. */
const CPU_STEPS: Record<ModelName, number> = QUICK ? { mlp: 5, convnet: 1 } : { mlp: 12, convnet: 2 };
/** Memory children: epochs, and training digits per epoch (the convnet on a subset to stay quick). */
const MEMORY_EPOCHS = 3;
const MEMORY_EXAMPLES: Record<ModelName, number | undefined> = { mlp: undefined, convnet: 2000 };
/** Targets from the issue and the guide: seconds per epoch relative to the peer. */
const TARGET_VS_FIT = 1.1;
const TARGET_VS_TORCH: Record<ModelName, number> = { mlp: 3, convnet: 10 };

/** The architectures, in the language and (identically) in tfjs-layers and torch_epoch.py. */
const MODELS: Record<ModelName, { description: string; layers: string[]; fit: (tf: TF) => tfTypes.Sequential }> = {
  mlp: {
    description: 'flatten, dense(256, relu), dense(10)',
    layers: ['flatten', 'dense(256, activation: relu)', 'dense(10)'],
    fit: (tf) =>
      tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [28, 28, 1] }),
          tf.layers.dense({ units: 256, activation: 'relu' }),
          tf.layers.dense({ units: 10 }),
        ],
      }),
  },
  convnet: {
    description: 'conv2d(32, 3x3, same, relu), maxpool(2), conv2d(64, 3x3, same, relu), maxpool(2), flatten, dense(10)',
    layers: ['conv2d(32, activation: relu)', 'maxpool(2)', 'conv2d(64, activation: relu)', 'maxpool(2)', 'flatten', 'dense(10)'],
    fit: (tf) =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 10 }),
        ],
      }),
  },
};

function specText(name: ModelName): string {
  return [
    `model ${name} {`,
    ...MODELS[name].layers.map((l) => `  ${l}`),
    '}',
    'data {',
    '  source: mnist()',
    '  validation: 0',
    '}',
    'train {',
    '  epochs: 1',
    `  batch_size: ${BATCH}`,
    `  optimizer: adam(lr: ${LR})`,
    '  metrics: [accuracy]',
    `  seed: ${SEED}`,
    '}',
    '',
  ].join('\n');
}

function compileSpec(name: ModelName): GraphIR {
  const result = compile(specText(name), { file: `bench/${name}.regnet` });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.ir || errors.length > 0) throw new Error(`bench spec ${name}: ${errors.map((d) => d.message).join('; ')}`);
  return result.ir;
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (v: number, digits = 3) => +v.toFixed(digits);

/**
 * One timed run: `steps` training steps in `seconds` of wall time, and `cpuSeconds` of the
 * process's CPU time (all its threads): on a shared machine the CPU time is the steadier figure.
 */
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

/** A copy of a split's tensors on the active backend. */
function copyToBackend(tf: TF, split: Split): Split {
  return { x: tf.tensor(split.x.dataSync(), split.x.shape, split.x.dtype), y: tf.tensor(split.y.dataSync(), split.y.shape, split.y.dtype), size: split.size };
}

/** RegNet's loop: one epoch of `split` (stopped after `cap` seconds). */
async function regnetRun(tf: TF, ir: GraphIR, model: tfTypes.LayersModel, split: Split, cap = Infinity): Promise<Timing> {
  const data: LoadedData = { train: split, classes: 10 };
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
async function fitRun(model: tfTypes.Sequential, x: tfTypes.Tensor, y: tfTypes.Tensor, cap = Infinity): Promise<Timing> {
  let steps = 0;
  const cpuStart = cpuNow();
  const start = performance.now();
  await model.fit(x, y, {
    batchSize: BATCH,
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

function compileFit(tf: TF, name: ModelName): tfTypes.Sequential {
  const model = MODELS[name].fit(tf);
  model.compile({
    optimizer: tf.train.adam(LR),
    // The models end in logits, as the compiled spec's (its crossentropy is from logits).
    loss: (yTrue: tfTypes.Tensor, yPred: tfTypes.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
    metrics: ['accuracy'],
  });
  return model;
}

interface TorchRun extends Timing {
  version: string;
}

/** Whether /usr/bin/python3 imports torch, and the reason when it does not. */
function torchStatus(): { available: boolean; note?: string } {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.error) return { available: false, note: `${PYTHON} not found: PyTorch not measured` };
  if (r.status !== 0) return { available: false, note: `${PYTHON} has no torch (or numpy): PyTorch not measured` };
  return { available: true };
}

function torchRun(name: ModelName, files: { x: string; y: string; n: number }, threads: number, cap: number): TorchRun {
  const r = spawnSync(
    PYTHON,
    [TORCH_SCRIPT, '--model', name, '--data', files.x, '--labels', files.y, '--n', String(files.n), '--batch', String(BATCH),
      '--threads', String(threads), '--epochs', '1', '--warmup-steps', String(WARMUP_STEPS), '--lr', String(LR), '--max-seconds', String(cap)],
    {
      encoding: 'utf8',
      timeout: (cap + 120) * 1000,
      // torch.set_num_threads covers ATen's OpenMP pool, not OpenBLAS's own pthreads (the MLP's
      // matrix products): without these, "1 thread" ran BLAS on 2 threads and "2 threads" ran 4.
      env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
    },
  );
  if (r.status !== 0) throw new Error(`torch_epoch.py failed: ${r.error?.message ?? r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; epochs: { seconds: number; cpu_seconds: number; steps: number }[] };
  const epoch = out.epochs[0]!;
  return { steps: epoch.steps, seconds: epoch.seconds, cpuSeconds: epoch.cpu_seconds, version: out.torch };
}

interface ContenderResult {
  backend: string;
  /** Wall time (median over rounds). */
  seconds_per_epoch: number;
  steps_per_second: number;
  /** The process's CPU time per epoch (median over rounds). */
  cpu_seconds_per_epoch: number;
  /** Per round: measured steps and seconds. */
  rounds: { steps: number; seconds: number; seconds_per_epoch: number; cpu_seconds_per_epoch: number }[];
  extrapolated: boolean;
  note?: string;
}

function summarize(backend: string, rounds: Timing[], stepsPerEpoch: number, note?: string): ContenderResult {
  const perEpoch = rounds.map((r) => (r.seconds / r.steps) * stepsPerEpoch);
  const cpuPerEpoch = rounds.map((r) => (r.cpuSeconds / r.steps) * stepsPerEpoch);
  return {
    backend,
    seconds_per_epoch: round(median(perEpoch)),
    steps_per_second: round(stepsPerEpoch / median(perEpoch), 2),
    cpu_seconds_per_epoch: round(median(cpuPerEpoch)),
    rounds: rounds.map((r, i) => ({
      steps: r.steps,
      seconds: round(r.seconds),
      seconds_per_epoch: round(perEpoch[i]!),
      cpu_seconds_per_epoch: round(cpuPerEpoch[i]!),
    })),
    extrapolated: rounds.some((r) => r.steps < stepsPerEpoch),
    ...(note ? { note } : {}),
  };
}

/** Median over rounds of (a's seconds/epoch ÷ b's) in the same round; wall time or CPU time. */
function ratio(a: ContenderResult | undefined, b: ContenderResult | undefined, cpu = false): number | undefined {
  if (!a || !b) return undefined;
  const n = Math.min(a.rounds.length, b.rounds.length);
  if (n === 0) return undefined;
  const of = (c: ContenderResult, i: number) => (cpu ? c.rounds[i]!.cpu_seconds_per_epoch : c.rounds[i]!.seconds_per_epoch);
  const perRound = Array.from({ length: n }, (_, i) => of(a, i) / of(b, i));
  return round(median(perRound), 2);
}

async function benchModel(name: ModelName, torch: { available: boolean; note?: string }, dir: string) {
  let { tf } = await initBackend('wasm');
  const ir = compileSpec(name);
  const data = await loadData(tf, ir.data, SEED);
  const split = data.train;
  const stepsPerEpoch = Math.ceil(split.size / BATCH);
  const log = (msg: string) => console.log(`  ${name} ${msg}`);

  // PyTorch trains on exactly these digits.
  const files = { x: join(dir, `${name}-x.f32`), y: join(dir, `${name}-y.i32`), n: split.size };
  writeFileSync(files.x, split.x.dataSync() as Float32Array);
  writeFileSync(files.y, split.y.dataSync() as Int32Array);

  // wasm contenders, warmed up once.
  const ours = buildModel(tf, ir, new Random(SEED));
  const warm = head(tf, split, WARMUP_STEPS * BATCH);
  await regnetRun(tf, ir, ours, warm);
  const fitModel = compileFit(tf, name);
  const yOneHot = tf.oneHot(split.y as tfTypes.Tensor1D, 10).toFloat();
  const warmY = tf.slice(yOneHot, 0, warm.size);
  await fitRun(fitModel, warm.x, warmY);

  const rounds: Record<string, Timing[]> = { regnet_wasm: [], fit_wasm: [], torch_2: [], torch_1: [] };
  let torchVersion: string | undefined;
  for (let r = 0; r < REPEATS; r++) {
    const cap = CAP_SECONDS[name];
    const a = await regnetRun(tf, ir, ours, split, cap);
    rounds.regnet_wasm!.push(a);
    log(`round ${r + 1}: regnet/wasm ${a.steps} steps in ${a.seconds.toFixed(2)} s`);
    const b = await fitRun(fitModel, split.x, yOneHot, cap);
    rounds.fit_wasm!.push(b);
    log(`round ${r + 1}: fit/wasm    ${b.steps} steps in ${b.seconds.toFixed(2)} s`);
    if (torch.available) {
      for (const threads of [2, 1]) {
        const t = torchRun(name, files, threads, cap);
        torchVersion = t.version;
        rounds[`torch_${threads}`]!.push(t);
        log(`round ${r + 1}: torch/${threads}     ${t.steps} steps in ${t.seconds.toFixed(2)} s`);
      }
    }
  }
  tf.dispose([warm.x, warm.y, warmY, yOneHot]);
  ours.dispose();
  fitModel.dispose();

  // cpu: a few steps each, after one warm-up step.
  ({ tf } = await initBackend('cpu'));
  const cpuSplit = copyToBackend(tf, { x: split.x, y: split.y, size: split.size });
  const cpuData = head(tf, cpuSplit, CPU_STEPS[name] * BATCH);
  const cpuWarm = head(tf, cpuSplit, BATCH);
  const oursCpu = buildModel(tf, ir, new Random(SEED));
  await regnetRun(tf, ir, oursCpu, cpuWarm);
  const c = await regnetRun(tf, ir, oursCpu, cpuData);
  log(`regnet/cpu ${c.steps} steps in ${c.seconds.toFixed(2)} s`);
  const fitCpu = compileFit(tf, name);
  const cpuY = tf.oneHot(cpuData.y as tfTypes.Tensor1D, 10).toFloat();
  await fitRun(fitCpu, cpuWarm.x, tf.slice(cpuY, 0, cpuWarm.size));
  const d = await fitRun(fitCpu, cpuData.x, cpuY);
  log(`fit/cpu    ${d.steps} steps in ${d.seconds.toFixed(2)} s`);
  tf.dispose([cpuSplit.x, cpuSplit.y, cpuData.x, cpuData.y, cpuWarm.x, cpuWarm.y, cpuY]);
  oursCpu.dispose();
  fitCpu.dispose();
  ({ tf } = await initBackend('wasm'));
  tf.dispose([split.x, split.y]);

  const cpuNote = `${CPU_STEPS[name]} steps timed, extrapolated to the epoch`;
  const contenders: Record<string, ContenderResult> = {
    regnet_wasm: summarize('wasm', rounds.regnet_wasm!, stepsPerEpoch),
    fit_wasm: summarize('wasm', rounds.fit_wasm!, stepsPerEpoch),
    regnet_cpu: summarize('cpu', [c], stepsPerEpoch, cpuNote),
    fit_cpu: summarize('cpu', [d], stepsPerEpoch, cpuNote),
  };
  if (torch.available) {
    contenders.torch_2_threads = summarize(`torch ${torchVersion}, 2 threads`, rounds.torch_2!, stepsPerEpoch);
    contenders.torch_1_thread = summarize(`torch ${torchVersion}, 1 thread`, rounds.torch_1!, stepsPerEpoch);
  }
  const ratios = {
    regnet_vs_fit_wasm: ratio(contenders.regnet_wasm, contenders.fit_wasm),
    regnet_vs_fit_cpu: ratio(contenders.regnet_cpu, contenders.fit_cpu),
    regnet_wasm_vs_torch_2_threads: ratio(contenders.regnet_wasm, contenders.torch_2_threads),
    regnet_wasm_vs_torch_1_thread: ratio(contenders.regnet_wasm, contenders.torch_1_thread),
    fit_wasm_vs_torch_2_threads: ratio(contenders.fit_wasm, contenders.torch_2_threads),
    fit_wasm_vs_torch_1_thread: ratio(contenders.fit_wasm, contenders.torch_1_thread),
    cpu_vs_wasm: ratio(contenders.regnet_cpu, contenders.regnet_wasm),
  };
  // The same by CPU time: what each would take on an idle core (torch's 2 threads count twice).
  const cpuRatios = {
    regnet_vs_fit_wasm: ratio(contenders.regnet_wasm, contenders.fit_wasm, true),
    regnet_wasm_vs_torch_1_thread: ratio(contenders.regnet_wasm, contenders.torch_1_thread, true),
    regnet_wasm_vs_torch_2_threads: ratio(contenders.regnet_wasm, contenders.torch_2_threads, true),
  };
  const vsTorch = ratios.regnet_wasm_vs_torch_2_threads;
  return {
    architecture: MODELS[name].description,
    train_examples: split.size,
    steps_per_epoch: stepsPerEpoch,
    contenders,
    ratios,
    cpu_time_ratios: cpuRatios,
    targets: {
      regnet_vs_fit: { target: TARGET_VS_FIT, met: ratios.regnet_vs_fit_wasm !== undefined && ratios.regnet_vs_fit_wasm <= TARGET_VS_FIT },
      regnet_wasm_vs_torch_2_threads: { target: TARGET_VS_TORCH[name], met: vsTorch === undefined ? null : vsTorch <= TARGET_VS_TORCH[name] },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Memory: a child process per model.

interface MemoryPoint {
  epoch: number;
  /** After a forced GC (V8 collects lazily: without it RSS drifts up ~4 MB an epoch, all garbage). */
  rss_mb: number;
  js_heap_mb: number;
  wasm_heap_mb: number;
  tensors: number;
  tensor_mb: number;
}

async function memoryChild(name: ModelName): Promise<void> {
  const { tf } = await initBackend('wasm');
  const ir = compileSpec(name);
  ir.train.epochs = MEMORY_EPOCHS;
  const data = await loadData(tf, ir.data, SEED);
  const limit = MEMORY_EXAMPLES[name];
  const split = limit ? head(tf, data.train, limit) : data.train;
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
  await train({ tf, ir, model, data: { train: split, classes: 10 }, callbacks: { onEpochEnd: (record) => void points.push(point(record.epoch)) } });
  const peak = round(process.resourceUsage().maxRSS / 1024, 1);
  console.log(JSON.stringify({ model: name, train_examples: split.size, epochs: MEMORY_EPOCHS, peak_rss_mb: peak, after_epoch: points }));
}

function memoryOf(name: ModelName): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--memory', name], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------

function printTables(models: Record<string, Awaited<ReturnType<typeof benchModel>>>, memory: Record<string, Record<string, unknown>>): void {
  const speed = new Table({ head: ['model', 'contender', 'backend', 's/epoch', 'steps/s', 'CPU s/epoch', 'note'], style: { head: [], border: [] } });
  for (const [name, m] of Object.entries(models)) {
    for (const [key, c] of Object.entries(m.contenders)) {
      const note = c.note ?? (c.extrapolated ? 'epoch capped, extrapolated' : '');
      speed.push([name, key, c.backend, c.seconds_per_epoch.toFixed(2), c.steps_per_second.toFixed(1), c.cpu_seconds_per_epoch.toFixed(2), note]);
    }
  }
  console.log(speed.toString());
  const ratios = new Table({ head: ['model', 'ratio of seconds/epoch (median over rounds)', 'wall', 'CPU time', 'target'], style: { head: [], border: [] } });
  for (const [name, m] of Object.entries(models)) {
    for (const [key, v] of Object.entries(m.ratios)) {
      const target = key === 'regnet_vs_fit_wasm' ? `≤ ${TARGET_VS_FIT}` : key === 'regnet_wasm_vs_torch_2_threads' ? `≤ ${TARGET_VS_TORCH[name as ModelName]}` : '';
      const cpu = (m.cpu_time_ratios as Record<string, number | undefined>)[key];
      ratios.push([name, key, v === undefined ? '—' : `${v}x`, cpu === undefined ? '' : `${cpu}x`, target]);
    }
  }
  console.log(ratios.toString());
  const mem = new Table({ head: ['model', 'epoch', 'RSS MB', 'JS heap MB', 'wasm heap MB', 'tensors', 'tensor MB', 'peak RSS MB'], style: { head: [], border: [] } });
  for (const [name, m] of Object.entries(memory)) {
    if ('error' in m) {
      mem.push([name, 'error', String(m.error), '', '', '', '', '']);
      continue;
    }
    for (const p of m.after_epoch as MemoryPoint[]) {
      mem.push([name, p.epoch === 0 ? 'before' : p.epoch, p.rss_mb, p.js_heap_mb, p.wasm_heap_mb, p.tensors, p.tensor_mb, p.epoch === 0 ? '' : String(m.peak_rss_mb)]);
    }
  }
  console.log(mem.toString());
}

async function main(): Promise<void> {
  const memoryFlag = args.indexOf('--memory');
  if (memoryFlag >= 0) return memoryChild(args[memoryFlag + 1] as ModelName);
  const onlyFlag = args.indexOf('--only');
  const names: ModelName[] = onlyFlag >= 0 ? [args[onlyFlag + 1] as ModelName] : ['mlp', 'convnet'];

  const started = performance.now();
  const load = { start: loadavg().map((v) => round(v, 2)) as number[], end: [] as number[] };
  const torch = torchStatus();
  if (!torch.available) console.log(`note: ${torch.note}`);
  const dir = mkdtempSync(join(tmpdir(), 'regnet-bench-'));
  const models: Record<string, Awaited<ReturnType<typeof benchModel>>> = {};
  try {
    for (const name of names) models[name] = await benchModel(name, torch, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const memory: Record<string, Record<string, unknown>> = {};
  for (const name of names) memory[name] = memoryOf(name);
  load.end = loadavg().map((v) => round(v, 2));

  const out = {
    benchmark: 'training',
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    load_average: load,
    setup: {
      data: 'mnist() training split (7,996 digits), validation: 0',
      batch: BATCH,
      optimizer: `adam(lr: ${LR})`,
      metrics: ['accuracy'],
      rounds: REPEATS,
      warmup_steps: WARMUP_STEPS,
      cap_seconds: CAP_SECONDS,
      cpu_steps: CPU_STEPS,
      torch: torch.available
        ? 'torch_epoch.py with /usr/bin/python3 (same digits, batch, Adam); OMP/OPENBLAS/MKL_NUM_THREADS = torch threads'
        : torch.note,
      fit: "model.fit on the same backend, so with RegNet's added and overridden kernels registered (stock tfjs-backend-wasm has no Conv2DBackpropFilter: fit cannot train the convnet without them)",
    },
    models,
    memory,
    seconds: round((performance.now() - started) / 1000, 1),
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'training.json'), JSON.stringify(out, null, 2) + '\n');
  printTables(models, memory);
  console.log(`wrote bench/results/training.json (${out.seconds} s)`);
}

await main();
