// `regnetc eval DIR [--data FILE.regnet] [--mc-samples N]`: evaluates a run's saved model.
import type { Command } from 'commander';
import { BACKEND_CHOICES } from '../backend/select.js';
import { addDataSafetyOptions, dataSafety, type DataSafetyFlags } from './data-options.js';
import { backendChoice, positiveInteger } from './train.js';

export function register(program: Command): void {
  const command = program
    .command('eval')
    .description("evaluate a run's saved model on its test and validation data (or another spec's data)")
    .argument('<dir>', 'run directory written by regnetc train')
    .option('--data <file>', 'evaluate on the data block of this .regnet spec instead')
    .option('--backend <name>', BACKEND_CHOICES.join(' | '), backendChoice, 'auto')
    .option('--mc-samples <n>', 'also evaluate with Monte Carlo dropout: average N passes with dropout on (default: the spec\'s train { mc_samples })', positiveInteger('--mc-samples'))
    .option('--json', 'print the metrics as JSON');
  addDataSafetyOptions(command)
    .action(async (dir: string, flags: { data?: string; backend: string; json?: boolean; mcSamples?: number } & DataSafetyFlags) => {
      const { runEval } = await import('../run/eval-run.js');
      process.exitCode = await runEval({
        dir,
        data: flags.data,
        backend: flags.backend as 'auto' | 'tensorflow' | 'wasm' | 'cpu',
        json: Boolean(flags.json),
        mcSamples: flags.mcSamples,
        safety: dataSafety(flags),
      });
    });
}
