// `regnetc fmt FILE... [--write|--check]`
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { format } from '@regnet/compiler';
import { printDiagnostics } from '../run/print-diagnostics.js';
import { expandSpecPaths, readSpec } from '../run/read-spec.js';
import { UsageError } from '../run/errors.js';

export function register(program: Command): void {
  program
    .command('fmt')
    .description('format specs (keeps comments; prints to standard output unless --write or --check)')
    .argument('<files...>', '.regnet files (a folder stands for every .regnet file in it)')
    .option('--write', 'rewrite the files in place')
    .option('--check', 'exit 1 if any file is not formatted, listing them')
    .action((files: string[], flags: { write?: boolean; check?: boolean }) => {
      if (flags.write && flags.check) throw new UsageError('--write and --check cannot be used together');
      let failed = false;
      for (const file of expandSpecPaths(files)) {
        const source = readSpec(file);
        const result = format(source);
        if (result.text === undefined) {
          printDiagnostics(file, source, result.diagnostics);
          failed = true;
          continue;
        }
        if (flags.check) {
          if (result.text !== source) {
            process.stdout.write(`${file}: not formatted\n`);
            failed = true;
          }
        } else if (flags.write) {
          if (result.text !== source) writeFileSync(file, result.text);
        } else process.stdout.write(result.text);
      }
      process.exitCode = failed ? 1 : 0;
    });
}
