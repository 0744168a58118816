// Where the queue lives: a `redis://[:password@]host:port[/db]` or `rediss://` (TLS)
// URL from --queue or REGNET_QUEUE, turned into ioredis options. The password is
// never printed: every message shows `redact(url)`.
import { Redis, type RedisOptions as IORedisOptions } from 'ioredis';
import type { RedisOptions } from 'bullmq';
import { UsageError } from '../run/errors.js';

/** BullMQ key prefix and queue names (keys are `regnet:<queue>:...`). */
export const PREFIX = 'regnet';
export const TRIALS_QUEUE = 'trials';
export const SWEEPS_QUEUE = 'sweeps';

export interface QueueTarget {
  /** The URL without its password, for messages. */
  display: string;
  /** ioredis options (BullMQ creates its own connections from them). */
  options: RedisOptions;
  hasPassword: boolean;
}

/** The URL to use: the flag, else REGNET_QUEUE, else a usage error. */
export function queueUrl(flag: string | undefined): string {
  const url = flag ?? process.env.REGNET_QUEUE;
  if (!url) throw new UsageError('no queue given: pass --queue redis://HOST:PORT or set REGNET_QUEUE');
  return url;
}

/** `redis://:***@host:6379` — the URL with any password hidden. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

export function parseQueueUrl(url: string): QueueTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--queue: '${redact(url)}' is not a URL; expected redis://HOST:PORT (or rediss:// for TLS)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UsageError(`--queue: '${redact(url)}' is not a redis:// or rediss:// URL`);
  }
  if (!u.hostname) throw new UsageError(`--queue: '${redact(url)}' has no host`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new UsageError(`--queue: the path of '${redact(url)}' must be a database number`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: RedisOptions = {
    host,
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
    // BullMQ's blocking commands must wait through a reconnect, not fail.
    maxRetriesPerRequest: null,
    connectTimeout: 4000,
    // Keep trying while Redis is away (restart, network), at most every 2 s.
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
  };
  return { display: redact(url), options, hasPassword: Boolean(u.password) };
}

/** Why a connection failed, in words (ioredis messages name host:port, never the password). */
function reason(error: Error): string {
  const message = error.message;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) return 'the password was refused';
  if (/NOAUTH/i.test(message)) return 'Redis asks for a password (redis://:PASSWORD@HOST:PORT)';
  if (/Protocol error/i.test(message)) return 'the server there does not speak the Redis protocol';
  return message;
}

/** Fails within `timeoutMs` with one clear line when Redis cannot be reached or refuses us. */
export async function checkReachable(target: QueueTarget, timeoutMs = 4500): Promise<void> {
  const probe = new Redis({
    ...(target.options as IORedisOptions),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.min(timeoutMs, 4000),
    retryStrategy: () => null,
  });
  // connect() rejects with a bare 'Connection is closed'; the error event says why.
  let cause: Error | undefined;
  probe.on('error', (error: Error) => {
    cause ??= error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        await probe.connect();
        await probe.ping();
      })(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${(timeoutMs / 1000).toFixed(0)} s`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw new UsageError(
      `cannot reach the queue at ${target.display}: ${reason(cause ?? (error as Error))} (is redis-server running there? check --queue or REGNET_QUEUE)`,
    );
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
}

/** The URL (flag or REGNET_QUEUE) parsed and its Redis answering, or a UsageError. */
export async function checkQueueUrl(flag: string | undefined): Promise<QueueTarget> {
  const target = parseQueueUrl(queueUrl(flag));
  await checkReachable(target);
  return target;
}

/**
 * A plain ioredis connection (for the sweep's files and checkpoints) that says once
 * when Redis goes away and once when it is back, instead of an error per retry.
 */
export function connect(target: QueueTarget, who: string, out: NodeJS.WritableStream): Redis {
  const redis = new Redis(target.options as IORedisOptions);
  let lost = false;
  redis.on('error', (error: Error) => {
    if (lost) return;
    lost = true;
    out.write(`${who}: lost the queue at ${target.display} (${reason(error)}); reconnecting...\n`);
  });
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    out.write(`${who}: reconnected to the queue at ${target.display}\n`);
  });
  return redis;
}

/** Error listeners for BullMQ objects: their connection errors are reported by `connect`'s. */
export function quietErrors(emitter: { on(event: 'error', listener: (error: Error) => void): unknown }): void {
  emitter.on('error', (error) => {
    if (process.env.REGNET_DEBUG) process.stderr.write(`regnetc: queue: ${error.message}\n`);
  });
}

/** Keys of one sweep outside BullMQ's own: its files, checkpoints and results. */
export const sweepKeys = {
  all: (sweep: string) => `${PREFIX}:sweep:${sweep}:*`,
  bundle: (sweep: string) => `${PREFIX}:sweep:${sweep}:bundle`,
  checkpoint: (sweep: string, index: number) => `${PREFIX}:sweep:${sweep}:checkpoint:${index}`,
  result: (sweep: string, index: number) => `${PREFIX}:sweep:${sweep}:result:${index}`,
};

/**
 * Ends a queue command that has closed its connections. After a large reply (a run directory
 * of a few MB) ioredis' reply parser (redis-parser) shrinks its buffer pool on a 50 ms
 * interval, ~3 s for a 4 MB reply, and that interval alone would keep Node running that long
 * after the results are written. (stdout and stderr are synchronous for files, pipes and
 * terminals on Linux and macOS: nothing written is lost.)
 */
export function endQueueCommand(code: number): never {
  process.exit(code);
}
