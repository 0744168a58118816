// Shape inference and parameter counts, as Keras computes them, over the checked
// layers. It also builds the graph's nodes (repeat unrolled, residual as `add`
// plus an optional projection), so lowering and the checker agree on ids.
import type { Range } from '../ast.js';
import type { IRNode, JsonValue, Op, Shape } from '../ir.js';
import { CheckContext } from './context.js';
import { formatShape } from '../model-summary.js';
import type { CheckedLayer } from './types.js';

/** The tensor flowing between layers, with where it came from for messages. */
interface Flow {
  id: string;
  shape: Shape;
  /** e.g. `after flatten at line 3`, `from the data source mnist`. */
  from: string;
}

export interface GraphResult {
  nodes: IRNode[];
  /** The layer each node comes from (absent for the implicit input node). */
  layerOf: Map<string, CheckedLayer>;
  output?: string;
  outputShape?: Shape;
  totalParams?: number;
  /** Every layer of the model has a known shape. */
  complete: boolean;
}

export interface GraphInput {
  shape?: Shape;
  /** Describes where the input shape comes from, e.g. `the data source mnist`. */
  from: string;
}

const ACTIVATION_LAYERS = new Set(['relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax', 'linear']);

/** Most graph nodes a model may unroll to (repeat blocks multiply their layers). */
const MAX_NODES = 10000;

const product = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

/** Allocates node ids: `as` aliases, else `<op>_<n>`, never twice the same. */
class Ids {
  private readonly taken = new Set<string>();
  private readonly counters = new Map<string, number>();

  constructor(reserved: string[]) {
    for (const r of reserved) this.taken.add(r);
  }

  generated(op: string): string {
    let n = this.counters.get(op) ?? 0;
    let id: string;
    do id = `${op}_${++n}`;
    while (this.taken.has(id));
    this.counters.set(op, n);
    this.taken.add(id);
    return id;
  }

  /** `preferred` itself when free, else `<preferred>_<n>`. */
  claim(preferred: string): string {
    if (this.taken.has(preferred)) return this.generated(preferred);
    this.taken.add(preferred);
    return preferred;
  }

  /** An alias; inside a repeated block, suffixed with the iteration. */
  alias(name: string, iteration: number | undefined): string {
    let id = iteration === undefined ? name : `${name}_${iteration}`;
    let k = 1;
    while (iteration !== undefined && this.taken.has(id)) id = `${name}_${iteration}_${++k}`;
    this.taken.add(id);
    return id;
  }
}

function collectAliases(layers: CheckedLayer[], out: string[], repeated: boolean): string[] {
  for (const l of layers) {
    if (l.layer.alias && !repeated) out.push(l.layer.alias.name);
    collectAliases(l.children, out, repeated || (l.name === 'repeat' && Number(l.checked?.args.times ?? 1) > 1));
  }
  return out;
}

/** `kernel: 3` -> [3, 3] for 2-D; `[3, 5]` stays. Undefined when the length does not fit. */
function sizes(value: JsonValue | undefined, dims: number): number[] | undefined {
  if (typeof value === 'number') return new Array<number>(dims).fill(value);
  if (Array.isArray(value) && value.length === dims && value.every((v) => typeof v === 'number')) return value as number[];
  return undefined;
}

export class ShapeInference {
  private readonly ids: Ids;
  private readonly nodes: IRNode[] = [];
  private readonly layerOf = new Map<string, CheckedLayer>();
  private complete = true;

  constructor(
    private readonly ctx: CheckContext,
    layers: CheckedLayer[],
  ) {
    this.ids = new Ids(collectAliases(layers, [], false));
  }

