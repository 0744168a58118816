// Sweeps through the queue vs the local pool, side by side on this machine:
//   - the same 8-trial sweep (4 widths × 2 repeats, 2,000-row csv, 3 epochs, cpu) with
//     `regnetc sweep --workers 2` and with `regnetc sweep --queue` on 2 `regnetc worker`s
//     (started beforehand, as they would be), alternating in ROUNDS rounds so a change of
//     machine load hits both alike; the ratio is per round, the table shows medians;
//   - the queue's overhead per trial: (queue wall − local wall) × 2 workers / 8 trials;
//   - the time from `kill -9` of a worker (its process group) mid-trial to that trial
//     running on the other worker (its job active there, resuming from the checkpoint).
// Redis runs on loopback with persistence off. Writes bench/results/queue.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { REGNETC, tempDir, writeSpec } from '../test/run-helpers.js';
import { Cli, RedisServer, freePort, redisMissing } from '../test/queue-helpers.js';

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
const ROUNDS = process.argv.includes('--quick') ? 1 : 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function pointsCsv(rows: number): string {
  return 'x,y,label\n' + Array.from({ length: rows }, (_, i) => `${((i * 37) % 19) / 10 - 0.9},${((i * 11) % 17) / 8 - 1},${(i * 37) % 19 > 9 === (i * 11) % 17 > 8 ? 'a' : 'b'}`).join('\n') + '\n';
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
  const rounds: Array<{ local_s: number; queue_s: number; ratio: number }> = [];
  let handoverMs: number | undefined;
  try {
    for (const w of workers) await w.waitFor(/taking trials/);
    const sweep = spec(dir, 'eight.regnet', 'width: [8, 16, 32, 64]\n  repeats: 2', 3);
    for (let round = 0; round < ROUNDS; round++) {
      // Fresh output folders, and the finished sweep cleaned from the queue: every trial runs.
      const local = timed(['sweep', sweep, '--out', join(dir, `local-${round}`), '--workers', '2', '--backend', 'cpu']);
      const queued = timed(['sweep', sweep, '--out', join(dir, `queue-${round}`), '--queue', '--backend', 'cpu'], env);
      timed(['queue', 'clean'], env);
      rounds.push({ local_s: local, queue_s: queued, ratio: queued / local });
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
    overhead_per_trial_ms: ((queue - local) * 2 * 1000) / 8,
    kill9_to_running_elsewhere_ms: handoverMs,
    settings: { lockDuration_ms: 4000, stalledInterval_ms: 2000 },
  };
  writeFileSync(join(RESULTS, 'queue.json'), JSON.stringify(out, null, 2) + '\n');
  const table = new Table({ head: ['', 'value'], style: { head: [], border: [] } });
  table.push(['local pool, 2 workers (median s)', local.toFixed(2)]);
  table.push(['queue, 2 workers (median s)', queue.toFixed(2)]);
  table.push(['queue / local (median of rounds)', `${ratio.toFixed(3)} (${((ratio - 1) * 100).toFixed(1)}%)`]);
  table.push(['queue overhead per trial (ms)', out.overhead_per_trial_ms.toFixed(0)]);
  table.push(['kill -9 -> trial running elsewhere (ms)', handoverMs?.toFixed(0) ?? '-']);
  console.log(table.toString());
  console.log('wrote bench/results/queue.json');
}

await main();
