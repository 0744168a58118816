// Builds a tfjs LayersModel from the compiler's graph IR with the functional API:
// one layer per IR node, named by the node id, initializers seeded from the run's Random.
// Penalties (l1/l2, weight decay) are not attached here: the training loop applies them to
// the weights kernelWeights() returns.
import type * as tfTypes from '@tensorflow/tfjs';
import type { GraphIR, IRNode, JsonValue } from '@regnet/compiler';
import type { TF } from '../contracts.js';
import type { Random } from '../random.js';
import { skipInputGradient } from '../layers/data-conv.js';
import {
  BatchNorm,
  GroupNorm,
  GRU,
  initializer,
  InstanceNorm,
  LayerNorm,
  LSTM,
  SeededDropout,
  SeededGaussianNoise,
  SpatialDropout,
} from '../layers/index.js';

type SymbolicTensor = tfTypes.SymbolicTensor;
type Layer = tfTypes.layers.Layer;

/** A node the IR and the runtime disagree on, or an attribute the runtime cannot use. */
export class ModelBuildError extends Error {
  constructor(
    readonly node: IRNode,
    message: string,
  ) {
    const at = node.source ? ` (line ${node.source.line}, column ${node.source.column})` : '';
    super(`layer '${node.id}'${at}: ${message}`);
    this.name = 'ModelBuildError';
  }
}

/** Activations tfjs-layers knows by these names (the language's `activation:` words minus leaky_relu). */
const TFJS_ACTIVATIONS = new Set(['linear', 'relu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax']);
/** Keras' leaky_relu slope when the language gives none. */
const LEAKY_RELU_ALPHA = 0.2;

class Attrs {
  constructor(private readonly node: IRNode) {}

  private get(key: string): JsonValue | undefined {
    return this.node.attrs[key];
  }

  num(key: string, fallback?: number): number {
    const v = this.get(key) ?? fallback;
    if (typeof v !== 'number') throw new ModelBuildError(this.node, `attribute '${key}' must be a number, got ${JSON.stringify(v)}`);
    return v;
  }

