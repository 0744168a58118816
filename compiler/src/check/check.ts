// The semantic pass: parse, then constants, sections, data sources, layers,
// shapes, loss and lints, in the order each needs the previous. Never throws:
// an internal error becomes a diagnostic.
import type { ModelDecl, RegnetFile, SectionDecl, SectionKind } from '../ast.js';
import { getEntry } from '../catalogue/index.js';
import type { Engine } from '../catalogue/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { parse } from '../parser/index.js';
import type { SemanticModel, SymbolRef } from '../semantic-model.js';
import { Constants } from './constants.js';
import { CheckContext, type CheckOptions } from './context.js';
import { checkAugmentations } from './augment.js';
import { lint } from './lints.js';
import { checkOutputSize, decideLoss, type LossDecision } from './loss.js';
import { ModelChecker } from './model.js';
import { checkModelSize } from './model-size.js';
import { SectionChecker, type SectionResult, type SweepResult } from './sections.js';
import { ShapeInference, type GraphResult } from './shapes.js';
import { compareSources, describeSource } from './sources.js';
import type { CheckedCall, CheckedLayer, SourceFacts } from './types.js';
import { ValueChecker } from './values.js';

export type { CheckOptions } from './context.js';

export interface CheckResult {
  ast: RegnetFile;
  diagnostics: Diagnostic[];
  model: SemanticModel;
}

/** Everything the pass learnt, for lowering. */
export interface Analysis {
  ctx: CheckContext;
  ast: RegnetFile;
  model: SemanticModel;
  constants?: Constants;
  modelDecl?: ModelDecl;
  layers: CheckedLayer[];
  graph?: GraphResult;
  data?: SectionResult;
  train?: SectionResult;
  sweep?: SweepResult;
  source?: CheckedCall;
  sourceFacts?: SourceFacts;
  validationSource?: { call: CheckedCall; facts: SourceFacts };
  testSource?: { call: CheckedCall; facts: SourceFacts };
  loss?: LossDecision;
}

function byPosition(a: { range: { start: { offset: number }; end: { offset: number } } }, b: typeof a): number {
  return a.range.start.offset - b.range.start.offset || a.range.end.offset - b.range.end.offset;
}

/** Parses and checks a spec. */
export function check(text: string, options: CheckOptions = {}): CheckResult {
  const { ast, diagnostics, model } = analyse(text, options);
  return { ast, diagnostics, model };
}

export function analyse(text: string, options: CheckOptions = {}): Analysis & { diagnostics: Diagnostic[] } {
  const parsed = parse(text);
  const ctx = new CheckContext(text, options);
  const analysis: Analysis = { ctx, ast: parsed.ast, layers: [], model: { constants: new Map(), layers: [], symbols: [] } };
  try {
    run(analysis);
  } catch (error) {
    const start = { line: 1, column: 1, offset: 0 };
    const detail = error instanceof Error ? error.message : String(error);
    ctx.report('RN990', { start, end: start }, `internal compiler error: ${detail} (please report this with the spec)`);
  }
  analysis.model.symbols = dedupeSymbols(ctx.symbols);
  const all = [...parsed.diagnostics, ...ctx.diagnostics].sort(byPosition);
  return { ...analysis, diagnostics: all };
}

/** Sorted by position; a range reached twice (a `let` value used twice) is kept once, with the richest record. */
function dedupeSymbols(symbols: SymbolRef[]): SymbolRef[] {
  const sorted = [...symbols].sort(byPosition);
  const out: SymbolRef[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && last.range.start.offset === s.range.start.offset && last.range.end.offset === s.range.end.offset) {
      if (!last.layerInfo && s.layerInfo) out[out.length - 1] = s;
    } else out.push(s);
  }
  return out;
}

function keywordSymbols(ctx: CheckContext, file: RegnetFile): void {
  for (const decl of file.decls) {
    if (decl.kind === 'let') {
      const start = decl.range.start;
      ctx.symbol({ range: { start, end: { line: start.line, column: start.column + 3, offset: start.offset + 3 } }, kind: 'keyword', entry: getEntry('keyword', 'let') });
    } else ctx.symbol({ range: decl.keyword, kind: 'keyword', entry: getEntry('keyword', decl.kind) });
  }
}

