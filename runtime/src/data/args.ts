// Readers for resolved call arguments (`ResolvedCall.args`): the compiler fills in
// defaults, but the runtime still guards its own assumptions with clear errors.
import type { JsonValue } from '@regnet/compiler';

export type Args = Record<string, JsonValue>;

// `null` (an argument the compiler could not resolve) reads as absent.

export function numberArg(args: Args, name: string, fallback?: number): number {
  const v = args[name];
  if (typeof v === 'number') return v;
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  throw new Error(`internal: argument '${name}' should be a number, got ${JSON.stringify(v)}`);
}

export function stringArg(args: Args, name: string, fallback?: string): string {
  const v = args[name];
  if (typeof v === 'string') return v;
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  throw new Error(`internal: argument '${name}' should be a string, got ${JSON.stringify(v)}`);
}

/** `size: 28` or `size: [28, 32]` -> [h, w]. */
export function pairArg(args: Args, name: string): [number, number] | undefined {
  const v = args[name];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return [v[0], v[0]];
  return undefined;
}

export function stringListArg(args: Args, name: string): string[] | undefined {
  const v = args[name];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  if (typeof v === 'string') return [v];
  return undefined;
}

export function optionalStringArg(args: Args, name: string): string | undefined {
  const v = args[name];
  return typeof v === 'string' ? v : undefined;
}