  str(key: string, fallback?: string): string {
    const v = this.get(key) ?? fallback;
    if (typeof v !== 'string') throw new ModelBuildError(this.node, `attribute '${key}' must be a word, got ${JSON.stringify(v)}`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.get(key) ?? fallback;
    if (typeof v !== 'boolean') throw new ModelBuildError(this.node, `attribute '${key}' must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A size that may be written `3` or `[3, 3]`, as `n` integers. */
  ints(key: string, n: number, fallback?: JsonValue): number[] {
    const v = this.get(key) ?? fallback;
    const list = typeof v === 'number' ? Array<number>(n).fill(v) : v;
    if (!Array.isArray(list) || list.length !== n || !list.every((d) => typeof d === 'number')) {
      throw new ModelBuildError(this.node, `attribute '${key}' must be an integer or a list of ${n}, got ${JSON.stringify(v)}`);
    }
    return list as number[];
  }

  /** The first of `keys` present (IR attribute names follow the language: `size` for pools). */
  firstKey(...keys: string[]): string {
    return keys.find((k) => this.get(k) !== undefined) ?? keys[0]!;
  }
}

interface BuildContext {
  tf: TF;
  node: IRNode;
  attrs: Attrs;
  /** Shape (no batch) of the node's first input. */
  inputShape: number[];
  seed: number;
}

function padding(ctx: BuildContext): 'same' | 'valid' {
  const p = ctx.attrs.str('padding', 'valid');
  if (p !== 'same' && p !== 'valid') throw new ModelBuildError(ctx.node, `padding must be same or valid, got '${p}'`);
  return p;
}

/** The node's activation: a tfjs name for the layer itself, plus a LeakyReLU layer when needed. */
function activationOf(ctx: BuildContext): { builtIn: string; leakyAlpha?: number } {
  const fn = ctx.attrs.str('activation', 'linear');
  if (fn === 'leaky_relu') return { builtIn: 'linear', leakyAlpha: ctx.attrs.num('alpha', LEAKY_RELU_ALPHA) };
  if (!TFJS_ACTIVATIONS.has(fn)) throw new ModelBuildError(ctx.node, `unknown activation '${fn}'`);
  return { builtIn: fn };
}

type ActivationId = Parameters<TF['layers']['dense']>[0]['activation'];

function convLike(ctx: BuildContext, dims: 1 | 2): Layer {
  const { tf, attrs, node } = ctx;
  const act = activationOf(ctx);
  const common = {
    name: node.id,
    filters: attrs.num('filters'),
    padding: padding(ctx),
    activation: act.builtIn as ActivationId,
    useBias: attrs.bool('bias', true),
    kernelInitializer: initializer(attrs.str('init', 'glorot_uniform'), ctx.seed),
    biasInitializer: 'zeros' as const,
  };
  const kernel = attrs.ints('kernel', dims, 3);
  const stride = attrs.ints('stride', dims, 1);
  return dims === 2
    ? tf.layers.conv2d({ ...common, kernelSize: kernel, strides: stride })
    : tf.layers.conv1d({ ...common, kernelSize: kernel[0]!, strides: stride[0]! });
}

function pool(ctx: BuildContext, kind: 'max' | 'avg', dims: 1 | 2): Layer {
  const { tf, attrs, node } = ctx;
  const sizeKey = attrs.firstKey('size', 'pool', 'kernel');
  const size = attrs.ints(sizeKey, dims);
  const stride = attrs.ints('stride', dims, size);
  const args = { name: node.id, padding: padding(ctx) };
  if (dims === 2) {
    const a = { ...args, poolSize: size as [number, number], strides: stride as [number, number] };
    return kind === 'max' ? tf.layers.maxPooling2d(a) : tf.layers.averagePooling2d(a);
  }
  const a = { ...args, poolSize: size[0]!, strides: stride[0]! };
  return kind === 'max' ? tf.layers.maxPooling1d(a) : tf.layers.averagePooling1d(a);
}

function globalPool(ctx: BuildContext, kind: 'max' | 'avg'): Layer {
  const { tf, node, inputShape } = ctx;
  const args = { name: node.id };
  if (inputShape.length === 3) return kind === 'max' ? tf.layers.globalMaxPooling2d(args) : tf.layers.globalAveragePooling2d(args);
  if (inputShape.length === 2) return kind === 'max' ? tf.layers.globalMaxPooling1d(args) : tf.layers.globalAveragePooling1d(args);
  throw new ModelBuildError(node, `global pooling needs a [steps, channels] or [h, w, channels] input, got [${inputShape.join(', ')}]`);
}

function activationLayer(ctx: BuildContext): Layer {
  const { tf, attrs, node } = ctx;
  const fn = attrs.str('fn', attrs.str('activation', 'linear'));
  if (fn === 'leaky_relu') return tf.layers.leakyReLU({ name: node.id, alpha: attrs.num('alpha', LEAKY_RELU_ALPHA) });
  if (!TFJS_ACTIVATIONS.has(fn)) throw new ModelBuildError(node, `unknown activation '${fn}'`);
  return tf.layers.activation({ name: node.id, activation: fn as ActivationId & string });
}

/** The layer for one IR node (not `input`). */
function layerFor(ctx: BuildContext): Layer {
  const { tf, attrs, node, seed } = ctx;
  const name = node.id;
  switch (node.op) {
    case 'dense': {
      const act = activationOf(ctx);
      return tf.layers.dense({
        name,
        units: attrs.num('units'),
        activation: act.builtIn as ActivationId,
        useBias: attrs.bool('bias', true),
        kernelInitializer: initializer(attrs.str('init', 'glorot_uniform'), seed),
        biasInitializer: 'zeros',
      });
    }
    case 'conv1d':
      return convLike(ctx, 1);
    case 'conv2d':
      return convLike(ctx, 2);
    case 'maxpool1d':
      return pool(ctx, 'max', 1);
    case 'maxpool2d':
      return pool(ctx, 'max', 2);
    case 'avgpool1d':
      return pool(ctx, 'avg', 1);
    case 'avgpool2d':
      return pool(ctx, 'avg', 2);
    case 'global_avgpool':
      return globalPool(ctx, 'avg');
    case 'global_maxpool':
      return globalPool(ctx, 'max');
    case 'flatten':
      // tfjs's Flatten rejects already-flat input, which Keras passes through.
      return ctx.inputShape.length === 1 ? tf.layers.reshape({ name, targetShape: ctx.inputShape }) : tf.layers.flatten({ name });
    case 'reshape':
      return tf.layers.reshape({ name, targetShape: attrs.ints('shape', node.shape.length, node.shape) });
    case 'embedding':
      return tf.layers.embedding({
        name,
        inputDim: attrs.num('vocab'),
        outputDim: attrs.num('dim'),
        // Keras' default embedding initializer: uniform(-0.05, 0.05).
        embeddingsInitializer:
          node.attrs['init'] !== undefined
            ? initializer(attrs.str('init'), seed)
            : tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
      });
    case 'lstm':
    case 'gru': {
      const Recurrent = node.op === 'lstm' ? LSTM : GRU;
      return new Recurrent({
        name,
        units: attrs.num('units'),
        returnSequences: attrs.bool('return_sequences', false),
        dropout: attrs.num('dropout', 0),
        recurrentDropout: attrs.num('recurrent_dropout', 0),
        kernelInit: attrs.str('init', 'glorot_uniform'),
        seed,
      });
    }
    case 'dropout':
      return new SeededDropout({ name, rate: attrs.num('rate'), seed });
    case 'spatial_dropout':
      if (ctx.inputShape.length < 2) throw new ModelBuildError(node, `spatial_dropout needs [steps, channels] or [h, w, channels] input`);
      return new SpatialDropout({ name, rate: attrs.num('rate'), seed });
    case 'gaussian_noise':
      return new SeededGaussianNoise({ name, std: attrs.num('std'), seed });
    case 'batchnorm':
      return new BatchNorm({
        name,
        momentum: attrs.num('momentum', 0.99),
        epsilon: attrs.num('epsilon', 1e-3),
        center: attrs.bool('center', true),
        scale: attrs.bool('scale', true),
      });
    case 'layernorm':
      return new LayerNorm({ name, epsilon: attrs.num('epsilon', 1e-3) });
    case 'groupnorm':
      return new GroupNorm({ name, groups: attrs.num('groups'), epsilon: attrs.num('epsilon', 1e-3) });
    case 'instancenorm':
      return new InstanceNorm({ name, epsilon: attrs.num('epsilon', 1e-3) });
    case 'activation':
      return activationLayer(ctx);
    case 'add':
      return tf.layers.add({ name });
    case 'input':
      throw new ModelBuildError(node, 'an input node can only be the first node');
    default:
      throw new ModelBuildError(node, `unknown op '${(node as IRNode).op}'`);
  }
}

function sameShape(a: readonly (number | null)[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The model for `ir`. Every layer is named by its node id (a dense or conv layer with
 * `activation: leaky_relu` is followed by a LeakyReLU layer named `<id>_leaky_relu`);
 * each node draws one seed from `rng`, in node order, whether or not it uses it.
 * Throws ModelBuildError when a layer's output shape differs from the IR's.
 */
export function buildModel(tf: TF, ir: GraphIR, rng: Random): tfTypes.LayersModel {
  const outputs = new Map<string, SymbolicTensor>();
  // Whether a node's output depends on a trainable weight (else its gradient is never needed).
  const trained = new Map<string, boolean>();
  let input: SymbolicTensor | undefined;
  for (const node of ir.nodes) {
    const seed = rng.seed();
    if (node.op === 'input') {
      if (input) throw new ModelBuildError(node, 'a model has exactly one input');
      input = tf.input({ shape: ir.input.shape, dtype: ir.input.dtype, name: node.id });
      outputs.set(node.id, input);
      trained.set(node.id, false);
      continue;
    }
    const inputs = node.inputs.map((id) => {
      const t = outputs.get(id);
      if (!t) throw new ModelBuildError(node, `input '${id}' is not defined before this node`);
      return t;
    });
    if (inputs.length === 0) throw new ModelBuildError(node, 'has no inputs');
    const ctx: BuildContext = { tf, node, attrs: new Attrs(node), inputShape: inputs[0]!.shape.slice(1) as number[], seed };
    const layer = layerFor(ctx);
    const afterWeights = node.inputs.some((id) => trained.get(id));
    if (node.op === 'conv2d' && !afterWeights) skipInputGradient(tf, layer);
    let out = layer.apply(node.op === 'add' ? inputs : inputs[0]!) as SymbolicTensor;
    trained.set(node.id, afterWeights || layer.trainableWeights.length > 0);
    if ((node.op === 'dense' || node.op === 'conv1d' || node.op === 'conv2d') && ctx.attrs.str('activation', 'linear') === 'leaky_relu') {
      const alpha = ctx.attrs.num('alpha', LEAKY_RELU_ALPHA);
      out = tf.layers.leakyReLU({ name: `${node.id}_leaky_relu`, alpha }).apply(out) as SymbolicTensor;
    }
    const shape = out.shape.slice(1);
    if (!sameShape(shape, node.shape)) {
      throw new ModelBuildError(node, `the runtime computes shape [${shape.join(', ')}] but the IR says [${node.shape.join(', ')}]`);
    }
    outputs.set(node.id, out);
  }
  const output = outputs.get(ir.output);
  if (!input || !output) throw new Error(`IR has no ${input ? `output node '${ir.output}'` : 'input node'}`);
  return tf.model({ inputs: input, outputs: output, name: ir.name });
}

/** A weight that weight decay and l1/l2 penalties apply to. */
export interface PenalizedWeight {
  nodeId: string;
  /** `kernel`, `recurrent_kernel` or `embeddings`. */
  kind: string;
  variable: tfTypes.LayerVariable;
  l1: number;
  l2: number;
}

const PENALIZED_OPS = new Set(['dense', 'conv1d', 'conv2d', 'embedding', 'lstm', 'gru']);
const PENALIZED_KINDS = new Set(['kernel', 'recurrent_kernel', 'embeddings']);

/**
 * Kernels, recurrent kernels and embeddings of every layer that has them, each with its
 * node's `l1`/`l2` (already folded with the global regularizer by the compiler). Biases and
 * normalization parameters are not included.
 */
export function kernelWeights(model: tfTypes.LayersModel, ir: GraphIR): PenalizedWeight[] {
  const result: PenalizedWeight[] = [];
  for (const node of ir.nodes) {
    if (!PENALIZED_OPS.has(node.op)) continue;
    const layer = model.getLayer(node.id);
    const l1 = typeof node.attrs['l1'] === 'number' ? node.attrs['l1'] : 0;
    const l2 = typeof node.attrs['l2'] === 'number' ? node.attrs['l2'] : 0;
    for (const variable of layer.trainableWeights) {
      const kind = variable.originalName.split('/').pop()!;
      if (PENALIZED_KINDS.has(kind)) result.push({ nodeId: node.id, kind, variable, l1, l2 });
    }
  }
  return result;
}
