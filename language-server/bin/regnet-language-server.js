#!/usr/bin/env -S node --max-semi-space-size=32
'use strict';
// A larger young generation: parse trees are short-lived, and with the default
// semi-space they get promoted and collected by full GCs (3x slower checks).
const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h') || !args.some((a) => TRANSPORTS.some((t) => a === t || a.startsWith(`${t}=`)))) {
  const out = args.includes('--help') || args.includes('-h') ? process.stdout : process.stderr;
  out.write(
    'Usage: regnet-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n\n' +
      'The RegNet language server (LSP) for .regnet specs: diagnostics, hover, completion,\n' +
      'signature help, inlay hints, symbols, formatting, rename and quick fixes.\n' +
      'Editors start it themselves; see the language-server README for Neovim and others.\n',
  );
  process.exit(out === process.stdout ? 0 : 1);
}
// `npm run build` bundles the server into one file (scripts/bundle-bins.mjs), loaded with a
// V8 code cache (load-bundle.cjs beside it), which starts several times faster; without it
// (only `tsc -b` has run) the modules load.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const dist = join(__dirname, '../dist/src');
if (existsSync(join(dist, 'load-bundle.cjs'))) require(join(dist, 'load-bundle.cjs'))(join(dist, 'main.bundle.cjs'));
else import('../dist/src/main.js');