  run(layers: CheckedLayer[], input: GraphInput): GraphResult {
    let flow: Flow | undefined;
    let rest = layers;
    const first = layers[0];
    if (first && first.name === 'input') {
      flow = this.inputLayer(first, input);
      rest = layers.slice(1);
    } else if (input.shape) {
      const id = this.ids.claim('input');
      this.nodes.push({ id, op: 'input', attrs: { shape: input.shape }, inputs: [], shape: input.shape, params: 0 });
      flow = { id, shape: input.shape, from: `from ${input.from}` };
    } else {
      this.complete = false;
    }
    flow = this.sequence(rest, flow, undefined);
    if (!flow) this.complete = false;
    let total = 0;
    for (const node of this.nodes) total += node.params;
    return {
      nodes: this.nodes,
      layerOf: this.layerOf,
      output: flow?.id,
      outputShape: flow?.shape,
      totalParams: this.complete ? total : undefined,
      complete: this.complete,
    };
  }

  private inputLayer(layer: CheckedLayer, input: GraphInput): Flow | undefined {
    const shape = layer.checked?.valid ? (layer.checked.args.shape as number[] | undefined) : undefined;
    if (!shape) {
      this.complete = false;
      return undefined;
    }
    if (input.shape && formatShape(input.shape) !== formatShape(shape)) {
      this.ctx.report(
        'RN406',
        this.argRange(layer, 'shape'),
        `input shape ${formatShape(shape)} does not match ${input.from}, which gives ${formatShape(input.shape)}`,
      );
    }
    const id = layer.layer.alias ? this.ids.alias(layer.layer.alias.name, undefined) : this.ids.claim('input');
    this.pushNode(layer, { id, op: 'input', attrs: { shape }, inputs: [], shape, params: 0 });
    layer.info.id = id;
    layer.info.outputShape = shape;
    layer.info.params = 0;
    return { id, shape, from: `from input at line ${layer.layer.range.start.line}` };
  }

  /** Runs layers in order; `iteration` is set inside a repeated block. */
  private sequence(layers: CheckedLayer[], flow: Flow | undefined, iteration: number | undefined): Flow | undefined {
    for (const layer of layers) flow = this.layer(layer, flow, iteration);
    return flow;
  }

  private argRange(layer: CheckedLayer, name: string): Range {
    return layer.checked?.argRanges.get(name) ?? layer.layer.call.range;
  }

  private pushNode(layer: CheckedLayer, node: IRNode): void {
    node.source = { line: layer.layer.call.range.start.line, column: layer.layer.call.range.start.column };
    this.nodes.push(node);
    this.layerOf.set(node.id, layer);
  }

  private nodeId(layer: CheckedLayer, op: string, iteration: number | undefined): string {
    return layer.layer.alias ? this.ids.alias(layer.layer.alias.name, iteration) : this.ids.generated(op);
  }

  /** Reports that `layer` cannot take `flow`'s shape. */
  private badInput(layer: CheckedLayer, flow: Flow, expected: string): undefined {
    this.ctx.report(
      'RN401',
      layer.layer.call.name.range,
      `${layer.name} expects an input of shape ${expected} but gets ${formatShape(flow.shape)} (${flow.from})`,
    );
    return undefined;
  }

  private layer(layer: CheckedLayer, flow: Flow | undefined, iteration: number | undefined): Flow | undefined {
    const info = layer.info;
    info.inputShape = flow?.shape;
    info.outputShape = undefined;
    info.params = undefined;
    if (layer.name === 'input') {
      this.ctx.report('RN401', layer.layer.call.name.range, '`input` must be the first layer of the model');
      this.complete = false;
      return undefined;
    }
    if (!flow || !layer.checked || !layer.checked.valid) {
      this.complete = false;
      // Still walk into blocks so their layers get ids and symbols.
      return undefined;
    }
    const result = this.apply(layer, flow, iteration);
    if (!result) {
      this.complete = false;
      return undefined;
    }
    info.id = result.id;
    info.outputShape = result.shape;
    return { id: result.id, shape: result.shape, from: `after ${layer.name} at line ${layer.layer.call.range.start.line}` };
  }

  /** Adds a single node for `layer`; returns its output. */
  private single(layer: CheckedLayer, flow: Flow, iteration: number | undefined, op: Op, attrs: Record<string, JsonValue>, shape: Shape, params: number): Flow {
    const id = this.nodeId(layer, op === 'activation' ? layer.name : op, iteration);
    this.pushNode(layer, { id, op, attrs, inputs: [flow.id], shape, params });
    layer.info.params = params;
    return { id, shape, from: '' };
  }

