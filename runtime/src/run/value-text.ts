// A `let` value written back as the language's literal text: for `--set NAME=VALUE`
// when the sweep starts a trial, and for tables, folder names and plot labels.
import type { JsonValue } from '@regnet/compiler';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function valueText(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  // Strings that read as a word stay bare (enum words such as `relu`); others are quoted.
  if (typeof value === 'string') return IDENT.test(value) && value !== 'true' && value !== 'false' ? value : JSON.stringify(value);
  if (value === null || typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
