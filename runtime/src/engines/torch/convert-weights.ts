// Weights between a TensorFlow.js layers model and the exported torch module's state_dict
// (keys `layers.<node id>.<param>`), both ways. The layouts differ:
// - dense kernel [in, out] vs Linear.weight [out, in];
// - conv kernel HWIO [kh, kw, in, out] vs OIHW [out, in, kh, kw] (1-D: [k, in, out] vs [out, in, k]);
// - LSTM: Keras' gates i, f, c, o are torch's i, f, g, o; one bias (torch's bias_ih; bias_hh is 0);
// - GRU (reset_after): Keras' gates z, r, h are torch's r, z, n; bias [2, 3u] = bias_ih, bias_hh;
// - batchnorm gamma/beta/moving_mean/moving_variance are weight/bias/running_mean/running_var.
import type * as tfTypes from '@tensorflow/tfjs';
import type { GraphIR, IRNode } from '@regnet/compiler';
import type { TF } from '../../contracts.js';
import type { NamedTensor } from './tensor-file.js';

type Values = Float32Array;

/** `values` of `shape` with its axes reordered: output axis i is input axis perm[i]. */
export function permute(values: Values, shape: number[], perm: number[]): { values: Values; shape: number[] } {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = strides(shape);
  const outStrides = strides(outShape);
  const out = new Float32Array(values.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let rest = o;
    let source = 0;
    for (let i = 0; i < outShape.length; i++) {
      index[i] = Math.floor(rest / outStrides[i]!);
      rest -= index[i]! * outStrides[i]!;
      source += index[i]! * inStrides[perm[i]!]!;
    }
    out[o] = values[source]!;
  }
  return { values: out, shape: outShape };
}

function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** Reorders equal blocks of the first axis: block i of the result is block order[i] of the input. */
function reorderBlocks(values: Values, blocks: number, order: number[]): Values {
  const size = values.length / blocks;
  const out = new Float32Array(values.length);
  order.forEach((from, to) => out.set(values.subarray(from * size, (from + 1) * size), to * size));
  return out;
}

const transpose2 = (v: Values, s: number[]) => permute(v, s, [1, 0]);
/** Keras GRU gates z, r, h <-> torch r, z, n (the same swap both ways). */
const GRU_ORDER = [1, 0, 2];

interface Pair {
  keras: string;
  torch: string;
}

/** One node's weights: Keras name -> torch key, and the layout change each way. */
interface NodeRule {
  pairs: Pair[];
  toTorch(keras: Map<string, NamedTensor>): NamedTensor[];
  toKeras(torch: Map<string, NamedTensor>): Map<string, Values>;
}

function get<T>(map: Map<string, T>, key: string): T {
  const v = map.get(key);
  if (v === undefined) throw new Error(`weight '${key}' is missing`);
  return v;
}

function ruleFor(node: IRNode): NodeRule | undefined {
  const p = `layers.${node.id}`;
  const plain = (pairs: Pair[]): NodeRule => ({
    pairs,
    toTorch: (k) => pairs.filter((x) => k.has(x.keras)).map((x) => ({ ...get(k, x.keras), name: x.torch })),
    toKeras: (t) => new Map(pairs.filter((x) => t.has(x.torch)).map((x) => [x.keras, get(t, x.torch).values as Values])),
  });
  switch (node.op) {
    case 'dense':
    case 'conv1d':
    case 'conv2d': {
      const module = node.op === 'dense' ? 'linear' : 'conv';
      const perm = node.op === 'dense' ? [1, 0] : node.op === 'conv1d' ? [2, 1, 0] : [3, 2, 0, 1];
      const back = node.op === 'conv2d' ? [2, 3, 1, 0] : perm;
      return {
        pairs: [{ keras: 'kernel', torch: `${p}.${module}.weight` }, { keras: 'bias', torch: `${p}.${module}.bias` }],
        toTorch: (k) => {
          const kernel = get(k, 'kernel');
          const out: NamedTensor[] = [{ name: `${p}.${module}.weight`, ...permute(kernel.values as Values, kernel.shape, perm) }];
          if (k.has('bias')) out.push({ ...get(k, 'bias'), name: `${p}.${module}.bias` });
          return out;
        },
        toKeras: (t) => {
          const w = get(t, `${p}.${module}.weight`);
          const out = new Map([['kernel', permute(w.values as Values, w.shape, back).values]]);
          if (t.has(`${p}.${module}.bias`)) out.set('bias', get(t, `${p}.${module}.bias`).values as Values);
          return out;
        },
      };
    }
    case 'embedding':
      return plain([{ keras: 'embeddings', torch: `${p}.embedding.weight` }]);
    case 'batchnorm':
      return plain([
        { keras: 'gamma', torch: `${p}.weight` },
        { keras: 'beta', torch: `${p}.bias` },
        { keras: 'moving_mean', torch: `${p}.running_mean` },
        { keras: 'moving_variance', torch: `${p}.running_var` },
      ]);
    case 'layernorm':
    case 'groupnorm':
    case 'instancenorm':
      return plain([
        { keras: 'gamma', torch: `${p}.weight` },
        { keras: 'beta', torch: `${p}.bias` },
      ]);
    case 'lstm':
    case 'gru':
      return recurrentRule(p, node.op);
    default:
      return undefined;
  }
}

