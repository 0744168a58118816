// `regnetc --version` and `regnetc doctor`: versions, which backends run and why not,
// and whether python3 + torch and redis-server are found (fake tools make it deterministic).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTools, installedBackends, versionReport, versions } from '../src/environment.js';
import { pythonCommand } from '../src/engines/torch/interpreter.js';

const BIN = fileURLToPath(new URL('../../bin/regnetc.js', import.meta.url));
const require = createRequire(import.meta.url);
const tfjsNodeInstalled = (() => {
  try {
    require.resolve('@tensorflow/tfjs-node/package.json');
    return true;
  } catch {
    return false;
  }
})();

/** A folder of fake `python3` and `redis-server` executables printing what real ones print. */
function fakeTools(python: string, redis?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'regnet-doctor-'));
  const write = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  write('python3', python);
  if (redis) write('redis-server', redis);
  return dir;
}

const TORCH_OK = 'echo "2.3.1 (Python 3.11.2)"';
const TORCH_MISSING = `echo 'Traceback (most recent call last):' >&2; echo '  File "<string>", line 1' >&2; echo "ModuleNotFoundError: No module named 'torch'" >&2; exit 1`;
const REDIS = 'echo "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1"';

test('--version: RegNet, Node and tfjs versions and the installed backends, without loading tfjs', () => {
  const r = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const tfjs = JSON.parse(readFileSync(require.resolve('@tensorflow/tfjs/package.json'), 'utf8')) as { version: string };
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 4), [`RegNet ${own.version}`, `Node.js ${process.version}`, `TensorFlow.js ${tfjs.version}`, 'Backends (--backend auto uses the first available):']);
  if (tfjsNodeInstalled) assert.match(lines[4]!, /^ {2}tensorflow {2}installed \(@tensorflow\/tfjs-node /);
  else assert.equal(lines[4], '  tensorflow  not installed: npm install @tensorflow/tfjs-node (downloads libtensorflow)');
  assert.match(lines[5]!, /^ {2}wasm {8}installed \(@tensorflow\/tfjs-backend-wasm \d/);
  assert.equal(lines[6], '  cpu         installed (pure JavaScript, the slowest)');
  assert.equal(r.stdout, versionReport() + '\n');
});

test('backends: a missing tfjs-node says how to install it; wasm and cpu are found', () => {
  const backends = installedBackends();
  assert.deepEqual(backends.map((b) => b.name), ['tensorflow', 'wasm', 'cpu']);
  assert.equal(backends[0]!.available, tfjsNodeInstalled);
  assert.ok(backends[1]!.available && backends[2]!.available);
  assert.match(versions().tfjs!, /^\d+\.\d+\.\d+/);
});

test('tools: python3 with torch (the torch engine\'s interpreter: REGNET_PYTHON, else /usr/bin/python3, else python3), and redis-server', () => {
  const withTorch = fakeTools(TORCH_OK, REDIS);
  const python = join(withTorch, 'python3');
  assert.deepEqual(findTools({ PATH: withTorch, REGNET_PYTHON: python }), [
    { name: 'python3 + torch', available: true, detail: `found: torch 2.3.1 (Python 3.11.2) via ${python}` },
    { name: 'redis-server', available: true, detail: 'found: Redis 7.0.15' },
  ]);
  const noTorch = fakeTools(TORCH_MISSING);
  const without = join(noTorch, 'python3');
  assert.deepEqual(findTools({ PATH: noTorch, REGNET_PYTHON: without }), [
    { name: 'python3 + torch', available: false, detail: `${without} cannot import torch (ModuleNotFoundError: No module named 'torch'): pip install torch, or set REGNET_PYTHON to an interpreter that has it` },
    { name: 'redis-server', available: false, detail: 'not found: install Redis (Debian: apt-get install redis-server)' },
  ]);
  // The same interpreter as the torch engine's.
  assert.equal(pythonCommand({ REGNET_PYTHON: python }), python);
  assert.equal(pythonCommand({}), existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  assert.equal(findTools({ PATH: noTorch, REGNET_PYTHON: '/nonexistent/python3' })[0]!.detail, '/nonexistent/python3 not found (REGNET_PYTHON): install Python 3 with torch, or set REGNET_PYTHON to an interpreter that has it');
});

test('doctor: versions, each backend initialized, and the tools', () => {
  const tools = fakeTools(TORCH_OK, REDIS);
  const r = spawnSync(process.execPath, [BIN, 'doctor'], { encoding: 'utf8', env: { ...process.env, PATH: tools, REGNET_PYTHON: join(tools, 'python3') } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^RegNet \S+\nNode\.js v\d+\S*\nTensorFlow\.js \S+\nBackends \(--backend auto uses the first available\):\n/);
  assert.match(r.stdout, /\n {2}wasm {8}available \(@tensorflow\/tfjs-backend-wasm \S+, WebAssembly, \d threads?; REGNET_THREADS sets them\)\n {2}cpu {9}available \(pure JavaScript, the slowest\)\n/);
  if (!tfjsNodeInstalled) assert.match(r.stdout, /\n {2}tensorflow {2}not installed: npm install @tensorflow\/tfjs-node \(downloads libtensorflow\)\n/);
  assert.ok(r.stdout.endsWith(`Optional tools:\n  python3 + torch  found: torch 2.3.1 (Python 3.11.2) via ${join(tools, 'python3')}\n  redis-server     found: Redis 7.0.15\n`), r.stdout);
});
