// Picks and initializes the TensorFlow.js backend: the native `tensorflow` one when
// @tensorflow/tfjs-node is installed (optional: it cannot be downloaded everywhere),
// else WebAssembly, else the pure-JS cpu backend. tfjs is imported lazily so that
// commands that never train (`regnetc check`) stay fast.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TF } from '../contracts.js';
import { registerCpuKernels, registerWasmKernels } from './wasm-kernels.js';
import { settleWasmThreads, threadsSettingProblem, wasmThreads, withWasmThreads, xnnpackPoolThreads, type Workload } from './wasm-threads.js';
import { setBackgroundWork } from './helper-thread.js';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export interface SelectedBackend {
  tf: TF;
  /** The tfjs backend name actually running: `tensorflow`, `wasm` or `cpu`. */
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** Threads the backend computes with (wasm: XNNPACK's pool, or 2 with one pool thread and RegNet's helper; see wasm-threads.ts). */
  threads?: number;
}

/** ` (2 threads)` after a backend's name in `backend: …` lines; nothing for one thread. */
export function threadsNote(threads: number | undefined): string {
  return threads !== undefined && threads > 1 ? ` (${threads} threads)` : '';
}

/** A backend that was asked for explicitly but cannot run here; the CLI prints `message`. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendChoice,
    message: string,
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

const require = createRequire(import.meta.url);
let tfModule: TF | undefined;
let wasmPrepared = false;
let wasmThreadCount = 1;
let wasmStarted = false;

async function loadTf(): Promise<TF> {
  // The union package, imported once; every other module receives it as `tf`.
  if (!tfModule) {
    tfModule = (await import('@tensorflow/tfjs')) as TF;
    // The cpu backend prints a banner recommending tfjs-node on its first write; the CLI
    // reports which backend runs, so the banner is suppressed.
    const cpu = tfModule.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
    if (cpu) cpu.firstUse = false;
  }
  return tfModule;
}

/** Why tfjs-node is missing, in the words `regnetc doctor` and `--version` use. */
export const TFJS_NODE_MISSING = 'not installed: npm install @tensorflow/tfjs-node (downloads libtensorflow)';

/** Imports tfjs-node (registers the `tensorflow` backend) or explains why it cannot. */
async function tryTensorflow(tf: TF): Promise<string | undefined> {
  // A variable specifier keeps TypeScript from requiring the optional package at build time.
  const name = '@tensorflow/tfjs-node';
  try {
    await import(name);
  } catch (err) {
    return `@tensorflow/tfjs-node is not installed or failed to load (${(err as Error).message.split('\n')[0]})`;
  }
  if (tf.findBackend('tensorflow') == null) {
    return '@tensorflow/tfjs-node loaded but registered its backend on another copy of @tensorflow/tfjs-core (versions differ)';
  }
  return undefined;
}

async function prepareWasm(tf: TF): Promise<string | undefined> {
  if (wasmPrepared) return undefined;
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    return `@tensorflow/tfjs-backend-wasm failed to load (${(err as Error).message.split('\n')[0]})`;
  }
  // In Node the .wasm binaries are read from the package's dist folder on disk (not fetched);
  // a plain path prefix makes Emscripten read the file with fs.
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  wasm.setWasmPaths(dist);
  // The threaded build needs SIMD too (tfjs loads it only then); REGNET_THREADS=1 keeps the
  // single-threaded build.
  const threads = wasmThreads();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', simd && threads > 1);
  wasmThreadCount = simd ? threads : 1;
  wasmPrepared = true;
  return undefined;
}

/**
 * Starts the wasm backend, threaded when prepareWasm chose so, with XNNPACK's pool sized for
 * `workload` (the first start decides: a process trains one model); false when it fell back.
 */
async function activateWasm(tf: TF, workload?: Workload): Promise<boolean> {
  if (wasmStarted) return activate(tf, 'wasm');
  const ok = await withWasmThreads(xnnpackPoolThreads(wasmThreadCount, workload), () => activate(tf, 'wasm'));
  if (ok) {
    wasmStarted = true;
    const pool = settleWasmThreads(tf.backend());
    // A pool of one on the threaded build still has the helper thread: two threads. The helper
    // takes background work only there (beside a pool it would hold up XNNPACK's threads).
    wasmThreadCount = pool === 1 && wasmThreadCount > 1 ? 2 : pool;
    setBackgroundWork(pool === 1);
  }
  return ok;
}

/** Switches to `name`; false when tfjs silently fell back to another backend. */
async function activate(tf: TF, name: string): Promise<boolean> {
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Whether one backend can run here, by initializing it (`regnetc doctor`); the reason when not.
 * Leaves that backend active.
 */
export async function probeBackend(name: SelectedBackend['name']): Promise<{ available: boolean; reason?: string; threads?: number }> {
  const tf = await loadTf();
  if (name === 'tensorflow') {
    const problem = await tryTensorflow(tf);
    if (problem) return { available: false, reason: problem };
  } else if (name === 'wasm') {
    const problem = threadsSettingProblem() ?? (await prepareWasm(tf));
    if (problem) return { available: false, reason: problem };
  }
  if (name === 'wasm' ? await activateWasm(tf) : await activate(tf, name)) {
    return name === 'wasm' ? { available: true, threads: wasmThreadCount } : { available: true };
  }
  return { available: false, reason: `tf.setBackend("${name}") fell back to '${tf.getBackend()}'` };
}

/**
 * Initializes the backend for `choice`. `auto` tries tensorflow, wasm, cpu in that order;
 * an explicit choice that cannot run throws BackendUnavailableError with the reason.
 * `workload` (wasm-threads.ts' workloadOf the model to train) sizes wasm's thread pool.
 */
export async function initBackend(choice: BackendChoice = 'auto', workload?: Workload): Promise<SelectedBackend> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new BackendUnavailableError(choice, `unknown backend '${choice}' (expected ${BACKEND_CHOICES.join(', ')})`);
  }
  // A mistyped setting stops the run rather than being quietly ignored, whichever backend runs.
  const threadsProblem = threadsSettingProblem();
  if (threadsProblem) throw new BackendUnavailableError(choice, threadsProblem);
  const tf = await loadTf();
  if (choice === 'auto' || choice === 'tensorflow') {
    const problem = await tryTensorflow(tf);
    if (problem === undefined && (await activate(tf, 'tensorflow'))) return { tf, name: 'tensorflow' };
    if (choice === 'tensorflow') {
      throw new BackendUnavailableError(
        'tensorflow',
        `backend 'tensorflow' is not available: ${problem ?? 'tf.setBackend("tensorflow") failed'}. ` +
          `Install it with \`npm install @tensorflow/tfjs-node\`, or use --backend wasm or --backend cpu.`,
      );
    }
  }
  if (choice === 'auto' || choice === 'wasm') {
    const problem = await prepareWasm(tf);
    if (problem === undefined && (await activateWasm(tf, workload))) {
      registerWasmKernels(tf);
      return { tf, name: 'wasm', threads: wasmThreadCount };
    }
    if (choice === 'wasm') {
      throw new BackendUnavailableError(
        'wasm',
        `backend 'wasm' is not available: ${problem ?? `tf.setBackend("wasm") fell back to '${tf.getBackend()}'`}. Use --backend cpu.`,
      );
    }
  }
  if (await activate(tf, 'cpu')) {
    registerCpuKernels(tf);
    return { tf, name: 'cpu' };
  }
  throw new BackendUnavailableError(choice, `no TensorFlow.js backend could be initialized (cpu failed too)`);
}
