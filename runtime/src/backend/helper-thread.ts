// A second thread for RegNet's own SIMD kernels (simd/*.wat). tfjs' threaded build keeps its
// tensors in a WebAssembly memory shared between threads; a worker instantiates our kernels on
// that same memory and runs one part of a split kernel call (a range of rows, elements or
// channels) while the main thread runs the other. Each output element is computed exactly as
// one thread would compute it, so results are bit-identical at any thread count. The hand-off is
// synchronous, through Atomics on a small shared block: a tfjs kernel function cannot await.
// The helper also takes background work: a call a later kernel will need (the next dropout mask).
import { Worker } from 'node:worker_threads';
import { kernelModules, type SimdKernels } from './simd-kernels.js';

/** Slots of the control block (Int32Array indices); the arguments follow as float64s. */
export const CONTROL = { request: 0, done: 1, kernel: 2, argc: 3, ready: 4, failed: 5 } as const;
export const ARGS_BYTE_OFFSET = 64;
export const MAX_ARGS = 24;
const CONTROL_BYTES = ARGS_BYTE_OFFSET + 8 * MAX_ARGS;

/** How long the main thread polls for the helper's part before it sleeps on the futex (its part is usually as long). */
const SPIN_MS = 0.2;

const WORKER_FILE = new URL('./helper-thread-worker.js', import.meta.url);

export type KernelName = keyof SimdKernels;

/**
 * Whether the helper takes background work (start()). Not beside XNNPACK's pool threads: they
 * run at the lowest priority on the same cores, so background work there holds up their share
 * of every convolution (CIFAR's dropout mask made ahead slowed its epochs by 15%).
 */
let backgroundWork = true;

/** Allows or stops background work on the helper (select.ts: only when XNNPACK's pool is one thread). */
export function setBackgroundWork(allowed: boolean): void {
  backgroundWork = allowed;
}

export class HelperThread {
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private sequence = 0;
  /** The sequence number of a background call (start()) not yet waited for, else 0. */
  private pending = 0;
  private readonly worker: Worker;

  constructor(memory: WebAssembly.Memory) {
    const block = new SharedArrayBuffer(CONTROL_BYTES);
    this.control = new Int32Array(block);
    this.args = new Float64Array(block, ARGS_BYTE_OFFSET, MAX_ARGS);
    // No inherited flags: the process's own `-e` script or `--import` preload (a queue trial's
    // checkpoint channel) is not the helper's to run.
    this.worker = new Worker(WORKER_FILE, { workerData: { memory, control: block, modules: kernelModules(true) }, execArgv: [] });
    // An idle helper must not keep Node alive, and a failed start only means one thread.
    this.worker.unref();
    this.worker.on('error', () => Atomics.store(this.control, CONTROL.ready, 0));
  }

  /** False until the worker has instantiated the kernels (its first ~50 ms). */
  get ready(): boolean {
    return Atomics.load(this.control, CONTROL.ready) === 1;
  }

  /**
   * Runs `kernel(...here)` on this thread and `kernel(...there)` on the helper at the same
   * time; returns when both are done. The two calls must write disjoint memory.
   */
  runBoth(kernels: SimdKernels, kernel: KernelName, here: number[], there: number[]): void {
    const call = kernels[kernel] as (...args: number[]) => void;
    if (!this.ready) {
      call(...here);
      call(...there);
      return;
    }
    const sequence = this.post(kernel, there);
    try {
      call(...here);
    } finally {
      // Even when this thread's part failed: the next call must not overwrite the helper's arguments.
      this.waitFor(sequence);
    }
    this.checkFailed(kernel);
  }

  /**
   * Starts `kernel(...args)` on the helper in the background (work for a later kernel call,
   * as the next dropout mask) and returns at once; false (nothing started) when the helper is
   * not ready or takes no background work. The next call to the helper, or finish(), waits for
   * it first.
   */
  start(kernel: KernelName, args: number[]): boolean {
    if (!this.ready || !backgroundWork) return false;
    this.pending = this.post(kernel, args);
    return true;
  }

  /** Waits for the call start() began, if any (a no-op when it is done). */
  finish(): void {
    if (this.pending === 0) return;
    const sequence = this.pending;
    this.pending = 0;
    this.waitFor(sequence);
    this.checkFailed('background call');
  }

  /** Posts a call to the helper (after any background call): its sequence number. */
  private post(kernel: KernelName, args: number[]): number {
    if (args.length > MAX_ARGS) throw new Error(`${kernel}: more than ${MAX_ARGS} arguments`);
    this.finish();
    this.args.set(args);
    Atomics.store(this.control, CONTROL.kernel, KERNEL_NAMES.indexOf(kernel));
    Atomics.store(this.control, CONTROL.argc, args.length);
    const sequence = ++this.sequence;
    Atomics.store(this.control, CONTROL.request, sequence);
    Atomics.notify(this.control, CONTROL.request);
    return sequence;
  }

  private checkFailed(what: string): void {
    if (Atomics.load(this.control, CONTROL.failed) !== 0) {
      Atomics.store(this.control, CONTROL.failed, 0);
      throw new Error(`${what} failed on the helper thread`);
    }
  }

  /**
   * Runs `kernel` over [0, total) (rows, elements, channels, images), cut in half at a multiple
   * of `granule`: this thread takes [0, cut), the helper the rest; `args(from, to)` gives a
   * part's arguments. (A cut that followed how late and slow the helper was in the last calls
   * measured no faster on the MLP and 2–10% slower on CIFAR.)
   */
  split(kernels: SimdKernels, kernel: KernelName, total: number, granule: number, args: (from: number, to: number) => number[]): void {
    const units = Math.floor(total / granule); // (a remainder goes to the helper's part)
    if (units < 2) {
      (kernels[kernel] as (...a: number[]) => void)(...args(0, total));
      return;
    }
    const cut = granule * (units >> 1);
    this.runBoth(kernels, kernel, args(0, cut), args(cut, total));
  }

  private waitFor(sequence: number): void {
    const deadline = performance.now() + SPIN_MS;
    let done = Atomics.load(this.control, CONTROL.done);
    while (done !== sequence && performance.now() < deadline) done = Atomics.load(this.control, CONTROL.done);
    while (done !== sequence) {
      Atomics.wait(this.control, CONTROL.done, done);
      done = Atomics.load(this.control, CONTROL.done);
    }
  }
}

/** The kernels a call may be split for, by index, as the worker knows them. */
export const KERNEL_NAMES: KernelName[] = [
  'adam', 'batchnorm_forward', 'batchnorm_backward', 'dropout_mask', 'gemm', 'patches', 'sparse_gemm', 'sparse_gemm_transposed',
];
