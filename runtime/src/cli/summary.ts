// `regnetc summary FILE`: the layer table, like Keras' model.summary().
import type { Command } from 'commander';
import { check, modelSummary, renderSummary, type JsonValue } from '@regnet/compiler';
import { addDataSafetyOptions, dataSafety, type DataSafetyFlags } from './data-options.js';
import { collectOverride } from './overrides.js';
import { printDiagnostics } from '../run/print-diagnostics.js';
import { absolute, readSpec } from '../run/read-spec.js';

export function register(program: Command): void {
  const command = program
    .command('summary')
    .description('print the layers with their output shapes and parameter counts')
    .argument('<file>', '.regnet file')
    .option('--set <name=value>', 'override a let constant (repeatable)', collectOverride);
  addDataSafetyOptions(command)
    .action((file: string, flags: { set?: Record<string, JsonValue> } & DataSafetyFlags) => {
      const source = readSpec(file);
      const result = check(source, { file: absolute(file), overrides: flags.set, ...dataSafety(flags) });
      printDiagnostics(file, source, result.diagnostics.filter((d) => d.severity === 'error'));
      process.stdout.write(renderSummary(modelSummary(result.model, result.ast)));
      process.exitCode = result.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
    });
}
