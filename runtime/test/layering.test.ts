// The runtime's layering, checked on the source: the CLI (src/cli/) sits on top and
// nothing below it imports it (run/, train/, data/, report/ are usable without it,
// e.g. by a queue worker).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO } from './run-helpers.js';

const SRC = join(REPO, 'runtime', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of a file: static imports, re-exports and dynamic import(). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.[^'"]+)['"]/g)) found.push(m[1]!);
  return found;
}

test('nothing under runtime/src imports runtime/src/cli except the CLI itself', () => {
  const cli = join(SRC, 'cli');
  const offenders: string[] = [];
  for (const file of sources(SRC)) {
    if (file.startsWith(cli + '/')) continue;
    for (const spec of importsOf(file)) {
      const target = resolve(dirname(file), spec);
      if (target === cli || target.startsWith(cli + '/')) offenders.push(`${relative(SRC, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the import scan sees static, dynamic and re-export imports', () => {
  const sample = join(SRC, 'cli', 'train.ts');
  assert.ok(importsOf(sample).includes('../run/run-spec.js'), 'the dynamic import of run-spec in cli/train.ts');
  assert.ok(importsOf(sample).includes('./overrides.js'));
});
