// Sweeps on many machines, end to end on one: a real redis-server, real
// `regnetc worker` processes and `regnetc sweep --queue`. Results equal a local
// sweep's; the data travels with the sweep; kill -9 of a worker resumes its trial
// elsewhere from the last finished epoch; a Redis restart loses nothing; a wrong
// URL fails fast; Ctrl-C on the submitter leaves the trials running and the printed
// command re-attaches; a worker's second Ctrl-C stops it at once. Without
// redis-server the tests skip (REGNET_E2E=required fails).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../src/run/run-dir.js';
import { parseQueueUrl, redact } from '../src/queue/connection.js';
import { trialLimits, versionMismatch } from '../src/queue/jobs.js';
import { DEFAULT_LIMITS } from '@regnet/compiler';
import { reattachCommand } from '../src/queue/submit.js';
import { regnetc, tempDir, writeSpec } from './run-helpers.js';
import { Queue } from 'bullmq';
import { Cli, RedisServer, alive, freePort, makeCertificates, pointsCsv, redisMissing, sleep } from './queue-helpers.js';

function skipWithoutRedis(t: TestContext): boolean {
  const why = redisMissing();
  if (!why) return false;
  if (process.env.REGNET_E2E === 'required') assert.fail(`REGNET_E2E=required but ${why}`);
  t.skip(why);
  return true;
}

/** A test's own redis-server and the regnetc processes it starts, all stopped at the end. */
interface Rig {
  dir: string;
  redis: RedisServer;
  procs: Cli[];
  /** `regnetc ARGS` in the background with REGNET_QUEUE set to this Redis (and `env` added). */
  start(args: string[], env?: NodeJS.ProcessEnv, cwd?: string): Cli;
}

async function withRedis(t: TestContext, options: RedisServer['options'] & { dir?: string }, body: (rig: Rig) => Promise<void>): Promise<void> {
  if (skipWithoutRedis(t)) return;
  const dir = options.dir ?? tempDir('regnet-q-');
  const redis = new RedisServer(await freePort(), dir, options);
  await redis.start();
  const env = { REGNET_QUEUE: redis.url };
  const procs: Cli[] = [];
  const start = (args: string[], extra: NodeJS.ProcessEnv = {}, cwd?: string) => {
    const cli = new Cli(args, { env: { ...env, ...extra }, cwd });
    procs.push(cli);
    return cli;
  };
  try {
    await body({ dir, redis, procs, start });
  } finally {
    for (const p of procs) await p.stop();
    await redis.stop();
  }
}

/** Every metric column of results.csv (the timing columns `seconds_*` aside). */
function metricColumns(dir: string): string[][] {
  const rows = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const keep = rows[0]!.map((name, i) => (name.startsWith('seconds_') ? -1 : i)).filter((i) => i >= 0);
  return rows.map((row) => keep.map((i) => row[i]!));
}

function epochsOf(runDir: string): number[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}


const CSV_SWEEP = `
let width = 4
let lr = 0.01
model {
  dense(width, activation: relu)
  dense(2)
}
data { source: csv("points.csv", label: "label") validation: 0.25 }
train { epochs: 2 batch_size: 20 optimizer: adam(lr: lr) seed: 11 }
sweep {
  width: [4, 8]
  lr: [0.01, 0.1]
}
`;

