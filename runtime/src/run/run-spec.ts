// One training run, start to finish: compile -> backend -> data -> model -> train
// -> save -> test -> report, with every file of the run directory kept current
// after each epoch so that Ctrl-C, a crash or a kill loses at most one epoch.
//
// What the user sees on failure: compile errors print like `regnetc check` and
// nothing trains; bad data prints `file:line: error: ...`; a non-finite loss names
// the epoch and step; none of them prints a stack trace. All exit 1.
import { existsSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { compile, type Engine, type GraphIR, type JsonValue } from '@regnet/compiler';
import type * as tfTypes from '@tensorflow/tfjs';
import type { EpochRecord, TF } from '../contracts.js';
import { Random } from '../random.js';
import { BackendUnavailableError, initBackend, type BackendChoice } from '../backend/select.js';
import { loadData } from '../data/load.js';
import { isDataError } from '../data/errors.js';
import { makeAugmenter } from '../data/augment/index.js';
import { buildModel } from '../model/build.js';
import { ModelFileError, loadModel, saveModel } from '../model/io.js';
import { evaluate, train, type LoopCallbacks, type LoopState } from '../train/loop.js';
import { evaluateMonteCarlo, monteCarloValues } from '../train/mc-dropout.js';
import { printDiagnostics } from './print-diagnostics.js';
import { readSpec } from './read-spec.js';
import { UsageError } from './errors.js';
import { incompleteReason } from './compile-spec.js';
import { EXIT_INTERRUPTED } from './exit-codes.js';
import { Progress, resultTable } from './progress.js';
import { describeSource } from './describe.js';
import { RUN_FILES, RunDir, metricsOf, writeDirAtomic, type MetricValues, type RunSummary, type SavedState } from './run-dir.js';

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
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** The engine the spec is checked for (`regnetc check --engine`); default tfjs. */
  engine?: Engine;
}

/**
 * Called after each epoch's state is saved (metrics.jsonl, state/), before the next
 * epoch starts. A queue worker's trial child sets it to ship the checkpoint away;
 * training waits for it, so a killed worker loses at most the epoch in progress.
 */
export const trainingHooks: { epochSaved?: (record: EpochRecord) => Promise<void> } = {};

/** `runs/<spec file name without .regnet>` */
export function defaultOutDir(file: string): string {
  return join('runs', basename(file).replace(/\.regnet$/, ''));
}

export interface Prepared {
  ir: GraphIR;
  dir: RunDir;
  saved?: SavedState;
}

/** Compiles the spec (or reads the run's IR to resume) and lays out the run directory. */
export function prepare(options: TrainRunOptions, stderr: NodeJS.WriteStream): Prepared | number {
  if (options.resume) {
    const path = options.out ?? (options.file ? defaultOutDir(options.file) : undefined);
    if (!path) throw new UsageError('--resume needs the run directory: regnetc train --resume DIR');
    const dir = new RunDir(path);
    if (!existsSync(path)) throw new UsageError(`${path}: no such run directory to resume`);
    const saved = dir.readState();
    if (!saved || !dir.exists(RUN_FILES.ir)) {
      throw new UsageError(`${path}: nothing to resume (no ${RUN_FILES.stateJson}: the run finished no epoch)`);
    }
    if (options.overrides && Object.keys(options.overrides).length > 0) {
      stderr.write(`regnetc: warning: --set is ignored with --resume: the run continues with its saved configuration (${RUN_FILES.ir})\n`);
    }
    const ir = dir.readIR();
    if (options.epochs !== undefined) ir.train.epochs = options.epochs;
    const previous = dir.readSummary();
    if (previous?.stop_reason === 'early_stopping' || (previous?.stop_reason === 'completed' && saved.train.epoch >= ir.train.epochs)) {
      stderr.write(`regnetc: ${path} is already complete (${previous.stop_reason === 'early_stopping' ? 'stopped early' : `${saved.train.epoch} epochs`}); nothing to resume\n`);
      return 0;
    }
    dir.writeIR(ir);
    return { ir, dir, saved };
  }
  if (!options.file) throw new UsageError('missing the spec file: regnetc train FILE --out DIR');
  const source = readSpec(options.file);
  const result = compile(source, { file: resolve(options.file), overrides: options.overrides, engine: options.engine });
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
  const dir = new RunDir(options.out ?? defaultOutDir(options.file));
  dir.create();
  // A fresh run replaces an earlier one in the same folder entirely.
  for (const name of [RUN_FILES.metrics, RUN_FILES.summary, RUN_FILES.model, RUN_FILES.state, RUN_FILES.report, RUN_FILES.plots]) {
    rmSync(dir.file(name), { recursive: true, force: true });
  }
  dir.writeSpec(source);
  dir.writeIR(ir);
  return { ir, dir };
}

