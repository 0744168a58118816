// `regnetc sweep FILE --out DIR`: the sweep block's trials as parallel training runs.
import type { Command } from 'commander';
import type { JsonValue } from '@regnet/compiler';
import { collectOverride } from './overrides.js';
import { BACKEND_CHOICES } from '../backend/select.js';
import { backendChoice, positiveInteger } from './train.js';

interface SweepFlags {
  out?: string;
  workers?: number;
  epochs?: number;
  backend: string;
  set?: Record<string, JsonValue>;
}

export function register(program: Command): void {
  program
    .command('sweep')
    .description("train every configuration of the spec's sweep block (times repeats) in parallel; writes results.csv, results.md and plots")
    .argument('<file>', '.regnet file with a sweep block')
    .option('-o, --out <dir>', 'sweep directory, one run directory per trial (default: runs/<spec name>-sweep)')
    .option('--workers <n>', 'trials trained at once (default: one per core)', positiveInteger('--workers'))
    .option('--epochs <n>', 'override train.epochs in every trial', positiveInteger('--epochs'))
    .option('--backend <name>', BACKEND_CHOICES.join(' | '), backendChoice, 'auto')
    .option('--set <name=value>', 'override a let constant in every trial (repeatable)', collectOverride)
    .addHelpText('after', '\nRe-running the same command skips complete trials and resumes interrupted ones.')
    .action(async (file: string, flags: SweepFlags) => {
      const { runSweep } = await import('../run/sweep-run.js');
      process.exitCode = await runSweep({
        file,
        out: flags.out,
        workers: flags.workers,
        epochs: flags.epochs,
        backend: flags.backend,
        overrides: flags.set,
      });
    });
}
