#!/usr/bin/env -S node --max-semi-space-size=32
'use strict';
// A larger young generation: parse trees are short-lived, and with the default
// semi-space they get promoted and collected by full GCs (3x slower checks).
// `npm run build` bundles the CLI into one file (scripts/bundle-bins.mjs), loaded with a
// V8 code cache (load-bundle.cjs beside it): several times faster than loading the ~100
// modules it replaces. Without the bundle (only `tsc -b` has run), the modules load.
// `regnetc --version` loads only what it prints (it must stay fast).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '../dist/src/cli');
const version = process.argv.length === 3 && ['-V', '--version'].includes(process.argv[2]);
const loaded = version
  ? import('../dist/src/cli/version.js')
  : existsSync(join(cli, 'load-bundle.cjs'))
    ? Promise.resolve(require(join(cli, 'load-bundle.cjs'))(join(cli, 'main.bundle.cjs')))
    : import('../dist/src/cli/main.js');
loaded.then(({ main }) => main(process.argv)).then((code) => {
  process.exitCode = code;
});
