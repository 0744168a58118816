// `regnetc sweep SPEC --out DIR --queue URL`: the local sweep's plan and results,
// with the trials run by `regnetc worker`s anywhere. The sweep (spec + data) is
// stored once; each trial is a BullMQ job whose id derives from the sweep and the
// trial, under one parent job per sweep (a BullMQ flow). The submitter shows each
// trial's progress (QueueEvents), brings each finished run directory home, and
// writes results exactly as a local sweep does. Re-running the same command skips
// trials complete in DIR, collects finished ones and re-attaches to running ones.
import { dirname, join, resolve } from 'node:path';
import { FlowProducer, Queue, QueueEvents, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { LIMIT_NAMES, compile, valueToText, type GraphIR, type Limits } from '@regnet/compiler';
import { formatNumber } from '../run/progress.js';
import { finishSweep, prepareSweep, reportTrialEnd, sweepHeadline, type PreparedSweep, type SweepOptions } from '../run/sweep-run.js';
import { EXIT_INTERRUPTED } from '../run/exit-codes.js';
import { catchInterrupts } from '../run/interrupt.js';
import { PREFIX, SWEEPS_QUEUE, TRIALS_QUEUE, checkQueueUrl, connect, quietErrors, sweepKeys, type QueueTarget } from './connection.js';
import { bundleDigest, collectBundle, uploadBundle } from './bundle.js';
import { SPEC_FOLDER, fromPlaceholders, trialPaths, unpackDir } from './run-pack.js';
import {
  REGNET_VERSION,
  sweepId,
  trialJobId,
  trialOverrides,
  type SweepJobData,
  type TrialJobData,
  type TrialProgress,
  type TrialReturn,
} from './jobs.js';

export interface QueuedSweepOptions extends SweepOptions {
  queue?: string;
  detach?: boolean;
}

/** Trial jobs: no automatic retry for a trial's own failure (the worker marks those unrecoverable). */
const TRIAL_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 1000 },
  removeOnComplete: false,
  removeOnFail: false,
  // A failed trial must not hold the sweep's parent job back.
  ignoreDependencyOnFailure: true,
};

/** Every trial's IR, for the data files they read (trials with errors read nothing). */
function trialIRs(sweep: PreparedSweep, options: SweepOptions): GraphIR[] {
  return sweep.trials.flatMap((trial) => {
    // With the sweep's --data-root: a file outside the spec's folder then gets a clear refusal from collectBundle.
    const ir = compile(sweep.source, { file: sweep.file, overrides: trialOverrides(options.overrides ?? {}, trial), ...options.safety }).ir;
    return ir ? [ir] : [];
  });
}

/** A word for a POSIX shell: as is when safe, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** The command that finds this sweep again: the flags its id derives from (backend, epochs, --set, limits) and its data roots, as given. */
export function reattachCommand(options: QueuedSweepOptions, sweepDir: string, target: QueueTarget): string {
  const queue = options.queue ? ` --queue ${target.hasPassword ? "'<the same URL, with its password>'" : target.display}` : '';
  const flags = [
    ...(options.backend !== 'auto' ? ['--backend', options.backend] : []),
    ...(options.epochs !== undefined ? ['--epochs', String(options.epochs)] : []),
    ...Object.entries(options.overrides ?? {}).flatMap(([name, value]) => ['--set', `${name}=${valueToText(value)}`]),
    ...(options.safety?.dataRoots ?? []).flatMap((root) => ['--data-root', root]),
    ...(Object.entries(options.safety?.limits ?? {}) as Array<[keyof Limits, number]>).flatMap(([key, value]) => ['--limit', `${LIMIT_NAMES[key].option}=${value}`]),
  ];
  return `regnetc sweep ${shellWord(options.file)} --out ${shellWord(sweepDir)}${queue}${flags.map((f) => ` ${shellWord(f)}`).join('')}`;
}

