'use strict';
// Loads one of the bins' esbuild bundles (CommonJS) with a V8 code cache: compiling the
// ~1 MB bundle, and then lazily each function it runs, was a fifth of a `regnetc check`.
// scripts/bundle-bins.mjs copies this file next to each bundle and runs each bin once,
// so `npm run build` (hence `npm install`) leaves a cache; a bin that finds none (or one
// V8 rejects: another Node, other flags) writes it when its process exits. The cache file
// is named by the bundle's CRC-32 and Node's version, so a rebuilt bundle never meets a
// stale cache. A folder that cannot be written (read-only install) just runs uncached.
const { mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');
const { crc32 } = require('node:zlib');

/** The bundle's dynamic `import()`s (the training side, loaded lazily) need Node ≥ 20.12's default-loader hook for vm scripts. */
const DEFAULT_LOADER = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

/** Runs the CommonJS bundle `file` and returns its exports. */
module.exports = function loadBundle(file) {
  if (DEFAULT_LOADER === undefined || typeof crc32 !== 'function') return require(file);
  const bytes = readFileSync(file);
  const cacheDir = join(dirname(file), '.code-cache');
  const prefix = `${basename(file)}.`;
  const cacheFile = join(cacheDir, `${prefix}${crc32(bytes).toString(16)}.${process.version}.${process.arch}.v8`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: this run writes it.
  }
  quietDefaultLoaderWarning();
  const script = new vm.Script(Module.wrap(bytes.toString('utf8')), { filename: file, cachedData, importModuleDynamically: DEFAULT_LOADER });
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit the cache holds every function this run compiled, not only the top level.
    process.once('exit', () => writeCache(script, cacheDir, cacheFile, prefix));
  }
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(dirname(file));
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, dirname(file));
  bundle.loaded = true;
  return bundle.exports;
};

function writeCache(script, cacheDir, cacheFile, prefix) {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile); // atomic: a concurrent run reads the old file or the new one
    for (const name of readdirSync(cacheDir)) {
      if (name.startsWith(prefix) && join(cacheDir, name) !== cacheFile) unlinkSync(join(cacheDir, name));
    }
  } catch {
    // Read-only folder (or a race with another run's clean-up): the next run compiles again.
  }
}

/** Node 20 flags the default-loader hook as experimental on first use; the warning would land in every training command's output. */
function quietDefaultLoaderWarning() {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    if (typeof warning === 'string' && warning.startsWith('vm.USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
    return emitWarning.call(this, warning, ...rest);
  };
}