  private apply(layer: CheckedLayer, flow: Flow, iteration: number | undefined): Flow | undefined {
    const a = layer.checked!.args;
    const shape = flow.shape;
    const rank = shape.length;
    const last = shape[rank - 1] ?? 0;
    switch (layer.name) {
      case 'dense': {
        if (rank < 1) return this.badInput(layer, flow, '[features]');
        const units = a.units as number;
        const params = last * units + (a.bias ? units : 0);
        return this.single(layer, flow, iteration, 'dense', { ...a }, [...shape.slice(0, -1), units], params);
      }
      case 'conv1d':
      case 'conv2d': {
        const dims = layer.name === 'conv2d' ? 2 : 1;
        if (rank !== dims + 1) return this.badInput(layer, flow, dims === 2 ? '[h, w, channels]' : '[steps, channels]');
        const window = this.window(layer, flow, dims, 'kernel', 'stride');
        if (!window) return undefined;
        const filters = a.filters as number;
        const params = product(window.kernel) * last * filters + (a.bias ? filters : 0);
        const attrs = { ...a, kernel: window.kernel, stride: window.stride };
        return this.single(layer, flow, iteration, layer.name, attrs, [...window.out, filters], params);
      }
      case 'maxpool':
      case 'avgpool': {
        if (rank !== 2 && rank !== 3) return this.badInput(layer, flow, '[h, w, channels] or [steps, channels]');
        const dims = rank - 1;
        const window = this.window(layer, flow, dims, 'size', 'stride');
        if (!window) return undefined;
        const op = `${layer.name}${dims}d` as Op;
        const attrs = { ...a, size: window.kernel, stride: window.stride };
        return this.single(layer, flow, iteration, op, attrs, [...window.out, last], 0);
      }
      case 'global_avgpool':
      case 'global_maxpool':
        if (rank !== 2 && rank !== 3) return this.badInput(layer, flow, '[h, w, channels] or [steps, channels]');
        return this.single(layer, flow, iteration, layer.name, {}, [last], 0);
      case 'flatten':
        return this.single(layer, flow, iteration, 'flatten', {}, [product(shape)], 0);
      case 'reshape':
        return this.reshape(layer, flow, iteration);
      case 'embedding': {
        if (rank !== 1) return this.badInput(layer, flow, '[length] (token ids)');
        const vocab = a.vocab as number;
        const dim = a.dim as number;
        return this.single(layer, flow, iteration, 'embedding', { ...a }, [shape[0]!, dim], vocab * dim);
      }
      case 'lstm':
      case 'gru': {
        if (rank !== 2) return this.badInput(layer, flow, '[steps, features]');
        const units = a.units as number;
        // Keras: LSTM has 4 gates with kernel, recurrent kernel and bias each; GRU
        // (reset_after = true, the Keras 2 default) has 3 gates with two biases each.
        const params =
          layer.name === 'lstm' ? 4 * (units * (last + units) + units) : 3 * (units * (last + units) + 2 * units);
        const out = a.return_sequences ? [shape[0]!, units] : [units];
        return this.single(layer, flow, iteration, layer.name, { ...a }, out, params);
      }
      case 'dropout':
      case 'gaussian_noise':
        return this.single(layer, flow, iteration, layer.name, { ...a }, shape, 0);
      case 'spatial_dropout':
        if (rank !== 2 && rank !== 3) return this.badInput(layer, flow, '[h, w, channels] or [steps, channels]');
        return this.single(layer, flow, iteration, 'spatial_dropout', { ...a }, shape, 0);
      case 'batchnorm': {
        if (rank < 1) return this.badInput(layer, flow, '[..., channels]');
        // gamma (scale), beta (center), moving mean and variance: one per channel each.
        const params = last * (2 + (a.scale === false ? 0 : 1) + (a.center === false ? 0 : 1));
        return this.single(layer, flow, iteration, 'batchnorm', { ...a }, shape, params);
      }
      case 'layernorm':
        if (rank < 1) return this.badInput(layer, flow, '[..., features]');
        return this.single(layer, flow, iteration, 'layernorm', { ...a }, shape, 2 * last);
      case 'groupnorm': {
        if (rank < 1) return this.badInput(layer, flow, '[..., channels]');
        const groups = a.groups as number;
        if (last % groups !== 0) {
          this.ctx.report(
            'RN306',
            this.argRange(layer, 'groups'),
            `groupnorm(${groups}) needs the channels to divide by ${groups}, but the input ${formatShape(shape)} has ${last} channels (${flow.from})`,
          );
          return undefined;
        }
        return this.single(layer, flow, iteration, 'groupnorm', { ...a }, shape, 2 * last);
      }
      case 'instancenorm':
        if (rank !== 2 && rank !== 3) return this.badInput(layer, flow, '[h, w, channels] or [steps, channels]');
        return this.single(layer, flow, iteration, 'instancenorm', { ...a }, shape, 2 * last);
      case 'repeat':
        return this.repeat(layer, flow);
      case 'residual':
        return this.residual(layer, flow, iteration);
      default:
        if (ACTIVATION_LAYERS.has(layer.name)) {
          const attrs: Record<string, JsonValue> = { fn: layer.name };
          if (a.alpha !== undefined) attrs.alpha = a.alpha;
          return this.single(layer, flow, iteration, 'activation', attrs, shape, 0);
        }
        this.ctx.report('RN401', layer.layer.call.name.range, `the compiler has no shape rule for layer '${layer.name}'`);
        return undefined;
    }
  }

