// RegNet's own WebAssembly kernels (simd/*.wat, assembled by scripts/build-wasm.mjs), run on
// tfjs-backend-wasm's memory itself: they import its WebAssembly.Memory and read and write
// tensors in place by their heap offsets, with 128-bit SIMD (Adam over the MNIST MLP's 200,000
// weights: ~0.3 ms, against ~2 ms in JavaScript and ~5 ms in 14 tf ops). The threaded build's
// memory is shared, the others' is not: each has its binary.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as tfTypes from '@tensorflow/tfjs';
import { HelperThread } from './helper-thread.js';
import { allocateFloat32 } from './tensor-memory.js';

type TensorInfo = tfTypes.TensorInfo;

/** The parts of tfjs-backend-wasm's BackendWasm used here. */
interface WasmBackend {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } | undefined };
}

export interface SimdKernels {
  /** simd/adam.wat */
  adam(
    w: number, g: number, m0: number, v0: number, wOut: number, mOut: number, vOut: number, n: number, hasMoments: number,
    b1: number, c1: number, b2: number, c2: number, bc2: number, eps: number, step: number, decay: number,
  ): void;
  /** simd/batchnorm.wat */
  batchnorm_forward(
    x: number, n: number, channels: number, gamma: number, hasGamma: number, beta: number, hasBeta: number, eps: number,
    y: number, meanOut: number, varOut: number, invOut: number, scratch: number, channelBegin: number, channelEnd: number,
  ): void;
  batchnorm_backward(
    dy: number, x: number, n: number, channels: number, mean: number, inv: number, gamma: number, hasGamma: number,
    dx: number, dGamma: number, dBeta: number, scratch: number, channelBegin: number, channelEnd: number,
  ): void;
  /** simd/maxpool.wat */
  maxpool2x2_grad(x: number, dy: number, dx: number, batch: number, inH: number, inW: number, channels: number, outH: number, outW: number): void;
  /** simd/gemm.wat: rows [m0, m1) of C = A·B (+ bias, or + C with accumulate 1); A[i, k] at a + i·sai + k·sak. */
  gemm(a: number, sai: number, sak: number, b: number, bias: number, c: number, K: number, N: number, m0: number, m1: number, accumulate: number): void;
  /** simd/sparse-gemm.wat: rows [m0, m1) of C = A·B (+ bias) skipping A's zeros, A [M, K]; scratch 4·(rows + 1) + 8·(their nonzeros + 1) bytes. */
  sparse_gemm(a: number, K: number, b: number, bias: number, c: number, N: number, m0: number, m1: number, scratch: number): void;
  /** simd/sparse-gemm.wat: rows [m0, m1) of C = Aᵀ·B (+ bias) skipping A's zeros, A [K, M]; scratch as sparse_gemm's. */
  sparse_gemm_transposed(
    a: number, K: number, M: number, b: number, bias: number, c: number, N: number, m0: number, m1: number, scratch: number,
  ): void;
  /** simd/sparse-gemm.wat: how many of x[0..n) are not ±0. */
  nonzero_count(x: number, n: number): number;
  /** simd/sparse-gemm.wat: 1 if x[0..n) are all finite, else 0. */
  all_finite(x: number, n: number): number;
  /** simd/sum-of-squares.wat: Σx² of the even and of the odd elements, as two float64s at `sums`. */
  sum_of_squares(x: number, n: number, sums: number): void;
  /** simd/reduce-rows.wat: out[c] = Σ_r x[r, c] (float64 sums in acc, 8·width bytes), as heap-kernels.ts' Sum. */
  sum_rows(x: number, rows: number, width: number, out: number, acc: number): void;
  /** simd/reduce-rows.wat: out[c] = (Σ_r x[r, c]) / rows in float32, as heap-kernels.ts' Mean. */
  mean_rows(x: number, rows: number, width: number, out: number): void;
  /** simd/compare.wat: out[i] = x[i] ≥ s as a byte 1 or 0. */
  greater_equal_scalar(x: number, n: number, s: number, out: number): void;
  /** simd/dropout.wat: n mask values, scale or 0, from Alea's state (c, s0, s1, s2). */
  dropout_mask(c: number, s0: number, s1: number, s2: number, n: number, rate: number, scale: number, out: number): void;
  /** simd/gather.wat: out row r = x row indices[r] (int32 indices, checked by the caller). */
  gather_rows(x: number, indices: number, count: number, rowBytes: number, out: number): void;
  /** simd/patches.wat: the im2col matrix [B·outH·outW, kh·kw·C]. */
  patches(
    x: number, dst: number, batch: number, h: number, w: number, channels: number, outH: number, outW: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, padTop: number, padLeft: number,
  ): void;
}

