// Both cores for the wasm backend: tfjs-backend-wasm ships a threaded build (XNNPACK's thread
// pool on Emscripten pthreads) but turns it off in Node, because its pthread workers are Blob
// URLs and Node's worker_threads load only files. Here the same worker source runs from a file
// (wasm-pthread-worker.cjs). XNNPACK splits an operator's OUTPUT between threads and computes
// every element as one thread would, so results are bit-identical at any thread count (tested:
// runtime/test/wasm-threads.test.ts). RegNet's own SIMD kernels split their larger calls with a
// helper thread on the same memory (helper-thread.ts), alike; its JavaScript kernels stay on
// the main thread.
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** XNNPACK's pool in tfjs is at most 4 threads. */
const MAX_THREADS = 4;

const WORKER_FILE = fileURLToPath(new URL('../../../src/backend/wasm-pthread-worker.cjs', import.meta.url));

/** REGNET_THREADS as a count: a whole number from 1 (larger ones are capped at MAX_THREADS). */
function askedThreads(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.REGNET_THREADS?.trim();
  if (!text) return undefined;
  return /^[1-9][0-9]*$/.test(text) ? Number(text) : Number.NaN;
}

/** Why REGNET_THREADS cannot be used (the commands stop with this line), or undefined. */
export function threadsSettingProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const asked = askedThreads(env);
  if (asked === undefined || !Number.isNaN(asked)) return undefined;
  return `REGNET_THREADS must be a whole number of threads, 1 or more (1: one thread; more than ${MAX_THREADS} counts as ${MAX_THREADS}), not "${env.REGNET_THREADS}"`;
}

/**
 * Threads for the wasm backend: `REGNET_THREADS` when set (1 = the single-threaded build),
 * else one per core, at most 4. A sweep's or a queue worker's trials each get their share
 * (`threadsPerProcess`), so that processes do not fight over cores. Callers check
 * threadsSettingProblem first.
 */
export function wasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  const asked = askedThreads(env);
  const wanted = asked !== undefined && !Number.isNaN(asked) ? asked : os.availableParallelism();
  return Math.max(1, Math.min(MAX_THREADS, wanted));
}

/** What a model asks of the backend's threads: whether it has convolution layers. */
export interface Workload {
  convolutions: boolean;
}

/** Whether `ir`'s model has convolution layers (XNNPACK's large operators). */
export function workloadOf(ir: { nodes: { op: string }[] }): Workload {
  return { convolutions: ir.nodes.some((node) => node.op === 'conv1d' || node.op === 'conv2d') };
}

/**
 * The size of XNNPACK's pool for `threads` threads and a model. Its threads speed up large
 * operators (convolutions), but on the small element-wise operators of dense and recurrent
 * models they cost more than they give, and after each operator they spin for 1–2 ms; there
 * the pool is one thread and RegNet's helper thread (helper-thread.ts), which splits the large
 * products, Adam and batchnorm, is the second (MNIST MLP: 0.25 → 0.19 s an epoch). Unknown
 * models (`regnetc doctor`, the API's default) get the whole pool.
 */
export function xnnpackPoolThreads(threads: number, workload?: Workload): number {
  return workload && !workload.convolutions ? 1 : threads;
}

/** `REGNET_THREADS` for each of `processes` trial processes sharing this machine's cores. */
export function threadsPerProcess(processes: number, env: NodeJS.ProcessEnv = process.env): string {
  if (askedThreads(env) !== undefined) return env.REGNET_THREADS!.trim();
  return String(Math.max(1, Math.floor(os.availableParallelism() / Math.max(1, processes))));
}

interface EmscriptenWorker {
  unref(): void;
}
interface PThreadModule {
  PThread?: { runningWorkers: EmscriptenWorker[]; unusedWorkers: EmscriptenWorker[] };
  tfjs?: { getThreadsCount(): number };
}

/**
 * Runs `initialize` (which calls `tf.setBackend('wasm')`) so that the threaded build starts with
 * a pool of `threads` threads (1: the threaded build, its shared memory, and no pool workers). Two things in tfjs are worked around for the duration of the call only:
 * the pthread workers' Blob URL is replaced by our worker file, and the pool size, which tfjs
 * takes as os.cpus().length / 2 (it assumes two hyper-threads per core; its setThreadsCount
 * has no effect in this build), is made `threads`.
 */
export async function withWasmThreads<T>(threads: number, initialize: () => Promise<T>): Promise<T> {
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = () => WORKER_FILE;
  os.cpus = () => {
    const one = cpus()[0]!;
    return Array.from({ length: 2 * threads }, () => one);
  };
  try {
    return await initialize();
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
}

/**
 * After the threaded backend started: its idle workers must not keep Node alive (a command
 * exits when its work is done), and the thread count it really got.
 */
export function settleWasmThreads(backend: unknown): number {
  const module = (backend as { wasm?: PThreadModule }).wasm;
  const pthread = module?.PThread;
  if (pthread) for (const worker of [...pthread.runningWorkers, ...pthread.unusedWorkers]) worker.unref();
  return module?.tfjs?.getThreadsCount() ?? 1;
}