  /** Convolution / pooling window arithmetic (Keras): same -> ceil(n/s), valid -> floor((n-k)/s)+1. */
  private window(layer: CheckedLayer, flow: Flow, dims: number, kernelArg: string, strideArg: string): { kernel: number[]; stride: number[]; out: number[] } | undefined {
    const a = layer.checked!.args;
    const kernel = sizes(a[kernelArg], dims);
    const stride = sizes(a[strideArg] ?? a[kernelArg], dims);
    const expected = dims === 1 ? 'one size' : `a size or a list of ${dims} sizes`;
    if (!kernel) {
      this.ctx.report('RN301', this.argRange(layer, kernelArg), `${layer.name} ${kernelArg} must be ${expected} for this input, got ${JSON.stringify(a[kernelArg])}`);
      return undefined;
    }
    if (!stride) {
      this.ctx.report('RN301', this.argRange(layer, strideArg), `${layer.name} ${strideArg} must be ${expected} for this input, got ${JSON.stringify(a[strideArg])}`);
      return undefined;
    }
    const spatial = flow.shape.slice(0, dims);
    for (let i = 0; i < dims; i++) {
      if (kernel[i]! > spatial[i]!) {
        this.ctx.report(
          'RN307',
          this.argRange(layer, kernelArg),
          `${layer.name} ${kernelArg} ${kernel.join('x')} is larger than its input ${formatShape(flow.shape)} (${flow.from})`,
        );
        return undefined;
      }
    }
    const same = a.padding === 'same';
    const out = spatial.map((n, i) => (same ? Math.ceil(n / stride[i]!) : Math.floor((n - kernel[i]!) / stride[i]!) + 1));
    return { kernel, stride, out };
  }

  private reshape(layer: CheckedLayer, flow: Flow, iteration: number | undefined): Flow | undefined {
    const target = [...(layer.checked!.args.shape as number[])];
    const size = product(flow.shape);
    const unknown = target.indexOf(-1);
    const known = product(target.filter((d) => d !== -1));
    if (unknown >= 0 && target.indexOf(-1, unknown + 1) < 0 && known > 0 && size % known === 0) target[unknown] = size / known;
    if (target.some((d) => d < 1) || product(target) !== size) {
      this.ctx.report(
        'RN404',
        this.argRange(layer, 'shape'),
        `reshape to ${formatShape(layer.checked!.args.shape as number[])} needs ${unknown >= 0 ? 'a multiple of ' + known : product(target)} elements but the input ${formatShape(flow.shape)} has ${size} (${flow.from})`,
      );
      return undefined;
    }
    return this.single(layer, flow, iteration, 'reshape', { shape: target }, target, 0);
  }

