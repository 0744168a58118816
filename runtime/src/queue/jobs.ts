// What a trial job carries (a spec reference and values, never code) and the
// names derived from a sweep: BullMQ job ids `<sweep>-<trial index>` make
// resubmitting the same sweep idempotent.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { limitsOf, type JsonValue, type Limits } from '@regnet/compiler';
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
  /** The submitter's resource limits (its --limit and REGNET_MAX_*); a worker applies them within its own. */
  limits?: Partial<Limits>;
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
  /** The trial process's wall time (start to exit), as a local sweep reports it. */
  seconds: number;
  timeline?: TrialTimeline;
}

/**
 * Where a worker's time around a trial went, in ms since it picked the trial up: what the
 * queue adds to the trial's own process (`npm run bench` reports it; nothing else reads it).
 */
export interface TrialTimeline {
  /** Date.now() when the worker picked the trial up. */
  picked: number;
  /** The sweep's files in place, the checkpoint fetched, the data paths checked. */
  ready: number;
  spawned: number;
  /** Per finished epoch: when the trial reported it, how long it waited for its files to be read, when they were stored. */
  epochs: Array<{ at: number; waited: number; stored: number }>;
  exited: number;
  /** The run directory stored on the queue as the trial's result. */
  stored: number;
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

/**
 * The limits a worker trains a trial with: the submitter's (carried by the job), never above
 * the worker's own (its REGNET_MAX_*, else the defaults). A submitter can lower a limit, and
 * the trial then fails as it would on the submitter's machine; only a worker's owner can
 * raise one on that worker. `capped` lists the limits the submitter asked above the worker's.
 */
export function trialLimits(asked: Partial<Limits> | undefined, own: Partial<Limits>): { limits: Limits; capped: Array<keyof Limits> } {
  const limits = limitsOf(own);
  const capped: Array<keyof Limits> = [];
  for (const [key, wanted] of Object.entries(asked ?? {}) as Array<[keyof Limits, number]>) {
    if (wanted > limits[key]) capped.push(key);
    else limits[key] = wanted;
  }
  return { limits, capped };
}

/**
 * Messages between a worker and its trial process (queue/trial-channel.ts). After each epoch
 * the trial reports `epoch`; the worker answers `read` once it holds the epoch's files (the
 * trial may then replace them) and `stored` once they are on the queue.
 */
export type ChildMessage = { type: 'epoch'; record: EpochRecord };
export type ParentMessage = { type: 'read' | 'stored'; epoch: number };
