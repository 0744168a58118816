// One training run, start to finish, in five steps a reader can follow:
//   prepare      compile the spec (or read the run's IR to resume); lay out the run directory
//   startSession backend, data, model (and the saved weights when resuming)
//   trainSaving  the training loop; every file of the run directory kept current after
//                each epoch, so Ctrl-C, a crash or a kill loses at most one epoch
//   settleModel  make model/ hold the epoch the rule picks (train/loop.ts resultEpochFor)
//   finish       test metrics, summary.json, the closing table, report.html, exit code
//
// What the user sees on failure: compile errors print like `regnetc check` and
// nothing trains; bad data prints `file:line: error: ...`; a non-finite loss names
// the epoch and step; a file that cannot be written (full disk...) names its path and
// the cause, and the run stops with what it could save; none prints a stack trace. All exit 1.
import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compile, formatCount, type CheckOptions, type Engine, type GraphIR, type JsonValue } from '@regnet/compiler';
import type * as tfTypes from '@tensorflow/tfjs';
import type { EpochRecord, TF } from '../contracts.js';
import { Random } from '../random.js';
import { BackendUnavailableError, initBackend, threadsNote, type BackendChoice } from '../backend/select.js';
import { workloadOf } from '../backend/wasm-threads.js';
import { loadData } from '../data/load.js';
import { isDataError } from '../data/errors.js';
import { makeAugmenter } from '../data/augment/index.js';
import { buildModel } from '../model/build.js';
import { ModelFileError, loadModel, saveModel } from '../model/io.js';
import { resultEpochFor } from '../train/checkpoints.js';
import { evaluate, train, type LoopCallbacks, type LoopState } from '../train/loop.js';
import { evaluateMonteCarlo, monteCarloValues } from '../train/mc-dropout.js';
import { printDiagnostics } from './print-diagnostics.js';
import { readSpec } from './read-spec.js';
import { UsageError, WriteError, writing } from './errors.js';
import { incompleteReason } from './compile-spec.js';
import { EXIT_INTERRUPTED } from './exit-codes.js';
import { catchInterrupts } from './interrupt.js';
import { trainingHooks } from './training-hooks.js';
import { checkRunFolder, defaultOutDir } from './out-dir.js';
import { Progress, gapNote, resultTable } from './progress.js';
import { describeSource } from './describe.js';
import {
  RUN_FILES,
  RunDir,
  StateError,
  metricsOf,
  writeDirAtomic,
  type MetricValues,
  type RunSummary,
  type SavedState,
  type StopReason,
} from './run-dir.js';

export { defaultOutDir } from './out-dir.js';

export interface TrainRunOptions {
  /** The spec; optional when resuming (the run directory has its IR). */
  file?: string;
  out?: string;
  epochs?: number;
  backend: BackendChoice;
  quiet: boolean;
  resume: boolean;
  overrides?: Record<string, JsonValue>;
  /** Overrides `train.seed` (the sweep gives each repeat its own seed). */
  seed?: number;
  /** Write report.html at the end (default true). */
  report?: boolean;
  /** Data roots besides the spec's folder, and resource limits (--data-root, --limit). */
  safety?: Pick<CheckOptions, 'dataRoots' | 'limits'>;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** The engine the spec is checked for (`regnetc check --engine`); default tfjs. */
  engine?: Engine;
}

export interface Prepared {
  ir: GraphIR;
  dir: RunDir;
  saved?: SavedState;
}

/** Runs `regnetc train`; returns the exit code. */
export async function runTraining(options: TrainRunOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const startedAt = new Date();
  const prepared = options.resume ? prepareResume(options, stderr) : prepareFresh(options, stderr);
  if (typeof prepared === 'number') return prepared;
  const session = await startSession(prepared, options, stdout, stderr);
  if (typeof session === 'number') return session;
  const trained = await trainSaving(session, options, stdout);
  if (!trained.writeFailure) {
    try {
      await settleModel(session, trained);
    } catch (error) {
      if (!(error instanceof WriteError)) throw error;
      trained.writeFailure = error;
    }
  }
  return finish(session, trained, options, startedAt, stdout, stderr);
}

