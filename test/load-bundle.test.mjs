// scripts/load-bundle.cjs: the bins' bundles run from a V8 code cache, which the build
// leaves, a run writes when missing, a rebuilt bundle never reuses, and an unwritable
// folder only skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOADER = join(ROOT, 'scripts', 'load-bundle.cjs');

test('the build leaves a code cache for each bin, under the flags of its shebang line', () => {
  const flags = crc32('--max-semi-space-size=32').toString(16);
  for (const bundle of ['runtime/dist/src/cli/main.bundle.cjs', 'language-server/dist/src/main.bundle.cjs']) {
    const file = join(ROOT, bundle);
    if (!existsSync(file)) return; // only `tsc -b` has run: the bins load the modules
    const name = `main.bundle.cjs.${crc32(readFileSync(file)).toString(16)}.${process.version}-${process.arch}.${flags}.v8`;
    assert.ok(readdirSync(join(file, '..', '.code-cache')).includes(name), `${name} next to ${bundle}`);
  }
});

/**
 * A folder with a bundle, the loader beside it (as the build copies it) and a runner that
 * loads the bundle and prints what its export returns.
 */
function withFixture(body) {
  const dir = mkdtempSync(join(tmpdir(), 'regnet-load-bundle-'));
  copyFileSync(LOADER, join(dir, 'load-bundle.cjs'));
  writeFileSync(join(dir, 'run.cjs'), "require('./load-bundle.cjs')(require('node:path').join(__dirname, 'bundle.cjs'))().then((v) => console.log(v));");
  writeFileSync(join(dir, 'lazy.mjs'), 'export const word = "lazy";\n');
  const run = () => {
    const r = spawnSync(process.execPath, [join(dir, 'run.cjs')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    return r.stdout.trim();
  };
  const caches = () => (existsSync(join(dir, '.code-cache')) ? readdirSync(join(dir, '.code-cache')) : []);
  try {
    body({ dir, run, caches });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The export runs before the process exits, so the cache written at exit holds it compiled; it
// imports a module through the loader's hook, as the CLI imports its training side.
const bundle = (word) => `module.exports = async () => '${word} ' + (await module.importDynamically('./lazy.mjs')).word;\n`;

test('a run without a cache writes one; the next run uses it, imports included', () =>
  withFixture(({ dir, run, caches }) => {
    writeFileSync(join(dir, 'bundle.cjs'), bundle('aaa'));
    assert.equal(run(), 'aaa lazy');
    assert.equal(caches().length, 1);
    const cache = join(dir, '.code-cache', caches()[0]);
    const written = statSync(cache).mtimeMs;
    assert.equal(run(), 'aaa lazy');
    assert.equal(statSync(cache).mtimeMs, written, 'a cache V8 accepts is not written again');
  }));

test('a rebuilt bundle of the same length never runs from the old cache, which is removed', () =>
  withFixture(({ dir, run, caches }) => {
    writeFileSync(join(dir, 'bundle.cjs'), bundle('aaa'));
    assert.equal(run(), 'aaa lazy');
    const [old] = caches();
    // V8 checks a cache against the source's length only.
    writeFileSync(join(dir, 'bundle.cjs'), bundle('bbb'));
    assert.equal(run(), 'bbb lazy');
    assert.equal(caches().length, 1);
    assert.notEqual(caches()[0], old);
    assert.equal(run(), 'bbb lazy');
  }));

test('a folder where the cache cannot be written runs uncached, silently', () =>
  withFixture(({ dir, run }) => {
    writeFileSync(join(dir, 'bundle.cjs'), bundle('aaa'));
    writeFileSync(join(dir, '.code-cache'), 'not a folder'); // mkdir and writes fail as on a read-only install
    assert.equal(run(), 'aaa lazy');
    assert.equal(run(), 'aaa lazy');
    assert.equal(readFileSync(join(dir, '.code-cache'), 'utf8'), 'not a folder');
  }));

test('a corrupt cache is rejected, and written anew', () =>
  withFixture(({ dir, run, caches }) => {
    writeFileSync(join(dir, 'bundle.cjs'), bundle('aaa'));
    assert.equal(run(), 'aaa lazy');
    // A truncated or corrupt cache file: V8 rejects it, the run compiles and writes it anew.
    writeFileSync(join(dir, '.code-cache', caches()[0]), 'garbage');
    assert.equal(run(), 'aaa lazy');
    assert.notEqual(readFileSync(join(dir, '.code-cache', caches()[0]), 'utf8'), 'garbage');
  }));
