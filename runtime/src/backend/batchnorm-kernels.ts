// Batch normalization in training as one kernel forward and one backward (wasm: simd/batchnorm.wat),
// instead of ~8 tf ops forward and ~20 in the gradient, each a pass over the whole activation.
// The per-channel sums accumulate in float64, so results differ from the tf-op path in the last
// bits; REGNET_FUSED_BATCHNORM=0 keeps the op path (layers/normalization.ts).
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import { allocateFloat32 } from './tensor-memory.js';
import { heapOffset, simdHelper, simdKernels, withScratch } from './simd-kernels.js';

type TensorInfo = tfTypes.TensorInfo;
type KernelFunc = tfTypes.KernelFunc;

export const BATCHNORM_FORWARD = 'RegNetBatchNormForward';
export const BATCHNORM_BACKWARD = 'RegNetBatchNormBackward';

export interface BatchNormAttrs {
  epsilon: number;
}

const sizeOf = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

/** Tensors this large are normalized partly on the helper thread, by channels (smaller ones take less than waking it, ~0.2 ms). */
const SPLIT_MIN_ELEMENTS = 1 << 19;

/** Runs a batchnorm kernel over all C channels: on two threads, split by channels, when worth it. */
function byChannels(
  backend: unknown,
  kernel: 'batchnorm_forward' | 'batchnorm_backward',
  n: number,
  C: number,
  args: (channels: [number, number]) => number[],
): void {
  const simd = simdKernels(backend)!;
  const helper = n >= SPLIT_MIN_ELEMENTS && C >= 8 ? simdHelper(backend) : undefined;
  if (helper) helper.split(simd, kernel, C, 4, (from, to) => args([from, to])); // (whole 4-lane vectors each)
  else (simd[kernel] as (...a: number[]) => void)(...args([0, C]));
}

/** x [..., C] (γ, β optional) → y [..., C], mean [C], variance [C] (biased), 1/√(var + ε) [C]. */
function forwardKernel(): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, gamma, beta } = inputs as Record<string, TensorInfo | undefined>;
    const { epsilon } = attrs as unknown as BatchNormAttrs;
    const C = x!.shape[x!.shape.length - 1]!;
    const outs = allocateFloat32(backend, [x!.shape, [C], [C], [C]]);
    const at = (t: TensorInfo | undefined) => (t ? heapOffset(backend, t) : 0);
    withScratch(backend, 7 * C, (scratch) =>
      byChannels(backend, 'batchnorm_forward', sizeOf(x!), C, (channels) => [
        at(x), sizeOf(x!), C, at(gamma), gamma ? 1 : 0, at(beta), beta ? 1 : 0, epsilon, at(outs[0]), at(outs[1]), at(outs[2]), at(outs[3]), scratch, ...channels,
      ]),
    );
    return outs;
  };
}

/** dy, x, mean, 1/√(var + ε) (and γ) → dx, dγ, dβ. */
function backwardKernel(): KernelFunc {
  return ({ inputs, backend }) => {
    const { dy, x, mean, invStd, gamma } = inputs as Record<string, TensorInfo | undefined>;
    const C = x!.shape[x!.shape.length - 1]!;
    const outs = allocateFloat32(backend, [x!.shape, [C], [C]]);
    const at = (t: TensorInfo | undefined) => (t ? heapOffset(backend, t) : 0);
    withScratch(backend, 7 * C, (scratch) =>
      byChannels(backend, 'batchnorm_backward', sizeOf(x!), C, (channels) => [
        at(dy), at(x), sizeOf(x!), C, at(mean), at(invStd), at(gamma), gamma ? 1 : 0, at(outs[0]), at(outs[1]), at(outs[2]), scratch, ...channels,
      ]),
    );
    return outs;
  };
}

/** Registers both kernels on the wasm backend; idempotent. */
export function registerBatchNormKernels(tf: TF): void {
  if (tf.getKernel(BATCHNORM_FORWARD, 'wasm') != null) return;
  tf.registerKernel({ kernelName: BATCHNORM_FORWARD, backendName: 'wasm', kernelFunc: forwardKernel() });
  tf.registerKernel({ kernelName: BATCHNORM_BACKWARD, backendName: 'wasm', kernelFunc: backwardKernel() });
}

/**
 * Whether a batchnorm over `channels` channels trains with the kernels: on wasm with RegNet's
 * SIMD kernels built, channels a multiple of 4 (the kernel's lanes), REGNET_FUSED_BATCHNORM not 0.
 */
export function useBatchNormKernels(tf: TF, channels: number): boolean {
  return (
    process.env.REGNET_FUSED_BATCHNORM !== '0' &&
    channels % 4 === 0 &&
    tf.getKernel(BATCHNORM_FORWARD, tf.getBackend()) != null &&
    simdKernels(tf.backend()) !== undefined
  );
}