// ---- prepare -------------------------------------------------------------------------

/** A fresh run: compile, check the output folder is ours to replace, write spec and IR. */
export function prepareFresh(options: TrainRunOptions, stderr: NodeJS.WriteStream): Prepared | number {
  if (!options.file) throw new UsageError('missing the spec file: regnetc train FILE --out DIR');
  const source = readSpec(options.file);
  const result = compile(source, { file: resolve(options.file), overrides: options.overrides, ...options.safety, engine: options.engine });
  printDiagnostics(options.file, source, result.diagnostics, stderr);
  if (!result.ir || result.diagnostics.some((d) => d.severity === 'error')) {
    stderr.write(`regnetc: not training: ${options.file} ${incompleteReason(result.diagnostics)}\n`);
    return 1;
  }
  const ir = result.ir;
  if (options.epochs !== undefined) ir.train.epochs = options.epochs;
  if (options.seed !== undefined) ir.train.seed = options.seed;
  if (ir.sweep && Object.keys(ir.sweep.params).length > 0 && options.seed === undefined) {
    stderr.write(`regnetc: note: training the spec's own values once; \`regnetc sweep ${options.file}\` runs its sweep block\n`);
  }
  const path = options.out ?? defaultOutDir(options.file);
  checkRunFolder(path);
  const dir = new RunDir(path);
  dir.create();
  dir.cleanTemporaries();
  // A fresh run replaces an earlier one in the same (RegNet-made) folder entirely.
  for (const name of [RUN_FILES.metrics, RUN_FILES.summary, RUN_FILES.model, RUN_FILES.state, RUN_FILES.report, RUN_FILES.plots]) {
    writing(dir.file(name), () => rmSync(dir.file(name), { recursive: true, force: true }));
  }
  dir.reserveSpace();
  dir.writeSpec(source);
  dir.writeIR(ir);
  return { ir, dir };
}

/** `--resume`: the run directory's IR and saved state; temporaries of a killed save cleaned up. */
function prepareResume(options: TrainRunOptions, stderr: NodeJS.WriteStream): Prepared | number {
  const path = options.out ?? (options.file ? defaultOutDir(options.file) : undefined);
  if (!path) throw new UsageError('--resume needs the run directory: regnetc train --resume DIR');
  const dir = new RunDir(path);
  if (!existsSync(path)) throw new UsageError(`${path}: no such run directory to resume`);
  checkRunFolder(path, '--resume');
  const removed = writing(path, () => dir.cleanTemporaries());
  if (removed.length > 0) stderr.write(`regnetc: note: removed ${removed.length} temporary file(s) left by an interrupted save (${removed.join(', ')})\n`);
  const spec = originalSpec(dir);
  let saved: SavedState | undefined;
  try {
    saved = dir.readState();
  } catch (error) {
    if (!(error instanceof StateError)) throw error;
    const epochs = dir.readMetricsQuietly().length;
    throw new UsageError(
      `cannot resume: ${error.message}. The saved state is lost, so the run can only restart from epoch 1` +
        `${epochs > 0 ? ` (metrics.jsonl keeps epochs 1..${epochs})` : ''}: regnetc train ${spec} --out ${path}`,
    );
  }
  if (!saved || !dir.exists(RUN_FILES.ir)) {
    throw new UsageError(`${path}: nothing to resume (no ${RUN_FILES.stateJson}: the run finished no epoch); start it again: regnetc train ${spec} --out ${path}`);
  }
  if (options.overrides && Object.keys(options.overrides).length > 0) {
    stderr.write(`regnetc: warning: --set is ignored with --resume: the run continues with its saved configuration (${RUN_FILES.ir})\n`);
  }
  let ir: GraphIR;
  try {
    ir = dir.readIR();
  } catch (error) {
    throw new UsageError(`cannot resume: ${dir.file(RUN_FILES.ir)} is unreadable (${(error as Error).message}); start again: regnetc train ${spec} --out ${path}`);
  }
  if (options.epochs !== undefined) ir.train.epochs = options.epochs;
  const previous = dir.readSummaryQuietly();
  if (previous?.stop_reason === 'early_stopping' || (previous?.stop_reason === 'completed' && saved.train.epoch >= ir.train.epochs)) {
    stderr.write(`regnetc: ${path} is already complete (${previous.stop_reason === 'early_stopping' ? 'stopped early' : `${saved.train.epoch} epochs`}); nothing to resume\n`);
    return 0;
  }
  dir.reserveSpace();
  dir.writeIR(ir);
  return { ir, dir, saved };
}

