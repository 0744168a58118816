// Questions about a value type that the checker and the language server both ask.
import type { Category, ValueType } from './types.js';

/** Categories of callables a value type accepts (through unions; through lists too when asked). */
export function callCategories(type: ValueType | undefined, throughLists = false): Category[] {
  if (!type) return [];
  if (type.type === 'call') return [type.category];
  if (type.type === 'union') return type.of.flatMap((t) => callCategories(t, throughLists));
  if (throughLists && type.type === 'list') return callCategories(type.of, throughLists);
  return [];
}
