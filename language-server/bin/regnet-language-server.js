#!/usr/bin/env -S node --max-semi-space-size=32
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
// `npm run build` bundles the server into one file (scripts/bundle-bins.mjs), which
// starts several times faster; without it (only `tsc -b` has run) the modules load.
import { existsSync } from 'node:fs';
const bundle = new URL('../dist/src/main.bundle.js', import.meta.url);
await import(existsSync(bundle) ? bundle.href : '../dist/src/main.js');
