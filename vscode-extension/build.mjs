// Builds the extension: regenerates the TextMate grammar from the catalogue,
// type-checks the client, and bundles client and server (with @regnet/compiler
// and chevrotain) into dist/ as two CommonJS files. The client takes the custom
// requests' names and types from @regnet/language-server/protocol.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGrammar } from './scripts/grammar.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

writeFileSync(join(here, 'syntaxes', 'regnet.tmLanguage.json'), JSON.stringify(buildGrammar(), null, 2) + '\n');

const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

mkdirSync(join(here, 'dist'), { recursive: true });
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', sourcemap: true, minify: true, logLevel: 'warning' };
const serverPackage = dirname(require.resolve('@regnet/language-server/package.json'));
const serverDist = join(serverPackage, 'dist', 'src');
// The bundle has no package.json beside it: the server's version is compiled in.
const serverVersion = JSON.parse(readFileSync(join(serverPackage, 'package.json'), 'utf8')).version;
// The server starts its data worker from `new URL('./data-worker.js', import.meta.url)`:
// in the CommonJS bundle that is the file next to dist/server.js.
const importMetaUrl = { define: { 'import.meta.url': '__regnetModuleUrl' }, banner: { js: "var __regnetModuleUrl = require('url').pathToFileURL(__filename).href;" } };
await Promise.all([
  build({ ...common, entryPoints: [join(here, 'src', 'extension.ts')], outfile: join(here, 'dist', 'extension.js'), external: ['vscode'] }),
  build({
    ...common,
    ...importMetaUrl,
    define: { ...importMetaUrl.define, REGNET_SERVER_VERSION: JSON.stringify(serverVersion) },
    entryPoints: [join(serverDist, 'main.js')],
    outfile: join(here, 'dist', 'server.js'),
  }),
  build({ ...common, entryPoints: [join(serverDist, 'data-worker.js')], outfile: join(here, 'dist', 'data-worker.js') }),
]);
