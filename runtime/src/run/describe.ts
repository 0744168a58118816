// One-line descriptions of data sources for the command line.
import { basename } from 'node:path';
import { valueToText, type SourceConfig } from '@regnet/compiler';

/** `playground(kind: circle, n: 400)`, with file paths shortened to their names. */
export function describeSource(source: SourceConfig): string {
  const args = Object.entries(source.args).map(([k, v]) => `${k}: ${typeof v === 'string' && v.includes('/') ? basename(v) : valueToText(v)}`);
  return `${source.kind}(${args.join(', ')})`;
}