test('queue URLs: passwords are redacted, rediss:// means TLS, other versions are named; the re-attach command repeats the sweep flags', () => {
  assert.equal(redact('redis://:s3cret@example.org:6380/2'), 'redis://:***@example.org:6380/2');
  const tls = parseQueueUrl('rediss://user:pw@cache.example.org:6390');
  assert.deepEqual([tls.options.host, tls.options.port, tls.options.username, tls.options.password, Boolean(tls.options.tls)], ['cache.example.org', 6390, 'user', 'pw', true]);
  assert.equal(tls.display, 'rediss://user:***@cache.example.org:6390');
  assert.equal(parseQueueUrl('redis://localhost').options.port, 6379);
  assert.throws(() => parseQueueUrl('http://localhost:6379'), /is not a redis:\/\/ or rediss:\/\/ URL/);
  // The re-attach command repeats every flag the sweep's id derives from, quoted for a shell.
  const options = { file: "my runs/it's.regnet", backend: 'wasm', epochs: 3, overrides: { act: 'relu', src: 'a b.csv', opt: { kind: 'adam', args: { lr: 0.1 } } }, queue: 'redis://:pw@h:1' };
  assert.equal(
    reattachCommand(options, '/tmp/out dir', parseQueueUrl(options.queue)),
    `regnetc sweep 'my runs/it'\\''s.regnet' --out '/tmp/out dir' --queue '<the same URL, with its password>' --backend wasm --epochs 3 --set act=relu --set 'src="a b.csv"' --set 'opt=adam(lr: 0.1)'`,
  );
  assert.match(
    reattachCommand({ file: 's.regnet', backend: 'auto', safety: { dataRoots: [], limits: { params: 100, memory: 2e9 } } }, 'out', parseQueueUrl('redis://h:1')),
    / --limit params=100 --limit memory=2000000000$/,
    'the limits are part of the sweep',
  );
  // A sweep lowers a worker's limits, never raises them.
  assert.deepEqual(trialLimits({ params: 100, memory: 1e12 }, { memory: 1e9 }), { limits: { ...DEFAULT_LIMITS, params: 100, memory: 1e9 }, capped: ['memory'] });
  assert.deepEqual(trialLimits(undefined, {}), { limits: DEFAULT_LIMITS, capped: [] });
  assert.equal(versionMismatch('0.1.0', '0.1.0'), null);
  assert.equal(versionMismatch('0.2.0', '0.1.0'), 'this worker runs RegNet 0.1.0 but the sweep was submitted with RegNet 0.2.0: run workers and the submitter on the same version');
});

test('a wrong queue URL fails within 5 s with one clear line', async (t) => {
  const port = await freePort();
  // The machine may be loaded: the time a process takes to start (`regnetc --version`) is the baseline.
  let started = Date.now();
  regnetc(['--version']);
  const startup = Date.now() - started;
  started = Date.now();
  const r = regnetc(['sweep', 'examples/01-overfitting-l1-l2/circle.regnet', '--queue', `redis://:pw@127.0.0.1:${port}`, '--out', join(tempDir('regnet-q-'), 'o')]);
  const took = Date.now() - started;
  assert.ok(took - startup < 5000, `took ${took} ms (startup ${startup} ms)`);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `regnetc: error: cannot reach the queue at redis://:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port} (is redis-server running there? check --queue or REGNET_QUEUE)\n`);
  const w = regnetc(['worker'], undefined, 10_000);
  assert.equal(w.code, 1);
  assert.equal(w.stderr, 'regnetc: error: no queue given: pass --queue redis://HOST:PORT or set REGNET_QUEUE\n');
  void t;
});

