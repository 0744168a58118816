'use strict';
// Loads one of the bins' esbuild bundles (CommonJS) with a V8 code cache: compiling the
// ~1 MB bundle, and then lazily each function it runs, was a fifth of a `regnetc check`.
// scripts/bundle-bins.mjs copies this file next to each bundle and runs each bin once,
// so `npm run build` (hence `npm install`) leaves a cache; a bin that finds none (or one
// V8 rejects) writes it when its process exits. The cache file is named by the bundle's
// CRC-32, Node's version and the node flags (V8 takes no cache made under other flags; the
// bins, the editor's server and a debugging run each keep theirs), so a rebuilt bundle
// never meets a stale cache. A folder that cannot be written (read-only install) just
// runs uncached.
const { mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');
const { crc32 } = require('node:zlib');

/** Runs the CommonJS bundle `file` and returns its exports. */
module.exports = function loadBundle(file) {
  if (typeof crc32 !== 'function') return require(file); // Node < 20.15
  const bytes = readFileSync(file);
  const cacheDir = join(dirname(file), '.code-cache');
  const prefix = `${basename(file)}.`;
  const current = `${prefix}${crc32(bytes).toString(16)}.`; // caches of older builds are removed
  const flags = crc32(process.execArgv.join(' ')).toString(16);
  const cacheFile = join(cacheDir, `${current}${process.version}-${process.arch}.${flags}.v8`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: this run writes it.
  }
  const script = new vm.Script(Module.wrap(bytes.toString('utf8')), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit the cache holds every function this run compiled, not only the top level.
    process.once('exit', () => writeCache(script, cacheDir, cacheFile, prefix, current));
  }
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(dirname(file));
  // The bundle's import()s (see scripts/bundle-bins.mjs): from this folder, as from the bundle's.
  bundle.importDynamically = (specifier) => import(specifier);
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, dirname(file));
  bundle.loaded = true;
  return bundle.exports;
};

function writeCache(script, cacheDir, cacheFile, prefix, current) {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile); // atomic: a concurrent run reads the old file or the new one
    for (const name of readdirSync(cacheDir)) {
      if (name.startsWith(prefix) && !name.startsWith(current)) unlinkSync(join(cacheDir, name));
    }
  } catch {
    // Read-only folder (or a race with another run's clean-up): the next run compiles again.
  }
}
