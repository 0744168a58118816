// A conv2d layer that reads data (no trainable weight before it) needs no gradient with respect
// to its input. tfjs' fused conv2d (conv + bias with a linear activation: what tfjs-layers runs
// in training when batchnorm follows) computes its gradients in one customGrad that always
// returns the input's too, so the first conv of a model paid for a full Conv2DBackpropInput per
// step and threw it away (~20% of the MNIST convnet's step). Here the same forward kernel runs,
// and only the filter's and the bias's gradients are computed, by the same kernels and ops as
// tfjs' own gradient: results are bit-identical (runtime/test/data-conv.test.ts).
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';

type Tensor = tfTypes.Tensor;
type Tensor4D = tfTypes.Tensor4D;

/** The fields of tfjs-layers' Conv2D this op reads (they are protected in its typings). */
interface ConvInternals {
  kernel: tfTypes.LayerVariable;
  bias: tfTypes.LayerVariable | null;
  strides: [number, number];
  padding: 'valid' | 'same' | 'causal';
  dataFormat: 'channelsFirst' | 'channelsLast';
  dilationRate: [number, number];
  activation: { getClassName(): string };
  call(inputs: Tensor | Tensor[], kwargs: tfTypes.serialization.ConfigDict): Tensor;
}

/**
 * Makes `layer` (a built-in Conv2D whose input needs no gradient) skip that gradient. Layers the
 * fused path does not cover (non-linear activation: tfjs then runs unfused ops whose gradients
 * are computed only when needed; dilation; channels-first) are left as they are.
 */
export function skipInputGradient(tf: TF, layer: tfTypes.layers.Layer): void {
  const conv = layer as unknown as ConvInternals;
  const linear = conv.activation?.getClassName() === 'linear';
  const plain = conv.dataFormat === 'channelsLast' && conv.padding !== 'causal' && conv.dilationRate.every((d) => d === 1);
  if (!linear || !plain) return;
  const pad = conv.padding as 'valid' | 'same';
  const strides = conv.strides;

  conv.call = (inputs) => {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as Tensor4D;
    // x is saved (kept for the backward pass), not captured: tfjs-layers disposes an
    // intermediate input once the forward pass is done with it.
    const filterGradient = (saved: Tensor[], dy: Tensor, filterShape: number[]) =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: saved[0]!, dy }, { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape } as never) as Tensor;
    // As tfjs' getFusedBiasGradient: the sum over every axis but the channels'.
    const biasGradient = (dy: Tensor, bias: Tensor) => tf.reshape(tf.sum(dy, [0, 1, 2]), bias.shape);
    const kernel = conv.kernel.read();
    if (conv.bias) {
      const op = tf.customGrad((...args) => {
        const [filter, bias, save] = args as unknown as [Tensor4D, Tensor, (t: Tensor[]) => void];
        save([x]);
        return {
          value: tf.fused.conv2d({ x, filter, bias, strides, pad, dataFormat: 'NHWC', dilations: [1, 1] }),
          gradFunc: (dy: Tensor, saved: Tensor[]) => [filterGradient(saved, dy, filter.shape), biasGradient(dy, bias)],
        };
      });
      return op(kernel, conv.bias.read());
    }
    const op = tf.customGrad((...args) => {
      const [filter, save] = args as unknown as [Tensor4D, (t: Tensor[]) => void];
      save([x]);
      return {
        value: tf.fused.conv2d({ x, filter, strides, pad, dataFormat: 'NHWC', dilations: [1, 1] }),
        gradFunc: (dy: Tensor, saved: Tensor[]) => [filterGradient(saved, dy, filter.shape)],
      };
    });
    return op(kernel);
  };
}