/** The spec a run was trained from (for "start again" advice): the IR names it. */
function originalSpec(dir: RunDir): string {
  try {
    const file = dir.readIR().file;
    if (file) return file;
  } catch {
    // An unreadable ir.json: the copy of the spec in the run directory is all there is.
  }
  return dir.exists(RUN_FILES.spec) ? dir.file(RUN_FILES.spec) : 'SPEC';
}

// ---- startSession --------------------------------------------------------------------

interface Session extends Prepared {
  tf: TF;
  backend: string;
  data: Awaited<ReturnType<typeof loadData>>;
  model: tfTypes.LayersModel;
}

function describeData(data: { train: { size: number }; validation?: { size: number }; test?: { size: number }; classes: number }): string {
  const parts = [`${data.train.size} train`];
  parts.push(data.validation ? `${data.validation.size} validation` : 'no validation');
  if (data.test) parts.push(`${data.test.size} test`);
  return `${parts.join(', ')} examples, ${data.classes > 0 ? `${data.classes} classes` : 'regression'}`;
}

/** Backend, data and model (with the saved weights when resuming); an exit code on bad data. */
async function startSession(prepared: Prepared, options: TrainRunOptions, stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): Promise<Session | number> {
  const { ir, dir, saved } = prepared;
  let tf: TF;
  let backend: string;
  let threads: number | undefined;
  try {
    const selected = await initBackend(options.backend, workloadOf(ir));
    tf = selected.tf;
    backend = selected.name;
    threads = selected.threads;
  } catch (error) {
    if (error instanceof BackendUnavailableError) throw new UsageError(error.message);
    throw error;
  }
  stdout.write(`backend: ${backend}${threadsNote(threads)}\n`);

  let data: Session['data'];
  try {
    // Resuming without the spec: the working folder stands for the spec's.
    data = await loadData(tf, ir.data, ir.train.seed, { specDir: options.file ? dirname(resolve(options.file)) : process.cwd(), roots: options.safety?.dataRoots });
  } catch (error) {
    if (isDataError(error)) {
      stderr.write(`${error.format()}\n`);
      return 1;
    }
    throw error;
  }
  stdout.write(`data: ${describeSource(ir.data.source)}: ${describeData(data)}\n`);

  const model = buildModel(tf, ir, new Random(ir.train.seed));
  stdout.write(`model: ${ir.name}, ${formatCount(ir.totalParams)} parameters\n`);
  const epochs = ir.train.epochs;
  if (saved) {
    await restoreWeights(tf, model, dir.file(RUN_FILES.stateModel));
    stdout.write(
      saved.train.epoch >= epochs
        ? `resuming ${dir.path}: all ${epochs} epochs were trained; finishing the run (summary, test, report)\n`
        : `resuming ${dir.path} after epoch ${saved.train.epoch}: training epochs ${saved.train.epoch + 1}..${epochs}\n`,
    );
  } else {
    stdout.write(`training ${epochs} epochs into ${dir.path}\n`);
  }
  return { ...prepared, tf, backend, data, model };
}

// ---- trainSaving ---------------------------------------------------------------------

interface Trained {
  result: Awaited<ReturnType<typeof train>>;
  /** Epoch whose weights model/ holds. */
  modelEpoch?: number;
  /** A file that could not be written: training stopped; epochs after `savedEpochs` are not on disk. */
  writeFailure?: WriteError;
  savedEpochs?: number;
  /** Wall time of this session plus the earlier ones. */
  wallSeconds: () => number;
}

