// Warnings a deep-learning course would give (RN501-RN507). Each is a likely
// mistake in an otherwise valid spec; thresholds are the course's rules of thumb.
import type { Arg, Range } from '../ast.js';
import type { Fix, TextEdit } from '../diagnostics.js';
import { lineRange } from './constants.js';
import { CheckContext } from './context.js';
import { activationOf, flattenLayers, lastLayer, type LossDecision } from './loss.js';
import type { SectionResult } from './sections.js';
import type { CheckedCall, CheckedLayer, SourceFacts } from './types.js';

const NORMALIZATION_LAYERS = new Set(['batchnorm', 'layernorm', 'groupnorm', 'instancenorm']);
const PARAMETER_FREE = new Set(['dropout', 'spatial_dropout', 'gaussian_noise', 'flatten', 'reshape', 'linear']);
/** Adaptive optimizers: learning rates above 0.1 are almost always a typo. */
const ADAPTIVE = new Set(['adam', 'adamw', 'rmsprop']);
const HIGH_LR_ADAPTIVE = 0.1;
const HIGH_LR_SGD = 1;
const MIN_BATCH_FOR_BATCHNORM = 8;
/**
 * Batchnorm's moving statistics forget their initial values (mean 0, variance 1) by a
 * factor momentum per step, i.e. with a time constant of 1/(1 − momentum) steps; after
 * 5 time constants less than 1% (e^−5) of the initial value is left.
 */
const BATCHNORM_TIME_CONSTANTS = 5;
/** Momenta the quick fix offers, largest (smoothest) first. */
const BATCHNORM_FIX_MOMENTA = [0.9, 0.8, 0.5];

export interface LintInput {
  layers: CheckedLayer[];
  train: SectionResult;
  data: SectionResult;
  source?: CheckedCall;
  /** What the checker knows of the training source (its number of examples, when known). */
  sourceFacts?: SourceFacts;
  loss?: LossDecision;
}

function namedArg(layer: CheckedLayer, name: string): Arg | undefined {
  return layer.layer.call.args.find((a) => a.name?.name === name);
}

/** The range of an argument with the comma and space before it (or after it, when first). */
function argWithSeparator(call: { args: Arg[] }, arg: Arg): Range {
  const index = call.args.indexOf(arg);
  const prev = call.args[index - 1];
  const next = call.args[index + 1];
  if (prev) return { start: prev.range.end, end: arg.range.end };
  if (next) return { start: arg.range.start, end: next.range.start };
  return arg.range;
}

export function lint(ctx: CheckContext, input: LintInput): void {
  const flat = flattenLayers(input.layers);
  adamWithL2(ctx, input, flat);
  dropoutLast(ctx, input);
  softmaxBeforeLogits(ctx, input, flat);
  flipOnDigits(ctx, input);
  smallBatchWithBatchnorm(ctx, input, flat);
  batchnormMomentumTooSlow(ctx, input, flat);
  highLearningRate(ctx, input, flat);
}

/** RN501: with Adam, an L2 penalty's gradient is rescaled per weight, so it is not weight decay. */
function adamWithL2(ctx: CheckContext, input: LintInput, flat: CheckedLayer[]): void {
  const optimizer = input.train.calls.optimizer;
  if (!optimizer || optimizer.name !== 'adam') return;
  const regularizer = input.train.calls.regularizer;
  const regSetting = input.train.written.get('regularizer');
  const globalL2 = regularizer && (regularizer.name === 'l2' ? Number(regularizer.args.lambda) : regularizer.name === 'l1_l2' ? Number(regularizer.args.l2) : 0);
  const layerL2 = flat.filter((l) => l.checked?.written.has('l2') && Number(l.checked.args.l2) > 0);
  if (!globalL2 && layerL2.length === 0) return;
  const lambda = globalL2 || Number(layerL2[0]!.checked!.args.l2);

  const edits: TextEdit[] = [];
  const optSetting = input.train.written.get('optimizer');
  if (optSetting?.value) {
    const lr = optimizer.argRanges.get('lr');
    const parts = [`lr: ${lr ? ctx.slice(lr) : String(optimizer.args.lr)}`];
    for (const arg of optimizer.call?.args ?? []) {
      if (arg.name && arg.name.name !== 'lr' && arg.value) parts.push(ctx.slice(arg.range));
    }
    parts.push(`weight_decay: ${lambda}`);
    edits.push({ range: optSetting.value.range, newText: `adamw(${parts.join(', ')})` });
  }
  if (globalL2 && regSetting) {
    if (regularizer!.name === 'l1_l2' && Number(regularizer!.args.l1) > 0) {
      edits.push({ range: regSetting.value!.range, newText: `l1(${regularizer!.args.l1})` });
    } else edits.push({ range: lineRange(ctx.text, regSetting), newText: '' });
  }
  for (const layer of layerL2) {
    const arg = namedArg(layer, 'l2');
    if (arg) edits.push({ range: argWithSeparator(layer.layer.call, arg), newText: '' });
  }
  const fix: Fix | undefined = optSetting?.value
    ? { title: `Use adamw(weight_decay: ${lambda}) instead of adam with an L2 penalty`, edits }
    : undefined;
  const why = 'L2 is not weight decay under Adam: Adam rescales the penalty\'s gradient λ·w per weight, so weights with large gradients are hardly decayed; use adamw(weight_decay: λ), decoupled weight decay (Loshchilov & Hutter 2019)';
  if (globalL2 && regSetting?.value) {
    ctx.report('RN501', regSetting.value.range, `${why}`, fix ? [fix] : undefined);
  }
  for (const layer of layerL2) {
    const arg = namedArg(layer, 'l2');
    const range = layer.checked!.argRanges.get('l2') ?? layer.layer.call.range;
    ctx.report('RN501', arg?.range ?? range, `${layer.name} l2 with adam: ${why}`, fix ? [fix] : undefined);
  }
}

