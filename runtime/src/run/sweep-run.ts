// `regnetc sweep FILE --out DIR`: every trial of the sweep as its own
// `regnetc train` process (so a crash, a NaN or a kill takes down one trial, not the
// sweep), N at a time. Trials already complete are skipped; an interrupted one is
// resumed from its last saved epoch.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { compile, valueToText, type GraphIR, type JsonValue } from '@regnet/compiler';
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
  overrides?: Record<string, JsonValue>;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/** Trials run the same CLI: runtime/bin/regnetc.js (this file is runtime/dist/src/run/). */
const REGNETC_BIN = fileURLToPath(new URL('../../../bin/regnetc.js', import.meta.url));

export interface TrialOutcome {
  trial: Trial;
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
}

/** The command line of one trial: the spec, its swept values as --set, its seed. */
export function trialArgs(file: string, trial: Trial, dir: string, options: SweepOptions, resume: boolean): string[] {
  const args = [REGNETC_BIN, 'train', file, '--out', dir, '--quiet', '--backend', options.backend];
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

function lastLines(path: string, n: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

/** A sweep ready to run: its spec compiled, its folder checked and its manifest written. */
export interface PreparedSweep {
  /** The spec's absolute path (what trials train). */
  file: string;
  ir: GraphIR;
  dir: string;
  manifest: SweepManifest;
}

/** Compiles the spec, plans its trials and writes DIR/sweep.json; an exit code when it cannot. */
export function prepareSweep(options: SweepOptions, stderr: NodeJS.WriteStream = process.stderr): PreparedSweep | number {
  const file = resolve(options.file);
  const source = readSpec(options.file);
  const compiled = compile(source, { file, overrides: options.overrides });
  printDiagnostics(options.file, source, compiled.diagnostics, stderr);
  if (!compiled.ir || compiled.diagnostics.some((d) => d.severity === 'error')) {
    stderr.write(`regnetc: not sweeping: ${options.file} ${incompleteReason(compiled.diagnostics)}\n`);
    return 1;
  }
  const ir = compiled.ir;
  if (!ir.sweep || Object.keys(ir.sweep.params).length === 0) {
    throw new UsageError(`${options.file} has no sweep block: add e.g. \`sweep { p: [0.0, 0.5] }\` over a let constant`);
  }
  const dir = options.out ?? defaultSweepDir(options.file);
  checkSweepFolder(dir, SWEEP_MANIFEST);
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
  writeJsonAtomic(join(dir, SWEEP_MANIFEST), manifest);
  return { file, ir, dir, manifest };
}

/** The trials still to run: complete ones are skipped, interrupted ones resumed. */
export function pendingTrials(sweep: PreparedSweep): Array<{ trial: Trial; resume: boolean }> {
  const pending: Array<{ trial: Trial; resume: boolean }> = [];
  for (const trial of sweep.manifest.trials) {
    const run = new RunDir(join(sweep.dir, trial.id));
    if (!run.isComplete()) pending.push({ trial, resume: run.exists(RUN_FILES.stateJson) && run.exists(RUN_FILES.ir) });
  }
  return pending;
}

/** Trains one trial as its own `regnetc train` process, its output in DIR/TRIAL/train.log. */
export function runTrial(sweep: PreparedSweep, trial: Trial, resume: boolean, options: SweepOptions): Promise<TrialOutcome> {
  const run = new RunDir(join(sweep.dir, trial.id));
  run.create();
  const log = run.file('train.log');
  const fd = writing(log, () => openSync(log, resume ? 'a' : 'w'));
  const started = performance.now();
  const child = spawn(process.execPath, trialArgs(sweep.file, trial, run.path, options, resume), { stdio: ['ignore', fd, fd] });
  return new Promise((done) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      closeSync(fd);
      done({ trial, code, signal, seconds: (performance.now() - started) / 1000 });
    };
    child.on('error', (error) => {
      (options.stderr ?? process.stderr).write(`regnetc: trial ${trial.id} could not start: ${error.message}\n`);
      finish(null, null);
    });
    child.on('exit', finish);
  });
}

export async function runSweep(options: SweepOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const sweep = prepareSweep(options, stderr);
  if (typeof sweep === 'number') return sweep;
  const { ir, manifest, dir: sweepDir } = sweep;
  const trials = manifest.trials;
  const pending = pendingTrials(sweep);
  const skipped = trials.length - pending.length;
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), pending.length || 1));
  stdout.write(
    `sweep: ${trials.length} trials (${Object.entries(ir.sweep!.params).map(([k, v]) => `${k}: ${v.length}`).join(' × ')}` +
      `${manifest.repeats > 1 ? ` × ${manifest.repeats} repeats` : ''}) into ${sweepDir}; ` +
      `${skipped > 0 ? `${skipped} already complete, ` : ''}${pending.length} to run on ${workers} worker(s)\n`,
  );

  // Ctrl-C reaches the trials too (same process group): each saves its state and
  // exits; the sweep starts no new trial and reports what it has.
  const interrupts = catchInterrupts(() =>
    stdout.write('interrupt: waiting for running trials to save their state (re-run the sweep to continue)\n'),
  );

  const failed = new Set<string>();
  let finished = 0;
  const report = (outcome: TrialOutcome) => {
    finished++;
    const run = new RunDir(join(sweepDir, outcome.trial.id));
    const summary = run.isComplete() ? run.readSummary() : undefined;
    const prefix = `[${finished}/${pending.length}] ${outcome.trial.id}`;
    if (summary) {
      const shown = headlineOf(summary);
      const note = summary.stop_reason === 'non_finite' ? ' (stopped: non-finite loss)' : summary.stop_reason === 'early_stopping' ? ' (early stopping)' : '';
      stdout.write(`${prefix}: done in ${outcome.seconds.toFixed(1)} s, ${summary.epochs_run} epochs${note}: ${shown}\n`);
      return;
    }
    if (outcome.code === EXIT_INTERRUPTED || interrupts.requested) {
      stdout.write(`${prefix}: interrupted (re-run the sweep to resume it)\n`);
      return;
    }
    failed.add(outcome.trial.id);
    const how = outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.code}`;
    const log = join(sweepDir, outcome.trial.id, 'train.log');
    const tail = lastLines(log, 5);
    stderr.write(`${prefix}: FAILED (${how}); see ${log}${tail ? `\n${tail.replace(/^/gm, '    ')}` : ''}\n`);
  };

  const queue = pending.slice();
  const lanes = Array.from({ length: workers }, async () => {
    while (queue.length > 0 && !interrupts.requested) {
      const next = queue.shift()!;
      report(await runTrial(sweep, next.trial, next.resume, options));
    }
  });
  try {
    await Promise.all(lanes);
  } finally {
    interrupts.dispose();
  }

  const results = collectResults(sweepDir, manifest, failed);
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
  if (interrupts.requested) return EXIT_INTERRUPTED;
  if (notDone > 0) {
    stderr.write(`regnetc: ${notDone} of ${trials.length} trials did not complete\n`);
    return 1;
  }
  return 0;
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
