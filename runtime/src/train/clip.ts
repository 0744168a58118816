// Gradient clipping. `norm(τ)` is torch.nn.utils.clip_grad_norm_: with the global
// norm ‖g‖ over all gradients, every gradient is multiplied by min(1, τ/(‖g‖ + 1e-6)).
// `value(v)` clamps each component to [-v, v] (torch.nn.utils.clip_grad_value_).
// Both report the global norm before clipping (metrics.jsonl's grad_norm).
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import { SUM_OF_SQUARES } from '../backend/heap-kernels.js';

type Tensor = tfTypes.Tensor;

export interface ClipConfig {
  kind: 'norm' | 'value';
  value: number;
}

export interface ClipResult {
  grads: Record<string, Tensor>;
  /** Global L2 norm of the gradients before clipping. */
  norm: number;
}

/**
 * Σ‖g_i‖² over all gradients, as a scalar: one RegNetSumOfSquares kernel where the backend has
 * it (wasm, cpu), else a Square and a Sum per gradient and one AddN. Not tf.norm, which
 * computes |x|^2 with Pow: on wasm that alone took a quarter of an MLP training step.
 */
export function squaredGlobalNorm(tf: TF, grads: Tensor[]): tfTypes.Scalar {
  return tf.tidy(() => {
    if (grads.length === 0) return tf.scalar(0);
    const floats = grads.every((g) => g.dtype === 'float32');
    if (floats && tf.getKernel(SUM_OF_SQUARES, tf.getBackend()) != null) {
      const inputs: Record<string, Tensor> = {};
      grads.forEach((g, i) => (inputs[`x${i}`] = g));
      return tf.engine().runKernel(SUM_OF_SQUARES, inputs, {}) as tfTypes.Scalar;
    }
    const squares = grads.map((g) => tf.sum(tf.square(g)));
    return (squares.length === 1 ? squares[0]! : tf.addN(squares)) as tfTypes.Scalar;
  });
}

/** Global L2 norm of all gradients: √(Σ‖g_i‖²), the norm torch's clip_grad_norm_ uses. */
export function globalNorm(tf: TF, grads: Tensor[]): tfTypes.Scalar {
  return tf.tidy(() => tf.sqrt(squaredGlobalNorm(tf, grads)));
}

/**
 * Returns new gradient tensors (the caller disposes the inputs and the outputs; when
 * nothing is clipped the outputs are the inputs). `norm`, when the caller already read it
 * (the training loop reads it with the loss), saves computing it again.
 */
export function clipGradients(tf: TF, grads: Record<string, Tensor>, clip?: ClipConfig, norm?: number): ClipResult {
  const names = Object.keys(grads);
  if (norm === undefined) {
    const normTensor = globalNorm(tf, names.map((n) => grads[n]!));
    norm = normTensor.dataSync()[0]!;
    normTensor.dispose();
  }
  if (!clip) return { grads, norm };
  if (clip.kind === 'norm') {
    const coefficient = clip.value / (norm + 1e-6);
    if (coefficient >= 1) return { grads, norm };
    // torch computes the coefficient in float32; Math.fround keeps us bit-close.
    const c = Math.fround(coefficient);
    const clipped: Record<string, Tensor> = {};
    for (const name of names) clipped[name] = tf.mul(grads[name]!, c);
    return { grads: clipped, norm };
  }
  const v = clip.value;
  const clipped: Record<string, Tensor> = {};
  for (const name of names) clipped[name] = tf.clipByValue(grads[name]!, -v, v);
  return { grads: clipped, norm };
}
