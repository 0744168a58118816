// Dropout's mask as one kernel on wasm (simd/dropout.wat) instead of tf.randomUniform, whose
// draws tfjs makes one by one in JavaScript (~0.3 ms for the MNIST MLP's 128×256 batch), then a
// GreaterEqual, a Cast and a Mul. The kernel continues the same Alea generator that
// tf.randomUniform seeds (seedrandom's, from the seed's decimal string), so the mask is bit
// for bit the ops' mask (runtime/test/dropout-kernel.test.ts). Given the layer's next seed, it
// starts that mask on the helper thread in the background, for the next step to take when it
// asks for the same shape and rate with that seed (its Alea draws are sequential: 0.2 ms for
// the MNIST MLP's batch, which the main thread no longer waits for).
import seedrandom from 'seedrandom';
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import { allocateFloat32 } from './tensor-memory.js';
import { heapOffset, simdHelper, simdKernels } from './simd-kernels.js';

type KernelFunc = tfTypes.KernelFunc;
type TensorInfo = tfTypes.TensorInfo;

export const DROPOUT_MASK = 'RegNetDropoutMask';

export interface DropoutMaskAttrs {
  shape: number[];
  rate: number;
  seed: number;
  /** The seed the layer's next mask will have: that mask is made ahead, in the background. */
  nextSeed?: number;
  /** Which layer's masks these are (its own seed): each layer has one mask made ahead. Without it, none. */
  stream?: number;
}

/** A mask made ahead: its output, and what it was made for. */
interface MaskAhead {
  out: TensorInfo;
  key: string;
}
/** Per backend, per stream (layer), the mask made ahead, least recently used first. */
const masksAhead = new WeakMap<object, Map<number, MaskAhead>>();
/** Streams kept: a process that trains model after model (each layer a stream) must not gather masks. */
const MAX_STREAMS = 16;
const keyOf = (shape: number[], rate: number, seed: number) => `${shape.join('x')} ${rate} ${seed}`;

/** Alea's state after seeding, as seedrandom keeps it. */
interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/** The mask kernel's arguments (simd/dropout.wat) for `seed`'s mask into `out`. */
function maskArgs(backend: unknown, shape: number[], rate: number, seed: number, out: TensorInfo): number[] {
  // tfjs' UniformRandom seeds Alea with the seed number's decimal string.
  const state = seedrandom.alea(String(seed), { state: true }).state() as AleaState;
  const n = shape.reduce((a, b) => a * b, 1);
  return [state.c, state.s0, state.s1, state.s2, n, Math.fround(rate), Math.fround(1 / (1 - rate)), heapOffset(backend, out)];
}

function dropoutMaskKernel(): KernelFunc {
  return ({ backend, attrs }) => {
    const { shape, rate, seed, nextSeed, stream } = attrs as unknown as DropoutMaskAttrs;
    const simd = simdKernels(backend)!;
    const helper = simdHelper(backend);
    const dispose = (info: TensorInfo) => (backend as { disposeData(id: unknown): void }).disposeData(info.dataId);
    let streams = masksAhead.get(backend as object);
    if (!streams) masksAhead.set(backend as object, (streams = new Map()));
    // the stream's mask made ahead, when it is this one (the helper done with it); else dropped
    let out: TensorInfo | undefined;
    const ahead = stream === undefined ? undefined : streams.get(stream);
    if (ahead) {
      streams.delete(stream!);
      helper?.finish();
      if (ahead.key === keyOf(shape, rate, seed)) out = ahead.out;
      else dispose(ahead.out);
    }
    if (!out) {
      [out] = allocateFloat32(backend, [shape]);
      (simd.dropout_mask as (...args: number[]) => void)(...maskArgs(backend, shape, rate, seed, out!));
    }
    if (helper && stream !== undefined && nextSeed !== undefined) {
      const [next] = allocateFloat32(backend, [shape]);
      if (helper.start('dropout_mask', maskArgs(backend, shape, rate, nextSeed, next!))) streams.set(stream, { out: next!, key: keyOf(shape, rate, nextSeed) });
      else dispose(next!);
      for (const [oldest, { out: unused }] of streams) {
        if (streams.size <= MAX_STREAMS) break;
        helper.finish(); // (the helper may still be writing the newest; the oldest is done)
        dispose(unused);
        streams.delete(oldest);
      }
    }
    return out!;
  };
}

/** Registers the mask kernel on the wasm backend; idempotent. */
export function registerDropoutMaskKernel(tf: TF): void {
  if (tf.getKernel(DROPOUT_MASK, 'wasm') == null) tf.registerKernel({ kernelName: DROPOUT_MASK, backendName: 'wasm', kernelFunc: dropoutMaskKernel() });
}

/** Whether the active backend makes dropout masks with the kernel (wasm with RegNet's SIMD kernels built). */
export function useDropoutMaskKernel(tf: TF): boolean {
  return tf.getKernel(DROPOUT_MASK, tf.getBackend()) != null && simdKernels(tf.backend()) !== undefined;
}
