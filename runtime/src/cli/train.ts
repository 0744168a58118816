// `regnetc train FILE --out DIR`: trains a spec and writes a run directory.
// TensorFlow.js is imported only when the command runs (see run/run-spec.ts).
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { Engine, JsonValue } from '@regnet/compiler';
import { addTorchOptions, engineChoice, refuseTorchOnlyFlags, torchRunOptions, type TorchFlags } from '../engines/torch/cli-options.js';
import { addDataSafetyOptions, dataSafety, type DataSafetyFlags } from './data-options.js';
import { collectOverride } from './overrides.js';
import { UsageError } from '../run/errors.js';
import { BACKEND_CHOICES, type BackendChoice } from '../backend/select.js';

export interface TrainFlags extends DataSafetyFlags {
  out?: string;
  epochs?: number;
  backend: string;
  quiet?: boolean;
  resume?: boolean | string;
  set?: Record<string, JsonValue>;
  seed?: number;
  report: boolean;
  engine: Engine;
}

export function positiveInteger(name: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, not '${text}'`);
    return n;
  };
}

export function nonNegativeInteger(name: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be 0 or a positive integer, not '${text}'`);
    return n;
  };
}

export function integer(name: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n)) throw new UsageError(`${name} must be an integer, not '${text}'`);
    return n;
  };
}

export function backendChoice(text: string): string {
  if (!BACKEND_CHOICES.includes(text as BackendChoice)) throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, not '${text}'`);
  return text;
}

export function register(program: Command): void {
  const command = program
    .command('train')
    .description('train a spec; writes metrics, summary, model and report into a run directory')
    .argument('[file]', '.regnet file (optional with --resume DIR)')
    .option('-o, --out <dir>', 'run directory (default: runs/<spec name>)')
    .option('--epochs <n>', 'override train.epochs', positiveInteger('--epochs'))
    .option('--backend <name>', BACKEND_CHOICES.join(' | '), backendChoice, 'auto')
    .option('-q, --quiet', 'no live progress bar: one plain line per epoch')
    .option('--resume [dir]', 'continue an interrupted run from its last saved epoch')
    .option('--set <name=value>', 'override a let constant, e.g. --set width=64 (repeatable)', collectOverride)
    .option('--seed <n>', 'override train.seed', integer('--seed'))
    .option('--no-report', 'do not write report.html at the end')
    .option('--engine <name>', 'tfjs (default) | torch: train with PyTorch (see --nproc, --nnodes)', engineChoice, 'tfjs');
  addTorchOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  regnetc train examples/01-overfitting-l1-l2/circle.regnet --epochs 5\n  regnetc train spec.regnet --out runs/a --set p=0.5 --backend wasm\n  regnetc train --resume runs/a',
    );
  addDataSafetyOptions(command)
    .action(async (file: string | undefined, flags: TrainFlags & TorchFlags) => {
      let out = flags.out;
      let resume = flags.resume !== undefined && flags.resume !== false;
      if (typeof flags.resume === 'string') {
        // `--resume X`: X is the run directory, unless it is the spec (`train --resume spec.regnet`).
        if (flags.resume.endsWith('.regnet') && existsSync(flags.resume) && statSync(flags.resume).isFile() && !file) file = flags.resume;
        else if (out && out !== flags.resume) throw new UsageError(`--resume ${flags.resume} and --out ${out} name different run directories`);
        else out = flags.resume;
      }
      if (!file && !resume) throw new UsageError('missing the spec file: regnetc train FILE [--out DIR]');
      if (flags.engine === 'torch') {
        const { runTorchTraining } = await import('../engines/torch/run.js');
        process.exitCode = await runTorchTraining({ ...torchRunOptions(file, out, resume, flags), safety: dataSafety(flags) });
        return;
      }
      refuseTorchOnlyFlags(flags);
      const { runTraining } = await import('../run/run-spec.js');
      process.exitCode = await runTraining({
        file,
        out,
        epochs: flags.epochs,
        backend: flags.backend as 'auto' | 'tensorflow' | 'wasm' | 'cpu',
        quiet: Boolean(flags.quiet),
        resume,
        overrides: flags.set,
        seed: flags.seed,
        report: flags.report,
        safety: dataSafety(flags),
      });
    });
}
