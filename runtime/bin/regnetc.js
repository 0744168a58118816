#!/usr/bin/env -S node --max-semi-space-size=32
// A larger young generation: parse trees are short-lived, and with the default
// semi-space they get promoted and collected by full GCs (3x slower checks).
// `npm run build` bundles the CLI into one file (scripts/bundle-bins.mjs): loading it
// is several times faster than loading the ~100 modules it replaces. Without the
// bundle (only `tsc -b` has run), the modules themselves are loaded.
// `regnetc --version` loads only what it prints (it must stay fast).
import { existsSync } from 'node:fs';

const version = process.argv.length === 3 && ['-V', '--version'].includes(process.argv[2]);
const bundle = new URL('../dist/src/cli/main.bundle.js', import.meta.url);
const { main } = await import(version ? '../dist/src/cli/version.js' : existsSync(bundle) ? bundle.href : '../dist/src/cli/main.js');
main(process.argv).then((code) => { process.exitCode = code; });
