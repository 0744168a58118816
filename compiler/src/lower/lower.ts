// AST + semantic analysis -> GraphIR. The checker already built the nodes (so ids
// and shapes agree with what the editor shows); lowering folds the regularizer
// into each layer, makes paths absolute and resolves the data and training config.
import { resolve } from 'node:path';
import type { Analysis } from '../check/check.js';
import type { SectionResult } from '../check/sections.js';
import { absolutePath, PATH_ARGS } from '../check/sources.js';
import type { CheckedCall, SourceFacts } from '../check/types.js';
import {
  IR_VERSION,
  type DataConfig,
  type GraphIR,
  type IRNode,
  type JsonValue,
  type ResolvedCall,
  type SourceConfig,
  type SweepConfig,
  type TrainConfig,
} from '../ir.js';

/** Ops whose kernels (or embedding matrix) are penalized by `l1`/`l2`. */
const KERNEL_OPS = new Set(['dense', 'conv1d', 'conv2d', 'embedding', 'lstm', 'gru']);

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function resolved(call: CheckedCall): ResolvedCall {
  return { kind: call.name, args: clone(call.args) };
}

function sourceConfig(file: string | undefined, call: CheckedCall, facts: SourceFacts): SourceConfig {
  const args: Record<string, JsonValue> = clone(call.args);
  for (const [name, value] of Object.entries(facts.resolvedArgs ?? {})) {
    if (args[name] === undefined && value !== null) args[name] = value;
  }
  for (const name of PATH_ARGS[call.name] ?? []) {
    if (typeof args[name] === 'string') args[name] = absolutePath(file, args[name] as string);
  }
  const config: SourceConfig = {
    kind: call.name as SourceConfig['kind'],
    args,
    inputShape: [...(facts.inputShape ?? [])],
    classes: facts.regression ? 0 : (facts.classes ?? 0),
  };
  if (facts.labels) config.labels = [...facts.labels];
  return config;
}

/** The global regularizer as `{ l1, l2 }`. */
function regularizerOf(train: SectionResult): { l1: number; l2: number } | undefined {
  const reg = train.calls.regularizer;
  if (!reg) return undefined;
  switch (reg.name) {
    case 'l1':
      return { l1: Number(reg.args.lambda), l2: 0 };
    case 'l2':
      return { l1: 0, l2: Number(reg.args.lambda) };
    default:
      return { l1: Number(reg.args.l1), l2: Number(reg.args.l2) };
  }
}

function lowerNodes(a: Analysis, regularizer: { l1: number; l2: number } | undefined): IRNode[] {
  return a.graph!.nodes.map((original) => {
    const node = clone(original);
    if (KERNEL_OPS.has(node.op)) {
      const layer = a.graph!.layerOf.get(node.id);
      // Per-layer `l1:`/`l2:` when written on this very layer (not on a residual that owns a projection).
      const own = layer && layer.checked && layer.name !== 'residual' ? layer.checked : undefined;
      for (const key of ['l1', 'l2'] as const) {
        node.attrs[key] = own?.written.has(key) ? Number(own.args[key]) : (regularizer?.[key] ?? 0);
      }
    }
    return node;
  });
}

function dataConfig(a: Analysis): DataConfig {
  const data = a.data!;
  const file = a.ctx.options.file;
  const facts = a.sourceFacts!;
  const source = sourceConfig(file, a.source!, facts);
  const validation: DataConfig['validation'] = a.validationSource
    ? { source: sourceConfig(file, a.validationSource.call, a.validationSource.facts) }
    : { fraction: Number(data.values.validation ?? 0) };
  const config: DataConfig = {
    source,
    validation,
    shuffle: data.values.shuffle !== false,
    labelNoise: Number(data.values.label_noise ?? 0),
    normalize: (data.values.normalize ?? 'none') as DataConfig['normalize'],
    augment: (data.callLists.augment ?? []).map(resolved),
    inputShape: [...source.inputShape],
    classes: source.classes,
    inputKind: facts.inputKind ?? 'vector',
  };
  if (a.testSource) config.test = sourceConfig(file, a.testSource.call, a.testSource.facts);
  if (typeof data.values.subset === 'number') config.subset = data.values.subset;
  return config;
}

