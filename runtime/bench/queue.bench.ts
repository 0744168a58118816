// Sweeps through the queue vs the local pool, side by side on this machine:
//   - the same 8-trial sweep (4 widths × 2 repeats, 2,000-row csv, 3 epochs, cpu) with
//     `regnetc sweep --workers 2` and with `regnetc sweep --queue` on 2 `regnetc worker`s
//     (started beforehand, as they would be), alternating in ROUNDS rounds so a change of
//     machine load hits both alike; the ratio is per round, the table shows medians;
//   - the queue's overhead per trial, from BullMQ's job timestamps: the time a worker holds a
//     trial (processedOn..finishedOn) minus the trial process's own wall time (bundle, checkpoint
//     after each epoch, result upload), plus the median gap between a worker finishing one trial
//     and starting the next (pickup);
//   - the mean training time of a trial (summary.json wall_seconds) each way: on a shared machine
//     with the kernel's autogroup scheduling, a worker's trial process (its own session, see
//     worker.ts) gets a CPU share of its own, while a local sweep's trials share their sweep's,
//     which alone moves the wall times far more than the queue's overhead does;
//   - the time from `kill -9` of a worker (its process group) mid-trial to that trial
//     running on the other worker (its job active there, resuming from the checkpoint).
// Redis runs on loopback with persistence off. Writes bench/results/queue.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { REGNETC, tempDir, writeSpec } from '../test/run-helpers.js';
import { Queue } from 'bullmq';
import { Cli, RedisServer, freePort, pointsCsv, redisMissing } from '../test/queue-helpers.js';
import type { TrialReturn } from '../src/queue/jobs.js';

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
const ROUNDS = process.argv.includes('--quick') ? 1 : 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function spec(dir: string, name: string, sweep: string, epochs: number): string {
  writeFileSync(join(dir, 'points.csv'), pointsCsv(2000));
  return writeSpec(
    dir,
    name,
    `let width = 16\nmodel {\n  dense(width, activation: relu)\n  dense(width, activation: relu)\n  dense(2)\n}\n` +
      `data { source: csv("points.csv", label: "label") validation: 0.25 }\ntrain { epochs: ${epochs} batch_size: 16 seed: 3 }\nsweep { ${sweep} }\n`,
  );
}

