// Sweeps through the queue vs the local pool, side by side on this machine, for two sweeps
// of 8 trials each:
//   - short: ~1 s of training per trial (4 widths × 2 repeats, 2,000-row csv, 3 epochs, cpu),
//     where the fixed costs per trial and per sweep weigh most;
//   - realistic: ~4 s of training per trial on a quiet machine (an MNIST MLP 784-256-256-10 with dropout,
//     4,000 digits, 6 epochs, 4 dropout rates × 2 repeats, default backend), with a
//     checkpoint of a few MB after every epoch.
// Each sweep runs with `regnetc sweep --workers 2` and with `regnetc sweep --queue` on 2
// `regnetc worker`s (started beforehand, as they would be), in rounds whose order alternates
// (local first, then queue first) so a change of machine load hits both alike; the ratio is
// taken per round, the table shows medians. The workers get REGNET_THREADS=1: on these 2 cores
// each stands for a one-core machine, as each of the local pool's 2 trials gets 1 thread.
// From every queued trial's timeline (the job's return value, see queue/jobs.ts):
//   - the worker's time around the trial's process: before it starts (bundle, checkpoint,
//     checks, spawn), after it exits (result stored, job completed), and the pickup gap
//     between one trial and the next on a worker;
//   - per epoch, how long the trial waited for the worker to read its files, and how long
//     storing the checkpoint took (overlapped with the next epoch's training).
// From the trials' summary.json, both ways: the sweep's lead (command start to the first
// training start), its tail (last training end to the command's exit) and the mean training
// time of a trial (wall_seconds): on a shared machine with the kernel's autogroup scheduling a worker's trial process (its own session, see
// trial-process.ts) gets a CPU share of its own, a local sweep's trials share their sweep's,
// which can move the wall times more than the queue's overhead does: compare at a low load.
// Finally the time from `kill -9` of a worker mid-trial to that trial running on the other.
// Redis runs on loopback with persistence off. Writes bench/results/queue.json.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { Queue } from 'bullmq';
import { REGNETC, tempDir, writeSpec } from '../test/run-helpers.js';
import { Cli, RedisServer, freePort, pointsCsv, redisMissing } from '../test/queue-helpers.js';
import type { TrialJobData, TrialReturn } from '../src/queue/jobs.js';

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
const QUICK = process.argv.includes('--quick');

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

interface SweepCase {
  key: string;
  description: string;
  rounds: number;
  backend?: string;
  write(dir: string): string;
}

const CASES: SweepCase[] = [
  {
    key: 'short',
    description: '8 trials of ~1 s of training (width: 4 values × 2 repeats, csv 2,000 rows, 3 epochs, cpu backend)',
    rounds: QUICK ? 1 : 3,
    backend: 'cpu',
    write: (dir) => {
      writeFileSync(join(dir, 'points.csv'), pointsCsv(2000));
      return writeSpec(
        dir,
        'short.regnet',
        'let width = 16\nmodel {\n  dense(width, activation: relu)\n  dense(width, activation: relu)\n  dense(2)\n}\n' +
          'data { source: csv("points.csv", label: "label") validation: 0.25 }\ntrain { epochs: 3 batch_size: 16 seed: 3 }\nsweep { width: [8, 16, 32, 64]\n  repeats: 2 }\n',
      );
    },
  },
  {
    key: 'realistic',
    description: '8 trials of ~4 s of training, ~5 s per trial process (MNIST MLP 784-256-256-10 with dropout, 4,000 digits, 6 epochs, adam; p: 4 values × 2 repeats; default backend)',
    rounds: QUICK ? 1 : 2,
    write: (dir) =>
      writeSpec(
        dir,
        'realistic.regnet',
        'let p = 0.5\nmodel {\n  flatten\n  dense(256, activation: relu)\n  dropout(p)\n  dense(256, activation: relu)\n  dropout(p)\n  dense(10)\n}\n' +
          'data {\n  source: mnist()\n  subset: 4000\n  validation: 0.1\n}\ntrain { epochs: 6 batch_size: 64 optimizer: adam(lr: 0.001) seed: 1 }\nsweep {\n  p: [0.0, 0.2, 0.5, 0.7]\n  repeats: 2\n}\n',
      ),
  },
];

/** `regnetc ARGS` to its end: wall seconds and when it started (Date.now()). */
function timed(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ seconds: number; startedAt: number; endedAt: number }> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const started = performance.now();
    const child = spawn(process.execPath, [REGNETC, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`regnetc ${args.join(' ')} failed:\n${output}`));
      else resolve({ seconds: (performance.now() - started) / 1000, startedAt, endedAt: Date.now() });
    });
  });
}

/**
 * From the trials' summary.json, the same both ways: the mean training time of a trial, the
 * sweep's lead (command start to the first trial's training start: start-up, compile, enqueue
 * and pickup, the trial's own start-up) and tail (the last training's end to the command's exit:
 * the trial's report, bringing it home, the sweep's report).
 */
