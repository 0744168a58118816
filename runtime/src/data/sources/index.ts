// Dispatches a resolved source (`SourceConfig`) to its reader.
import type { SourceConfig } from '@regnet/compiler';
import { numberArg, optionalStringArg, pairArg, stringArg, stringListArg } from '../args.js';
import { loadCsv } from './csv.js';
import { loadIdx } from './idx.js';
import { loadImages } from './images.js';
import { loadMnist } from './mnist.js';
import { generatePlayground, type PlaygroundKind } from './playground.js';
import type { SourceContext, SourceResult } from './source.js';
import { loadText } from './text.js';

export type { SourceContext, SourceResult } from './source.js';

export async function readSource(source: SourceConfig, ctx: SourceContext): Promise<SourceResult> {
  const args = source.args;
  const labels = ctx.labels ?? source.labels;
  switch (source.kind) {
    case 'playground':
      return {
        examples: generatePlayground(
          stringArg(args, 'kind') as PlaygroundKind,
          numberArg(args, 'n', 500),
          numberArg(args, 'noise', 0),
          ctx.rng,
        ),
      };
    case 'mnist':
      return { examples: loadMnist(stringArg(args, 'split', 'train') === 'test' ? 'test' : 'train') };
    case 'csv':
      return loadCsv({
        path: stringArg(args, 'path'),
        label: optionalStringArg(args, 'label'),
        features: stringListArg(args, 'features'),
        classes: ctx.classes,
        labels,
      });
    case 'idx':
      return loadIdx({ images: stringArg(args, 'images'), labels: stringArg(args, 'labels'), classes: ctx.classes });
    case 'images': {
      const channels = numberArg(args, 'channels', source.inputShape[2] ?? 3) === 1 ? 1 : 3;
      const size = pairArg(args, 'size');
      const expected: [number, number] | undefined =
        source.inputShape.length === 3 ? [source.inputShape[0], source.inputShape[1]] : undefined;
      return loadImages({ path: stringArg(args, 'path'), size, expectedSize: size ? undefined : expected, channels, labels, access: ctx.access });
    }
    case 'text':
      return loadText({
        path: stringArg(args, 'path'),
        textField: stringArg(args, 'text', 'text'),
        labelField: stringArg(args, 'label', 'label'),
        classes: ctx.classes,
        labels,
      });
    default:
      throw new Error(`internal: unknown data source '${(source as SourceConfig).kind}'`);
  }
}
