// The loss and the model's output: logits or probabilities (decided from the last
// layer, RN901), and the size of the output against the number of classes (RN402).
import type { Range } from '../ast.js';
import { CheckContext } from './context.js';
import { formatShape } from '../model-summary.js';
import type { CheckedCall, CheckedLayer, SourceFacts } from './types.js';

export interface LossDecision {
  kind: string;
  fromLogits: boolean;
  /** The layer the decision was made from. */
  last?: CheckedLayer;
}

/** Layers in execution order, blocks flattened (a repeat's block once). */
export function flattenLayers(layers: CheckedLayer[], out: CheckedLayer[] = []): CheckedLayer[] {
  for (const l of layers) {
    if (l.name === 'repeat') flattenLayers(l.children, out);
    else if (l.name === 'residual') {
      flattenLayers(l.children, out);
      out.push(l);
    } else out.push(l);
  }
  return out;
}

/** The layer whose output is the model's output (through repeat blocks; a residual is its own `add`). */
export function lastLayer(layers: CheckedLayer[]): CheckedLayer | undefined {
  const last = layers[layers.length - 1];
  if (last && last.name === 'repeat' && last.children.length > 0) return lastLayer(last.children) ?? last;
  return last;
}

/** The activation a layer ends with: an activation layer's name, or its `activation:` argument. */
export function activationOf(layer: CheckedLayer | undefined): string | undefined {
  if (!layer) return undefined;
  const arg = layer.checked?.args.activation;
  if (typeof arg === 'string') return arg;
  return ['relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax'].includes(layer.name) ? layer.name : undefined;
}

function describeLayer(ctx: CheckContext, layer: CheckedLayer): string {
  return `${ctx.slice(layer.layer.call.range)} at line ${layer.layer.range.start.line}`;
}

export function decideLoss(ctx: CheckContext, layers: CheckedLayer[], loss: CheckedCall | undefined, lossRange: Range | undefined): LossDecision | undefined {
  if (!loss) return undefined;
  const last = lastLayer(layers);
  const activation = activationOf(last);
  const written = loss.args.from_logits;
  let fromLogits: boolean;
  let probabilities: string | undefined;
  if (loss.name === 'crossentropy') probabilities = activation === 'softmax' ? 'softmax' : undefined;
  else if (loss.name === 'binary_crossentropy') probabilities = activation === 'sigmoid' || activation === 'softmax' ? activation : undefined;
  else return { kind: loss.name, fromLogits: false, last };
  if (typeof written === 'boolean') fromLogits = written;
  else fromLogits = probabilities === undefined;
  const range = lossRange ?? last?.layer.call.range;
  if (range && last) {
    const why =
      typeof written === 'boolean'
        ? `as written (from_logits: ${written})`
        : probabilities
          ? `because the last layer (${describeLayer(ctx, last)}) ends with ${probabilities}`
          : `because the last layer (${describeLayer(ctx, last)}) has no ${loss.name === 'crossentropy' ? 'softmax' : 'sigmoid'}`;
    ctx.report('RN901', range, `${loss.name} is computed from ${fromLogits ? 'logits' : 'probabilities'} ${why}`);
  }
  return { kind: loss.name, fromLogits, last };
}

/** The layer that fixed the size of the output: the last one with a size argument or that changed the shape. */
function sizingLayer(layers: CheckedLayer[]): CheckedLayer | undefined {
  const flat = flattenLayers(layers).filter((l) => l.name !== 'residual');
  for (let i = flat.length - 1; i >= 0; i--) {
    const layer = flat[i]!;
    const { inputShape, outputShape } = layer.info;
    const sized = ['units', 'filters', 'dim'].some((a) => layer.checked?.args[a] !== undefined);
    if (sized || !inputShape || !outputShape || formatShape(inputShape) !== formatShape(outputShape)) return layer;
  }
  return flat[0];
}

/** RN402: the output must have one unit per class (one for a regression target or a binary sigmoid). */
export function checkOutputSize(ctx: CheckContext, layers: CheckedLayer[], outputShape: number[] | undefined, facts: SourceFacts, lossKind: string | undefined, modelKeyword: Range): void {
  if (!outputShape || facts.classes === undefined) return;
  const layer = sizingLayer(layers);
  if (!layer) {
    ctx.report('RN402', modelKeyword, `the model has no layers: its output is the input ${formatShape(outputShape)}, but the data has ${facts.regression ? 'a regression target' : `${facts.classes} classes`}`);
    return;
  }
  const range = layer.layer.call.range;
  const text = ctx.slice(range);
  const size = outputShape[outputShape.length - 1]!;
  if (outputShape.length !== 1) {
    const what = facts.regression ? 'a regression target (1 output)' : `${facts.classes} classes`;
    ctx.report('RN402', range, `the model's output has shape ${formatShape(outputShape)} but the data has ${what}: add flatten or global_avgpool before the last layer`);
    return;
  }
  if (facts.regression || facts.classes === 0) {
    if (size !== 1) ctx.report('RN402', range, `${text} gives ${size} outputs but the data has a regression target, which needs 1`);
    return;
  }
  if (lossKind === 'binary_crossentropy' && facts.classes === 2 && (size === 1 || size === 2)) return;
  if (size !== facts.classes) {
    ctx.report('RN402', range, `${text} gives ${size} output${size === 1 ? '' : 's'} but the data has ${facts.classes} classes`);
  }
}
