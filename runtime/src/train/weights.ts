// Which of a model's trainable weights are "kernels" (decayed by weight_decay and
// penalized by l1/l2) and which penalty each one carries. LANGUAGE.md: weight decay
// and regularizers apply to kernels and embeddings, never to biases or normalization
// parameters; each layer's penalty is its IR node's `l1`/`l2` attrs.
//
// A weight belongs to the IR node whose id is its layer's name (the model builder
// names layers after node ids; helper layers such as a residual projection use
// `<id>_<suffix>` and inherit that node's penalty).
import type * as tfTypes from '@tensorflow/tfjs';
import type { GraphIR, IRNode } from '@regnet/compiler';

/** The last part of a tfjs weight's original name (`dense_1/kernel` -> `kernel`) that marks a kernel. */
const KERNEL_WEIGHT_NAMES = new Set(['kernel', 'recurrent_kernel', 'embeddings', 'depthwise_kernel', 'pointwise_kernel']);

export interface TrainableParam {
  /** The tf variable's name (key of its gradient). */
  name: string;
  variable: tfTypes.Variable;
  /** Kernel or embedding: decayed and penalized. */
  kernel: boolean;
  l1: number;
  l2: number;
}

export function isKernelWeight(weight: tfTypes.LayerVariable): boolean {
  const parts = weight.originalName.split('/');
  return KERNEL_WEIGHT_NAMES.has(parts[parts.length - 1]!);
}

export function trainableParams(model: tfTypes.LayersModel, ir?: GraphIR): TrainableParam[] {
  const nodes = new Map<string, IRNode>((ir?.nodes ?? []).map((node) => [node.id, node]));
  const fallback = ir?.train.regularizer ?? { l1: 0, l2: 0 };
  return model.trainableWeights.map((weight) => {
    const kernel = isKernelWeight(weight);
    const penalty = kernel ? penaltyFor(layerNameOf(weight), nodes, fallback) : { l1: 0, l2: 0 };
    // LayerVariable.read() is the tf.Variable the layer computes with.
    const variable = weight.read() as tfTypes.Variable;
    return { name: variable.name, variable, kernel, ...penalty };
  });
}

function layerNameOf(weight: tfTypes.LayerVariable): string {
  const parts = weight.originalName.split('/');
  return parts.length > 1 ? parts[parts.length - 2]! : '';
}

function penaltyFor(
  layer: string,
  nodes: Map<string, IRNode>,
  fallback: { l1: number; l2: number },
): { l1: number; l2: number } {
  let node = nodes.get(layer);
  if (!node) {
    // `<id>_<suffix>` helper layers: the longest node id that prefixes the name.
    let bestLength = -1;
    for (const [id, candidate] of nodes) {
      if (layer.startsWith(`${id}_`) && id.length > bestLength) {
        node = candidate;
        bestLength = id.length;
      }
    }
  }
  if (!node) return fallback;
  const l1 = typeof node.attrs.l1 === 'number' ? node.attrs.l1 : fallback.l1;
  const l2 = typeof node.attrs.l2 === 'number' ? node.attrs.l2 : fallback.l2;
  return { l1, l2 };
}
