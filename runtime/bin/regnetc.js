#!/usr/bin/env -S node --max-semi-space-size=32
// A larger young generation: parse trees are short-lived, and with the default
// semi-space they get promoted and collected by full GCs (3x slower checks).
// `regnetc --version` loads only what it prints (it must stay fast).
const version = process.argv.length === 3 && ['-V', '--version'].includes(process.argv[2]);
const { main } = await import(version ? '../dist/src/cli/version.js' : '../dist/src/cli/main.js');
main(process.argv).then((code) => { process.exitCode = code; });
