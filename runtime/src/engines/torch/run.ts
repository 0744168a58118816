// `regnetc train SPEC --engine torch`: export to a temporary folder, launch the trainer
// (one process or torchrun), follow its progress, then write the same run directory as
// the tfjs engine: metrics.jsonl (rewritten as each epoch finishes), summary.json (with
// "engine": "torch", "world_size" and the torch version), model/ in the TensorFlow.js
// layers format (weights converted back) and report.html.
import { mkdtempSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { EpochRecord, TF } from '../../contracts.js';
import { BackendUnavailableError, initBackend } from '../../backend/select.js';
import { isDataError } from '../../data/errors.js';
import { loadData } from '../../data/load.js';
import { buildModel } from '../../model/build.js';
import { saveModel } from '../../model/io.js';
import { Random } from '../../random.js';
import { UsageError } from '../../run/errors.js';
import { prepareFresh, type TrainRunOptions } from '../../run/run-spec.js';
import { Progress, resultTable } from '../../run/progress.js';
import { EXIT_INTERRUPTED } from '../../run/exit-codes.js';
import { RUN_FILES, metricsOf, readJson, writeDirAtomic, type MetricValues, type RunSummary, type StopReason } from '../../run/run-dir.js';
import { setFromTorchStateDict } from './convert-weights.js';
import { exportTorch } from './export.js';
import { checkTorchAvailable, launch, TorchUnavailableError, type LaunchOutcome, type ProcessLayout, type TrainerEvent } from './launch.js';
import { readTensors } from './tensor-file.js';

export interface TorchRunOptions extends TrainRunOptions, ProcessLayout {}

/** result.json, written by the trainer's rank 0. */
interface TrainerResult {
  history: EpochRecord[];
  result_epoch: number;
  best_epoch?: number;
  stop_reason: StopReason;
  non_finite?: { epoch: number; step: number };
  test?: MetricValues | null;
  torch: string;
  world_size: number;
  device: string;
  restarts: number;
  rank_max_diff: number;
  wall_seconds: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export async function runTorchTraining(options: TorchRunOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  if (options.resume) throw new UsageError('--resume is not available with --engine torch (a torchrun restart resumes from the last epoch by itself)');
  try {
    checkTorchAvailable();
  } catch (error) {
    if (error instanceof TorchUnavailableError) throw new UsageError(error.message);
    throw error;
  }
  const startedAt = new Date();
  const prepared = prepareFresh({ ...options, engine: 'torch' }, stderr);
  if (typeof prepared === 'number') return prepared;
  const { ir, dir } = prepared;

  let tf: TF;
  try {
    ({ tf } = await initBackend('auto'));
  } catch (error) {
    if (error instanceof BackendUnavailableError) throw new UsageError(error.message);
    throw error;
  }
  const exportDir = mkdtempSync(join(tmpdir(), 'regnet-torch-'));
  const trainerOut = join(exportDir, 'run');
  mkdirSync(trainerOut);
  try {
    try {
      const specDir = options.file ? dirname(resolve(options.file)) : process.cwd();
      const data = await loadData(tf, ir.data, ir.train.seed, { specDir, roots: options.safety?.dataRoots });
      await exportTorch(tf, ir, exportDir, data);
    } catch (error) {
      if (isDataError(error)) {
        stderr.write(`${error.format()}\n`);
        return 1;
      }
      throw error;
    }
    const world = options.nproc * options.nnodes;
    stdout.write(`engine: torch, ${world} process${world > 1 ? 'es' : ''} (${options.nnodes} node${options.nnodes > 1 ? 's' : ''}), ${options.device}\n`);
    stdout.write(`training ${ir.train.epochs} epochs into ${dir.path}\n`);
    const progress = new Progress({ out: stdout, live: Boolean(stdout.isTTY) && !options.quiet, epochs: ir.train.epochs });
    const history: EpochRecord[] = [];
    const onEvent = (event: TrainerEvent) => {
      if (event.event === 'epoch') {
        const record = event.record as EpochRecord;
        const at = history.findIndex((r) => r.epoch >= record.epoch);
        if (at >= 0) history.splice(at); // a restart repeats epochs after its checkpoint
        history.push(record);
        progress.epochEnd(record);
        if (options.nodeRank === 0) dir.writeMetrics(history);
      } else if (event.event === 'resumed') {
        progress.line(`a process failed: the group restarted from epoch ${event.epoch as number}`);
      }
    };
    const port = await freePort();
    const launched = await launch(
      { ...options, exportDir, out: trainerOut, onEvent, onLine: (line) => progress.line(line) },
      port,
    ).finally(() => progress.stop());

    const { code } = launched;
    if (launched.interrupted) {
      stderr.write(`interrupted: metrics.jsonl keeps the ${history.length} finished epoch${history.length === 1 ? '' : 's'}; no model/ was written (train again to restart)\n`);
      return EXIT_INTERRUPTED;
    }
    if (options.nodeRank !== 0) {
      if (code !== 0) return failed(stderr, launched, options);
      stdout.write(`node ${options.nodeRank} done; node 0 writes the run directory\n`);
      return 0;
    }
    const resultPath = join(trainerOut, 'result.json');
    if (code !== 0 || !existsSync(resultPath)) return failed(stderr, launched, options);
    const result = readJson<TrainerResult>(resultPath);

    // model/: the trainer's final weights, converted back to the TensorFlow.js layers format.
    const checkpoint = ir.train.checkpoint;
    const model = buildModel(tf, ir, new Random(ir.train.seed));
    setFromTorchStateDict(tf, model, ir, readTensors(join(trainerOut, 'weights')));
    if (checkpoint !== 'none' && result.history.length > 0) {
      await writeDirAtomic(dir.file(RUN_FILES.model), (tmp) => saveModel(model, tmp));
    }
    model.dispose();

    const bestRecord = result.history.find((r) => r.epoch === result.best_epoch);
    const finalRecord = result.history[result.history.length - 1];
    const summary: RunSummary = {
      name: ir.name,
      spec_file: ir.file,
      epochs_run: result.history.length,
      epochs_planned: ir.train.epochs,
      best_epoch: result.best_epoch ?? undefined,
      model_epoch: checkpoint === 'none' || result.history.length === 0 ? undefined : result.result_epoch,
      monitor: ir.train.checkpointMonitor,
      checkpoint,
      best: bestRecord ? { epoch: bestRecord.epoch, ...metricsOf(bestRecord) } : undefined,
      final: finalRecord ? { epoch: finalRecord.epoch, ...metricsOf(finalRecord) } : undefined,
      test: result.test ?? undefined,
      stop_reason: result.stop_reason,
      non_finite: result.non_finite ?? undefined,
      backend: `torch ${result.device}`,
      engine: 'torch',
      world_size: result.world_size,
      torch_version: result.torch,
      ...(result.world_size > 1 ? { rank_max_diff: result.rank_max_diff } : {}),
      ...(result.restarts > 0 ? { restarts: result.restarts } : {}),
      seed: ir.train.seed,
      constants: ir.constants,
      total_params: ir.totalParams,
      wall_seconds: (Date.now() - startedAt.getTime()) / 1000,
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
    };
    dir.writeMetrics(result.history);
    dir.writeSummary(summary);
    if (result.history.length > 0) stdout.write(resultTable(summary) + '\n');
    stdout.write(`done: ${summary.epochs_run} epochs on torch (${result.world_size} process${result.world_size > 1 ? 'es' : ''}); model/ holds epoch ${summary.model_epoch ?? '-'}\n`);
    if (options.report !== false) {
      try {
        const { writeReport } = await import('../../report/write-report.js');
        stdout.write(`report: ${(await writeReport(dir.path)).html}\n`);
      } catch (error) {
        stderr.write(`regnetc: warning: could not write the report: ${(error as Error).message}\n`);
      }
    }
    if (result.stop_reason === 'non_finite') {
      stderr.write(`regnetc: error: the loss became non-finite (NaN or infinity) at epoch ${result.non_finite?.epoch}, step ${result.non_finite?.step}; training stopped.\n`);
      return 1;
    }
    return 0;
  } finally {
    if (!process.env.REGNET_KEEP_EXPORT) rmSync(exportDir, { recursive: true, force: true });
    else stdout.write(`export kept in ${exportDir}\n`);
  }
}

/** The trainer failed: say so in one line plus the lines that explain it (no stack trace of ours). */
function failed(stderr: NodeJS.WritableStream, launched: LaunchOutcome, options: TorchRunOptions): number {
  const { code, tail, joinTimedOut } = launched;
  const timeout = options.joinTimeout ?? 120;
  const storeTimeout = tail.some((l) => /Socket Timeout|timed out|TimeoutError/i.test(l));
  const reason =
    joinTimedOut || storeTimeout
      ? `not every process joined within ${timeout} s (--join-timeout): is every node's \`regnetc train\` started, with the same --master and --nnodes, and can it reach ${options.master ?? 'node 0'}?`
      : `the torch trainer exited with code ${code}`;
  const relevant = joinTimedOut ? [] : tail.filter((l) => l.trim() !== '' && !/^\s*(File |\^|~)/.test(l)).slice(-8);
  stderr.write(`regnetc: error: ${reason}\n${relevant.map((l) => `  | ${l}\n`).join('')}`);
  return 1;
}