/** `val_*` quantities need a validation set; without one they fall back to the training ones. */
function monitorFor(name: string, hasValidation: boolean): string {
  return hasValidation ? name : name.replace(/^val_/, '');
}

function trainConfig(a: Analysis, hasValidation: boolean, regularizer: { l1: number; l2: number } | undefined): TrainConfig {
  const train = a.train!;
  const v = train.values;
  const clipCall = train.calls.clip;
  const config: TrainConfig = {
    epochs: Number(v.epochs),
    batchSize: Number(v.batch_size),
    loss: { ...resolved(train.calls.loss!), fromLogits: a.loss?.fromLogits ?? true },
    optimizer: resolved(train.calls.optimizer!),
    schedule: resolved(train.calls.schedule!),
    checkpoint: (v.checkpoint ?? 'best') as TrainConfig['checkpoint'],
    checkpointMonitor: monitorFor('val_loss', hasValidation),
    checkpointMode: 'min',
    metrics: ((v.metrics ?? []) as JsonValue[]).map(String),
    seed: Number(v.seed),
  };
  if (clipCall) {
    const value = Object.values(clipCall.args).find((x) => typeof x === 'number');
    config.clip = { kind: clipCall.name as 'norm' | 'value', value: Number(value) };
  }
  if (regularizer) config.regularizer = regularizer;
  if (Number(v.mc_samples) > 0) config.mcSamples = Number(v.mc_samples);
  const es = train.blocks.early_stopping;
  if (es) {
    const monitor = monitorFor(String(es.values.monitor), hasValidation);
    config.earlyStopping = {
      monitor,
      patience: Number(es.values.patience),
      minDelta: Number(es.values.min_delta),
      restoreBest: es.values.restore_best !== false,
      mode: /accuracy/.test(monitor) ? 'max' : 'min',
    };
  }
  return config;
}

function sweepConfig(a: Analysis): SweepConfig | undefined {
  const sweep = a.sweep;
  if (!sweep?.decl) return undefined;
  const params: Record<string, JsonValue[]> = {};
  for (const [name, p] of sweep.params) params[name] = clone(p.values);
  return { params, repeats: sweep.repeats };
}

/** Lowers a checked spec without errors. Throws if the analysis is incomplete (callers check first). */
export function lower(a: Analysis): GraphIR {
  if (!a.graph?.complete || !a.graph.output || !a.source || !a.sourceFacts || !a.data || !a.train) {
    throw new Error('cannot lower: the spec has no complete model and data');
  }
  const regularizer = regularizerOf(a.train);
  const nodes = lowerNodes(a, regularizer);
  const data = dataConfig(a);
  const hasValidation = 'source' in data.validation || data.validation.fraction > 0;
  const first = nodes[0]!;
  const tokens = data.inputKind === 'tokens' || nodes[1]?.op === 'embedding';
  const constants: Record<string, JsonValue> = {};
  for (const [name, entry] of a.constants?.entries ?? []) constants[name] = clone(entry.info.value ?? null);
  const ir: GraphIR = {
    version: IR_VERSION,
    name: a.modelDecl?.name?.name ?? 'model',
    input: { shape: [...first.shape], dtype: tokens ? 'int32' : 'float32' },
    nodes,
    output: a.graph.output,
    totalParams: a.graph.totalParams ?? nodes.reduce((s, n) => s + n.params, 0),
    data,
    train: trainConfig(a, hasValidation, regularizer),
    constants,
  };
  if (a.ctx.options.file) ir.file = resolve(a.ctx.options.file);
  const sweep = sweepConfig(a);
  if (sweep) ir.sweep = sweep;
  return ir;
}