/** RN502: dropout on the output drops class scores at random during training. */
function dropoutLast(ctx: CheckContext, input: LintInput): void {
  const last = lastLayer(input.layers);
  if (!last || (last.name !== 'dropout' && last.name !== 'spatial_dropout')) return;
  ctx.report(
    'RN502',
    last.layer.call.range,
    `${last.name} as the last layer drops the model's outputs at random during training; put it before the last dense layer`,
  );
}

/** RN503: a softmax whose output the loss then treats as logits (softmax applied twice). */
function softmaxBeforeLogits(ctx: CheckContext, input: LintInput, flat: CheckedLayer[]): void {
  const loss = input.loss;
  if (!loss || !loss.fromLogits || (loss.kind !== 'crossentropy' && loss.kind !== 'binary_crossentropy')) return;
  let index = -1;
  for (let i = flat.length - 1; i >= 0; i--) {
    if (activationOf(flat[i]) === 'softmax') {
      index = i;
      break;
    }
    const layer = flat[i]!;
    const parameterFree = PARAMETER_FREE.has(layer.name);
    if (!parameterFree) break;
  }
  if (index < 0) return;
  const softmax = flat[index]!;
  const range = softmax.checked?.argRanges.get('activation') ?? softmax.layer.call.range;
  const after = index === flat.length - 1 ? 'from_logits: true' : `the layers after it (${flat.slice(index + 1).map((l) => l.name).join(', ')})`;
  ctx.report(
    'RN503',
    range,
    `softmax at line ${range.start.line} is followed by a ${loss.kind} on logits (because of ${after}): the loss applies softmax again; ${index === flat.length - 1 ? 'remove from_logits: true' : 'make softmax the last layer or remove it'}`,
  );
}

/** RN504: a mirrored digit is not the same digit (a mirrored 2 is no 2). */
function flipOnDigits(ctx: CheckContext, input: LintInput): void {
  const source = input.source;
  if (!source) return;
  const digits =
    source.name === 'mnist' ||
    (source.name === 'idx' && !/fashion/i.test(`${source.args.images} ${source.args.labels}`));
  if (!digits) return;
  for (const aug of input.data.callLists.augment ?? []) {
    if (aug.name !== 'flip') continue;
    const direction = String(aug.args.direction);
    if (direction !== 'horizontal' && direction !== 'both') continue;
    ctx.report(
      'RN504',
      aug.range!,
      `flip(${direction}) on digit data (${source.name}): a mirrored digit is not the same digit (a mirrored 2 or 7 is no digit at all); use small rotations or translations instead`,
    );
  }
}

/** RN505: batch statistics of fewer than 8 examples are too noisy. */
function smallBatchWithBatchnorm(ctx: CheckContext, input: LintInput, flat: CheckedLayer[]): void {
  const batchnorm = flat.find((l) => l.name === 'batchnorm');
  const batchSize = Number(input.train.values.batch_size);
  const setting = input.train.written.get('batch_size');
  if (!batchnorm || !(batchSize < MIN_BATCH_FOR_BATCHNORM)) return;
  ctx.report(
    'RN505',
    setting?.value?.range ?? batchnorm.layer.call.range,
    `batch_size ${batchSize} is below ${MIN_BATCH_FOR_BATCHNORM} with batchnorm (line ${batchnorm.layer.range.start.line}): its batch mean and variance are too noisy; use a larger batch or groupnorm/layernorm`,
  );
}

/**
 * The number of optimizer steps of a full run (no early stop): epochs × ceil(n_train / batch),
 * where n_train is what the runtime trains on (the source minus the held-out validation
 * fraction, then `subset`). Undefined when the source's size is unknown.
 */
