// A real redis-server and real `regnetc worker` / `regnetc sweep --queue` processes
// for the queue tests: each test starts its own Redis on a free loopback port and
// stops it (and every process it started) by PID.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGNETC, REPO } from './run-helpers.js';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/** Why the queue tests cannot run here, or undefined when redis-server is installed. */
export function redisMissing(): string | undefined {
  const r = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  return `redis-server is not installed: install it with 'sudo apt-get install redis-server' to run the queue tests`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers PING (with AUTH first when a password is given; over TLS when `ca` is given)? */
function ping(port: number, password?: string, ca?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = ca ? tlsConnect({ port, host: '127.0.0.1', servername: 'localhost', ca: readFileSync(ca) }) : connect(port, '127.0.0.1');
    let data = '';
    socket.on(ca ? 'secureConnect' : 'connect', () => socket.write(`${password ? `AUTH ${password}\r\n` : ''}PING\r\n`));
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.includes('PONG')) {
        socket.destroy();
        resolve(true);
      }
    });
    socket.on('error', () => resolve(false));
    setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 500);
  });
}

export class RedisServer {
  process?: ChildProcess;

  constructor(
    readonly port: number,
    readonly dir: string,
    readonly options: { password?: string; appendonly?: boolean; tls?: { cert: string; key: string; ca: string } } = {},
  ) {}

  get url(): string {
    const auth = this.options.password ? `:${this.options.password}@` : '';
    return this.options.tls ? `rediss://${auth}localhost:${this.port}` : `redis://${auth}127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const tls = this.options.tls;
    const ports = tls
      ? ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.ca, '--tls-auth-clients', 'no']
      : ['--port', String(this.port)];
    const args = [...ports, '--bind', '127.0.0.1', '--save', '', '--dir', this.dir];
    args.push('--appendonly', this.options.appendonly ? 'yes' : 'no');
    if (this.options.appendonly) args.push('--appendfsync', 'always');
    if (this.options.password) args.push('--requirepass', this.options.password);
    this.process = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if (await ping(this.port, this.options.password, tls?.ca)) return;
      await sleep(100);
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** A running regnetc process with its output so far. */
export class Cli {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
    // Its own process group, so a test can kill -9 the whole group as a user's `kill` would.
    this.child = spawn(process.execPath, [REGNETC, ...args], {
      cwd: options.cwd ?? REPO,
      detached: true,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  /** Resolves with the first match of `pattern` in the output (within `timeoutMs`). */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${this.output}`);
      if (this.child.exitCode !== null) throw new Error(`exited (${this.child.exitCode}) before ${pattern}; output:\n${this.output}`);
      await sleep(100);
    }
  }

  signal(signal: NodeJS.Signals, group = false): void {
    try {
      if (group) process.kill(-this.child.pid!, signal);
      else this.child.kill(signal);
    } catch {
      // gone already
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.signal('SIGKILL', true);
    await this.exited;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A private CA and a certificate for localhost (openssl), or why not. */
export function makeCertificates(dir: string): { cert: string; key: string; ca: string } | string {
  const run = (args: string[]) => spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (run(['version']).status !== 0) return "openssl is not installed: install it with 'sudo apt-get install openssl' to run the TLS test";
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  const steps = [
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=regnet-test-ca'],
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'],
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.cnf'],
  ];
  for (const step of steps) {
    const r = run(step);
    if (r.status !== 0) return `openssl ${step[0]} failed: ${r.stderr}`;
  }
  return { cert: join(dir, 'server.crt'), key: join(dir, 'server.key'), ca: join(dir, 'ca.crt') };
}

/** A two-class csv (x, y, label) of `rows` rows, the same every time. */
export function pointsCsv(rows: number): string {
  return 'x,y,label\n' + Array.from({ length: rows }, (_, i) => `${((i * 37) % 19) / 10 - 0.9},${((i * 11) % 17) / 8 - 1},${(i * 37) % 19 > 9 === (i * 11) % 17 > 8 ? 'a' : 'b'}`).join('\n') + '\n';
}