function describeData(data: { train: { size: number }; validation?: { size: number }; test?: { size: number }; classes: number }): string {
  const parts = [`${data.train.size} train`];
  parts.push(data.validation ? `${data.validation.size} validation` : 'no validation');
  if (data.test) parts.push(`${data.test.size} test`);
  return `${parts.join(', ')} examples, ${data.classes > 0 ? `${data.classes} classes` : 'regression'}`;
}

/** Runs `regnetc train`; returns the exit code. */
export async function runTraining(options: TrainRunOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const startedAt = new Date();
  const prepared = prepare(options, stderr);
  if (typeof prepared === 'number') return prepared;
  const { ir, dir, saved } = prepared;
  const epochs = ir.train.epochs;

  let tf: TF;
  let backend: string;
  try {
    ({ tf, name: backend } = await initBackend(options.backend));
  } catch (error) {
    if (error instanceof BackendUnavailableError) throw new UsageError(error.message);
    throw error;
  }
  stdout.write(`backend: ${backend}\n`);

  let data: Awaited<ReturnType<typeof loadData>>;
  try {
    data = await loadData(tf, ir.data, ir.train.seed);
  } catch (error) {
    if (isDataError(error)) {
      stderr.write(`${error.format()}\n`);
      return 1;
    }
    throw error;
  }
  stdout.write(`data: ${describeSource(ir.data.source)}: ${describeData(data)}\n`);

  const model = buildModel(tf, ir, new Random(ir.train.seed));
  stdout.write(`model: ${ir.name}, ${ir.totalParams.toLocaleString('en-US')} parameters\n`);
  if (saved) {
    await restoreWeights(tf, model, dir.file(RUN_FILES.stateModel));
    stdout.write(`resuming ${dir.path} after epoch ${saved.train.epoch}: training epochs ${saved.train.epoch + 1}..${epochs}\n`);
  } else {
    stdout.write(`training ${epochs} epochs into ${dir.path}\n`);
  }
  const augment = ir.data.augment.length > 0 ? makeAugmenter(tf, ir.data, data.vocabulary) : undefined;

  const progress = new Progress({ out: stdout, live: Boolean(stdout.isTTY) && !options.quiet, epochs });
  // Ctrl-C: the first asks the loop to stop at the next step (the last finished
  // epoch is already saved); a second one quits at once.
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    progress.line('interrupt: stopping after this step (Ctrl-C again to quit at once); the last finished epoch stays saved');
  };
  process.on('SIGINT', onSigint);
  let modelEpoch = saved?.model_epoch;
  const checkpoint = ir.train.checkpoint;
  const savedWall = saved?.wall_seconds ?? 0;
  const wallStart = performance.now();

  const callbacks: LoopCallbacks = {
    onStep: (info) => progress.step(info),
    shouldStop: () => interrupted,
    onEpochEnd: async (record: EpochRecord, state?: LoopState) => {
      progress.epochEnd(record);
      // The loop's steps run synchronously: give the event loop a turn so a pending
      // Ctrl-C (SIGINT) is delivered and `shouldStop` can see it.
      await new Promise((resolve) => setImmediate(resolve));
      if (!state) return;
      dir.writeMetrics(state.history);
      // model/ always holds the best epoch so far (with `checkpoint: best`), so that
      // a non-finite loss or a kill later still leaves the best model on disk.
      if (checkpoint === 'best' && state.bestEpoch === record.epoch) {
        await writeDirAtomic(dir.file(RUN_FILES.model), (tmp) => saveModel(model, tmp));
        modelEpoch = record.epoch;
      }
      await writeDirAtomic(dir.file(RUN_FILES.stateModel), (tmp) => saveModel(model, tmp));
      dir.writeState({
        train: state,
        wall_seconds: savedWall + (performance.now() - wallStart) / 1000,
        started_at: saved?.started_at ?? startedAt.toISOString(),
        resumed: (saved?.resumed ?? 0) + (saved ? 1 : 0),
        model_epoch: modelEpoch,
      });
      await trainingHooks.epochSaved?.(record);
    },
  };

  let result: Awaited<ReturnType<typeof train>>;
  try {
    result = await train({ tf, ir, model, data, augment, epochs, callbacks, resume: saved?.train });
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }
  const history = result.history;
  const loopState = result.state as LoopState;

  // Which epoch model/ should hold: the loop's choice (restore_best / best checkpoint /
  // last). After a resume the loop has no in-memory copy of an earlier session's best
  // epoch, but model/ on disk has it.
  if (result.stopReason !== 'interrupted' && checkpoint !== 'none' && history.length > 0) {
    const wanted =
      ir.train.earlyStopping?.restoreBest && loopState.earlyStopping?.bestEpoch !== undefined
        ? loopState.earlyStopping.bestEpoch
        : checkpoint === 'best' || result.stopReason === 'non_finite'
          ? (result.bestEpoch ?? result.resultEpoch)
          : result.resultEpoch;
    if (wanted !== modelEpoch && result.resultEpoch > 0 && (result.resultEpoch === wanted || modelEpoch === undefined)) {
      await writeDirAtomic(dir.file(RUN_FILES.model), (tmp) => saveModel(model, tmp));
      modelEpoch = result.resultEpoch;
    } else if (modelEpoch !== undefined && modelEpoch !== result.resultEpoch) {
      // The in-memory model is another epoch than model/: test the saved one.
      await restoreWeights(tf, model, dir.file(RUN_FILES.model));
    }
  }

  if (result.stopReason === 'interrupted' && checkpoint === 'last' && history.length > 0) {
    // model/ holds the last finished epoch: the loop may have stopped in the middle of one.
    await restoreWeights(tf, model, dir.file(RUN_FILES.stateModel));
    await writeDirAtomic(dir.file(RUN_FILES.model), (tmp) => saveModel(model, tmp));
    modelEpoch = history[history.length - 1].epoch;
  }

  let test: MetricValues | undefined;
  let testMc: MetricValues | undefined;
  if (data.test && result.stopReason !== 'interrupted' && history.length > 0) {
    test = evaluate(tf, model, data.test, ir.train, data.classes);
    if (ir.train.mcSamples) testMc = monteCarloValues(evaluateMonteCarlo(tf, model, data.test, ir.train, ir.train.mcSamples, data.classes));
  }

  const bestRecord = history.find((r) => r.epoch === result.bestEpoch);
  const finalRecord = history[history.length - 1];
  const summary: RunSummary = {
    name: ir.name,
    spec_file: ir.file,
    epochs_run: history.length,
    epochs_planned: epochs,
    best_epoch: result.bestEpoch,
    model_epoch: checkpoint === 'none' ? undefined : modelEpoch,
    monitor: ir.train.checkpointMonitor,
    checkpoint,
    best: bestRecord ? { epoch: bestRecord.epoch, ...metricsOf(bestRecord) } : undefined,
    final: finalRecord ? { epoch: finalRecord.epoch, ...metricsOf(finalRecord) } : undefined,
    test,
    ...(testMc ? { test_mc: testMc } : {}),
    stop_reason: result.stopReason,
    non_finite: result.nonFinite,
    backend,
    seed: ir.train.seed,
    constants: ir.constants,
    total_params: ir.totalParams,
    wall_seconds: savedWall + (performance.now() - wallStart) / 1000,
    started_at: saved?.started_at ?? startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    ...(saved ? { resumed: (saved.resumed ?? 0) + 1 } : {}),
  };
  dir.writeMetrics(history);
  dir.writeSummary(summary);

  if (history.length > 0) stdout.write(resultTable(summary) + '\n');
  stdout.write(conclusion(summary, dir.path) + '\n');
  if (options.report !== false) {
    try {
      const { writeReport } = await import('../report/write-report.js');
      const written = await writeReport(dir.path);
      stdout.write(`report: ${written.html}\n`);
    } catch (error) {
      stderr.write(`regnetc: warning: could not write the report: ${(error as Error).message}\n`);
    }
  }
  if (result.stopReason === 'non_finite') {
    const where = result.nonFinite ? `at epoch ${result.nonFinite.epoch}, step ${result.nonFinite.step}` : '';
    stderr.write(
      `regnetc: error: the loss became non-finite (NaN or infinity) ${where}; training stopped.\n` +
        `  ${modelEpoch !== undefined ? `model/ keeps the best checkpoint (epoch ${modelEpoch}).` : 'No epoch finished, so no model was saved.'}\n` +
        `  Try a lower learning rate, gradient clipping (clip: norm(1.0)) or normalization layers.\n`,
    );
    return 1;
  }
  return result.stopReason === 'interrupted' ? EXIT_INTERRUPTED : 0;
}

function conclusion(summary: RunSummary, dir: string): string {
  switch (summary.stop_reason) {
    case 'interrupted':
      return `interrupted after epoch ${summary.epochs_run}; continue with: regnetc train --resume ${dir}`;
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
