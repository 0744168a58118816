// How shapes, parameter counts and values are written in hovers, hints and tables.
import { formatCount, type JsonValue } from '@regnet/compiler';

export { formatCount, formatShape } from '@regnet/compiler';

export function formatParams(n: number): string {
  return `${formatCount(n)} param${n === 1 ? '' : 's'}`;
}

/** A value as it would be written in a spec (`[3, 3]`, `true`, `"path"`, `relu`). */
export function formatJson(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'none';
  if (Array.isArray(value)) return `[${value.map(formatJson).join(', ')}]`;
  if (typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${formatJson(v)}`).join(', ')} }`;
  }
  return String(value);
}
