// How shapes and parameter counts are written in hovers, hints and tables
// (values: the compiler's valueToText).
import { formatCount } from '@regnet/compiler';

export { formatCount, formatShape } from '@regnet/compiler';

export function formatParams(n: number): string {
  return `${formatCount(n)} param${n === 1 ? '' : 's'}`;
}