function recurrentRule(p: string, op: 'lstm' | 'gru'): NodeRule {
  const gates = op === 'lstm' ? 4 : 3;
  const order = op === 'lstm' ? [0, 1, 2, 3] : GRU_ORDER;
  const key = (n: string) => `${p}.rnn.${n}_l0`;
  const matrixToTorch = (t: NamedTensor, name: string): NamedTensor => {
    const { values, shape } = transpose2(t.values as Values, t.shape);
    return { name, shape, values: reorderBlocks(values, gates, order) };
  };
  const matrixToKeras = (t: NamedTensor): Values => transpose2(reorderBlocks(t.values as Values, gates, order), t.shape).values;
  return {
    pairs: [],
    toTorch: (k) => {
      const bias = get(k, 'bias');
      const width = bias.values.length / (op === 'gru' ? 2 : 1);
      const ih = bias.values.subarray(0, width) as Values;
      const hh = op === 'gru' ? (bias.values.subarray(width) as Values) : new Float32Array(width);
      return [
        matrixToTorch(get(k, 'kernel'), key('weight_ih')),
        matrixToTorch(get(k, 'recurrent_kernel'), key('weight_hh')),
        { name: key('bias_ih'), shape: [width], values: reorderBlocks(ih, gates, order) },
        { name: key('bias_hh'), shape: [width], values: reorderBlocks(hh, gates, order) },
      ];
    },
    toKeras: (t) => {
      const ih = reorderBlocks(get(t, key('bias_ih')).values as Values, gates, order);
      const hh = reorderBlocks(get(t, key('bias_hh')).values as Values, gates, order);
      let bias: Values;
      if (op === 'gru') {
        bias = new Float32Array(ih.length * 2);
        bias.set(ih);
        bias.set(hh, ih.length);
      } else bias = ih.map((v, i) => v + hh[i]!);
      return new Map([
        ['kernel', matrixToKeras(get(t, key('weight_ih')))],
        ['recurrent_kernel', matrixToKeras(get(t, key('weight_hh')))],
        ['bias', bias],
      ]);
    },
  };
}

/** The weight's name within its layer: `dense_1/kernel` -> `kernel`. */
function shortName(weight: tfTypes.LayerVariable): string {
  return weight.originalName.split('/').pop()!;
}

/** The model's weights as the torch module's state_dict entries. */
export function toTorchStateDict(model: tfTypes.LayersModel, ir: GraphIR): NamedTensor[] {
  const out: NamedTensor[] = [];
  for (const node of ir.nodes) {
    const rule = ruleFor(node);
    if (!rule) continue;
    const layer = model.getLayer(node.id);
    const values = layer.getWeights();
    const keras = new Map<string, NamedTensor>();
    layer.weights.forEach((w, i) => {
      keras.set(shortName(w), { name: shortName(w), shape: w.shape as number[], values: values[i]!.dataSync() as Float32Array });
    });
    out.push(...rule.toTorch(keras));
  }
  return out;
}

/** Sets the model's weights from a torch state_dict (as written by the exported trainer). */
export function setFromTorchStateDict(tf: TF, model: tfTypes.LayersModel, ir: GraphIR, state: Map<string, NamedTensor>): void {
  for (const node of ir.nodes) {
    const rule = ruleFor(node);
    if (!rule) continue;
    const layer = model.getLayer(node.id);
    let keras: Map<string, Values>;
    try {
      keras = rule.toKeras(state);
    } catch (error) {
      throw new Error(`layer '${node.id}': ${(error as Error).message} in the torch weights`);
    }
    const tensors = layer.weights.map((w) => {
      const values = keras.get(shortName(w));
      if (!values) throw new Error(`layer '${node.id}': weight '${shortName(w)}' is missing in the torch weights`);
      return tf.tensor(values, w.shape as number[], 'float32');
    });
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}
