// A written value as JSON and back as text. JSON: numbers, strings and booleans as
// themselves, words as strings, lists as arrays, calls as `{ kind, args }` (positional
// args keyed by index). Text: the one printer of values as spec source, used for
// `--set` (sweep trials), tables, folder names, plots, hovers and the docs; parsing
// its output and taking valueToJson gives the value back (tested as a property).
import type { Value } from './ast.js';
import type { JsonValue } from './ir.js';
import { KEYWORDS, VALUE_KEYWORDS } from './parser/tokens.js';

export function valueToJson(value: Value): JsonValue {
  switch (value.kind) {
    case 'number':
    case 'string':
    case 'bool':
      return value.value;
    case 'name':
      return value.name;
    case 'list':
      return value.items.map(valueToJson);
    case 'call':
      return {
        kind: value.name.name,
        args: Object.fromEntries(value.args.map((a, i) => [a.name?.name ?? String(i), a.value ? valueToJson(a.value) : null])),
      };
  }
}

export interface ValueTextOptions {
  /** Quote every string, also word-like ones (for positions typed string or path). */
  quoteStrings?: boolean;
  /** Write a call without arguments as its bare name (`crossentropy`), as the docs do. */
  bareEmptyCalls?: boolean;
}

const WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const POSITIONAL = /^\d+$/;

/** A JSON value as spec text: `0.001`, `relu`, `"a b.csv"`, `[1, 2]`, `adam(0.1, beta1: 0.8)`. */
export function valueToText(value: JsonValue, options: ValueTextOptions = {}): string {
  if (value === null) return 'none';
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    // A word stays a word (enum words such as `relu` are strings in JSON); anything else is quoted.
    return !options.quoteStrings && WORD.test(value) && (!KEYWORDS.has(value) || VALUE_KEYWORDS.has(value)) ? value : quote(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => valueToText(v, options)).join(', ')}]`;
  if (typeof value.kind === 'string' && WORD.test(value.kind)) {
    const args = value.args && typeof value.args === 'object' && !Array.isArray(value.args) ? Object.entries(value.args) : [];
    if (args.length === 0 && options.bareEmptyCalls) return value.kind;
    // Positional arguments (keys "0", "1", ...) first, in order, then the named ones.
    const positional = args.filter(([k]) => POSITIONAL.test(k)).sort(([a], [b]) => Number(a) - Number(b));
    const named = args.filter(([k]) => !POSITIONAL.test(k));
    // An argument's position has its own type: `quoteStrings` is about the outer value only.
    const inner = { ...options, quoteStrings: false };
    const parts = [
      ...positional.map(([, v]) => valueToText(v, inner)),
      ...named.map(([k, v]) => `${k}: ${valueToText(v, inner)}`),
    ];
    return `${value.kind}(${parts.join(', ')})`;
  }
  return JSON.stringify(value);
}

/** The shortest text that reads back as the same number (`-0` keeps its sign). */
function numberText(n: number): string {
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

/** A string literal: the language's escapes are `\"`, `\\` and `\n`. */
function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}
