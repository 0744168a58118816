// `npm run bench`: runs every compiled benchmark (`*.bench.js` under PKG/dist/bench)
// one after another (never in parallel: they measure time). Each writes its
// figures to bench/results/<name>.json and prints a summary. Words pick benchmarks by
// file name; from the first flag on, the rest goes to each one picked:
// `npm run bench -- training --quick --only mlp`.
import { readdirSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const packages = ['compiler', 'runtime', 'language-server'];
const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith('--'));
const filter = firstFlag < 0 ? args : args.slice(0, firstFlag);
const flags = firstFlag < 0 ? [] : args.slice(firstFlag);
mkdirSync('bench/results', { recursive: true });
let failed = 0;
for (const pkg of packages) {
  const dir = join(pkg, 'dist', 'bench');
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.bench.js')) continue;
    const file = join(dir, name);
    if (filter.length && !filter.some((f) => file.includes(f))) continue;
    console.log(`\n== ${file}`);
    // The same V8 flag the regnetc and language-server bins run with (see their shebang lines).
    const result = spawnSync(process.execPath, ['--max-semi-space-size=32', file, ...flags], { stdio: 'inherit' });
    if (result.status !== 0) failed++;
  }
}
process.exit(failed ? 1 : 0);