const MODULES = ['adam', 'batchnorm', 'compare', 'dropout', 'gather', 'gemm', 'maxpool', 'patches', 'reduce-rows', 'sparse-gemm', 'sum-of-squares'];

const DIR = fileURLToPath(new URL('./simd/', import.meta.url));
const instances = new WeakMap<object, SimdKernels | null>();
const helpers = new WeakMap<object, HelperThread | null>();

/** The compiled modules, per kind of memory (compiled once; the helper thread gets them too). */
const compiled = new Map<boolean, WebAssembly.Module[]>();

/** The kernels' modules for a shared or an unshared memory; throws when the binaries are missing. */
export function kernelModules(shared: boolean): WebAssembly.Module[] {
  let modules = compiled.get(shared);
  if (!modules) {
    modules = MODULES.map((name) => new WebAssembly.Module(readFileSync(`${DIR}${name}${shared ? '' : '.unshared'}.wasm`)));
    compiled.set(shared, modules);
  }
  return modules;
}

/**
 * The kernels instantiated on `memory`. The helper thread passes the main thread's compiled
 * modules: V8 then shares their machine code, optimized once for both threads.
 */
export function instantiateKernels(memory: WebAssembly.Memory, modules = kernelModules(memory.buffer instanceof SharedArrayBuffer)): SimdKernels {
  const exports = modules.map((module) => new WebAssembly.Instance(module, { env: { memory } }).exports);
  return Object.assign({}, ...exports) as SimdKernels;
}

function backendMemory(backend: unknown): WebAssembly.Memory | undefined {
  const b = backend as Partial<WasmBackend>;
  return b.dataIdMap ? (b.wasm?.wasmMemory ?? b.wasm?.asm?.memory) : undefined;
}

/** The kernels bound to `backend`'s memory; undefined on other backends or when the binaries are missing. */
export function simdKernels(backend: unknown): SimdKernels | undefined {
  const memory = backendMemory(backend);
  if (!memory) return undefined;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    try {
      kernels = instantiateKernels(memory);
    } catch {
      kernels = null; // not built (a source checkout before `npm run build`): the callers' fallbacks run
    }
    instances.set(memory, kernels);
  }
  return kernels ?? undefined;
}

/**
 * The helper thread that runs part of a split kernel call, on the threaded build (shared memory)
 * only; started on first use. REGNET_THREADS=1 gives the single-threaded build, so no helper.
 */
export function simdHelper(backend: unknown): HelperThread | undefined {
  const memory = backendMemory(backend);
  if (!memory || !(memory.buffer instanceof SharedArrayBuffer) || !simdKernels(backend)) return undefined;
  let helper = helpers.get(memory);
  if (helper === undefined) {
    try {
      helper = new HelperThread(memory);
    } catch {
      helper = null; // no worker threads here: every call runs whole on this thread
    }
    helpers.set(memory, helper);
  }
  return helper ?? undefined;
}

/** A wasm tensor's byte offset in the heap. */
export function heapOffset(backend: unknown, info: TensorInfo): number {
  const entry = (backend as WasmBackend).dataIdMap.get(info.dataId);
  if (!entry) throw new Error('tensor is not on the wasm backend');
  return entry.memoryOffset;
}

/**
 * Runs `body` with a float32 scratch tensor of `size` elements on the wasm heap (its byte offset,
 * and itself), freed afterwards. Allocate a kernel's outputs first: they outlive the scratch.
 */
export function withScratch<T>(backend: unknown, size: number, body: (offset: number, scratch: TensorInfo) => T): T {
  const [scratch] = allocateFloat32(backend, [[size]]);
  try {
    return body(heapOffset(backend, scratch!), scratch!);
  } finally {
    (backend as { disposeData(dataId: unknown): void }).disposeData(scratch!.dataId);
  }
}
