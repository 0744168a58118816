// The parameters the optimizer updates, each marked with whether it is a "kernel"
// (decayed by weight_decay and penalized by l1/l2: kernels, recurrent kernels and
// embeddings, never biases or normalization parameters) and its layer's l1/l2.
// Which weights those are is the model builder's knowledge: kernelWeights(model, ir).
import type * as tfTypes from '@tensorflow/tfjs';
import type { GraphIR } from '@regnet/compiler';
import { kernelWeights } from '../model/build.js';

export interface TrainableParam {
  /** The tf variable's name (key of its gradient). */
  name: string;
  /** Stable name across processes and reloads (`dense_1/kernel`), for saved optimizer state. */
  key: string;
  variable: tfTypes.Variable;
  /** Kernel or embedding: decayed and penalized. */
  kernel: boolean;
  l1: number;
  l2: number;
}

export function trainableParams(model: tfTypes.LayersModel, ir: GraphIR): TrainableParam[] {
  const penalized = new Map(kernelWeights(model, ir).map((w) => [w.variable, w]));
  const seen = new Map<string, number>();
  return model.trainableWeights.map((weight) => {
    const kernel = penalized.get(weight);
    // LayerVariable.read() is the tf.Variable the layer computes with.
    const variable = weight.read() as tfTypes.Variable;
    const count = seen.get(weight.originalName) ?? 0;
    seen.set(weight.originalName, count + 1);
    const key = count === 0 ? weight.originalName : `${weight.originalName}#${count}`;
    return { name: variable.name, key, variable, kernel: kernel !== undefined, l1: kernel?.l1 ?? 0, l2: kernel?.l2 ?? 0 };
  });
}