function timed(args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [REGNETC, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`regnetc ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  const missing = redisMissing();
  if (missing) {
    writeFileSync(join(RESULTS, 'queue.json'), JSON.stringify({ skipped: missing }, null, 2) + '\n');
    console.log(`queue benchmark skipped: ${missing}`);
    return;
  }
  const dir = tempDir('regnet-queue-bench-');
  const redis = new RedisServer(await freePort(), dir);
  await redis.start();
  const env = { REGNET_QUEUE: redis.url };
  const workers = [new Cli(['worker', '--name', 'bench-a'], { env }), new Cli(['worker', '--name', 'bench-b'], { env })];
  const rounds: Array<{ local_s: number; queue_s: number; ratio: number; local_trial_train_s: number; queue_trial_train_s: number }> = [];
  const holdOverheadMs: number[] = [];
  const pickupMs: number[] = [];
  const trainSeconds = (out: string) => {
    const runs = readdirSync(out).filter((name) => name.startsWith('width='));
    const total = runs.reduce((sum, run) => sum + (JSON.parse(readFileSync(join(out, run, 'summary.json'), 'utf8')) as { wall_seconds: number }).wall_seconds, 0);
    return total / runs.length;
  };
  const jobTimes = async () => {
    const queue = new Queue<unknown, TrialReturn>('trials', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'regnet' });
    try {
      const jobs = (await queue.getJobs(['completed'], 0, -1, true)).filter((j) => j?.finishedOn && j.processedOn);
      for (const job of jobs) holdOverheadMs.push(job.finishedOn! - job.processedOn! - job.returnvalue.seconds * 1000);
      const byWorker = new Map<string, Array<{ start: number; end: number }>>();
      for (const job of jobs) byWorker.set(job.returnvalue.worker, [...(byWorker.get(job.returnvalue.worker) ?? []), { start: job.processedOn!, end: job.finishedOn! }]);
      for (const spans of byWorker.values()) {
        spans.sort((a, b) => a.start - b.start);
        for (let i = 1; i < spans.length; i++) pickupMs.push(spans[i]!.start - spans[i - 1]!.end);
      }
    } finally {
      await queue.close();
    }
  };
  let handoverMs: number | undefined;
  try {
    for (const w of workers) await w.waitFor(/taking trials/);
    const sweep = spec(dir, 'eight.regnet', 'width: [8, 16, 32, 64]\n  repeats: 2', 3);
    for (let round = 0; round < ROUNDS; round++) {
      // Fresh output folders, and the finished sweep cleaned from the queue: every trial runs.
      const local = timed(['sweep', sweep, '--out', join(dir, `local-${round}`), '--workers', '2', '--backend', 'cpu']);
      const queued = timed(['sweep', sweep, '--out', join(dir, `queue-${round}`), '--queue', '--backend', 'cpu'], env);
      await jobTimes();
      timed(['queue', 'clean'], env);
      rounds.push({
        local_s: local,
        queue_s: queued,
        ratio: queued / local,
        local_trial_train_s: trainSeconds(join(dir, `local-${round}`)),
        queue_trial_train_s: trainSeconds(join(dir, `queue-${round}`)),
      });
      console.log(`round ${round + 1}: local ${local.toFixed(1)} s, queue ${queued.toFixed(1)} s (${((queued / local - 1) * 100).toFixed(1)}%)`);
    }

    // kill -9 of the worker running a trial: how long until the other worker runs it.
    const slow = spec(dir, 'one.regnet', 'width: [48]', 8);
    const submit = new Cli(['sweep', slow, '--out', join(dir, 'kill'), '--queue', '--backend', 'cpu'], { env });
    const [, , victim] = await submit.waitFor(/width=48,rep0: epoch (1|2)\/8 .* on (bench-[ab])/);
    const doomed = workers.find((w) => w.output.includes(`worker ${victim}:`))!;
    doomed.signal('SIGKILL', true);
    const killedAt = performance.now();
    await submit.waitFor(/width=48,rep0: resumed after epoch \d on bench-[ab]/, 60_000);
    handoverMs = performance.now() - killedAt;
    await submit.exited;
  } finally {
    for (const w of workers) await w.stop();
    await redis.stop();
  }

  const local = median(rounds.map((r) => r.local_s));
  const queue = median(rounds.map((r) => r.queue_s));
  const ratio = median(rounds.map((r) => r.ratio));
  const out = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, loadavg_1m: loadavg()[0] },
    sweep: '8 trials (width: 4 values × 2 repeats), csv 2,000 rows, 3 epochs, cpu backend; 2 workers each way',
    rounds,
    median_local_s: local,
    median_queue_s: queue,
    median_ratio_queue_over_local: ratio,
    goal: 'queue within 5% of local',
    median_trial_training_s: { local: median(rounds.map((r) => r.local_trial_train_s)), queue: median(rounds.map((r) => r.queue_trial_train_s)) },
    overhead_per_trial_ms: median(holdOverheadMs) + median(pickupMs),
    overhead_parts_ms: { worker_holding_beyond_trial_process: median(holdOverheadMs), pickup_between_trials: median(pickupMs) },
    note: 'wall times on a shared 2-core machine with autogroup scheduling: a worker trial process runs in its own session and gets its own CPU share, a local sweep trial shares its sweep\'s; compare the overhead per trial, not only the walls',
    kill9_to_running_elsewhere_ms: handoverMs,
    settings: { lockDuration_ms: 4000, stalledInterval_ms: 2000 },
  };
  writeFileSync(join(RESULTS, 'queue.json'), JSON.stringify(out, null, 2) + '\n');
  const table = new Table({ head: ['', 'value'], style: { head: [], border: [] } });
  table.push(['local pool, 2 workers (median s)', local.toFixed(2)]);
  table.push(['queue, 2 workers (median s)', queue.toFixed(2)]);
  table.push(['queue / local (median of rounds)', `${ratio.toFixed(3)} (${((ratio - 1) * 100).toFixed(1)}%)`]);
  table.push(['mean training time of a trial, local / queue (s)', `${out.median_trial_training_s.local.toFixed(2)} / ${out.median_trial_training_s.queue.toFixed(2)}`]);
  table.push(['queue overhead per trial (ms): holding + pickup', `${out.overhead_per_trial_ms.toFixed(0)} (${median(holdOverheadMs).toFixed(0)} + ${median(pickupMs).toFixed(0)})`]);
  table.push(['kill -9 -> trial running elsewhere (ms)', handoverMs?.toFixed(0) ?? '-']);
  console.log(table.toString());
  console.log('wrote bench/results/queue.json');
}

await main();
