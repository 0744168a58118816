// How shapes and parameter counts are written in hovers, hints and tables
// (values: the compiler's valueToText).
import type { Shape } from '@regnet/compiler';

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatParams(n: number): string {
  return `${formatCount(n)} param${n === 1 ? '' : 's'}`;
}
