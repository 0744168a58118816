// The `regnetc` command line. Each command lives in its own module; commands that
// train import TensorFlow.js lazily so that `check` and friends start fast.
import { Command, CommanderError } from 'commander';
import { UsageError, fsErrorLine } from '../run/errors.js';
import { diagnosticPrinting } from '../run/print-diagnostics.js';
import * as checkCommand from './check.js';
import * as compileCommand from './compile.js';
import * as fmtCommand from './fmt.js';
import * as explainCommand from './explain.js';
import * as summaryCommand from './summary.js';
import * as trainCommand from './train.js';
import * as evalCommand from './eval.js';
import * as sweepCommand from './sweep.js';
import * as reportCommand from './report.js';
import * as doctorCommand from './doctor.js';
import * as versionCommand from './version.js';
import * as exportCommand from './export.js';
import * as workerCommand from './worker.js';
import * as queueCommand from './queue.js';
import { nonNegativeInteger } from './train.js';

const COMMANDS: { register(program: Command): void }[] = [
  checkCommand,
  summaryCommand,
  explainCommand,
  fmtCommand,
  compileCommand,
  trainCommand,
  evalCommand,
  sweepCommand,
  reportCommand,
  exportCommand,
  workerCommand,
  queueCommand,
  doctorCommand,
];

export function buildProgram(): Command {
  const program = new Command('regnetc')
    .description('RegNet: check, format, explain, compile and train .regnet experiment specs')
    // Handled by main() (more than a version string); declared here for --help.
    .option('-V, --version', 'print the versions (RegNet, Node.js, TensorFlow.js) and the installed training backends')
    .option('--verbose', 'also print informational notes (e.g. RN901), which describe the recommended pattern')
    .option('--max-diagnostics <n>', 'print at most N diagnostics per file (0: all)', nonNegativeInteger('--max-diagnostics'), 100)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .hook('preAction', (command) => {
      const flags = command.opts<{ verbose?: boolean; maxDiagnostics: number }>();
      diagnosticPrinting.verbose = Boolean(flags.verbose);
      diagnosticPrinting.maxPerFile = flags.maxDiagnostics;
    });
  for (const command of COMMANDS) command.register(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/** Runs the CLI; returns the exit code. Known errors print one line, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  if (versionCommand.isVersionRequest(argv)) return versionCommand.main(argv);
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof UsageError) {
      process.stderr.write(`regnetc: error: ${error.message}\n`);
      return 1;
    }
    const fsError = fsErrorLine(error);
    if (fsError) {
      process.stderr.write(`regnetc: error: ${fsError}\n`);
      return 1;
    }
    process.stderr.write(`regnetc: internal error: ${(error as Error).message}\n(please report this with the spec that caused it; set REGNET_DEBUG=1 for a stack trace)\n`);
    if (process.env.REGNET_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return 70;
  }
}
