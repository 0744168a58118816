// Reading hyper-parameters out of a resolved call (`adamw(lr: 0.001, ...)`): the
// compiler fills every default in, but the runtime stays usable on hand-written IR,
// so each read names its default and a wrong type is a clear error.
import type { JsonValue } from '@regnet/compiler';

export function numberHyperparameter(args: Record<string, JsonValue>, name: string, fallback: number, owner: string): number {
  const value = args[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${owner}: argument '${name}' must be a finite number, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function booleanHyperparameter(args: Record<string, JsonValue>, name: string, fallback: boolean, owner: string): boolean {
  const value = args[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    throw new Error(`${owner}: argument '${name}' must be true or false, got ${JSON.stringify(value)}`);
  }
  return value;
}
