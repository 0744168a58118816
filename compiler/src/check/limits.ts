// Bounds on what a spec can make the tools consume, so that opening or checking a
// shared spec cannot exhaust memory or time. Each is overridable by the user (never
// by the spec): `--limit NAME=VALUE` on the command line or the REGNET_MAX_* variable.

import { formatCount as formatInteger } from '../format-count.js';

export interface Limits {
  /** Trainable parameters of the model. */
  params: number;
  /** Estimated training memory in bytes (weights, gradients, optimizer state, one batch of activations). */
  memory: number;
  /** Trials of a sweep (configurations × repeats). */
  trials: number;
  /** Bytes of one data file (after decompression) read while checking. */
  dataBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Limits = {
  params: 100_000_000,
  memory: 8 * 1024 * MiB,
  trials: 1000,
  dataBytes: 256 * MiB,
};

/** The names used by `--limit NAME=VALUE` and the environment variables that set the same. */
export const LIMIT_NAMES: Record<keyof Limits, { option: string; env: string }> = {
  params: { option: 'params', env: 'REGNET_MAX_PARAMS' },
  memory: { option: 'memory', env: 'REGNET_MAX_MEMORY' },
  trials: { option: 'trials', env: 'REGNET_MAX_TRIALS' },
  dataBytes: { option: 'data-bytes', env: 'REGNET_MAX_DATA_BYTES' },
};

export function limitsOf(partial: Partial<Limits> | undefined): Limits {
  return { ...DEFAULT_LIMITS, ...(partial ?? {}) };
}

/** How to raise a limit, for messages. */
export function raiseHint(name: keyof Limits): string {
  const n = LIMIT_NAMES[name];
  return `raise the limit with --limit ${n.option}=N or ${n.env}=N if this is intended`;
}

/** 1,234,567 (and 1.2e+21 for the astronomically large). */
export function formatCount(n: number): string {
  return n < 1e15 ? formatInteger(Math.round(n)) : n.toPrecision(3);
}

/** A byte count for people: 256 MiB, 1.5 GiB. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toPrecision(3))} ${units[unit]}`;
}

/** Parses a limit value: a plain number, 1e9, or bytes with a unit (512M, 2G). */
export function parseLimitValue(text: string): number | undefined {
  const m = /^\s*([0-9.]+(?:e[0-9]+)?)\s*([kmgt]i?b?)?\s*$/i.exec(text);
  if (!m) return undefined;
  const scale = { k: 1024, m: MiB, g: 1024 * MiB, t: 1024 * 1024 * MiB }[(m[2] ?? '').charAt(0).toLowerCase()] ?? 1;
  const n = Number(m[1]) * scale;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Limits set in the environment (REGNET_MAX_PARAMS...); invalid values are ignored. */
export function limitsFromEnv(env: Record<string, string | undefined>): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const [key, names] of Object.entries(LIMIT_NAMES) as [keyof Limits, { env: string }][]) {
    const value = env[names.env] === undefined ? undefined : parseLimitValue(env[names.env]!);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The environment that sets `limits` (the inverse of limitsFromEnv): how a sweep hands its limits to its trials. */
export function limitsToEnv(limits: Partial<Limits>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(limits) as [keyof Limits, number][]) env[LIMIT_NAMES[key].env] = String(value);
  return env;
}
