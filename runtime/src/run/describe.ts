// One-line descriptions of data sources for the command line.
import { basename } from 'node:path';
import { valueToText, type JsonValue, type SourceConfig } from '@regnet/compiler';

/** `playground(kind: circle, n: 400)`, `mnist(split: train)`, with file paths shortened to their names. */
export function describeSource(source: SourceConfig): string {
  const args = Object.entries(source.args).map(([k, v]) => `${k}: ${describeArg(v)}`);
  return `${source.kind}(${args.join(', ')})`;
}

/** A value as the line shows it: words bare (also `train`, a keyword the printer would quote), paths by name. */
function describeArg(value: JsonValue): string {
  if (typeof value === 'string' && /^[A-Za-z_]\w*$/.test(value)) return value;
  if (typeof value === 'string' && value.includes('/')) return basename(value);
  return valueToText(value);
}