/** The training loop, saving metrics, model/ (best so far) and the resumable state after every epoch. */
async function trainSaving(session: Session, options: TrainRunOptions, stdout: NodeJS.WriteStream): Promise<Trained> {
  const { tf, ir, dir, saved, model, data } = session;
  const epochs = ir.train.epochs;
  const checkpoint = ir.train.checkpoint;
  const augment = ir.data.augment.length > 0 ? makeAugmenter(tf, ir.data, data.vocabulary) : undefined;
  const progress = new Progress({ out: stdout, live: Boolean(stdout.isTTY) && !options.quiet, epochs });
  const interrupts = catchInterrupts(() =>
    progress.line('interrupt: stopping after this step (Ctrl-C again to quit at once); the last finished epoch stays saved'),
  );
  const wallStart = performance.now();
  const wallSeconds = () => (saved?.wall_seconds ?? 0) + (performance.now() - wallStart) / 1000;
  const startedAt = saved?.started_at ?? new Date().toISOString();
  const trained: Omit<Trained, 'result'> = { modelEpoch: saved?.model_epoch, wallSeconds };

  const saveEpoch = async (record: EpochRecord, state: LoopState) => {
    dir.writeMetrics(state.history);
    // model/ always holds the best epoch so far (with `checkpoint: best`), so that
    // a non-finite loss or a kill later still leaves the best model on disk.
    if (checkpoint === 'best' && state.bestEpoch === record.epoch) {
      await writeDirAtomic(dir.file(RUN_FILES.model), (tmp) => saveModel(model, tmp));
      trained.modelEpoch = record.epoch;
    }
    await dir.writeState(
      {
        train: state,
        wall_seconds: wallSeconds(),
        started_at: startedAt,
        resumed: (saved?.resumed ?? 0) + (saved ? 1 : 0),
        model_epoch: trained.modelEpoch,
      },
      (folder) => saveModel(model, folder),
    );
    await trainingHooks.epochSaved?.(record);
  };
  const callbacks: LoopCallbacks = {
    onStep: (info) => progress.step(info),
    shouldStop: () => interrupts.requested || trained.writeFailure !== undefined,
    onEpochEnd: async (record: EpochRecord, state?: LoopState) => {
      progress.epochEnd(record);
      // The loop's steps run synchronously: give the event loop a turn so a pending
      // Ctrl-C (SIGINT) is delivered and `shouldStop` can see it.
      await new Promise((resolve) => setImmediate(resolve));
      if (!state || trained.writeFailure) return;
      try {
        await saveEpoch(record, state);
      } catch (error) {
        if (!(error instanceof WriteError)) throw error;
        trained.writeFailure = error;
        trained.savedEpochs = record.epoch - 1;
        progress.line(`stopping: epoch ${record.epoch} could not be saved (see the error below)`);
      }
    },
  };
  try {
    const result = await train({ tf, ir, model, data, augment, epochs, callbacks, resume: saved?.train });
    return { ...trained, result };
  } finally {
    progress.stop();
    interrupts.dispose();
  }
}

// ---- settleModel ---------------------------------------------------------------------

/**
 * Makes model/ hold the epoch resultEpochFor picks, and the in-memory model the same
 * weights (the test set measures them). After a resume the loop has no in-memory copy
 * of an earlier session's best epoch, but model/ on disk has it.
 */
