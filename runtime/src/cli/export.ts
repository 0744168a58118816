// `regnetc export SPEC --torch -o DIR`: the spec as a self-contained PyTorch package.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { compile, type JsonValue } from '@regnet/compiler';
import { collectOverride } from './overrides.js';
import { printDiagnostics } from '../run/print-diagnostics.js';
import { readSpec } from '../run/read-spec.js';
import { UsageError } from '../run/errors.js';

interface ExportFlags {
  torch?: boolean;
  out?: string;
  set?: Record<string, JsonValue>;
  seed?: number;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('write the spec as a program for another engine: --torch writes a PyTorch package (python3 train.py)')
    .argument('<file>', '.regnet file')
    .option('--torch', 'a Python package: model.py, train.py and the data as JSON + binary tensors')
    .option('-o, --out <dir>', 'folder to write (created)')
    .option('--set <name=value>', 'override a let constant (repeatable)', collectOverride)
    .addHelpText('after', '\nExample:\n  regnetc export spec.regnet --torch -o spec-torch && cd spec-torch && python3 train.py --out run')
    .action(async (file: string, flags: ExportFlags) => {
      if (!flags.torch) throw new UsageError('say which engine to export for: regnetc export FILE --torch -o DIR');
      if (!flags.out) throw new UsageError('missing the output folder: regnetc export FILE --torch -o DIR');
      const source = readSpec(file);
      const result = compile(source, { file: resolve(file), overrides: flags.set, engine: 'torch' });
      printDiagnostics(file, source, result.diagnostics);
      if (!result.ir || result.diagnostics.some((d) => d.severity === 'error')) {
        process.stderr.write(`regnetc: not exporting: ${file} has errors\n`);
        process.exitCode = 1;
        return;
      }
      const [{ initBackend, BackendUnavailableError }, { exportTorch }, { isDataError }] = await Promise.all([
        import('../backend/select.js'),
        import('../engines/torch/export.js'),
        import('../data/errors.js'),
      ]);
      const { tf } = await initBackend('auto').catch((error: Error) => {
        throw error instanceof BackendUnavailableError ? new UsageError(error.message) : error;
      });
      try {
        const written = await exportTorch(tf, result.ir, flags.out);
        const splits = Object.entries(written.splits).map(([k, n]) => `${n} ${k}`).join(', ');
        process.stdout.write(`wrote ${flags.out} (${splits} examples); run: cd ${flags.out} && python3 train.py --out run\n`);
      } catch (error) {
        if (!isDataError(error)) throw error;
        process.stderr.write(`${error.format()}\n`);
        process.exitCode = 1;
      }
    });
}
