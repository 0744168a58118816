// `regnetc report RUN_OR_SWEEP_DIR`: writes report.html and plots/*.svg.
import type { Command } from 'commander';
import { UsageError } from '../run/errors.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('write report.html (and the plots as .svg) for a run or a sweep directory')
    .argument('<dir>', 'run directory (regnetc train) or sweep directory (regnetc sweep)')
    .action(async (dir: string) => {
      const { writeReport, ReportError } = await import('../report/write-report.js');
      try {
        const written = await writeReport(dir);
        process.stdout.write(`report: ${written.html}\n`);
        for (const plot of written.plots) process.stdout.write(`plot: ${plot}\n`);
      } catch (error) {
        if (error instanceof ReportError) throw new UsageError(error.message);
        throw error;
      }
    });
}
