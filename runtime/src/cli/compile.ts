// `regnetc compile FILE -o graph.json`
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { compile, type JsonValue } from '@regnet/compiler';
import { addDataSafetyOptions, dataSafety, type DataSafetyFlags } from './data-options.js';
import { collectOverride } from './overrides.js';
import { printDiagnostics } from '../run/print-diagnostics.js';
import { absolute, readSpec } from '../run/read-spec.js';

export function register(program: Command): void {
  const command = program
    .command('compile')
    .description('compile a spec to its graph IR (JSON)')
    .argument('<file>', '.regnet file')
    .option('-o, --output <path>', 'write the IR here instead of standard output')
    .option('--set <name=value>', 'override a let constant (repeatable)', collectOverride);
  addDataSafetyOptions(command)
    .action((file: string, flags: { output?: string; set?: Record<string, JsonValue> } & DataSafetyFlags) => {
      const source = readSpec(file);
      const result = compile(source, { file: absolute(file), overrides: flags.set, ...dataSafety(flags) });
      printDiagnostics(file, source, result.diagnostics);
      if (!result.ir) {
        process.exitCode = 1;
        return;
      }
      const json = JSON.stringify(result.ir, null, 2) + '\n';
      if (flags.output) writeFileSync(flags.output, json);
      else process.stdout.write(json);
    });
}