test('a 2x2 sweep through the queue on two workers equals the local sweep; the data travels; the password stays secret', { timeout: 180_000 }, async (t) => {
  const password = 'q-secret-83461';
  await withRedis(t, { password }, async ({ dir, redis, procs, start }) => {
    writeFileSync(join(dir, 'points.csv'), pointsCsv(80));
    const spec = writeSpec(dir, 'points.regnet', CSV_SWEEP);
    const local = regnetc(['sweep', spec, '--out', join(dir, 'local'), '--workers', '2', '--backend', 'cpu']);
    assert.equal(local.code, 0, local.stderr);

    const early = start(['worker', '--name', 'early'], {}, dir);
    await early.waitFor(/taking trials from redis:\/\/:\*\*\*@127\.0\.0\.1/);
    const out = join(dir, 'queued');
    const submit = regnetc(['sweep', spec, '--out', out, '--queue', redis.url, '--backend', 'cpu', '--detach']);
    assert.equal(submit.code, 0, submit.stderr);
    assert.match(submit.stdout, /queue: 4 trial\(s\) enqueued\n/);
    assert.match(submit.stdout, /collect the results with:\n {2}regnetc sweep .*points\.regnet --out .*queued --queue '<the same URL, with its password>'/);
    // No shared file system: the data file is gone from here, the workers have their copy.
    renameSync(join(dir, 'points.csv'), join(dir, 'points.away'));
    const late = start(['worker', '--name', 'late', '--queue', redis.url], {}, dir);
    const deadline = Date.now() + 90_000;
    while (((early.stdout + late.stdout).match(/: done in /g)?.length ?? 0) < 4 && Date.now() < deadline) await sleep(200);
    renameSync(join(dir, 'points.away'), join(dir, 'points.csv'));

    // The same command without --detach collects (`--queue` alone: the URL from REGNET_QUEUE).
    const attached = start(['sweep', spec, '--out', out, '--backend', 'cpu', '--queue']);
    assert.equal(await attached.exited, 0, attached.output);
    assert.equal(attached.stdout.match(/^\[\d\/4\] width=\d,lr=0\.0?1,rep0: done in \d+\.\d s on (early|late), 2 epochs/gm)?.length, 4, attached.stdout);
    assert.match(attached.stdout, / on early, /);
    assert.match(attached.stdout, / on late, /);
    assert.deepEqual(metricColumns(out), metricColumns(join(dir, 'local')), 'every metric column equals the local sweep');
    for (const trial of ['width=4,lr=0.01,rep0', 'width=8,lr=0.1,rep0']) {
      const summary = JSON.parse(readFileSync(join(out, trial, 'summary.json'), 'utf8')) as RunSummary;
      assert.equal(summary.spec_file, spec, "paths read as the submitter's");
      assert.ok(existsSync(join(out, trial, 'model', 'model.json')));
      assert.ok(existsSync(join(out, trial, 'report.html')));
    }
    assert.deepEqual(readdirSync(out).sort(), readdirSync(join(dir, 'local')).sort());
    for (const file of filesUnder(out)) assert.ok(!readFileSync(file).includes(password), `${file} holds the password`);
    for (const p of procs) assert.ok(!p.output.includes(password), 'no output shows the password');

    const status = regnetc(['queue', 'status'], undefined, 20_000);
    assert.equal(status.code, 1, 'no queue given');
    const shown = start(['queue', 'status']);
    assert.equal(await shown.exited, 0, shown.output);
    assert.match(shown.stdout, /│ [0-9a-f]{16} │ points │ 0 +│ 0 +│ 4 +│ 0 +│/);
    assert.match(shown.stdout, /early: connected, [1-3] trial\(s\) done/);
    assert.match(shown.stdout, /late: connected, [1-3] trial\(s\) done/);
    const clean = start(['queue', 'clean']);
    assert.equal(await clean.exited, 0, clean.output);
    assert.match(clean.stdout, /removed [0-9a-f]{16} \(points\): 4 done, 0 failed/);
    const after = start(['queue', 'status']);
    await after.exited;
    assert.match(after.stdout, /no sweeps/);
  });
});

/** The `error ...` line of a trial's train.log. */
function errorLine(runDir: string): string | undefined {
  return readFileSync(join(runDir, 'train.log'), 'utf8').split('\n').find((line) => / error RN\d+:/.test(line));
}