function sweepTimes(out: string, run: { startedAt: number; endedAt: number }): { train_s: number; lead_ms: number; tail_ms: number } {
  const runs = readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name.includes('rep'));
  const summaries = runs.map((run) => JSON.parse(readFileSync(join(out, run.name, 'summary.json'), 'utf8')) as { wall_seconds: number; started_at: string; finished_at: string });
  return {
    train_s: summaries.reduce((sum, s) => sum + s.wall_seconds, 0) / summaries.length,
    lead_ms: Math.min(...summaries.map((s) => Date.parse(s.started_at))) - run.startedAt,
    tail_ms: run.endedAt - Math.max(...summaries.map((s) => Date.parse(s.finished_at))),
  };
}

/** Where the queue's time went around its trials, from the completed jobs' timelines. */
interface Overheads {
  before_process_ms: number[];
  after_process_ms: number[];
  pickup_ms: number[];
  epoch_wait_ms: number[];
  epoch_store_ms: number[];
  epoch_waits_per_trial_ms: number[];
}

async function collectOverheads(port: number, into: Overheads): Promise<void> {
  const queue = new Queue<TrialJobData, TrialReturn>('trials', { connection: { host: '127.0.0.1', port }, prefix: 'regnet' });
  try {
    const jobs = (await queue.getJobs(['completed'], 0, -1, true)).filter((j) => j?.returnvalue?.timeline && j.finishedOn);
    const byWorker = new Map<string, Array<{ start: number; end: number }>>();
    for (const job of jobs) {
      const { timeline: t, seconds, worker } = job.returnvalue;
      const finished = job.finishedOn! - t!.picked;
      into.before_process_ms.push(t!.spawned);
      into.after_process_ms.push(finished - t!.spawned - seconds * 1000);
      for (const e of t!.epochs) {
        into.epoch_wait_ms.push(e.waited);
        into.epoch_store_ms.push(e.stored);
      }
      into.epoch_waits_per_trial_ms.push(t!.epochs.reduce((sum, e) => sum + e.waited, 0));
      byWorker.set(worker, [...(byWorker.get(worker) ?? []), { start: t!.picked, end: job.finishedOn! }]);
    }
    for (const spans of byWorker.values()) {
      spans.sort((a, b) => a.start - b.start);
      for (let i = 1; i < spans.length; i++) into.pickup_ms.push(spans[i]!.start - spans[i - 1]!.end);
    }
  } finally {
    await queue.close();
  }
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
  const workerEnv = { ...env, REGNET_THREADS: '1' };
  const workers = [new Cli(['worker', '--name', 'bench-a'], { env: workerEnv }), new Cli(['worker', '--name', 'bench-b'], { env: workerEnv })];
  const loadStart = loadavg()[0]!;
  const results: Record<string, unknown> = {};
  const summary: Array<[string, string]> = [];
  let handoverMs: number | undefined;
  try {
    for (const w of workers) await w.waitFor(/taking trials/);
    for (const c of CASES) {
      const spec = c.write(dir);
      const backend = c.backend ? ['--backend', c.backend] : [];
      type Times = ReturnType<typeof sweepTimes>;
      const rounds: Array<{ load_1m: number; local_s: number; queue_s: number; ratio: number; local: Times; queue: Times }> = [];
      const overheads: Overheads = { before_process_ms: [], after_process_ms: [], pickup_ms: [], epoch_wait_ms: [], epoch_store_ms: [], epoch_waits_per_trial_ms: [] };
      for (let round = 0; round < c.rounds; round++) {
        const load = loadavg()[0]!;
        const localOut = join(dir, `${c.key}-local-${round}`);
        const queueOut = join(dir, `${c.key}-queue-${round}`);
        const runLocal = () => timed(['sweep', spec, '--out', localOut, '--workers', '2', ...backend]);
        const runQueue = async () => {
          const run = await timed(['sweep', spec, '--out', queueOut, '--queue', ...backend], env);
          await collectOverheads(redis.port, overheads);
          await timed(['queue', 'clean'], env); // the next round runs every trial again
          return run;
        };
        let local: Awaited<ReturnType<typeof timed>>;
        let queued: Awaited<ReturnType<typeof timed>>;
        if (round % 2 === 0) {
          local = await runLocal();
          queued = await runQueue();
        } else {
          queued = await runQueue();
          local = await runLocal();
        }
        rounds.push({
          load_1m: round1(load),
          local_s: local.seconds,
          queue_s: queued.seconds,
          ratio: queued.seconds / local.seconds,
          local: sweepTimes(localOut, local),
          queue: sweepTimes(queueOut, queued),
        });
        const r = rounds.at(-1)!;
        console.log(`${c.key} round ${round + 1} (load ${load.toFixed(1)}): local ${r.local_s.toFixed(2)} s, queue ${r.queue_s.toFixed(2)} s (${((r.ratio - 1) * 100).toFixed(1)}%)`);
      }
      const m = (values: number[]) => round1(median(values));
      const perTrial = m(overheads.before_process_ms) + m(overheads.after_process_ms) + m(overheads.pickup_ms) + m(overheads.epoch_waits_per_trial_ms);
      const ratio = median(rounds.map((r) => r.ratio));
      results[c.key] = {
        sweep: c.description,
        rounds,
        median_local_s: median(rounds.map((r) => r.local_s)),
        median_queue_s: median(rounds.map((r) => r.queue_s)),
        median_ratio_queue_over_local: ratio,
        goal: 'queue within 5% of local (ratio <= 1.05)',
        goal_met: ratio <= 1.05,
        mean_trial_training_s: { local: median(rounds.map((r) => r.local.train_s)), queue: median(rounds.map((r) => r.queue.train_s)) },
        per_sweep_ms: {
          start_to_first_training: { local: m(rounds.map((r) => r.local.lead_ms)), queue: m(rounds.map((r) => r.queue.lead_ms)) },
          last_training_to_exit: { local: m(rounds.map((r) => r.local.tail_ms)), queue: m(rounds.map((r) => r.queue.tail_ms)) },
        },
        overhead_per_trial_ms: round1(perTrial),
        overhead_parts_ms: {
          before_trial_process: m(overheads.before_process_ms),
          after_trial_process: m(overheads.after_process_ms),
          pickup_between_trials: m(overheads.pickup_ms),
          trial_waiting_for_its_checkpoints_to_be_read: m(overheads.epoch_waits_per_trial_ms),
        },
        per_epoch_ms: { trial_waits_for_read: m(overheads.epoch_wait_ms), checkpoint_stored_after: m(overheads.epoch_store_ms) },
      };
      summary.push([`${c.key}: local pool / queue, 2 workers (median s)`, `${median(rounds.map((r) => r.local_s)).toFixed(2)} / ${median(rounds.map((r) => r.queue_s)).toFixed(2)}`]);
      summary.push([`${c.key}: queue / local (median of ${c.rounds} rounds; goal <= 1.05)`, `${ratio.toFixed(3)} (${((ratio - 1) * 100).toFixed(1)}%)`]);
      summary.push([`${c.key}: queue overhead per trial (ms)`, `${perTrial.toFixed(0)} (before ${m(overheads.before_process_ms)} + after ${m(overheads.after_process_ms)} + pickup ${m(overheads.pickup_ms)} + epoch waits ${m(overheads.epoch_waits_per_trial_ms)})`]);
      const lead = (side: 'local' | 'queue') => m(rounds.map((r) => r[side].lead_ms));
      const tail = (side: 'local' | 'queue') => m(rounds.map((r) => r[side].tail_ms));
      summary.push([`${c.key}: start -> first training, local / queue (ms)`, `${lead('local')} / ${lead('queue')}`]);
      summary.push([`${c.key}: last training -> exit, local / queue (ms)`, `${tail('local')} / ${tail('queue')}`]);
      summary.push([`${c.key}: mean training of a trial, local / queue (s)`, `${median(rounds.map((r) => r.local.train_s)).toFixed(2)} / ${median(rounds.map((r) => r.queue.train_s)).toFixed(2)}`]);
      summary.push([`${c.key}: load average (1 min) per round`, rounds.map((r) => r.load_1m).join(', ')]);
    }

    // kill -9 of the worker running a trial: how long until the other worker runs it.
    writeFileSync(join(dir, 'points.csv'), pointsCsv(2000));
    const slow = writeSpec(
      dir,
      'one.regnet',
      'let width = 48\nmodel {\n  dense(width, activation: relu)\n  dense(width, activation: relu)\n  dense(2)\n}\n' +
        'data { source: csv("points.csv", label: "label") validation: 0.25 }\ntrain { epochs: 8 batch_size: 16 seed: 3 }\nsweep { width: [48] }\n',
    );
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

  const out = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, loadavg_1m_start: round1(loadStart), loadavg_1m_end: round1(loadavg()[0]!) },
    workers: '2 `regnetc worker` processes, concurrency 1, REGNET_THREADS=1 (each stands for a one-core machine); local pool: --workers 2 (1 thread per trial)',
    ...results,
    kill9_to_running_elsewhere_ms: handoverMs,
    settings: { lockDuration_ms: 4000, stalledInterval_ms: 2000 },
    note: 'the load averages include this benchmark\'s own 2 trial processes (about 2). Wall times on a shared 2-core machine with autogroup scheduling: a worker trial process runs in its own session and gets its own CPU share, a local sweep trial shares its sweep\'s; when other work runs, the mean training times differ and the ratios are not comparable (the overhead per trial is)',
  };
  writeFileSync(join(RESULTS, 'queue.json'), JSON.stringify(out, null, 2) + '\n');
  const table = new Table({ head: ['', 'value'], style: { head: [], border: [] } });
  for (const row of summary) table.push(row);
  table.push(['kill -9 -> trial running elsewhere (ms)', handoverMs?.toFixed(0) ?? '-']);
  table.push(['load average (1 min) at start / end', `${out.machine.loadavg_1m_start} / ${out.machine.loadavg_1m_end}`]);
  console.log(table.toString());
  console.log('wrote bench/results/queue.json');
}

await main();
