// `regnetc worker --queue URL`: takes trials from the queue and trains each in a
// child process of its own, in a process group of its own (training blocks the
// event loop; a trial that crashes or runs out of memory never takes the worker
// down). After every epoch the trial's run directory goes to Redis as its
// checkpoint; when the trial ends, it goes there as the result. A worker killed
// mid-trial loses at most the epoch in progress: BullMQ's stalled-job check hands
// the trial to another worker, which continues from that checkpoint.
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { LIMIT_NAMES, compile, limitsFromEnv, limitsToEnv, type GraphIR, type Limits } from '@regnet/compiler';
import { RUN_FILES, RunDir } from '../run/run-dir.js';
import { trialArgs } from '../run/sweep-run.js';
import { threadsPerProcess, threadsSettingProblem } from '../backend/wasm-threads.js';
import { UsageError } from '../run/errors.js';
import { EXIT_INTERRUPTED } from '../run/exit-codes.js';
import { PREFIX, TRIALS_QUEUE, checkQueueUrl, connect, quietErrors, sweepKeys } from './connection.js';
import { materializeBundle, outsidePaths } from './bundle.js';
import { encodeRun, toPlaceholders, trialPaths, unpackDir } from './run-pack.js';
import { runTrialProcess } from './trial-process.js';
import { trialLimits, trialOverrides, versionMismatch, type TrialJobData, type TrialProgress, type TrialReturn } from './jobs.js';

/**
 * How fast a killed worker's trial moves on: its lock expires after `lockDuration`
 * ms (renewed every lockDuration/2 while the worker lives) and other workers look
 * for expired locks every `stalledInterval` ms. BullMQ's defaults (30 s / 30 s)
 * take up to a minute; these take about 4-6 s.
 */
export const STALL_DEFAULTS = { lockDuration: 4000, stalledInterval: 2000, maxStalledCount: 3 };