export async function runQueuedSweep(options: QueuedSweepOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const target = await checkQueueUrl(options.queue);
  const sweep = prepareSweep(options);
  if (typeof sweep === 'number') return sweep;
  const bundle = collectBundle(sweep.file, sweep.source, trialIRs(sweep, options));
  const limits = options.safety?.limits ?? {};
  const id = sweepId([bundleDigest(bundle), options.overrides ?? {}, options.epochs ?? null, options.backend, REGNET_VERSION, limits]);
  stdout.write(sweepHeadline(sweep, `on the queue ${target.display} (sweep ${id})`));

  const redis = connect(target, 'sweep', stderr);
  const queue = new Queue<TrialJobData, TrialReturn>(TRIALS_QUEUE, { connection: target.options, prefix: PREFIX });
  const events = new QueueEvents(TRIALS_QUEUE, { connection: target.options, prefix: PREFIX });
  const sweeps = new Queue<SweepJobData>(SWEEPS_QUEUE, { connection: target.options, prefix: PREFIX });
  const flows = new FlowProducer({ connection: target.options, prefix: PREFIX });
  for (const emitter of [queue, sweeps, events, flows]) quietErrors(emitter);
  const close = async () => {
    await Promise.allSettled([queue.close(), sweeps.close(), events.close(), flows.close()]);
    redis.disconnect();
  };

  try {
    // Listening before enqueueing: a trial's first progress events must not be missed.
    await events.waitUntilReady();
    await uploadBundle(redis, sweepKeys.bundle(id), bundle);
    const indexOf = new Map(sweep.trials.map((t, i) => [t.id, i]));
    const wanted = new Map(sweep.pending.map(({ trial }) => [trialJobId(id, indexOf.get(trial.id)!), trial]));
    const jobData = (index: number): TrialJobData => ({
      sweep: id,
      name: sweep.manifest.name,
      index,
      trial: sweep.trials[index],
      overrides: options.overrides ?? {},
      ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
      backend: options.backend,
      version: REGNET_VERSION,
      // The submitter's limits travel with each trial; a worker applies them within its own (jobs.ts trialLimits).
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
    });

    // Enqueue what the queue does not have; retry what failed before (as a local re-run would).
    const missing: number[] = [];
    let retried = 0;
    // Asked all at once: one round trip to Redis for the lot, not one per trial (it counts on a real network).
    const known = await Promise.all([...wanted.keys()].map(async (jobId) => [jobId, await queue.getJob(jobId)] as const));
    for (const [jobId, job] of known) {
      if (!job) missing.push(Number(jobId.slice(id.length + 1)));
      else if (await job.isFailed()) {
        await job.retry('failed');
        retried++;
      }
    }
    if (missing.length > 0) {
      const children = missing.map((index) => ({
        name: 'trial',
        queueName: TRIALS_QUEUE,
        data: jobData(index),
        opts: { jobId: trialJobId(id, index), ...TRIAL_JOB_OPTIONS },
      }));
      const parent = await sweeps.getJob(id);
      if (!parent) {
        const data: SweepJobData = { name: sweep.manifest.name, spec: sweep.file, trials: sweep.trials.length, submitted: new Date().toISOString() };
        await flows.add({ name: 'sweep', queueName: SWEEPS_QUEUE, data, opts: { jobId: id }, children });
      } else {
        await queue.addBulk(children.map(({ name, data, opts }) => ({ name, data, opts })));
      }
    }
    const attached = wanted.size - missing.length - retried;
    stdout.write(
      `queue: ${missing.length} trial(s) enqueued${retried ? `, ${retried} failed one(s) retried` : ''}${attached > 0 ? `, ${attached} already on the queue` : ''}\n`,
    );
    if (options.detach) {
      stdout.write(`detached: the workers run the trials; collect the results with:\n  ${reattachCommand(options, sweep.sweepDir, target)}\n`);
      return 0;
    }
    return await collect(sweep, id, wanted, queue, events, redis, options, target, stdout, stderr);
  } finally {
    await close();
  }
}

