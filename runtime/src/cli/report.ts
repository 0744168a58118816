// `regnetc report RUN_OR_SWEEP_DIR`: writes report.html and plots/*.svg.
// `regnetc report SWEEP_DIR SWEEP_DIR... --out DIR`: the sweeps compared on one axis.
import type { Command } from 'commander';
import { UsageError } from '../run/errors.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('write report.html (and the plots as .svg) for a run or a sweep directory, or compare sweeps on one axis')
    .argument('<dirs...>', 'run directory (regnetc train) or sweep directory (regnetc sweep); several sweep directories to compare them')
    .option('--out <dir>', 'where a comparison of several sweeps writes report.html, results.csv/.md and plots/')
    .action(async (dirs: string[], flags: { out?: string }) => {
      const { writeReport, ReportError } = await import('../report/write-report.js');
      const { writeCompareReport } = await import('../report/compare.js');
      if (dirs.length > 1 && !flags.out) throw new UsageError(`comparing ${dirs.length} sweeps needs --out DIR (where the comparison is written)`);
      if (dirs.length === 1 && flags.out) throw new UsageError('--out is for comparing several sweeps: regnetc report SWEEP_DIR SWEEP_DIR... --out DIR');
      try {
        const written = dirs.length > 1 ? await writeCompareReport(dirs, flags.out!) : await writeReport(dirs[0]!);
        process.stdout.write(`report: ${written.html}\n`);
        for (const plot of written.plots) process.stdout.write(`plot: ${plot}\n`);
      } catch (error) {
        if (error instanceof ReportError) throw new UsageError(error.message);
        throw error;
      }
    });
}