async function settleModel(session: Session, trained: Trained): Promise<void> {
  const { tf, ir, dir, model } = session;
  const { result } = trained;
  const history = result.history;
  const checkpoint = ir.train.checkpoint;
  if (checkpoint === 'none' || history.length === 0) return;
  const saveInMemory = async () => {
    await writeDirAtomic(dir.file(RUN_FILES.model), (tmp) => saveModel(model, tmp));
    trained.modelEpoch = result.resultEpoch;
  };
  if (result.stopReason === 'interrupted') {
    if (checkpoint !== 'last') return;
    // model/ holds the last finished epoch: the loop may have stopped in the middle of one.
    await restoreWeights(tf, model, dir.file(RUN_FILES.stateModel));
    await writeDirAtomic(dir.file(RUN_FILES.model), (tmp) => saveModel(model, tmp));
    trained.modelEpoch = history[history.length - 1]!.epoch;
    return;
  }
  const loopState = result.state as LoopState;
  const wanted = resultEpochFor(ir.train, result.stopReason, {
    last: history[history.length - 1]!.epoch,
    best: result.bestEpoch,
    earlyStoppingBest: loopState.earlyStopping?.bestEpoch,
  });
  if (wanted === trained.modelEpoch) {
    // model/ is right; the in-memory model may be another epoch: test the saved one.
    if (result.resultEpoch !== wanted) await restoreWeights(tf, model, dir.file(RUN_FILES.model));
  } else if (result.resultEpoch === wanted || trained.modelEpoch === undefined) {
    await saveInMemory();
  } else {
    await restoreWeights(tf, model, dir.file(RUN_FILES.model));
  }
}

// ---- finish --------------------------------------------------------------------------

/** Test metrics, summary.json, the closing table and report; returns the exit code. */
async function finish(
  session: Session,
  trained: Trained,
  options: TrainRunOptions,
  startedAt: Date,
  stdout: NodeJS.WriteStream,
  stderr: NodeJS.WriteStream,
): Promise<number> {
  const { tf, ir, dir, saved, model, data } = session;
  const { result, writeFailure } = trained;
  const stopReason: StopReason = writeFailure ? 'write_error' : result.stopReason;
  let test: MetricValues | undefined;
  let testMc: MetricValues | undefined;
  if (data.test && stopReason !== 'interrupted' && !writeFailure && result.history.length > 0) {
    test = evaluate(tf, model, data.test, ir.train, data.classes);
    if (ir.train.mcSamples) testMc = monteCarloValues(evaluateMonteCarlo(tf, model, data.test, ir.train, ir.train.mcSamples, data.classes));
  }
  const summary = summaryOf(session, trained, stopReason, { test, testMc }, startedAt);
  const unsaved = saveSummary(dir, result.history, summary);

  if (summary.epochs_run > 0) {
    stdout.write(resultTable(summary) + '\n');
    const gap = gapNote(summary);
    if (gap) stdout.write(gap + '\n');
  }
  stdout.write(conclusion(summary, dir.path, saved !== undefined) + '\n');
  if (options.report !== false && !writeFailure && !unsaved) {
    try {
      const { writeReport } = await import('../report/write-report.js');
      const written = await writeReport(dir.path);
      stdout.write(`report: ${written.html}\n`);
    } catch (error) {
      stderr.write(`regnetc: warning: could not write the report: ${(error as Error).message}\n`);
    }
  }
  if (writeFailure || unsaved) {
    const failure = writeFailure ?? unsaved!;
    stderr.write(
      `regnetc: error: ${failure.message}\n` +
        `  ${unsaved ? `${RUN_FILES.summary} was not written (${unsaved.message}).` : `${RUN_FILES.summary} was written${summary.epochs_run > 0 ? `: epochs 1..${summary.epochs_run} are saved` : ''}.`}` +
        ` Free some space or choose another --out; ${summary.epochs_run > 0 ? `then continue with: regnetc train --resume ${dir.path}` : 'then run again'}\n`,
    );
    return 1;
  }
  if (stopReason === 'non_finite') {
    const where = result.nonFinite ? `at epoch ${result.nonFinite.epoch}, step ${result.nonFinite.step}` : '';
    stderr.write(
      `regnetc: error: the loss became non-finite (NaN or infinity) ${where}; training stopped.\n` +
        `  ${trained.modelEpoch !== undefined ? `model/ keeps the best checkpoint (epoch ${trained.modelEpoch}).` : 'No epoch finished, so no model was saved.'}\n` +
        `  Try a lower learning rate, gradient clipping (clip: norm(1.0)) or normalization layers.\n`,
    );
    return 1;
  }
  return stopReason === 'interrupted' ? EXIT_INTERRUPTED : 0;
}

