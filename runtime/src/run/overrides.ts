// `--set NAME=VALUE`: overrides of `let` constants from the command line. Values
// read like the language's own literals: numbers, true/false, "strings", [lists];
// any other word is passed as a string (an enum word such as `relu`).
import type { JsonValue } from '@regnet/compiler';

export class OverrideError extends Error {}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Parses one value as written after `=`. */
export function parseOverrideValue(text: string): JsonValue {
  const s = text.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (NUMBER.test(s)) return Number(s);
  if (s.startsWith('"')) {
    if (!s.endsWith('"') || s.length < 2) throw new OverrideError(`unterminated string ${s}`);
    return JSON.parse(s) as string;
  }
  if (s.startsWith('[')) {
    if (!s.endsWith(']')) throw new OverrideError(`a list must end with ']': ${s}`);
    return splitListItems(s.slice(1, -1)).map(parseOverrideValue);
  }
  if (s === '') throw new OverrideError('empty value');
  return s;
}

/** Splits list items on top-level commas (not inside nested lists or strings); a trailing comma is allowed. */
function splitListItems(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let inString = false;
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      current += c;
      if (c === '\\') current += body[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === ',' && depth === 0) {
      items.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim() !== '') items.push(current);
  return items.filter((item, i) => item.trim() !== '' || i < items.length - 1);
}

/** Parses repeated `NAME=VALUE` options into an object; the last one wins. */
export function parseOverrides(assignments: string[] = []): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    const name = eq < 0 ? '' : assignment.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new OverrideError(`--set expects NAME=VALUE with NAME a let constant, got '${assignment}'`);
    }
    try {
      out[name] = parseOverrideValue(assignment.slice(eq + 1));
    } catch (e) {
      throw new OverrideError(`--set ${name}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** Writes a value back as `--set` text (used by the sweep to start trials). */
export function formatOverrideValue(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(formatOverrideValue).join(',')}]`;
  if (typeof value === 'string') return NUMBER.test(value) || value === 'true' || value === 'false' || /[\s,[\]"]/.test(value) ? JSON.stringify(value) : value;
  return String(value);
}
