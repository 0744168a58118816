// What each data source gives the model: input shape, classes, kind of example.
// Built-in sources are described by their arguments; file sources are inspected
// (data-files.ts). Problems in files are reported at the argument naming them.
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import type { Range } from '../ast.js';
import { MNIST_EXAMPLES } from '../catalogue/words.js';
import { CheckContext } from './context.js';
import { formatShape } from '../model-summary.js';
import { inspectCsv, inspectIdx, inspectImages, inspectText, type InspectedData } from './data-files.js';
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

export function describeSource(ctx: CheckContext, source: CheckedCall, lossKind: string | undefined): SourceFacts {
  const a = source.args;
  const inspect = ctx.options.inspectData !== false;
  const path = (name: string) => absolutePath(ctx.options.file, String(a[name]));
  // Messages show paths as written (relative to the spec's folder) rather than absolute.
  const base = baseDir(ctx.options.file);
  const shown = (message: string) => message.split(base + sep).join('');
  const report = (data: InspectedData) => {
    for (const problem of data.problems) {
      const range: Range = source.argRanges.get(problem.arg) ?? source.argRanges.get('path') ?? source.range!;
      const where = problem.code === 'RN601' ? ` (paths are relative to the spec's folder ${base})` : '';
      ctx.report(problem.code, range, shown(problem.message) + where);
    }
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
      if (!inspect) return { inputKind: 'vector', regression: lossKind === 'mse' };
      const features = Array.isArray(a.features) ? (a.features as string[]) : undefined;
      const data = inspectCsv(path('path'), a.label === undefined ? undefined : String(a.label), features);
      report(data);
      if (data.problems.length > 0) return { inputKind: 'vector' };
      const resolvedArgs = { label: data.labelColumn ?? null, features: data.featureColumns ?? null };
      const facts: SourceFacts = { inputShape: data.inputShape, inputKind: 'vector', classes: data.classes, labels: data.labels, resolvedArgs, examples: data.examples };
      if (data.numericLabels && (lossKind === 'mse' || !data.integerLabels)) {
        if (lossKind !== 'mse') {
          ctx.report(
            'RN602',
            source.argRanges.get('label') ?? source.argRanges.get('path') ?? source.range!,
            shown(`${path('path')}: the label column '${data.labelColumn}' holds numbers that are not class indices (whole numbers >= 0); use loss: mse for a regression target`),
          );
          return { inputShape: data.inputShape, inputKind: 'vector', resolvedArgs };
        }
        return { inputShape: data.inputShape, inputKind: 'vector', classes: 0, regression: true, resolvedArgs, examples: data.examples };
      }
      return facts;
    }
    case 'idx': {
      if (!inspect) return { inputKind: 'image' };
      const data = inspectIdx(path('images'), path('labels'));
      report(data);
      return { inputShape: data.inputShape, classes: data.classes, inputKind: 'image', examples: data.examples };
    }
    case 'images': {
      const size = Array.isArray(a.size) ? (a.size as [number, number]) : undefined;
      const channels = Number(a.channels ?? 3);
      if (!inspect) return { inputShape: size ? [size[0], size[1], channels] : undefined, inputKind: 'image' };
      const data = inspectImages(path('path'), size, channels);
      report(data);
      const resolvedArgs = data.inputShape ? { size: data.inputShape.slice(0, 2) } : undefined;
      return { inputShape: data.inputShape, classes: data.classes, labels: data.labels, inputKind: 'image', resolvedArgs, examples: data.examples };
    }
    case 'text': {
      const length = Number(a.length);
      const vocab = Number(a.vocab);
      if (!inspect) return { inputShape: [length], inputKind: 'tokens', vocab };
      const data = inspectText(path('path'), String(a.text), String(a.label), length);
      report(data);
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

