// `regnetc sweep FILE --out DIR`: the sweep block's trials as parallel training runs.
import type { Command } from 'commander';
import type { JsonValue } from '@regnet/compiler';
import { collectOverride } from './overrides.js';
import { BACKEND_CHOICES } from '../backend/select.js';
import { addDataSafetyOptions, dataSafety, type DataSafetyFlags } from './data-options.js';
import { backendChoice, positiveInteger } from './train.js';
import { engineChoice } from '../engines/torch/cli-options.js';
import { UsageError } from '../run/errors.js';

interface SweepFlags extends DataSafetyFlags {
  out?: string;
  workers?: number;
  epochs?: number;
  backend: string;
  set?: Record<string, JsonValue>;
  engine: string;
  queue?: string | true;
  detach?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('sweep')
    .description("train every configuration of the spec's sweep block (times repeats) in parallel; writes results.csv, results.md and plots")
    .argument('<file>', '.regnet file with a sweep block')
    .option('-o, --out <dir>', 'sweep directory, one run directory per trial (default: runs/<spec name>-sweep)')
    .option('--workers <n>', 'trials trained at once (default: one per core)', positiveInteger('--workers'))
    .option('--epochs <n>', 'override train.epochs in every trial', positiveInteger('--epochs'))
    .option('--backend <name>', BACKEND_CHOICES.join(' | '), backendChoice, 'auto')
    .option('--set <name=value>', 'override a let constant in every trial (repeatable)', collectOverride)
    .option('--engine <name>', 'tfjs (default) | torch: the engine every trial trains on', engineChoice, 'tfjs')
    .option('--queue [url]', 'run the trials on `regnetc worker`s via Redis: redis://[:password@]HOST:PORT or rediss:// (alone: $REGNET_QUEUE)')
    .option('--detach', 'with --queue: enqueue the trials and return; the same command without it collects the results')
    .addHelpText('after', '\nRe-running the same command skips complete trials and resumes interrupted ones\n(with --queue: collects finished trials and re-attaches to running ones).');
  addDataSafetyOptions(command)
    .action(async (file: string, flags: SweepFlags) => {
      const queue = flags.queue === true || (flags.queue === undefined && flags.detach) ? (process.env.REGNET_QUEUE ?? '') : flags.queue;
      if (queue === '') throw new UsageError('--queue without a URL needs REGNET_QUEUE set, e.g. REGNET_QUEUE=redis://HOST:6379');
      if (queue !== undefined && flags.workers !== undefined) throw new UsageError('--workers is for a local sweep; with --queue, start `regnetc worker`s instead');
      // Fail fast on a wrong URL, before loading the queue library.
      if (queue !== undefined) await (await import('../queue/connection.js')).checkQueueUrl(queue);
      const run = queue !== undefined ? (await import('../queue/submit.js')).runQueuedSweep : (await import('../run/sweep-run.js')).runSweep;
      const code = await run({
        queue,
        detach: flags.detach,
        file,
        out: flags.out,
        workers: flags.workers,
        epochs: flags.epochs,
        backend: flags.backend,
        engine: flags.engine,
        overrides: flags.set,
        safety: dataSafety(flags),
      });
      if (queue !== undefined) (await import('../queue/connection.js')).endQueueCommand(code);
      process.exitCode = code;
    });
}
