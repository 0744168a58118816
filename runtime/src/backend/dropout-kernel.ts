// Dropout's mask as one kernel on wasm (simd/dropout.wat) instead of tf.randomUniform, whose
// draws tfjs makes one by one in JavaScript (~0.3 ms for the MNIST MLP's 128×256 batch), then a
// GreaterEqual, a Cast and a Mul. The kernel continues the same Alea generator that
// tf.randomUniform seeds (seedrandom's, from the seed's decimal string), so the mask is bit
// for bit the ops' mask (runtime/test/dropout-kernel.test.ts).
import seedrandom from 'seedrandom';
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import { allocateFloat32 } from './tensor-memory.js';
import { heapOffset, simdKernels } from './simd-kernels.js';

type KernelFunc = tfTypes.KernelFunc;

export const DROPOUT_MASK = 'RegNetDropoutMask';

export interface DropoutMaskAttrs {
  shape: number[];
  rate: number;
  seed: number;
}

/** Alea's state after seeding, as seedrandom keeps it. */
interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

function dropoutMaskKernel(): KernelFunc {
  return ({ backend, attrs }) => {
    const { shape, rate, seed } = attrs as unknown as DropoutMaskAttrs;
    const simd = simdKernels(backend)!;
    const [out] = allocateFloat32(backend, [shape]);
    // tfjs' UniformRandom seeds Alea with the seed number's decimal string.
    const state = seedrandom.alea(String(seed), { state: true }).state() as AleaState;
    const n = shape.reduce((a, b) => a * b, 1);
    simd.dropout_mask(state.c, state.s0, state.s1, state.s2, n, Math.fround(rate), Math.fround(1 / (1 - rate)), heapOffset(backend, out!));
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
