// What a sweep runs: the Cartesian product of the `sweep` block's lists, times
// `repeats` (repeat r trains with seed + r), each trial a normal run directory.
import { createHash } from 'node:crypto';
import { valueToText, type JsonValue, type SweepConfig } from '@regnet/compiler';

export interface Trial {
  /** Folder name under the sweep directory, e.g. `l2=0.001,l1=0,rep0`. */
  id: string;
  /** The swept constants' values for this trial. */
  values: Record<string, JsonValue>;
  repeat: number;
  seed: number;
  /** Key of the configuration (all repeats share it). */
  config: string;
}

/** The file that marks a sweep directory. */
export const SWEEP_MANIFEST = 'sweep.json';

/** DIR/sweep.json: written by `regnetc sweep`, read by `regnetc report`. */
export interface SweepManifest {
  kind: 'sweep';
  name: string;
  spec_file: string;
  params: Record<string, JsonValue[]>;
  repeats: number;
  base_seed: number;
  epochs?: number;
  trials: Trial[];
}

/** A folder-safe rendering of one value (no path separators or spaces). */
function valueSlug(value: JsonValue): string {
  return (typeof value === 'string' ? value : valueToText(value)).replace(/\s+/g, '').replace(/[^A-Za-z0-9._+\-=[\],]/g, '_');
}

/** Longest readable part of a configuration's folder name (file systems allow 255 bytes). */
const MAX_KEY_LENGTH = 120;

/** The readable key of a configuration, e.g. `l2=0.001,l1=0` (not necessarily unique: see configKeys). */
export function configKey(values: Record<string, JsonValue>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${valueSlug(v)}`)
    .join(',');
}

/** A short stable hash of a configuration's values. */
function configHash(values: Record<string, JsonValue>): string {
  return createHash('sha256').update(JSON.stringify(Object.entries(values))).digest('hex').slice(0, 8);
}

/**
 * One key per configuration, unique among them: the readable key, unless two distinct
 * configurations share it (`"sub/good.csv"` and `"sub_good.csv"` both slug to
 * `sub_good.csv`; `A` and `a` are one folder on a case-insensitive disk) or it is too
 * long, then followed by `~` and a hash of the values.
 */
export function configKeys(combos: Array<Record<string, JsonValue>>): string[] {
  const readable = combos.map(configKey);
  const count = new Map<string, number>();
  for (const key of readable) count.set(key.toLowerCase(), (count.get(key.toLowerCase()) ?? 0) + 1);
  const keys = readable.map((key, i) =>
    count.get(key.toLowerCase())! > 1 || key.length > MAX_KEY_LENGTH ? `${key.slice(0, MAX_KEY_LENGTH)}~${configHash(combos[i]!)}` : key,
  );
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.toLowerCase())) throw new Error(`two sweep configurations share the folder name '${key}'`);
    seen.add(key.toLowerCase());
  }
  return keys;
}

/** Every configuration of the sweep block: the Cartesian product of its lists (a value listed twice counts once). */
export function planConfigurations(sweep: SweepConfig): Array<Record<string, JsonValue>> {
  let combos: Array<Record<string, JsonValue>> = [{}];
  for (const name of Object.keys(sweep.params)) {
    const values = [...new Map(sweep.params[name]!.map((v) => [JSON.stringify(v), v])).values()];
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [name]: value })));
  }
  return combos;
}

export function planTrials(sweep: SweepConfig, baseSeed: number): Trial[] {
  const combos = planConfigurations(sweep);
  const keys = configKeys(combos);
  const repeats = Math.max(1, sweep.repeats);
  const trials: Trial[] = [];
  combos.forEach((values, i) => {
    const config = keys[i]!;
    for (let repeat = 0; repeat < repeats; repeat++) {
      trials.push({ id: `${config || 'base'},rep${repeat}`, values, repeat, seed: baseSeed + repeat, config });
    }
  });
  return trials;
}