test("the submitter's --limit reaches the workers' trials (a trial fails as it does locally); a worker's own REGNET_MAX_* caps what a sweep may raise", { timeout: 180_000 }, async (t) => {
  await withRedis(t, {}, async ({ dir, start }) => {
    writeFileSync(join(dir, 'points.csv'), pointsCsv(40));
    // width 4: 22 parameters; width 64: 322.
    const spec = writeSpec(dir, 'limits.regnet', CSV_SWEEP.replace('epochs: 2', 'epochs: 1').replace('lr: [0.01, 0.1]', 'lr: [0.01]').replace('width: [4, 8]', 'width: [4, 64]'));
    const local = regnetc(['sweep', spec, '--out', join(dir, 'local'), '--workers', '2', '--backend', 'cpu', '--limit', 'params=100']);
    assert.equal(local.code, 1, local.stderr);
    const expected = errorLine(join(dir, 'local', 'width=64,lr=0.01,rep0'));
    assert.match(expected ?? '', /limits\.regnet:\d+:\d+: error RN308: this model has 322 parameters, more than the limit of 100: /);

    start(['worker', '--name', 'capped'], { REGNET_MAX_PARAMS: '300' });
    const lowered = start(['sweep', spec, '--out', join(dir, 'lowered'), '--backend', 'cpu', '--queue', '--limit', 'params=100']);
    assert.equal(await lowered.exited, 1, lowered.output);
    assert.equal(errorLine(join(dir, 'lowered', 'width=64,lr=0.01,rep0')), expected, 'the same message as the local trial');
    assert.match(readFileSync(join(dir, 'lowered', 'results.md'), 'utf8'), /- `width=64,lr=0\.01,rep0`: .*error RN308: this model has 322 parameters, more than the limit of 100: .*\(exit code 1\)/);
    assert.match(lowered.stdout, /\[\d\/2\] width=4,lr=0\.01,rep0: done in /);

    // Above the worker's own limit, the worker's wins, and the failure says why.
    const raised = start(['sweep', spec, '--out', join(dir, 'raised'), '--backend', 'cpu', '--queue', '--limit', 'params=1000']);
    assert.equal(await raised.exited, 1, raised.output);
    assert.match(errorLine(join(dir, 'raised', 'width=64,lr=0.01,rep0')) ?? '', /error RN308: this model has 322 parameters, more than the limit of 300: /);
    assert.match(
      readFileSync(join(dir, 'raised', 'results.md'), 'utf8'),
      /- `width=64,lr=0\.01,rep0`: .*more than the limit of 300: .*\(exit code 1\); the sweep asked for --limit params=1000 but this worker allows at most 300 \(its REGNET_MAX_PARAMS\)/,
    );
  });
});

/** ~1 s per epoch on one core: long enough to kill a worker in the middle of a trial. */
function slowSpec(dir: string, sweep: string, epochs: number): string {
  writeFileSync(join(dir, 'big.csv'), pointsCsv(2000));
  return writeSpec(
    dir,
    'slow.regnet',
    `let src = "big.csv"\nlet width = 32\nmodel {\n  dense(width, activation: relu)\n  dense(width, activation: relu)\n  dense(2)\n}\n` +
      `data { source: csv(src, label: "label") validation: 0.25 }\ntrain { epochs: ${epochs} batch_size: 16 seed: 3 }\nsweep { ${sweep} }\n`,
  );
}

