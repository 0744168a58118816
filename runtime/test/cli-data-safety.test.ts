// `regnetc` on a shared spec (issue 10): data paths confined to the spec's folder
// unless --data-root / REGNET_DATA_ROOT allow more, the same rule enforced again by
// the data loaders, resource limits raised only by the user (--limit, REGNET_MAX_*),
// and 130,000 diagnostics collected without spreading them into a call.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { DataError } from '../src/data/errors.js';
import { loadData } from '../src/data/load.js';
import { dataConfig, source } from './data-helpers.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(REPO, 'runtime', 'bin', 'regnetc.js');

function regnetc(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 1 << 30 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const root = mkdtempSync(join(tmpdir(), 'regnetc-safety-'));
after(() => rmSync(root, { recursive: true, force: true }));
const project = join(root, 'project');
const outside = join(root, 'outside');
mkdirSync(project);
mkdirSync(outside);
writeFileSync(join(outside, 'secret.csv'), 'x1,x2,password\n1,2,hunter2\n3,4,swordfish\n');
const specFile = join(project, 'spec.regnet');
writeFileSync(specFile, `model { dense(2) }\ndata { source: csv(${JSON.stringify(join(outside, 'secret.csv'))}) }\n`);

test('check refuses a data path outside the spec\'s folder (RN604, exit 1) and never shows the file', () => {
  const r = regnetc(['check', specFile]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /spec\.regnet:2:20: error RN604: data path '.*secret\.csv' is refused: an absolute path outside the spec's folder/);
  assert.doesNotMatch(r.stderr + r.stdout, /hunter2|swordfish|password/);
});

test('--data-root DIR and REGNET_DATA_ROOT allow a folder, on check, summary and compile', () => {
  assert.equal(regnetc(['check', specFile, '--data-root', outside]).code, 0);
  assert.equal(regnetc(['check', specFile], { REGNET_DATA_ROOT: `/nonexistent:${outside}` }).code, 0);
  assert.equal(regnetc(['summary', specFile, '--data-root', outside]).code, 0);
  const compiled = regnetc(['compile', specFile, '--data-root', outside]);
  assert.equal(compiled.code, 0, compiled.stderr);
  assert.equal(JSON.parse(compiled.stdout).data.source.args.path, join(outside, 'secret.csv'));
  for (const command of ['train', 'eval', 'sweep']) assert.match(regnetc([command, '--help']).stdout, /--data-root <dir>/);
});

test('the data loaders refuse a path outside the allowed folders even in a given IR (defence in depth)', async () => {
  await tf.setBackend('cpu');
  const config = dataConfig(source('csv', { path: join(outside, 'secret.csv'), label: 'password' }, [2], 2));
  await assert.rejects(loadData(tf, config, 1, { specDir: project }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.match(e.message, /secret\.csv: error: refused: outside the spec's folder; allow its folder with --data-root DIR/);
    return true;
  });
  const loaded = await loadData(tf, config, 1, { specDir: project, roots: [outside] });
  assert.equal(loaded.train.size, 2);
});

test('--set width=60000 is refused at check (RN308) unless --limit or REGNET_MAX_PARAMS raises the limit', () => {
  const wide = join(project, 'wide.regnet');
  writeFileSync(wide, 'let width = 64\nmodel { flatten dense(width) dense(width) dense(10) }\ndata { source: mnist() }\n');
  const refused = regnetc(['check', wide, '--set', 'width=60000']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /error RN308: this model has 3,647,760,010 parameters, more than the limit of 100,000,000/);
  assert.equal(regnetc(['check', wide, '--set', 'width=60000', '--limit', 'params=1e10', '--limit', 'memory=1T']).code, 0);
  assert.equal(regnetc(['check', wide, '--set', 'width=60000'], { REGNET_MAX_PARAMS: '1e10', REGNET_MAX_MEMORY: '1T' }).code, 0);
  assert.match(regnetc(['check', wide, '--limit', 'lots=1']).stderr, /--limit expects NAME=VALUE with NAME one of params, memory, trials, data-bytes/);
});

test('check collects 130,000 diagnostics (once all.push(...diagnostics) overflowed the stack)', () => {
  const many = join(project, 'many.regnet');
  writeFileSync(many, 'model { flatten dense(10) }\ndata { source: mnist() }\n' + '§ '.repeat(130_000));
  const r = regnetc(['check', many, '--format', 'json']);
  assert.equal(r.code, 1, r.stderr.slice(0, 500));
  const json = JSON.parse(r.stdout) as { diagnostics?: unknown[] } | unknown[];
  const list = Array.isArray(json) ? json : (json.diagnostics ?? []);
  assert.ok(list.length >= 130_000, `got ${list.length}`);
});
