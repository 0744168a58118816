// Runs every compiled test file of every workspace in one `node --test` run,
// so the closing lines give one total for the whole project.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const packages = ['compiler', 'runtime', 'language-server', 'vscode-extension', 'examples'];
const filter = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.js') || name.endsWith('.test.mjs')) out.push(path);
  }
  return out;
}

const files = [];
for (const pkg of packages) {
  for (const dir of [join(pkg, 'dist', 'test'), join(pkg, 'test')]) {
    if (existsSync(dir)) walk(dir, files);
  }
}
// Repository-wide tests (markdown links, ...) live in test/ at the root.
if (existsSync('test')) walk('test', files);
const selected = files
  .filter((f) => !f.endsWith('.ts'))
  .filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)));
// A hung test must not hang CI: the whole run is bounded.
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...selected], { stdio: 'inherit', timeout: 60 * 60 * 1000 });
if (result.error) console.error(`test run stopped: ${result.error.message}`);
process.exit(result.status ?? 1);