test('kill -9 of a worker mid-trial: another worker resumes the trial from its last finished epoch; Ctrl-C hands a trial back; a bad trial fails once', { timeout: 180_000 }, async (t) => {
  await withRedis(t, {}, async ({ dir, start }) => {
    const spec = slowSpec(dir, 'src: ["big.csv", "gone.csv"]', 6);
    const doomed = start(['worker', '--name', 'doomed']);
    await doomed.waitFor(/taking trials/);
    const out = join(dir, 'out');
    const submit = start(['sweep', spec, '--out', out, '--backend', 'cpu', '--queue']);
    await submit.waitFor(/src=big\.csv,rep0: epoch [1-4]\/6 .* on doomed/);
    const child = Number((await doomed.waitFor(/src=big\.csv,rep0: trial process (\d+)/))[1]);
    doomed.signal('SIGKILL', true);
    const killedAt = Date.now();
    const rescuer = start(['worker', '--name', 'rescuer']);
    const resumed = Number((await submit.waitFor(/src=big\.csv,rep0: resumed after epoch (\d) on rescuer/, 30_000))[1]);
    const handover = Date.now() - killedAt;
    assert.ok(handover < 15_000, `the trial ran elsewhere ${handover} ms after the kill`);
    t.diagnostic(`kill -9 -> trial resumed elsewhere after ${handover} ms`);
    assert.ok(resumed >= 1 && resumed < 6);
    await sleep(500);
    assert.ok(!alive(child), "the killed worker's trial process stopped too");
    // Ctrl-C on a worker hands its running trial back (last finished epoch); a third worker finishes it.
    rescuer.signal('SIGINT');
    assert.equal(await rescuer.exited, 0, rescuer.output);
    assert.match(rescuer.stdout, /stopping: handing back 1 running trial\(s\) at their last finished epoch/);
    assert.match(rescuer.stdout, /src=big\.csv,rep0: handed back to the queue/);
    const finisher = start(['worker', '--name', 'finisher']);
    await submit.waitFor(/src=big\.csv,rep0: resumed after epoch \d on finisher/, 30_000);
    assert.equal(await submit.exited, 1, submit.output);

    const big = join(out, 'src=big.csv,rep0');
    assert.deepEqual(epochsOf(big), [1, 2, 3, 4, 5, 6], 'every epoch exactly once');
    const summary = JSON.parse(readFileSync(join(big, 'summary.json'), 'utf8')) as RunSummary;
    assert.ok(summary.resumed! >= 1, 'resumed at least once');
    assert.equal(summary.stop_reason, 'completed');
    assert.equal(submit.stderr.match(/src=gone\.csv,rep0: FAILED/g)?.length, 1, 'the bad trial is reported once');
    assert.match(submit.stderr, /regnetc: 1 of 2 trials did not complete/);
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    assert.match(md, /- `src=gone\.csv,rep0`: .*error RN601: data file 'gone\.csv' not found.*\(exit code 1\)/);
    assert.equal((doomed.output + rescuer.output + finisher.output).match(/src=gone\.csv,rep0: started/g)?.length, 1, 'not retried');
  });
});

test('Redis stopped and restarted mid-sweep (appendonly): both sides say so, reconnect, and nothing is lost', { timeout: 180_000 }, async (t) => {
  await withRedis(t, { appendonly: true }, async ({ dir, redis, start }) => {
    const spec = slowSpec(dir, 'width: [16, 32]', 3);
    const worker = start(['worker', '--name', 'steady']);
    await worker.waitFor(/taking trials/);
    const out = join(dir, 'out');
    const submit = start(['sweep', spec, '--out', out, '--backend', 'cpu', '--queue']);
    await submit.waitFor(/width=16,rep0: epoch 1\/3/);
    await redis.stop();
    await sleep(1000);
    await redis.start();
    assert.equal(await submit.exited, 0, submit.output);
    for (const p of [submit, worker]) {
      assert.match(p.stderr, /lost the queue at redis:\/\/127\.0\.0\.1:\d+ \(.*\); reconnecting\.\.\./);
      assert.match(p.stderr, /reconnected to the queue at redis:\/\/127\.0\.0\.1:\d+/);
    }
    for (const trial of ['width=16,rep0', 'width=32,rep0']) assert.deepEqual(epochsOf(join(out, trial)), [1, 2, 3], trial);
    assert.match(readFileSync(join(out, 'results.csv'), 'utf8'), /^16,1,1,0,/m);

    // A job from another RegNet version: the worker refuses it, naming both versions.
    const queue = new Queue('trials', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'regnet' });
    try {
      const trial = { id: 'x', values: {}, repeat: 0, seed: 1, config: 'x' };
      const job = await queue.add('trial', { sweep: 'future', name: 'future', index: 0, trial, overrides: {}, backend: 'cpu', version: '9.9.9' }, { jobId: 'future-0' });
      await worker.waitFor(/refusing future x: this worker runs RegNet \S+ but the sweep was submitted with RegNet 9\.9\.9/);
      await sleep(300);
      assert.equal(await job.getState(), 'failed');
      assert.equal((await queue.getJob('future-0'))!.failedReason, versionMismatch('9.9.9'));
    } finally {
      await queue.close();
    }
  });
});

