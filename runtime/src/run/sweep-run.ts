// `regnetc sweep FILE --out DIR`: every trial of the sweep as its own
// `regnetc train` process (so a crash, a NaN or a kill takes down one trial, not the
// sweep), N at a time. Trials already complete are skipped; an interrupted one is
// resumed from its last saved epoch.
import { spawn } from 'node:child_process';
import { threadsPerProcess, threadsSettingProblem } from '../backend/wasm-threads.js';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { compile, limitsToEnv, valueToText, type CheckOptions, type GraphIR, type JsonValue } from '@regnet/compiler';
import { diagnosticPrinting, printDiagnostics } from './print-diagnostics.js';
import { readSpec } from './read-spec.js';
import { UsageError, writing } from './errors.js';
import { catchInterrupts } from './interrupt.js';
import { checkSweepFolder, defaultSweepDir } from './out-dir.js';
import { incompleteReason } from './compile-spec.js';
import { RUN_FILES, RunDir, writeJsonAtomic, type RunSummary } from './run-dir.js';
import { SWEEP_MANIFEST, planTrials, type SweepManifest, type Trial } from './sweep-plan.js';
import { collectResults, columnTitle, formatStat, headlineColumns, writeResults } from './sweep-results.js';
import { EXIT_INTERRUPTED } from './exit-codes.js';

