// What this machine offers RegNet, for `regnetc --version` and `regnetc doctor`: the
// versions (RegNet, Node, TensorFlow.js), which training backends can run and why not,
// and the optional tools other engines use (python3 with torch, redis-server).
// `installedBackends` only looks for packages on disk (fast: `--version` uses it);
// `checkBackends` initializes each backend and `findTools` runs the tools (slow: doctor).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { TFJS_NODE_MISSING, probeBackend } from './backend/select.js';
import { pythonCommand } from './engines/torch/interpreter.js';

const require = createRequire(import.meta.url);

export interface Versions {
  regnet: string;
  node: string;
  /** Undefined when @tensorflow/tfjs is not installed (a broken install). */
  tfjs?: string;
}

export interface Availability {
  name: string;
  available: boolean;
  /** What runs (when available) or why not, with what to do. */
  detail: string;
}

/** The package.json of an installed package, or undefined when it is not installed. */
function packageJsonOf(name: string): { version: string; path: string } | undefined {
  try {
    const path = require.resolve(`${name}/package.json`);
    return { version: (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version, path };
  } catch {
    return undefined;
  }
}

/** The runtime's package.json: the nearest one above this module (bundled or not, dist/ depth varies). */
function ownPackage(): { name: string; version: string } {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; version: string };
      if (pkg.name === '@regnet/runtime') return pkg;
    }
    if (dir.pathname === '/') throw new Error('the @regnet/runtime package.json was not found above ' + import.meta.url);
  }
}

export function versions(): Versions {
  return { regnet: ownPackage().version, node: process.version, tfjs: packageJsonOf('@tensorflow/tfjs')?.version };
}

/** The backends in the order `--backend auto` tries them, judged by the installed packages. */
export function installedBackends(): Availability[] {
  const native = packageJsonOf('@tensorflow/tfjs-node');
  const wasm = packageJsonOf('@tensorflow/tfjs-backend-wasm');
  const wasmBinary = wasm && existsSync(join(dirname(wasm.path), 'dist', 'tfjs-backend-wasm.wasm'));
  const cpu = packageJsonOf('@tensorflow/tfjs-backend-cpu');
  return [
    native
      ? { name: 'tensorflow', available: true, detail: `installed (@tensorflow/tfjs-node ${native.version}, native libtensorflow)` }
      : { name: 'tensorflow', available: false, detail: TFJS_NODE_MISSING },
    wasm && wasmBinary
      ? { name: 'wasm', available: true, detail: `installed (@tensorflow/tfjs-backend-wasm ${wasm.version}, WebAssembly)` }
      : { name: 'wasm', available: false, detail: wasm ? 'the .wasm binaries are missing from @tensorflow/tfjs-backend-wasm/dist: reinstall it' : 'not installed: npm install @tensorflow/tfjs-backend-wasm' },
    cpu
      ? { name: 'cpu', available: true, detail: 'installed (pure JavaScript, the slowest)' }
      : { name: 'cpu', available: false, detail: 'not installed: npm install @tensorflow/tfjs' },
  ];
}

/** Initializes each installed backend to be sure it runs (imports TensorFlow.js: about a second). */
export async function checkBackends(): Promise<Availability[]> {
  const out: Availability[] = [];
  for (const installed of installedBackends()) {
    if (!installed.available) {
      out.push(installed);
      continue;
    }
    const probe = await probeBackend(installed.name as 'tensorflow' | 'wasm' | 'cpu');
    const threads = probe.threads !== undefined ? `, ${probe.threads} thread${probe.threads === 1 ? '' : 's'}; REGNET_THREADS sets them` : '';
    out.push(probe.available ? { ...installed, detail: installed.detail.replace(/^installed/, 'available').replace(/\)$/, `${threads})`) } : { name: installed.name, available: false, detail: `installed but does not run: ${probe.reason}` });
  }
  return out;
}

/** Runs `command args`; its first output line, or why it could not run. */
function firstLine(command: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv): { ok: boolean; line: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs, env });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { ok: false, line: code === 'ENOENT' ? 'not found' : code === 'ETIMEDOUT' ? `did not answer within ${timeoutMs / 1000} s` : r.error.message };
  }
  const text = `${r.stdout ?? ''}`.trim() || `${r.stderr ?? ''}`.trim();
  const lines = text.split('\n').filter(Boolean);
  // A failing Python import prints a traceback: its last line says what is missing.
  return { ok: r.status === 0, line: (r.status === 0 ? lines[0] : lines[lines.length - 1]) ?? `exit code ${r.status}` };
}

/** python3 with torch, and redis-server: present or not, with their versions (importing torch takes seconds). */
export function findTools(env: NodeJS.ProcessEnv = process.env): Availability[] {
  const python = pythonCommand(env);
  const torch = firstLine(python, ['-c', 'import torch, sys; print(torch.__version__, "(Python " + sys.version.split()[0] + ")")'], 60_000, env);
  const torchDetail = torch.ok
    ? `found: torch ${torch.line} via ${python}`
    : torch.line === 'not found'
      ? `${python} not found${env.REGNET_PYTHON ? ' (REGNET_PYTHON)' : ''}: install Python 3 with torch, or set REGNET_PYTHON to an interpreter that has it`
      : `${python} cannot import torch (${torch.line}): pip install torch, or set REGNET_PYTHON to an interpreter that has it`;
  const redis = firstLine('redis-server', ['--version'], 10_000, env);
  const redisVersion = /v=(\S+)/.exec(redis.line)?.[1];
  const redisDetail = redis.ok
    ? `found: Redis ${redisVersion ?? redis.line}`
    : redis.line === 'not found'
      ? 'not found: install Redis (Debian: apt-get install redis-server)'
      : `redis-server --version failed (${redis.line})`;
  return [
    { name: 'python3 + torch', available: torch.ok, detail: torchDetail },
    { name: 'redis-server', available: redis.ok, detail: redisDetail },
  ];
}

function table(rows: Availability[]): string {
  const width = Math.max(...rows.map((r) => r.name.length));
  return rows.map((r) => `  ${r.name.padEnd(width)}  ${r.detail}`).join('\n');
}

function versionLines(v: Versions): string {
  return [`RegNet ${v.regnet}`, `Node.js ${v.node}`, `TensorFlow.js ${v.tfjs ?? 'not installed (npm install @tensorflow/tfjs)'}`].join('\n');
}

/** `regnetc --version`: versions and the installed backends, without loading TensorFlow.js. */
export function versionReport(v: Versions = versions(), backends: Availability[] = installedBackends()): string {
  return `${versionLines(v)}\nBackends (--backend auto uses the first available):\n${table(backends)}\n(regnetc doctor initializes each backend and looks for python3 + torch and redis-server)`;
}

/** `regnetc doctor`: versions, each backend initialized, and the optional tools. */
export function doctorReport(v: Versions, backends: Availability[], tools: Availability[]): string {
  return `${versionLines(v)}\nBackends (--backend auto uses the first available):\n${table(backends)}\nOptional tools:\n${table(tools)}`;
}