/** Waits for every wanted trial, showing progress, and writes the sweep's results. */
async function collect(
  sweep: PreparedSweep,
  id: string,
  wanted: Map<string, PreparedSweep['trials'][number]>,
  queue: Queue<TrialJobData, TrialReturn>,
  events: QueueEvents,
  redis: Redis,
  options: QueuedSweepOptions,
  target: QueueTarget,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  const specFolder = dirname(sweep.file);
  const outstanding = new Set(wanted.keys());
  const failed = new Set<string>();
  const messages: Record<string, string> = {};
  let finished = 0;
  let wake: (() => void) | undefined;
  const nudge = () => wake?.();

  const lastShown = new Map<string, string>();
  events.on('progress', ({ jobId, data }) => {
    const trial = wanted.get(jobId);
    if (!trial || !outstanding.has(jobId) || typeof data !== 'object' || data === null) return;
    const p = data as unknown as TrialProgress;
    const text =
      p.epoch === 0 || p.epoch === p.resumedFrom
        ? `${p.resumedFrom ? `resumed after epoch ${p.resumedFrom}` : 'started'} on ${p.worker}`
        : `epoch ${p.epoch}/${p.epochs}  loss ${formatNumber(p.loss)}  on ${p.worker}`;
    if (lastShown.get(jobId) === text) return;
    lastShown.set(jobId, text);
    stdout.write(`  ${trial.id}: ${text}\n`);
  });
  events.on('completed', nudge);
  events.on('failed', nudge);

  const bringHome = async (jobId: string, index: number) => {
    const packed = await redis.getBuffer(sweepKeys.result(id, index));
    const trial = wanted.get(jobId)!;
    const dir = join(sweep.sweepDir, trial.id);
    if (packed) unpackDir(packed, dir, trialPaths(specFolder, resolve(dir)));
  };

  const interrupts = catchInterrupts(nudge);
  try {
    while (outstanding.size > 0 && !interrupts.requested) {
      for (const jobId of [...outstanding]) {
        const state = await queue.getJobState(jobId);
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue;
        const index = Number(jobId.slice(id.length + 1));
        const trial = wanted.get(jobId)!;
        const job: Job<TrialJobData, TrialReturn> | undefined = await queue.getJob(jobId);
        await bringHome(jobId, index);
        outstanding.delete(jobId);
        finished++;
        const prefix = `[${finished}/${wanted.size}] ${trial.id}`;
        const failure =
          state === 'unknown' ? 'removed from the queue (queue clean?)' : job?.failedReason ? fromPlaceholders(job.failedReason, { [SPEC_FOLDER]: specFolder }) : undefined;
        const ok = reportTrialEnd(sweep.sweepDir, trial.id, prefix, { seconds: job?.returnvalue?.seconds ?? 0, failure, where: job?.returnvalue?.worker }, stdout, stderr);
        if (!ok) {
          failed.add(trial.id);
          if (failure) messages[trial.id] = failure;
        }
      }
      if (outstanding.size === 0 || interrupts.requested) break;
      // Events wake us early; the poll is the safety net (events can be missed while Redis is away).
      // The timer is cleared when an event wakes us: a pending one would keep the process from exiting.
      let poll: NodeJS.Timeout | undefined;
      await new Promise<void>((resolveWait) => {
        wake = resolveWait;
        poll = setTimeout(resolveWait, 1000);
      });
      clearTimeout(poll);
      wake = undefined;
    }
  } finally {
    interrupts.dispose();
  }
  if (interrupts.requested) {
    stdout.write(
      `interrupt: ${outstanding.size} trial(s) keep running on the workers; re-attach with:\n  ${reattachCommand(options, sweep.sweepDir, target)}\n`,
    );
    return EXIT_INTERRUPTED;
  }
  return finishSweep(sweep, failed, false, stdout, stderr, messages);
}
