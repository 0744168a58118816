// The options every command that reads data takes: `--data-root DIR` (repeatable,
// plus the REGNET_DATA_ROOT path list) allows data outside the spec's folder, and
// `--limit NAME=VALUE` (plus REGNET_MAX_*) raises a resource limit. One helper, so
// that check, summary, compile, train, eval and sweep read them the same way.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LIMIT_NAMES, limitsFromEnv, parseLimitValue, rootsFromEnv, type CheckOptions, type Limits } from '@regnet/compiler';
import { UsageError } from '../run/errors.js';

/** What the compiler and the data loaders are given: the allowed data roots and the limits. */
export type DataSafety = Pick<CheckOptions, 'dataRoots' | 'limits'>;

export interface DataSafetyFlags {
  dataRoot?: string[];
  limit?: Partial<Limits>;
}

function collectRoot(dir: string, previous: string[] = []): string[] {
  return [...previous, dir];
}

function collectLimit(assignment: string, previous: Partial<Limits> = {}): Partial<Limits> {
  const [name, text] = assignment.split('=', 2);
  const key = (Object.keys(LIMIT_NAMES) as (keyof Limits)[]).find((k) => LIMIT_NAMES[k].option === name?.trim());
  const names = Object.values(LIMIT_NAMES).map((n) => n.option).join(', ');
  if (!key) throw new UsageError(`--limit expects NAME=VALUE with NAME one of ${names}, got '${assignment}'`);
  const value = text === undefined ? undefined : parseLimitValue(text);
  if (value === undefined) throw new UsageError(`--limit ${name}: '${text ?? ''}' is not a positive number (e.g. 2e8, 512M, 16G)`);
  return { ...previous, [key]: value };
}

/** Adds --data-root and --limit to a command. */
export function addDataSafetyOptions(command: Command): Command {
  return command
    .option('--data-root <dir>', "also read data under DIR, besides the spec's own folder (repeatable; REGNET_DATA_ROOT adds a path list)", collectRoot)
    .option('--limit <name=value>', `raise a resource limit: ${Object.values(LIMIT_NAMES).map((n) => n.option).join(', ')} (repeatable; see the README's Security section)`, collectLimit);
}

/** The flags plus the environment (REGNET_DATA_ROOT, REGNET_MAX_*); flags win. */
export function dataSafety(flags: DataSafetyFlags, env: NodeJS.ProcessEnv = process.env): DataSafety {
  const dataRoots = [...(flags.dataRoot ?? []), ...rootsFromEnv(env.REGNET_DATA_ROOT)].map((dir) => resolve(dir));
  return { dataRoots, limits: { ...limitsFromEnv(env), ...(flags.limit ?? {}) } };
}
