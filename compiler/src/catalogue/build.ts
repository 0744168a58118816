// Small constructors so the catalogue files read as tables of data, not as code.
import type { JsonValue } from '../ir.js';
import type { Category, Entry, ParamDoc, ValueType } from './types.js';

export const INT: ValueType = { type: 'int' };
export const NUMBER: ValueType = { type: 'number' };
export const BOOL: ValueType = { type: 'bool' };
export const STRING: ValueType = { type: 'string' };
export const PATH: ValueType = { type: 'path' };

export function enumOf(values: readonly string[]): ValueType {
  return { type: 'enum', values: [...values] };
}
export function listOf(of: ValueType, length?: number): ValueType {
  return length === undefined ? { type: 'list', of } : { type: 'list', of, length };
}
export function callOf(category: Category): ValueType {
  return { type: 'call', category };
}

type ParamExtra = Omit<ParamDoc, 'name' | 'value' | 'summary'>;

export function param(name: string, value: ValueType, summary: string, extra: ParamExtra = {}): ParamDoc {
  return { name, value, summary, ...extra };
}

/** A probability-like fraction in [0, 1). */
export const FRACTION_OPEN: ParamExtra = { min: 0, max: 1, exclusiveMax: true };
/** A probability in [0, 1]. */
export const PROBABILITY: ParamExtra = { min: 0, max: 1 };
export const NON_NEGATIVE: ParamExtra = { min: 0 };
export const POSITIVE: ParamExtra = { min: 0, exclusiveMin: true };
export const AT_LEAST_ONE: ParamExtra = { min: 1 };

type EntryExtra = Omit<Entry, 'name' | 'category' | 'summary' | 'params'> & { params?: ParamDoc[] };

export function entry(category: Category, name: string, summary: string, extra: EntryExtra = {}): Entry {
  const { params = [], ...rest } = extra;
  return { name, category, summary, params, ...rest };
}

/** The `key: value` settings of `data`, `train`, `sweep` and `early_stopping`. */
export function setting(
  section: string,
  name: string,
  value: ValueType | undefined,
  summary: string,
  extra: Omit<EntryExtra, 'value' | 'section'> & { default?: JsonValue } = {},
): Entry {
  return entry('section-setting', name, summary, { section: [section], ...(value ? { value } : {}), ...extra });
}