function summaryOf(
  session: Session,
  trained: Trained,
  stopReason: StopReason,
  { test, testMc }: { test?: MetricValues; testMc?: MetricValues },
  startedAt: Date,
): RunSummary {
  const { ir, saved, backend } = session;
  const { result } = trained;
  // After a write failure during an epoch's save, the summary records the epochs on disk.
  const history = trained.savedEpochs !== undefined ? result.history.filter((r) => r.epoch <= trained.savedEpochs!) : result.history;
  const checkpoint = ir.train.checkpoint;
  const bestRecord = history.find((r) => r.epoch === result.bestEpoch);
  const finalRecord = history[history.length - 1];
  return {
    name: ir.name,
    spec_file: ir.file,
    epochs_run: history.length,
    epochs_planned: ir.train.epochs,
    best_epoch: bestRecord?.epoch,
    model_epoch: checkpoint === 'none' ? undefined : trained.modelEpoch,
    monitor: ir.train.checkpointMonitor,
    checkpoint,
    best: bestRecord ? { epoch: bestRecord.epoch, ...metricsOf(bestRecord) } : undefined,
    final: finalRecord ? { epoch: finalRecord.epoch, ...metricsOf(finalRecord) } : undefined,
    test,
    ...(testMc ? { test_mc: testMc } : {}),
    stop_reason: stopReason,
    non_finite: result.nonFinite,
    backend,
    seed: ir.train.seed,
    constants: ir.constants,
    total_params: ir.totalParams,
    wall_seconds: trained.wallSeconds(),
    started_at: saved?.started_at ?? startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    ...(saved ? { resumed: (saved.resumed ?? 0) + 1 } : {}),
  };
}

/** Writes metrics.jsonl and summary.json; on a full disk still tries the (small) summary. Returns what failed. */
function saveSummary(dir: RunDir, history: EpochRecord[], summary: RunSummary): WriteError | undefined {
  let failure: WriteError | undefined;
  for (const write of [() => dir.writeSummary(summary), () => dir.writeMetrics(history.slice(0, summary.epochs_run))]) {
    try {
      write();
    } catch (error) {
      if (!(error instanceof WriteError)) throw error;
      failure ??= error;
    }
  }
  return failure && failure.path.endsWith(RUN_FILES.summary) ? failure : undefined;
}

function conclusion(summary: RunSummary, dir: string, resumed: boolean): string {
  switch (summary.stop_reason) {
    case 'interrupted':
      return summary.epochs_run > 0
        ? `interrupted after epoch ${summary.epochs_run}; continue with: regnetc train --resume ${dir}`
        : `interrupted before the first epoch finished; nothing was saved to resume${resumed ? '' : ': run the same command again to start over'}`;
    case 'write_error':
      return `stopped: a file could not be written; ${summary.epochs_run > 0 ? `${dir} keeps epochs 1..${summary.epochs_run}` : 'no epoch was saved'}`;
    case 'early_stopping':
      return `early stopping after epoch ${summary.epochs_run}; model/ holds epoch ${summary.model_epoch ?? '-'} (${summary.wall_seconds.toFixed(1)} s)`;
    case 'non_finite': {
      const at = summary.non_finite ? ` at epoch ${summary.non_finite.epoch}, step ${summary.non_finite.step}` : '';
      return `stopped: non-finite loss${at}; model/ holds epoch ${summary.model_epoch ?? '-'} (${summary.wall_seconds.toFixed(1)} s)`;
    }
    default:
      return `done: ${summary.epochs_run} epochs in ${summary.wall_seconds.toFixed(1)} s; model/ holds epoch ${summary.model_epoch ?? '-'}`;
  }
}

/** Copies the weights saved in `folder` into `model` (same architecture). */
async function restoreWeights(tf: TF, model: tfTypes.LayersModel, folder: string): Promise<void> {
  let loaded: tfTypes.LayersModel;
  try {
    loaded = await loadModel(tf, folder);
  } catch (error) {
    if (error instanceof ModelFileError) throw new UsageError(`cannot resume: ${error.message}`);
    throw error;
  }
  try {
    model.setWeights(loaded.getWeights());
  } finally {
    loaded.dispose();
  }
}
