// What each data source gives the model: input shape, classes, kind of example.
// Built-in sources are described by their arguments; file sources are inspected
// (data-files.ts). Problems in files are reported at the argument naming them.
// Every path is first judged by data-access.ts: one outside the allowed folders is
// refused (RN604) and never read.
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import type { Range } from '../ast.js';
import { MNIST_EXAMPLES } from '../catalogue/words.js';
import { formatShape } from '../model-summary.js';
import { CheckContext } from './context.js';
import { accessFor, resolveDataPath } from './data-access.js';
import { inspectData, type DataRequest, type InspectedData } from './data-files.js';
import { limitsOf } from './limits.js';
import type { CheckedCall, SourceFacts } from './types.js';

/** The folder that relative data paths are resolved against. */
export function baseDir(file: string | undefined): string {
  return file ? dirname(resolve(file)) : process.cwd();
}

export function absolutePath(file: string | undefined, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir(file), path);
}

/** Argument names holding paths, per source kind. */
export const PATH_ARGS: Record<string, string[]> = { csv: ['path'], idx: ['images', 'labels'], images: ['path'], text: ['path'] };

/** True when a slot label (`csv path`, `idx images`) names a data path argument. */
export function isPathSlot(label: string): boolean {
  return Object.entries(PATH_ARGS).some(([source, args]) => args.some((arg) => label === `${source} ${arg}`));
}

function notice(ctx: CheckContext, message: string, at: Range): void {
  if (!ctx.diagnostics.some((d) => d.code === 'RN605')) ctx.report('RN605', at, message);
}

/**
 * Judges one data path as written (data-access.ts): false, after reporting RN604
 * (refused) or RN605 (a relative path in a document never saved), when it must not be read.
 */
export function admitDataPath(ctx: CheckContext, written: string, range: Range): boolean {
  const access = accessFor(ctx.options.file, ctx.options.dataRoots);
  if (!access.specDir && !isAbsolute(written)) {
    notice(ctx, `data files named by relative paths are not read for a document that was never saved: save it to check its data`, range);
    return false;
  }
  const verdict = resolveDataPath(written, access);
  if (!verdict.ok) ctx.report('RN604', range, verdict.reason);
  return verdict.ok;
}

/** Whether the data of `source` may be read: every path argument admitted, and reading allowed at all. */
function mayRead(ctx: CheckContext, source: CheckedCall): boolean {
  const names = (PATH_ARGS[source.name] ?? []).filter((name) => typeof source.args[name] === 'string');
  if (ctx.options.inspectData === false) {
    const first = source.argRanges.get(names[0] ?? '') ?? source.range!;
    if (ctx.options.dataNotice && names.length > 0) notice(ctx, ctx.options.dataNotice, first);
    return false;
  }
  let ok = true;
  for (const name of names) {
    if (!admitDataPath(ctx, String(source.args[name]), source.argRanges.get(name) ?? source.range!)) ok = false;
  }
  return ok;
}