function run(a: Analysis): void {
  const { ctx, ast } = a;
  keywordSymbols(ctx, ast);
  const constants = new Constants(ctx, ast);
  a.constants = constants;
  a.model.constants = new Map([...constants.entries].map(([name, entry]) => [name, entry.info]));
  const values = new ValueChecker(ctx, constants);
  const sections = new SectionChecker(ctx, values);

  // One block of each kind: later ones are reported (and still checked, for their own errors).
  const firsts = new Map<string, ModelDecl | SectionDecl>();
  const duplicates: (ModelDecl | SectionDecl)[] = [];
  for (const decl of ast.decls) {
    if (decl.kind === 'let') continue;
    const first = firsts.get(decl.kind);
    if (first) {
      ctx.report('RN206', decl.keyword, `duplicate ${decl.kind} block: the first is at line ${first.keyword.start.line}; a file has at most one`);
      duplicates.push(decl);
    } else firsts.set(decl.kind, decl);
  }
  const section = (kind: SectionKind) => firsts.get(kind) as SectionDecl | undefined;
  const modelDecl = firsts.get('model') as ModelDecl | undefined;
  a.modelDecl = modelDecl;

  a.train = sections.section('train', section('train'));
  a.data = sections.section('data', section('data'));
  for (const d of duplicates) {
    if (d.kind === 'data' || d.kind === 'train') sections.section(d.kind, d);
    else if (d.kind === 'sweep') sections.sweep(d);
  }

  if (!modelDecl || !section('data')) {
    const anchor = modelDecl?.keyword ?? section('data')?.keyword ?? ast.decls[0]?.range ?? { start: ast.range.start, end: ast.range.start };
    const missing = [!modelDecl && 'model', !section('data') && 'data'].filter(Boolean).join(' block and no ');
    const example = !section('data') ? 'data { source: mnist() }' : 'model { flatten dense(10) }';
    ctx.report('RN213', anchor, `no ${missing} block: a spec needs a model and the data it learns from (e.g. ${example})`);
  }

  // Data sources.
  const lossCall = a.train.calls.loss;
  const source = a.data.calls.source;
  if (source?.valid) {
    a.source = source;
    a.sourceFacts = describeSource(ctx, source, lossCall?.name);
    for (const what of ['validation', 'test'] as const) {
      const call = a.data.calls[what];
      if (!call?.valid) continue;
      const facts = describeSource(ctx, call, lossCall?.name);
      if (what === 'validation') a.validationSource = { call, facts };
      else a.testSource = { call, facts };
      compareSources(ctx, what, facts, call, a.sourceFacts);
    }
    checkAugmentations(ctx, a.data.callLists.augment ?? [], a.sourceFacts, ctx.slice(source.call?.name.range ?? source.range!));
    a.model.data = {
      inputShape: a.sourceFacts.inputShape,
      classes: a.sourceFacts.classes,
      inputKind: a.sourceFacts.inputKind,
      labels: a.sourceFacts.labels,
    };
  }

  // Layers and shapes.
  if (modelDecl) {
    const checker = new ModelChecker(ctx, values);
    a.layers = checker.model(modelDecl);
    for (const d of duplicates) if (d.kind === 'model') new ModelChecker(ctx, values).model(d);
    a.model.layers = a.layers.map((l) => l.info);
    const sourceName = source ? ctx.slice(source.call?.name.range ?? source.range!) : undefined;
    const inference = new ShapeInference(ctx, a.layers);
    a.graph = inference.run(a.layers, { shape: a.sourceFacts?.inputShape, from: `the data source ${sourceName ?? ''}`.trim() });
    a.model.totalParams = a.graph.totalParams;
    checkModelSize(ctx, a.graph.nodes, Number(a.train.values.batch_size ?? 32), modelDecl.keyword);
    const first = a.layers[0];
    if (!a.sourceFacts?.inputShape && !section('data') && first && first.name !== 'input') {
      ctx.report('RN405', first.layer.call.name.range, `input shape unknown: there is no data source to take it from; start the model with input(shape: [...])`);
    }
    if (a.sourceFacts && a.graph.complete) checkOutputSize(ctx, a.layers, a.graph.outputShape, a.sourceFacts, lossCall?.name, modelDecl.keyword);
    if (a.graph.complete || a.layers.length > 0) {
      a.loss = decideLoss(ctx, a.layers, lossCall, a.train.written.get('loss')?.value?.range);
      a.model.lossFromLogits = a.loss?.fromLogits;
    }
    if (a.sourceFacts?.vocab !== undefined) embeddingVocab(ctx, a.layers, a.sourceFacts.vocab);
  }

  lint(ctx, { layers: a.layers, train: a.train, data: a.data, source: a.source, sourceFacts: a.sourceFacts, loss: a.loss });

  a.sweep = sections.sweep(section('sweep'));
  sections.checkSweepValues(a.sweep);
  constants.reportUnused();
  if (ctx.options.engine) checkEngine(ctx, ctx.options.engine);
}

/** Each construct the chosen engine cannot run (the catalogue's `unsupportedOn`), at its name. */
function checkEngine(ctx: CheckContext, engine: Engine): void {
  for (const symbol of ctx.symbols) {
    const instead = symbol.param === undefined ? symbol.entry?.unsupportedOn?.[engine] : undefined;
    if (!instead) continue;
    ctx.report('RN701', symbol.range, `${symbol.entry!.name} does not run on the ${engine} engine: ${instead}`);
  }
}

/** Token ids of a text source go up to its vocab: a smaller embedding would index out of range. */
function embeddingVocab(ctx: CheckContext, layers: CheckedLayer[], vocab: number): void {
  const first = layers.find((l) => l.name !== 'input');
  if (!first || first.name !== 'embedding' || !first.checked?.valid) return;
  const size = Number(first.checked.args.vocab);
  if (size < vocab) {
    ctx.report(
      'RN302',
      first.checked.argRanges.get('vocab') ?? first.layer.call.range,
      `embedding vocab ${size} is smaller than the text source's vocab ${vocab}: token ids up to ${vocab - 1} would have no vector`,
    );
  }
}