export function stepsPerRun(input: Pick<LintInput, 'train' | 'data' | 'sourceFacts'>): { steps: number; epochs: number; batches: number; examples: number; batch: number } | undefined {
  const total = input.sourceFacts?.examples;
  const epochs = Number(input.train.values.epochs);
  const batch = Number(input.train.values.batch_size);
  if (total === undefined || !(total > 0) || !(epochs > 0) || !(batch > 0)) return undefined;
  const validation = input.data.values.validation;
  let examples = typeof validation === 'number' ? total - Math.round(validation * total) : total;
  const subset = input.data.values.subset;
  if (typeof subset === 'number' && subset < examples) examples = subset;
  if (examples <= 0) return undefined;
  const batches = Math.ceil(examples / batch);
  return { steps: epochs * batches, epochs, batches, examples, batch };
}

/**
 * RN507: a batchnorm whose moving mean/variance (used at evaluation) average over more steps
 * than the run has: they stay near their initial values, so validation and test accuracy
 * collapse while training accuracy (batch statistics) looks fine.
 */
function batchnormMomentumTooSlow(ctx: CheckContext, input: LintInput, flat: CheckedLayer[]): void {
  const run = stepsPerRun(input);
  if (!run) return;
  for (const layer of new Set(flat.filter((l) => l.name === 'batchnorm' && l.checked?.valid))) {
    const momentum = Number(layer.checked!.args.momentum);
    if (!(momentum > 0 && momentum < 1)) continue;
    const timeConstant = 1 / (1 - momentum);
    if (run.steps >= BATCHNORM_TIME_CONSTANTS * timeConstant) continue;
    const call = layer.layer.call;
    const written = namedArg(layer, 'momentum');
    const better = BATCHNORM_FIX_MOMENTA.find((m) => m < momentum && BATCHNORM_TIME_CONSTANTS / (1 - m) <= run.steps);
    const fixes: Fix[] = [];
    if (better !== undefined) {
      const edit = momentumEdit(call, written, better);
      if (edit) fixes.push({ title: `Set batchnorm momentum to ${better} (statistics averaged over ${Math.round(1 / (1 - better))} steps)`, edits: [edit] });
    }
    const steps = `${run.steps} steps (${run.epochs} epoch${run.epochs === 1 ? '' : 's'} × ${run.batches} batch${run.batches === 1 ? '' : 'es'}: ${run.examples} training examples in batches of ${run.batch})`;
    ctx.report(
      'RN507',
      written?.value?.range ?? call.range,
      `batchnorm momentum ${momentum} averages its moving mean and variance over about ${Math.round(timeConstant)} steps (1/(1 − momentum)), but the run has only ${steps}, fewer than ${BATCHNORM_TIME_CONSTANTS}×${Math.round(timeConstant)} = ${Math.round(BATCHNORM_TIME_CONSTANTS * timeConstant)}: at evaluation the statistics are still near their initial values, so validation accuracy lags training accuracy; ${better !== undefined ? `use momentum: ${better}` : 'train for more steps'}`,
      fixes.length ? fixes : undefined,
    );
  }
}

/** The edit writing `momentum: m`: replaces a written value, else adds the argument. */
function momentumEdit(call: CheckedLayer['layer']['call'], written: Arg | undefined, momentum: number): TextEdit | undefined {
  if (written?.value) return { range: written.value.range, newText: String(momentum) };
  if (!call.hasParens) return { range: { start: call.name.range.end, end: call.name.range.end }, newText: `(momentum: ${momentum})` };
  const end = call.argsRange?.end;
  if (!end || end.offset !== call.range.end.offset) return undefined; // no closing parenthesis (syntax error)
  // Just before the closing parenthesis: `batchnorm()` -> `batchnorm(momentum: 0.9)`.
  const close = { line: end.line, column: end.column - 1, offset: end.offset - 1 };
  return { range: { start: close, end: close }, newText: `${call.args.length > 0 ? ', ' : ''}momentum: ${momentum}` };
}

/** RN506: without normalization layers, a large learning rate usually diverges. */
function highLearningRate(ctx: CheckContext, input: LintInput, flat: CheckedLayer[]): void {
  const optimizer = input.train.calls.optimizer;
  if (!optimizer) return;
  const lr = Number(optimizer.args.lr);
  const limit = ADAPTIVE.has(optimizer.name) ? HIGH_LR_ADAPTIVE : HIGH_LR_SGD;
  // An infinite rate comes from a number too large, already reported (RN104).
  if (!(lr > limit) || !Number.isFinite(lr) || flat.some((l) => NORMALIZATION_LAYERS.has(l.name))) return;
  const range = optimizer.argRanges.get('lr') ?? input.train.written.get('optimizer')?.value?.range;
  if (!range) return;
  ctx.report(
    'RN506',
    range,
    `learning rate ${lr} is very high for ${optimizer.name} (above ${limit}) in a model without normalization layers; training will likely diverge`,
  );
}
