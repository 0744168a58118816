// `regnetc check FILE...`
import type { Command } from 'commander';
import { check, type Engine, type JsonValue } from '@regnet/compiler';
import { engineChoice } from '../engines/torch/cli-options.js';
import { addDataSafetyOptions, dataSafety, type DataSafetyFlags } from './data-options.js';
import { collectOverride } from './overrides.js';
import { countsLine, printDiagnostics, toJson, type FileDiagnostic } from '../run/print-diagnostics.js';
import { absolute, expandSpecPaths, readSpec } from '../run/read-spec.js';
import { UsageError } from '../run/errors.js';

interface CheckFlags extends DataSafetyFlags {
  format: 'text' | 'json';
  set?: Record<string, JsonValue>;
  engine?: Engine;
}

export function register(program: Command): void {
  const command = program
    .command('check')
    .description('check specs: syntax, names, values, shapes and the course lints')
    .argument('<files...>', '.regnet files (a folder stands for every .regnet file in it)')
    .option('--format <format>', 'output format: text or json', 'text')
    .option('--set <name=value>', 'override a let constant (repeatable)', collectOverride)
    .option('--engine <name>', 'also check that the engine can run every construct (tfjs | torch)', engineChoice);
  addDataSafetyOptions(command)
    .action((files: string[], flags: CheckFlags) => {
      if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format must be text or json, not '${flags.format}'`);
      const all: FileDiagnostic[] = [];
      for (const file of expandSpecPaths(files)) {
        let source: string | undefined;
        try {
          source = readSpec(file);
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
          const at = { line: 1, column: 1, offset: 0 };
          const d: FileDiagnostic = { file, severity: 'error', code: 'RN601', message: error.message.replace(`${file}: `, ''), range: { start: at, end: at } };
          all.push(d);
          if (flags.format === 'text') printDiagnostics(file, undefined, [d]);
          continue;
        }
        const result = check(source, { file: absolute(file), overrides: flags.set, ...dataSafety(flags), engine: flags.engine });
        for (const d of result.diagnostics) all.push({ ...d, file }); // not push(...): 10^6 diagnostics
        if (flags.format === 'text') printDiagnostics(file, source, result.diagnostics);
      }
      if (flags.format === 'json') process.stdout.write(JSON.stringify(toJson(all), null, 2) + '\n');
      else if (all.length > 0) process.stderr.write(countsLine(all) + '\n');
      process.exitCode = all.some((d) => d.severity === 'error') ? 1 : 0;
    });
}
