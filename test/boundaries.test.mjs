// The package boundaries docs/ARCHITECTURE.md promises: the compiler never imports
// TensorFlow.js (nor the runtime), and the language server knows nothing of training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

/** A module specifier after `from`, `import(`, `import` or `require(`. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

/** Every module specifier imported (static, dynamic or require) by the files under `dir`. */
export function importsUnder(dir) {
  const found = [];
  for (const file of sources(join(ROOT, dir))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) found.push({ file: relative(ROOT, file), specifier: m[1] });
  }
  return found;
}

function forbidden(dir, isForbidden) {
  return importsUnder(dir).filter((i) => isForbidden(i.specifier)).map((i) => `${i.file} imports ${i.specifier}`);
}

const tfjs = (s) => s.startsWith('@tensorflow/');
const runtime = (s) => s === '@regnet/runtime' || s.startsWith('@regnet/runtime/') || s.includes('runtime/src');

test('the compiler never imports TensorFlow.js or the runtime', () => {
  assert.ok(importsUnder('compiler/src').length > 50, 'the import scan found the compiler sources');
  assert.deepEqual(forbidden('compiler/src', (s) => tfjs(s) || runtime(s)), []);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'compiler/package.json'), 'utf8'));
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies });
  assert.deepEqual(deps.filter(tfjs), []);
});

test('the language server imports neither TensorFlow.js nor the runtime', () => {
  assert.deepEqual(forbidden('language-server/src', (s) => tfjs(s) || runtime(s)), []);
});

test('the IR is the only contract: training code (train, model, layers, data, backend) never re-reads a spec', () => {
  // It may share the compiler's types and its data rules (the CSV reader, allowed folders),
  // but it never parses, checks or lowers spec text: everything it needs is in the IR.
  const pipeline = new Set(['parse', 'check', 'compile', 'format', 'lower', 'tokenize']);
  const offenders = [];
  for (const dir of ['train', 'model', 'layers', 'data', 'backend']) {
    for (const file of sources(join(ROOT, 'runtime/src', dir))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bimport\s+(type\s+)?\{([^}]*)\}\s*from\s*['"]@regnet\/compiler['"]/g)) {
        if (m[1]) continue;
        const names = m[2].split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type '));
        for (const name of names) if (pipeline.has(name.split(/\s+as\s+/)[0])) offenders.push(`${relative(ROOT, file)} imports ${name}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('the import scan sees static, dynamic and require imports', () => {
  const text = `import a from '@tensorflow/tfjs';\nconst b = await import("x");\nrequire('y');\nexport { c } from './c.js';`;
  assert.deepEqual([...text.matchAll(IMPORT)].map((m) => m[1]), ['@tensorflow/tfjs', 'x', 'y', './c.js']);
});