export interface WorkerOptions {
  queue?: string;
  concurrency: number;
  name?: string;
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** The lines of a failed trial's log that say why (errors), else its last line. */
function failureMessage(log: string, code: number | null, signal: NodeJS.Signals | null): string {
  let lines: string[] = [];
  try {
    lines = readFileSync(log, 'utf8').trimEnd().split('\n');
  } catch {
    lines = [];
  }
  const errors = lines.filter((l) => /\berror\b/i.test(l)).slice(-3);
  const how = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}` : `exit code ${code}`;
  const why = (errors.length > 0 ? errors : lines.slice(-1)).map((l) => l.trim()).join(' ');
  return why ? `${why} (${how})` : how;
}

/** Compiles the trial's spec as the child will, to check its data paths first. */
function trialIR(specPath: string, data: TrialJobData, limits: Limits): GraphIR | undefined {
  const result = compile(readFileSync(specPath, 'utf8'), { file: specPath, overrides: trialOverrides(data.overrides, data.trial), limits });
  return result.ir;
}

export async function runWorker(options: WorkerOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  // Its trials would each fail with it: said once, before taking any.
  const threadsProblem = threadsSettingProblem();
  if (threadsProblem) throw new UsageError(threadsProblem);
  const target = await checkQueueUrl(options.queue);
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const say = (text: string) => stdout.write(`worker ${name}: ${text}\n`);
  const workDir = mkdtempSync(join(tmpdir(), 'regnet-worker-'));
  const redis: Redis = connect(target, `worker ${name}`, stderr);
  const children = new Set<ChildProcess>();
  const bundles = new Map<string, Promise<string>>();
  let stopping = false;
  /** This worker's own limits (REGNET_MAX_*): a sweep can lower them for its trials, never raise them. */
  const ownLimits = limitsFromEnv(process.env);

  const specOf = (sweep: string): Promise<string> => {
    let pending = bundles.get(sweep);
    if (!pending) {
      pending = materializeBundle(redis, sweepKeys.bundle(sweep), join(workDir, sweep, 'spec'));
      pending.catch(() => bundles.delete(sweep));
      bundles.set(sweep, pending);
    }
    return pending;
  };

  const processor = async (job: Job<TrialJobData, TrialReturn>, token?: string): Promise<TrialReturn> => {
    const picked = Date.now();
    const at = () => Date.now() - picked;
    const data = job.data;
    const label = `${data.name} ${data.trial.id}`;
    const mismatch = versionMismatch(data.version);
    if (mismatch) {
      stderr.write(`worker ${name}: refusing ${label}: ${mismatch}\n`);
      throw new UnrecoverableError(mismatch);
    }
    const { limits, capped } = trialLimits(data.limits, ownLimits);
    const cappedNote = capped
      .map((key) => `the sweep asked for --limit ${LIMIT_NAMES[key].option}=${data.limits![key]} but this worker allows at most ${limits[key]} (its ${LIMIT_NAMES[key].env})`)
      .join('; ');
    if (cappedNote) say(`${label}: ${cappedNote}`);
    const specPath = await specOf(data.sweep);
    const specFolder = join(workDir, data.sweep, 'spec');
    const runFolder = join(workDir, data.sweep, 'runs', String(data.index));
    const paths = trialPaths(specFolder, runFolder);
    const run = new RunDir(runFolder);
    const checkpoint = await redis.getBuffer(sweepKeys.checkpoint(data.sweep, data.index));
    if (checkpoint) unpackDir(checkpoint, runFolder, paths);
    else rmSync(runFolder, { recursive: true, force: true });
    run.create(); // a run directory with its marker: `train --out` replaces only such a folder
    const resumeFrom = checkpoint && run.exists(RUN_FILES.ir) ? (run.readState()?.train.epoch ?? 0) : 0;
    const resume = resumeFrom > 0;
    const ir = resume ? run.readIR() : trialIR(specPath, data, limits);
    const outside = ir ? outsidePaths(ir, specFolder) : [];
    if (outside.length > 0) throw new UnrecoverableError(`refusing to read ${outside.join(', ')}: outside the files the sweep brought`);
    const epochs = data.epochs ?? ir?.train.epochs ?? 0;
    const progress = (epoch: number, loss?: number) =>
      job.updateProgress({ worker: name, epoch, epochs, loss, ...(resume ? { resumedFrom: resumeFrom } : {}) } satisfies TrialProgress);
    await progress(resumeFrom);
    say(`${label}: ${resume ? `resuming after epoch ${resumeFrom}` : 'started'}`);

    const args = trialArgs(specPath, data.trial, runFolder, { file: specPath, backend: data.backend, overrides: data.overrides, epochs: data.epochs }, resume);
    const log = run.file('train.log');
    const logFd = openSync(log, resume ? 'a' : 'w');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // Trials running side by side share the cores: each backend gets its share of threads.
      REGNET_THREADS: threadsPerProcess(options.concurrency),
      ...limitsToEnv(limits),
    };
    delete env.REGNET_QUEUE; // the child needs no queue, and no password
    delete env.REGNET_DATA_ROOT; // and reads only what the job brought
    const ready = at();
    const checkpointKey = sweepKeys.checkpoint(data.sweep, data.index);
    let spawned = 0;
    let trialChild: ChildProcess | undefined;
    const trial = await runTrialProcess({
      args,
      env,
      runFolder,
      paths,
      logFd,
      store: async (packed) => void (await redis.set(checkpointKey, packed)),
      progress: (record) => progress(record.epoch, record.loss),
      started: (child) => {
        spawned = at();
        trialChild = child;
        children.add(child);
        say(`${label}: trial process ${child.pid}`);
      },
      at,
    }).finally(() => closeSync(logFd));
    if (trialChild) children.delete(trialChild);
    const { code, signal, seconds } = trial;

    if (trial.storeFailure) {
      // Not the trial's fault: BullMQ retries it (from its last stored epoch).
      say(`${label}: ${trial.storeFailure}`);
      throw new Error(trial.storeFailure);
    }
    if (!run.isComplete() && (stopping || code === EXIT_INTERRUPTED)) {
      // Handed back: the last finished epoch is on the queue; another worker (or this one, later) continues.
      say(`${label}: handed back to the queue`);
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    await redis.set(sweepKeys.result(data.sweep, data.index), encodeRun(trial.reader.read()));
    const stored = at();
    if (run.isComplete()) {
      await redis.del(checkpointKey);
      say(`${label}: done in ${seconds.toFixed(1)} s`);
      return { worker: name, seconds, timeline: { picked, ready, spawned, epochs: trial.epochs, exited: trial.exitedAt, stored } };
    }
    const message = failureMessage(log, code, signal) + (capped.length > 0 ? `; ${cappedNote}` : '');
    say(`${label}: FAILED: ${message}`);
    // A trial that fails for a reason of its own fails the same way anywhere: no retry.
    throw new UnrecoverableError(toPlaceholders(message, paths));
  };

  const settings = {
    lockDuration: options.lockDuration ?? STALL_DEFAULTS.lockDuration,
    stalledInterval: options.stalledInterval ?? STALL_DEFAULTS.stalledInterval,
    maxStalledCount: options.maxStalledCount ?? STALL_DEFAULTS.maxStalledCount,
  };
  const worker = new Worker<TrialJobData, TrialReturn>(TRIALS_QUEUE, processor, {
    connection: target.options,
    prefix: PREFIX,
    concurrency: options.concurrency,
    name,
    autorun: false,
    ...settings,
  });
  quietErrors(worker);

  const killChildren = () => {
    for (const child of children) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killChildren);
  const onSignal = () => {
    if (stopping) {
      say('stopping now; running trials go back to the queue');
      killChildren();
      process.exit(EXIT_INTERRUPTED);
    }
    stopping = true;
    say(`stopping: ${children.size > 0 ? `handing back ${children.size} running trial(s) at their last finished epoch` : 'no trial running'} (Ctrl-C again to stop at once)`);
    for (const child of children) child.kill('SIGINT');
    void worker.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  say(
    `taking trials from ${target.display} (concurrency ${options.concurrency}; ` +
      `lock ${settings.lockDuration} ms, stalled check every ${settings.stalledInterval} ms)`,
  );
  try {
    await worker.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    killChildren();
    redis.disconnect();
    if (existsSync(workDir)) rmSync(workDir, { recursive: true, force: true });
  }
  say('stopped');
  return 0;
}