export function describeSource(ctx: CheckContext, source: CheckedCall, lossKind: string | undefined): SourceFacts {
  const a = source.args;
  const inspect = mayRead(ctx, source);
  const path = (name: string) => absolutePath(ctx.options.file, String(a[name]));
  // Messages show paths as written (relative to the spec's folder) rather than absolute.
  const base = baseDir(ctx.options.file);
  const shown = (message: string) => message.split(base + sep).join('');
  const maxBytes = limitsOf(ctx.options.limits).dataBytes;
  /** Inspects (or, in the language server, looks up) the data; undefined while it is being read. */
  const read = (request: DataRequest): InspectedData | undefined => {
    const data = (ctx.options.inspector ?? inspectData)(request, maxBytes);
    if (!data) return undefined;
    for (const problem of data.problems) {
      const range: Range = source.argRanges.get(problem.arg) ?? source.argRanges.get('path') ?? source.range!;
      const where = problem.code === 'RN601' ? ` (paths are relative to the spec's folder ${base})` : '';
      ctx.report(problem.code, range, shown(problem.message) + where);
    }
    return data;
  };
  switch (source.name) {
    case 'playground':
      return { inputShape: [2], classes: 2, inputKind: 'vector', labels: ['0', '1'], examples: Number(a.n) };
    case 'mnist':
      return {
        inputShape: [28, 28, 1], classes: 10, inputKind: 'image', labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        examples: a.split === 'test' ? MNIST_EXAMPLES.test : MNIST_EXAMPLES.train,
      };
    case 'csv': {
      const features = Array.isArray(a.features) ? (a.features as string[]) : undefined;
      const label = a.label === undefined ? undefined : String(a.label);
      const data = inspect ? read({ kind: 'csv', path: path('path'), label, features }) : undefined;
      if (!data) return { inputKind: 'vector', regression: lossKind === 'mse' };
      if (data.problems.length > 0) return { inputKind: 'vector' };
      const resolvedArgs = { label: data.labelColumn ?? null, features: data.featureColumns ?? null };
      const facts: SourceFacts = { inputShape: data.inputShape, inputKind: 'vector', classes: data.classes, labels: data.labels, resolvedArgs, examples: data.examples };
      if (data.numericLabels && (lossKind === 'mse' || !data.integerLabels)) {
        if (lossKind !== 'mse') {
          ctx.report(
            'RN602',
            source.argRanges.get('label') ?? source.argRanges.get('path') ?? source.range!,
            shown(`${path('path')}: the label column${label === undefined ? ' (the last column)' : ` '${label}'`} holds numbers that are not class indices (whole numbers >= 0); use loss: mse for a regression target`),
          );
          return { inputShape: data.inputShape, inputKind: 'vector', resolvedArgs };
        }
        return { inputShape: data.inputShape, inputKind: 'vector', classes: 0, regression: true, resolvedArgs, examples: data.examples };
      }
      return facts;
    }
    case 'idx': {
      const data = inspect ? read({ kind: 'idx', images: path('images'), labels: path('labels') }) : undefined;
      if (!data) return { inputKind: 'image' };
      return { inputShape: data.inputShape, classes: data.classes, inputKind: 'image', examples: data.examples };
    }
    case 'images': {
      const size = Array.isArray(a.size) ? (a.size as [number, number]) : undefined;
      const channels = Number(a.channels ?? 3);
      const access = accessFor(ctx.options.file, ctx.options.dataRoots);
      const data = inspect ? read({ kind: 'images', dir: path('path'), size, channels, access }) : undefined;
      if (!data) return { inputShape: size ? [size[0], size[1], channels] : undefined, inputKind: 'image' };
      const resolvedArgs = data.inputShape ? { size: data.inputShape.slice(0, 2) } : undefined;
      return { inputShape: data.inputShape, classes: data.classes, labels: data.labels, inputKind: 'image', resolvedArgs, examples: data.examples };
    }
    case 'text': {
      const length = Number(a.length);
      const vocab = Number(a.vocab);
      const request: DataRequest = { kind: 'text', path: path('path'), textField: String(a.text), labelField: String(a.label), length };
      const data = inspect ? read(request) : undefined;
      if (!data) return { inputShape: [length], inputKind: 'tokens', vocab };
      return { inputShape: [length], classes: data.classes, labels: data.labels, inputKind: 'tokens', vocab, examples: data.examples };
    }
    default:
      return {};
  }
}

/** A validation or test source must give examples like the training source. */
export function compareSources(ctx: CheckContext, what: string, other: SourceFacts, otherCall: CheckedCall, train: SourceFacts): void {
  const range = otherCall.range!;
  if (other.inputShape && train.inputShape && formatShape(other.inputShape) !== formatShape(train.inputShape)) {
    ctx.report('RN406', range, `the ${what} source gives examples of shape ${formatShape(other.inputShape)} but the training source gives ${formatShape(train.inputShape)}`);
  } else if (other.classes !== undefined && train.classes !== undefined && other.classes > train.classes && !train.regression) {
    ctx.report('RN602', range, `the ${what} source has ${other.classes} classes but the training source has ${train.classes}`);
  }
}