export interface SweepOptions {
  file: string;
  out?: string;
  workers?: number;
  epochs?: number;
  backend: string;
  /** Training engine of every trial (default tfjs). */
  engine?: string;
  overrides?: Record<string, JsonValue>;
  /** Data roots besides the spec's folder, and resource limits (--data-root, --limit); trials get them too. */
  safety?: Pick<CheckOptions, 'dataRoots' | 'limits'>;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/**
 * Node flags of a trial process: those of bin/regnetc.js's shebang line, which a
 * spawn of `node bin/regnetc.js` does not apply (a larger young generation makes
 * training ~20% faster: its tensors are short-lived).
 */
export const TRIAL_NODE_FLAGS = ['--max-semi-space-size=32'];

/** Trials run the same CLI: runtime/bin/regnetc.js (this file is runtime/dist/src/run/). */
const REGNETC_BIN = fileURLToPath(new URL('../../../bin/regnetc.js', import.meta.url));

export { defaultSweepDir } from './out-dir.js';

interface TrialOutcome {
  trial: Trial;
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
}

/** The command line of one trial: the spec, its swept values as --set, its seed. */
export function trialArgs(file: string, trial: Trial, dir: string, options: SweepOptions, resume: boolean): string[] {
  const args = [REGNETC_BIN, 'train', file, '--out', dir, '--quiet', '--backend', options.backend];
  if (options.engine && options.engine !== 'tfjs') args.push('--engine', options.engine);
  if (diagnosticPrinting.verbose) args.push('--verbose');
  if (resume) args.push('--resume');
  else {
    for (const [name, value] of Object.entries({ ...(options.overrides ?? {}), ...trial.values })) {
      args.push('--set', `${name}=${valueToText(value)}`);
    }
    args.push('--seed', String(trial.seed));
  }
  if (options.epochs !== undefined) args.push('--epochs', String(options.epochs));
  return args;
}

/** The data roots and limits as the environment a trial's `regnetc train` reads. */
function safetyEnv(safety: SweepOptions['safety']): Record<string, string> {
  const env: Record<string, string> = {};
  if (safety?.dataRoots?.length) env.REGNET_DATA_ROOT = safety.dataRoots.join(delimiter);
  return { ...env, ...limitsToEnv(safety?.limits ?? {}) };
}

function lastLines(path: string, n: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

/** A compiled, planned sweep and its directory (with sweep.json written). */
export interface PreparedSweep {
  file: string;
  source: string;
  ir: GraphIR;
  sweepDir: string;
  trials: Trial[];
  manifest: SweepManifest;
  /** Trials still to run; `resume` when their folder has a saved epoch. */
  pending: Array<{ trial: Trial; resume: boolean }>;
  skipped: number;
}

/** Compiles the spec, plans its trials and writes DIR/sweep.json; an exit code when it cannot. */
export function prepareSweep(options: SweepOptions): PreparedSweep | number {
  const stderr = options.stderr ?? process.stderr;
  const file = resolve(options.file);
  const source = readSpec(options.file);
  const compiled = compile(source, { file, overrides: options.overrides, ...options.safety });
  printDiagnostics(options.file, source, compiled.diagnostics, stderr);
  if (!compiled.ir || compiled.diagnostics.some((d) => d.severity === 'error')) {
    stderr.write(`regnetc: not sweeping: ${options.file} ${incompleteReason(compiled.diagnostics)}\n`);
    return 1;
  }
  const ir = compiled.ir;
  if (!ir.sweep || Object.keys(ir.sweep.params).length === 0) {
    throw new UsageError(`${options.file} has no sweep block: add e.g. \`sweep { p: [0.0, 0.5] }\` over a let constant`);
  }
  const sweepDir = options.out ?? defaultSweepDir(options.file);
  checkSweepFolder(sweepDir, SWEEP_MANIFEST);
  // Trial folder names are planned (and checked to be distinct) before anything is written.
  const trials = planTrials(ir.sweep, ir.train.seed);
  const manifest: SweepManifest = {
    kind: 'sweep',
    name: basename(options.file).replace(/\.regnet$/, ''),
    spec_file: file,
    params: ir.sweep.params,
    repeats: Math.max(1, ir.sweep.repeats),
    base_seed: ir.train.seed,
    ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
    trials,
  };
  writeJsonAtomic(join(sweepDir, SWEEP_MANIFEST), manifest);

  const pending: Array<{ trial: Trial; resume: boolean }> = [];
  let skipped = 0;
  for (const trial of trials) {
    const run = new RunDir(join(sweepDir, trial.id));
    if (run.isComplete()) skipped++;
    else pending.push({ trial, resume: run.exists(RUN_FILES.stateJson) && run.exists(RUN_FILES.ir) });
  }
  return { file, source, ir, sweepDir, trials, manifest, pending, skipped };
}

/** `sweep: 4 trials (width: 2 × lr: 2) into DIR; 1 already complete, 3 to run on 2 worker(s)` */
export function sweepHeadline(sweep: PreparedSweep, where: string): string {
  const params = sweep.manifest.params;
  return (
    `sweep: ${sweep.trials.length} trials (${Object.entries(params).map(([k, v]) => `${k}: ${v.length}`).join(' × ')}` +
    `${sweep.manifest.repeats > 1 ? ` × ${sweep.manifest.repeats} repeats` : ''}) into ${sweep.sweepDir}; ` +
    `${sweep.skipped > 0 ? `${sweep.skipped} already complete, ` : ''}${sweep.pending.length} to run ${where}\n`
  );
}

/**
 * The line printed when a trial ends: `[k/N] ID: done in 3.1 s, 2 epochs: ...` from its
 * run directory, or FAILED with the log's last lines. Returns false for a failure.
 */
export function reportTrialEnd(
  sweepDir: string,
  trialId: string,
  prefix: string,
  outcome: { seconds: number; failure?: string; where?: string },
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): boolean {
  const run = new RunDir(join(sweepDir, trialId));
  const summary = run.isComplete() ? run.readSummary() : undefined;
  const on = outcome.where ? ` on ${outcome.where}` : '';
  if (summary) {
    const shown = headlineOf(summary);
    const note = summary.stop_reason === 'non_finite' ? ' (stopped: non-finite loss)' : summary.stop_reason === 'early_stopping' ? ' (early stopping)' : '';
    stdout.write(`${prefix}: done in ${outcome.seconds.toFixed(1)} s${on}, ${summary.epochs_run} epochs${note}: ${shown}\n`);
    return true;
  }
  const log = run.file('train.log');
  const tail = lastLines(log, 5);
  stderr.write(`${prefix}: FAILED (${outcome.failure ?? 'no result'})${on}; see ${log}${tail ? `\n${tail.replace(/^/gm, '    ')}` : ''}\n`);
  return false;
}

/** After the trials: report.html with plots, results.csv/md, the table; the exit code. */
export async function finishSweep(
  sweep: PreparedSweep,
  failed: Set<string>,
  interrupted: boolean,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  messages: Record<string, string> = {},
): Promise<number> {
  const { sweepDir, manifest, trials } = sweep;
  const results = collectResults(sweepDir, manifest, failed, messages);
  let plots: string[] = [];
  try {
    const { writeSweepReport } = await import('../report/write-report.js');
    const written = await writeSweepReport(sweepDir, results);
    plots = written.plots.map((p) => p.slice(sweepDir.length + 1));
    stdout.write(`report: ${written.html}\n`);
  } catch (error) {
    stderr.write(`regnetc: warning: could not write the sweep report: ${(error as Error).message}\n`);
  }
  writeResults(sweepDir, results, plots);
  stdout.write(summaryTable(results) + '\n');
  stdout.write(`results: ${join(sweepDir, 'results.csv')}, ${join(sweepDir, 'results.md')}\n`);
  const notDone = results.trials.filter((t) => t.status !== 'done').length;
  if (interrupted) return EXIT_INTERRUPTED;
  if (notDone > 0) {
    stderr.write(`regnetc: ${notDone} of ${trials.length} trials did not complete\n`);
    return 1;
  }
  return 0;
}

export async function runSweep(options: SweepOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  // Every trial would fail with it: said once, before any starts.
  const threadsProblem = threadsSettingProblem();
  if (threadsProblem) throw new UsageError(threadsProblem);
  const sweep = prepareSweep(options);
  if (typeof sweep === 'number') return sweep;
  const { file, sweepDir, pending } = sweep;
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), pending.length || 1));
  stdout.write(sweepHeadline(sweep, `on ${workers} worker(s)`));

  // Ctrl-C reaches the trials too (same process group): each saves its state and
  // exits; the sweep starts no new trial and reports what it has.
  const interrupts = catchInterrupts(() =>
    stdout.write('interrupt: waiting for running trials to save their state (re-run the sweep to continue)\n'),
  );

  const failed = new Set<string>();
  let finished = 0;
  const runOne = ({ trial, resume }: { trial: Trial; resume: boolean }): Promise<TrialOutcome> => {
    const run = new RunDir(join(sweepDir, trial.id));
    run.create(); // with its marker: `train --out` may use it
    const dir = run.path;
    const log = run.file('train.log');
    const fd = writing(log, () => openSync(log, resume ? 'a' : 'w'));
    const started = performance.now();
    // Trials running side by side share the cores: each backend gets its share of threads.
    const env = { ...process.env, ...safetyEnv(options.safety), REGNET_THREADS: threadsPerProcess(workers) };
    const child = spawn(process.execPath, [...TRIAL_NODE_FLAGS, ...trialArgs(file, trial, dir, options, resume)], { stdio: ['ignore', fd, fd], env });
    return new Promise((done) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        closeSync(fd);
        done({ trial, code, signal, seconds: (performance.now() - started) / 1000 });
      };
      child.on('error', (error) => {
        stderr.write(`regnetc: trial ${trial.id} could not start: ${error.message}\n`);
        finish(null, null);
      });
      child.on('exit', finish);
    });
  };
  const report = (outcome: TrialOutcome) => {
    finished++;
    const prefix = `[${finished}/${pending.length}] ${outcome.trial.id}`;
    const run = new RunDir(join(sweepDir, outcome.trial.id));
    if (!run.isComplete() && (outcome.code === EXIT_INTERRUPTED || interrupts.requested)) {
      stdout.write(`${prefix}: interrupted (re-run the sweep to resume it)\n`);
      return;
    }
    const failure = outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.code}`;
    if (!reportTrialEnd(sweepDir, outcome.trial.id, prefix, { seconds: outcome.seconds, failure }, stdout, stderr)) failed.add(outcome.trial.id);
  };

  const queue = pending.slice();
  const lanes = Array.from({ length: workers }, async () => {
    while (queue.length > 0 && !interrupts.requested) {
      const next = queue.shift()!;
      report(await runOne(next));
    }
  });
  try {
    await Promise.all(lanes);
  } finally {
    interrupts.dispose();
  }
  return finishSweep(sweep, failed, interrupts.requested, stdout, stderr);
}

/** The numbers a person wants after a trial: test metrics if measured, else validation (or train) at the last epoch. */
function headlineOf(summary: RunSummary): string {
  if (summary.test) return Object.entries(summary.test).map(([k, v]) => `test_${k} ${v.toFixed(4)}`).join(', ');
  const final = summary.final ?? {};
  const hasVal = Object.keys(final).some((k) => k.startsWith('val_'));
  return Object.entries(final)
    .filter(([k]) => k !== 'epoch' && (!hasVal || k.startsWith('val_')))
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ');
}

function summaryTable(results: ReturnType<typeof collectResults>): string {
  const params = Object.keys(results.manifest.params);
  const columns = headlineColumns(results.columns).filter((c) => c !== 'seconds');
  const table = new Table({ head: [...params, 'done', ...columns.map(columnTitle)], style: { head: [], border: [] } });
  for (const row of results.rows) {
    table.push(
      [
        ...params.map((p) => valueToText(row.values[p])),
        `${row.done}/${row.trials}`,
        ...columns.map((c) => formatStat(row.stats[c], c)),
      ],
    );
  }
  return table.toString();
}