  private repeat(layer: CheckedLayer, flow: Flow): Flow | undefined {
    const times = layer.checked!.args.times as number;
    const before = this.nodes.length;
    let current: Flow | undefined = flow;
    for (let i = 1; i <= times && current; i++) {
      current = this.sequence(layer.children, current, times > 1 ? i : undefined);
      // Unrolling builds one node per layer and iteration: refuse absurd sizes early.
      const perIteration = (this.nodes.length - before) / i;
      if (i === 1 && this.nodes.length + perIteration * (times - 1) > MAX_NODES) {
        this.ctx.report(
          'RN302',
          this.argRange(layer, 'times'),
          `repeat(${times}) would unroll to about ${Math.round(before + perIteration * times)} layers; a model may have at most ${MAX_NODES}`,
        );
        return undefined;
      }
    }
    if (!current) return undefined;
    layer.info.params = this.nodes.slice(before).reduce((sum, n) => sum + n.params, 0);
    return current;
  }

  private residual(layer: CheckedLayer, flow: Flow, iteration: number | undefined): Flow | undefined {
    const before = this.nodes.length;
    const out = this.sequence(layer.children, flow, iteration);
    if (!out) return undefined;
    const id = this.nodeId(layer, 'add', iteration);
    let shortcut = flow.id;
    const same = formatShape(out.shape) === formatShape(flow.shape);
    if (layer.checked!.args.projection) {
      const projection = this.projection(layer, flow, out, `${id}_projection`);
      if (!projection) return undefined;
      shortcut = projection;
    } else if (!same) {
      this.ctx.report(
        'RN403',
        layer.layer.call.name.range,
        `residual block maps ${formatShape(flow.shape)} to ${formatShape(out.shape)}; the shapes must match to add them (or use projection: true)`,
      );
      return undefined;
    }
    this.pushNode(layer, { id, op: 'add', attrs: {}, inputs: [out.id, shortcut], shape: out.shape, params: 0 });
    layer.info.params = this.nodes.slice(before).reduce((sum, n) => sum + n.params, 0);
    return { id, shape: out.shape, from: '' };
  }

  /** The shortcut's 1x1 convolution (or dense) mapping `x` to the block's output shape. */
  private projection(layer: CheckedLayer, x: Flow, out: Flow, id: string): string | undefined {
    const inShape = x.shape;
    const outShape = out.shape;
    const cannot = () => {
      this.ctx.report(
        'RN403',
        layer.layer.call.name.range,
        `residual projection cannot map ${formatShape(inShape)} to ${formatShape(outShape)}: a 1x1 ${inShape.length === 1 ? 'dense' : 'convolution'} keeps the rank and can only shrink the positions by an integer stride`,
      );
      return undefined;
    };
    if (inShape.length !== outShape.length) return cannot();
    const cin = inShape[inShape.length - 1]!;
    const cout = outShape[outShape.length - 1]!;
    let node: IRNode;
    if (inShape.length === 1) {
      node = { id, op: 'dense', attrs: { units: cout, activation: 'linear', bias: true, init: 'glorot_uniform', l1: 0, l2: 0 }, inputs: [x.id], shape: outShape, params: cin * cout + cout };
    } else if (inShape.length === 2 || inShape.length === 3) {
      const dims = inShape.length - 1;
      const stride: number[] = [];
      for (let i = 0; i < dims; i++) {
        const s = Math.round(inShape[i]! / outShape[i]!);
        if (s < 1 || Math.ceil(inShape[i]! / s) !== outShape[i]) return cannot();
        stride.push(s);
      }
      node = {
        id,
        op: dims === 2 ? 'conv2d' : 'conv1d',
        attrs: { filters: cout, kernel: new Array<number>(dims).fill(1), stride, padding: 'same', activation: 'linear', bias: true, init: 'glorot_uniform', l1: 0, l2: 0 },
        inputs: [x.id],
        shape: outShape,
        params: cin * cout + cout,
      };
    } else return cannot();
    this.pushNode(layer, node);
    return id;
  }
}
