// A written value as JSON: numbers, strings and booleans as themselves, words as
// strings, lists as arrays, calls as `{ kind, args }` (positional args keyed by index).
import type { Value } from './ast.js';
import type { JsonValue } from './ir.js';

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