test('rediss:// (TLS) with a private CA: a worker and a sweep over TLS', { timeout: 120_000 }, async (t) => {
  if (skipWithoutRedis(t)) return;
  const dir = tempDir('regnet-q-');
  const certs = makeCertificates(dir);
  if (typeof certs === 'string') {
    if (process.env.REGNET_E2E === 'required') assert.fail(`REGNET_E2E=required but ${certs}`);
    t.skip(certs);
    return;
  }
  await withRedis(t, { dir, tls: certs, password: 'tls-pw' }, async ({ redis, start }) => {
    const trusted = { NODE_EXTRA_CA_CERTS: certs.ca };
    const untrusted = regnetc(['queue', 'status', '--queue', redis.url], undefined, 20_000);
    assert.match(untrusted.stderr, /^regnetc: error: cannot reach the queue at rediss:\/\/:\*\*\*@localhost:\d+: self-signed certificate in certificate chain/);
    writeFileSync(join(dir, 'points.csv'), pointsCsv(40));
    const spec = writeSpec(dir, 'tls.regnet', CSV_SWEEP.replace('epochs: 2', 'epochs: 1').replace('lr: [0.01, 0.1]', 'lr: [0.01]'));
    start(['worker', '--name', 'tls'], trusted);
    const submit = start(['sweep', spec, '--out', join(dir, 'out'), '--backend', 'cpu', '--queue'], trusted);
    assert.equal(await submit.exited, 0, submit.output);
    assert.equal(submit.stdout.match(/^\[\d\/2\] width=\d,lr=0\.01,rep0: done in .* on tls, 1 epochs/gm)?.length, 2, submit.stdout);
    assert.match(submit.stdout, /on the queue rediss:\/\/:\*\*\*@localhost:\d+ \(sweep [0-9a-f]{16}\)/);
  });
});

/** Polls `condition` until it holds (within `timeoutMs`): for states seen in Redis rather than in an output. */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(200);
  }
}

