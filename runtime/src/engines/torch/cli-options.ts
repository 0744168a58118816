// The torch engine's command-line options (added to `regnetc train` and `sweep`) and
// the dispatch of `train --engine torch` to it. Imports nothing heavy: the engine's
// modules load only when a torch run starts.
import type { Command } from 'commander';
import { ENGINES, type Engine } from '@regnet/compiler';
import { UsageError } from '../../run/errors.js';
import type { ProcessLayout } from './launch.js';
import type { TorchRunOptions } from './run.js';

export interface TorchFlags extends ProcessLayout {
  engine: Engine;
  // The train command's own flags the torch run uses.
  epochs?: number;
  quiet?: boolean;
  set?: Record<string, import('@regnet/compiler').JsonValue>;
  seed?: number;
  report: boolean;
}

export function engineChoice(text: string): Engine {
  if (!(ENGINES as readonly string[]).includes(text)) throw new UsageError(`--engine must be one of ${ENGINES.join(', ')}, not '${text}'`);
  return text as Engine;
}

function count(name: string, min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer of at least ${min}, not '${text}'`);
    return n;
  };
}

function seconds(text: string): number {
  const n = Number(text);
  if (!(n > 0)) throw new UsageError(`--join-timeout must be a positive number of seconds, not '${text}'`);
  return n;
}

function device(text: string): 'cpu' | 'cuda' {
  if (text !== 'cpu' && text !== 'cuda') throw new UsageError(`--device must be cpu or cuda, not '${text}'`);
  return text;
}

function master(text: string): string {
  if (!/^[^:\s]+:\d+$/.test(text)) throw new UsageError(`--master must be HOST:PORT (node 0's address), not '${text}'`);
  return text;
}

/** Options of `--engine torch` (ignored by the tfjs engine, which refuses them when given). */
export function addTorchOptions(command: Command): Command {
  return command
    .option('--nproc <n>', 'torch: processes on this machine (DDP over gloo, or NCCL with --device cuda)', count('--nproc', 1), 1)
    .option('--nnodes <n>', 'torch: machines taking part (start `regnetc train` on each)', count('--nnodes', 1), 1)
    .option('--node-rank <r>', 'torch: this machine\'s index, 0 to nnodes-1 (node 0 writes the run directory)', count('--node-rank', 0), 0)
    .option('--master <host:port>', 'torch: address of node 0, the same on every machine', master)
    .option('--device <name>', 'torch: cpu | cuda', device, 'cpu')
    .option('--max-restarts <n>', 'torch: restart the group this many times after a process fails (from the last epoch)', count('--max-restarts', 0), 0)
    .option('--join-timeout <s>', 'torch: seconds to wait for every process to join (default 120)', seconds)
    .option('--threads <n>', 'torch: threads per process (default 1)', count('--threads', 1));
}

/** Torch-only flags given to the tfjs engine are a mistake worth saying, not ignoring. */
export function refuseTorchOnlyFlags(flags: TorchFlags): void {
  const given = [
    flags.nproc !== 1 && '--nproc',
    flags.nnodes !== 1 && '--nnodes',
    flags.nodeRank !== 0 && '--node-rank',
    flags.master !== undefined && '--master',
    flags.device !== 'cpu' && '--device',
    flags.maxRestarts !== 0 && '--max-restarts',
    flags.joinTimeout !== undefined && '--join-timeout',
    flags.threads !== undefined && '--threads',
  ].filter(Boolean);
  if (given.length > 0) throw new UsageError(`${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} for --engine torch (the tfjs engine trains in one process)`);
}

function layoutOf(f: ProcessLayout): ProcessLayout {
  const { nproc, nnodes, nodeRank, master, device, maxRestarts, joinTimeout } = f;
  return { nproc, nnodes, nodeRank, master, device, maxRestarts, joinTimeout };
}

/**
 * `train --engine torch`: checks the torch-only flags and gives the run's options. (The
 * caller imports run.js itself: this module is bundled into the CLI, where a relative
 * dynamic import would resolve from the bundle's folder.)
 */
export function torchRunOptions(file: string | undefined, out: string | undefined, resume: boolean, flags: TorchFlags): TorchRunOptions {
  if (flags.nodeRank >= flags.nnodes) throw new UsageError(`--node-rank ${flags.nodeRank} must be below --nnodes ${flags.nnodes}`);
  if (flags.nnodes > 1 && !flags.master) throw new UsageError('--nnodes > 1 needs --master HOST:PORT (node 0\'s address, the same on every machine)');
  return {
    file,
    out,
    resume,
    epochs: flags.epochs,
    backend: 'auto',
    quiet: Boolean(flags.quiet),
    overrides: flags.set,
    seed: flags.seed,
    report: flags.report,
    ...layoutOf(flags),
    threads: flags.threads ?? 1,
  };
}
