// `regnetc queue status` and `regnetc queue clean`: what is on the queue (sweeps,
// their trials by state, which worker runs what, the workers connected now) and
// removing a finished sweep's keys (its jobs, its files, checkpoints, results).
import Table from 'cli-table3';
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { UsageError } from '../run/errors.js';
import { formatNumber } from '../run/progress.js';
import { PREFIX, SWEEPS_QUEUE, TRIALS_QUEUE, checkQueueUrl, connect, quietErrors, sweepKeys } from './connection.js';
import type { SweepJobData, TrialJobData, TrialProgress, TrialReturn } from './jobs.js';

type TrialState = 'waiting' | 'running' | 'done' | 'failed';

/** BullMQ's job states, in the words `queue status` uses. */
const STATES: Array<[TrialState, Array<'waiting' | 'delayed' | 'prioritized' | 'waiting-children' | 'active' | 'completed' | 'failed'>]> = [
  ['waiting', ['waiting', 'delayed', 'prioritized', 'waiting-children']],
  ['running', ['active']],
  ['done', ['completed']],
  ['failed', ['failed']],
];

interface SweepStatus {
  id: string;
  name: string;
  spec?: string;
  counts: Record<TrialState, number>;
  running: Array<{ trial: string; worker?: string; epoch?: string }>;
  failed: Array<{ trial: string; reason: string }>;
}

export interface QueueCommandOptions {
  queue?: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

async function open(options: QueueCommandOptions) {
  const target = await checkQueueUrl(options.queue);
  const trials = new Queue<TrialJobData, TrialReturn>(TRIALS_QUEUE, { connection: target.options, prefix: PREFIX });
  const sweeps = new Queue<SweepJobData>(SWEEPS_QUEUE, { connection: target.options, prefix: PREFIX });
  quietErrors(trials);
  quietErrors(sweeps);
  const redis = connect(target, 'queue', options.stderr ?? process.stderr);
  const close = async () => {
    await Promise.allSettled([trials.close(), sweeps.close()]);
    redis.disconnect();
  };
  return { target, trials, sweeps, redis, close };
}

/** Every sweep on the queue with its trials by state. */
async function sweepStatuses(trials: Queue<TrialJobData, TrialReturn>, sweeps: Queue<SweepJobData>): Promise<{ list: SweepStatus[]; doneBy: Map<string, number> }> {
  const byId = new Map<string, SweepStatus>();
  const statusOf = (id: string, name: string): SweepStatus => {
    let s = byId.get(id);
    if (!s) {
      s = { id, name, counts: { waiting: 0, running: 0, done: 0, failed: 0 }, running: [], failed: [] };
      byId.set(id, s);
    }
    return s;
  };
  for (const parent of await sweeps.getJobs(['waiting-children', 'waiting', 'completed', 'failed', 'delayed', 'active'])) {
    if (parent?.id) statusOf(parent.id, parent.data.name).spec = parent.data.spec;
  }
  const doneBy = new Map<string, number>();
  for (const [state, types] of STATES) {
    const jobs: Array<Job<TrialJobData, TrialReturn> | undefined> = await trials.getJobs(types, 0, -1, true);
    for (const job of jobs) {
      if (!job?.data?.sweep) continue;
      const s = statusOf(job.data.sweep, job.data.name);
      s.counts[state]++;
      if (state === 'running') {
        const p = (typeof job.progress === 'object' ? job.progress : {}) as Partial<TrialProgress>;
        s.running.push({ trial: job.data.trial.id, worker: p.worker, epoch: p.epochs ? `${p.epoch}/${p.epochs}${p.loss !== undefined ? ` loss ${formatNumber(p.loss)}` : ''}` : undefined });
      }
      if (state === 'failed') s.failed.push({ trial: job.data.trial.id, reason: job.failedReason ?? '' });
      if (state === 'done' && job.returnvalue?.worker) doneBy.set(job.returnvalue.worker, (doneBy.get(job.returnvalue.worker) ?? 0) + 1);
    }
  }
  return { list: [...byId.values()], doneBy };
}

export async function queueStatus(options: QueueCommandOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const q = await open(options);
  try {
    const { list, doneBy } = await sweepStatuses(q.trials, q.sweeps);
    stdout.write(`queue ${q.target.display}\n`);
    if (list.length === 0) stdout.write('no sweeps\n');
    else {
      const table = new Table({ head: ['sweep', 'name', 'waiting', 'running', 'done', 'failed'], style: { head: [], border: [] } });
      for (const s of list) table.push([s.id, s.name, s.counts.waiting, s.counts.running, s.counts.done, s.counts.failed]);
      stdout.write(table.toString() + '\n');
      for (const s of list) {
        for (const r of s.running) stdout.write(`running: ${s.name} ${r.trial} on ${r.worker ?? '?'}${r.epoch ? ` (epoch ${r.epoch})` : ''}\n`);
        for (const f of s.failed) stdout.write(`failed: ${s.name} ${f.trial}: ${f.reason}\n`);
      }
    }
    const connected = [...new Set((await q.trials.getWorkers()).map((w) => String(w.rawname ?? '').split(':w:')[1] ?? '(unnamed)'))];
    const seen = [...new Set([...connected, ...doneBy.keys()])].sort();
    stdout.write(seen.length === 0 ? 'workers: none seen\n' : `workers:\n`);
    for (const name of seen) {
      stdout.write(`  ${name}: ${connected.includes(name) ? 'connected' : 'not connected'}, ${doneBy.get(name) ?? 0} trial(s) done\n`);
    }
    return 0;
  } finally {
    await q.close();
  }
}

/** Deletes the keys of a sweep outside BullMQ (bundle, checkpoints, results). */
async function deleteSweepKeys(redis: Redis, id: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', sweepKeys.all(id), 'COUNT', 200);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

export async function queueClean(options: QueueCommandOptions & { sweep?: string; force?: boolean }): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const q = await open(options);
  try {
    const { list } = await sweepStatuses(q.trials, q.sweeps);
    const chosen = options.sweep ? list.filter((s) => s.id === options.sweep || s.name === options.sweep) : list;
    if (options.sweep && chosen.length === 0) throw new UsageError(`no sweep '${options.sweep}' on the queue ${q.target.display} (see regnetc queue status)`);
    let cleaned = 0;
    for (const s of chosen) {
      const unfinished = s.counts.waiting + s.counts.running;
      if (unfinished > 0 && !options.force) {
        stdout.write(`kept ${s.id} (${s.name}): ${unfinished} trial(s) not finished (--force removes them anyway)\n`);
        continue;
      }
      for (const [, types] of STATES) {
        for (const job of await q.trials.getJobs(types, 0, -1, true)) if (job?.data?.sweep === s.id) await job.remove({ removeChildren: false }).catch(() => undefined);
      }
      const parent = await q.sweeps.getJob(s.id);
      await parent?.remove().catch(() => undefined);
      await deleteSweepKeys(q.redis, s.id);
      stdout.write(`removed ${s.id} (${s.name}): ${s.counts.done} done, ${s.counts.failed} failed trial(s), its files and results\n`);
      cleaned++;
    }
    if (chosen.length === 0) stdout.write('no sweeps to clean\n');
    return cleaned === chosen.length ? 0 : 1;
  } finally {
    await q.close();
  }
}
