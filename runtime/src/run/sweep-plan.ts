// What a sweep runs: the Cartesian product of the `sweep` block's lists, times
// `repeats` (repeat r trains with seed + r), each trial a normal run directory.
import type { JsonValue, SweepConfig } from '@regnet/compiler';
import { valueText } from './value-text.js';

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
  return (typeof value === 'string' ? value : valueText(value)).replace(/\s+/g, '').replace(/[^A-Za-z0-9._+\-=[\],]/g, '_');
}

/** The key naming a configuration, e.g. `l2=0.001,l1=0`. */
export function configKey(values: Record<string, JsonValue>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${valueSlug(v)}`)
    .join(',');
}

export function planTrials(sweep: SweepConfig, baseSeed: number): Trial[] {
  const names = Object.keys(sweep.params);
  let combos: Array<Record<string, JsonValue>> = [{}];
  for (const name of names) {
    combos = combos.flatMap((combo) => sweep.params[name].map((value) => ({ ...combo, [name]: value })));
  }
  const repeats = Math.max(1, sweep.repeats);
  const trials: Trial[] = [];
  for (const values of combos) {
    const config = configKey(values);
    for (let repeat = 0; repeat < repeats; repeat++) {
      trials.push({ id: `${config || 'base'},rep${repeat}`, values, repeat, seed: baseSeed + repeat, config });
    }
  }
  return trials;
}
