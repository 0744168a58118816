// What a trial job carries (a spec reference and values, never code) and the
// names derived from a sweep: BullMQ job ids `<sweep>-<trial index>` make
// resubmitting the same sweep idempotent.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { JsonValue } from '@regnet/compiler';
import type { Trial } from '../run/sweep-plan.js';
import type { EpochRecord } from '../contracts.js';

/** The RegNet version of this installation; a worker runs only jobs of its own version. */
export const REGNET_VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

export interface TrialJobData {
  sweep: string;
  /** The sweep's name (the spec's file name without .regnet), for status listings. */
  name: string;
  index: number;
  trial: Trial;
  /** --set values of the whole sweep (each trial adds its own). */
  overrides: Record<string, JsonValue>;
  epochs?: number;
  backend: string;
  version: string;
}

/** What a worker reports with job.updateProgress. */
export interface TrialProgress {
  worker: string;
  epoch: number;
  epochs: number;
  loss?: number;
  resumedFrom?: number;
}

/** A completed trial job's return value. */
export interface TrialReturn {
  worker: string;
  seconds: number;
}

/** The sweep-level parent job's data (queue `sweeps`). */
export interface SweepJobData {
  name: string;
  spec: string;
  trials: number;
  submitted: string;
}

export function trialJobId(sweep: string, index: number): string {
  return `${sweep}-${index}`;
}

/** The sweep's id: the same spec, data, options and version give the same id. */
export function sweepId(parts: JsonValue[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

/** `null` when a worker of this version can run the job, else why not (both versions named). */
export function versionMismatch(jobVersion: string, own = REGNET_VERSION): string | null {
  if (jobVersion === own) return null;
  return `this worker runs RegNet ${own} but the sweep was submitted with RegNet ${jobVersion}: run workers and the submitter on the same version`;
}

/** A trial's values over the sweep's --set values (what its `regnetc train --set ...` receives). */
export function trialOverrides(overrides: Record<string, JsonValue>, trial: Trial): Record<string, JsonValue> {
  return { ...overrides, ...trial.values };
}

/** Messages between a worker and its trial process (runtime/src/cli/trial-child.ts). */
export type ChildMessage = { type: 'epoch'; record: EpochRecord };
export type ParentMessage = { type: 'start'; args: string[] } | { type: 'saved' };