test('Ctrl-C on the submitting side leaves the trials running and prints the command that re-attaches; queue status names the running worker; a second Ctrl-C on a worker stops it at once and its trial goes back to the queue', { timeout: 240_000 }, async (t) => {
  await withRedis(t, {}, async ({ dir, redis, start }) => {
    const spec = slowSpec(dir, 'width: [16, 32]', 6);
    const queue = new Queue('trials', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'regnet' });
    // Trial processes this test freezes (SIGSTOP) cannot notice their worker is gone: killed in `finally`.
    const frozen: number[] = [];
    const freeze = (pid: number) => {
      frozen.push(pid);
      process.kill(pid, 'SIGSTOP');
    };
    try {
      const alpha = start(['worker', '--name', 'alpha']);
      await alpha.waitFor(/taking trials/);
      const out = join(dir, 'out');
      const first = start(['sweep', spec, '--out', out, '--backend', 'cpu', '--queue', redis.url]);
      const id = (await first.waitFor(/\(sweep ([0-9a-f]{16})\)/))[1]!;
      await first.waitFor(/width=16,rep0: epoch [1-5]\/6 .* on alpha/);

      // `queue status` while the trial runs (its process paused meanwhile, so that it cannot finish first).
      const child16 = Number((await alpha.waitFor(/width=16,rep0: trial process (\d+)/))[1]);
      freeze(child16);
      const status = start(['queue', 'status', '--queue', redis.url]);
      assert.equal(await status.exited, 0, status.output);
      assert.match(status.stdout, new RegExp(`│ ${id} │ slow +│ 1 +│ 1 +│ 0 +│ 0 +│`), status.stdout);
      assert.match(status.stdout, /^running: slow width=16,rep0 on alpha \(epoch [1-5]\/6 loss \S+\)$/m);
      assert.match(status.stdout, /^workers:\n {2}alpha: connected, 0 trial\(s\) done\n/m);

      // Ctrl-C on the submitting side: it stops and says how to re-attach; the trials keep running.
      first.signal('SIGINT');
      assert.equal(await first.exited, 130, first.output);
      process.kill(child16, 'SIGCONT');
      const printed = first.stdout.match(/^interrupt: 2 trial\(s\) keep running on the workers; re-attach with:\n {2}regnetc (.*)$/m);
      assert.ok(printed, first.stdout);
      assert.equal(printed[1], `sweep ${spec} --out ${out} --queue ${redis.url} --backend cpu`, 'the command as given');
      // With nobody collecting, the worker finishes the trial.
      await until(async () => (await queue.getJobState(`${id}-0`)) === 'completed', 'width=16 completes without a submitter');

      // The printed command re-attaches: nothing enqueued again, the finished trial collected, the running one followed.
      const second = start(printed[1].split(' '));
      await second.waitFor(/queue: 0 trial\(s\) enqueued, 2 already on the queue\n/);
      assert.match(second.stdout, new RegExp(`\\(sweep ${id}\\)`));
      await second.waitFor(/\[1\/2\] width=16,rep0: done in .* on alpha, 6 epochs/);

      // A worker's second Ctrl-C stops it at once. The trial process is frozen first (after an
      // epoch is on the queue), as in a long step, so that it cannot hand the trial back at the
      // first Ctrl-C (tested above).
      const child32 = Number((await alpha.waitFor(/width=32,rep0: trial process (\d+)/))[1]);
      const epochOf32 = async () => ((await queue.getJob(`${id}-1`))?.progress as { epoch?: number } | undefined)?.epoch ?? 0;
      await until(async () => (await epochOf32()) >= 1, 'width=32 has finished an epoch');
      freeze(child32);
      const frozenAt = await epochOf32();
      assert.ok(frozenAt < 6, `width=32 frozen at epoch ${frozenAt}, before its end`);
      alpha.signal('SIGINT');
      await alpha.waitFor(/stopping: handing back 1 running trial\(s\) at their last finished epoch/);
      alpha.signal('SIGINT');
      assert.equal(await alpha.exited, 130, alpha.output);
      assert.match(alpha.stdout, /worker alpha: stopping now; running trials go back to the queue/);
      assert.doesNotMatch(alpha.stdout, /handed back/);
      await until(async () => !alive(child32), 'the trial process is gone', 10_000);
      // The trial goes back to the queue (when its lock expires): another worker finishes it.
      start(['worker', '--name', 'beta']);
      const resumed = Number((await second.waitFor(/width=32,rep0: resumed after epoch (\d) on beta/, 60_000))[1]);
      assert.ok(resumed >= frozenAt && resumed < 6, `resumed after epoch ${resumed}, frozen at ${frozenAt}`);
      assert.equal(await second.exited, 0, second.output);
      assert.match(second.stdout, /\[2\/2\] width=32,rep0: done in .* on beta, 6 epochs/);

      const rows = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n').slice(1);
      assert.deepEqual(rows.map((r) => r.split(',')[0]).sort(), ['16', '32'], 'every trial in results.csv');
      for (const trial of ['width=16,rep0', 'width=32,rep0']) assert.deepEqual(epochsOf(join(out, trial)), [1, 2, 3, 4, 5, 6], `${trial}: every epoch exactly once`);
      const summary = (trial: string) => JSON.parse(readFileSync(join(out, trial, 'summary.json'), 'utf8')) as RunSummary;
      assert.ok(!summary('width=16,rep0').resumed, 'width=16 ran through while nobody was attached');
      assert.ok(summary('width=32,rep0').resumed! >= 1, 'width=32 resumed on beta');
    } finally {
      for (const pid of frozen) if (alive(pid)) process.kill(pid, 'SIGKILL');
      await queue.close();
    }
  });
});
