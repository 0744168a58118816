// Test helpers: compact views of diagnostics and ranges for exact assertions.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, Range } from '../src/index.js';

/** `3:9-3:13` (1-based, end exclusive). */
export function at(range: Range): string {
  return `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`;
}

/** `error RN201 3:9-3:13 message` */
export function show(d: Diagnostic): string {
  return `${d.severity} ${d.code} ${at(d.range)} ${d.message}`;
}

/** Removes ranges and literal spellings so two ASTs can be compared for meaning. */
export function stripRanges(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripRanges);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (['range', 'keyword', 'body', 'argsRange', 'comments'].includes(key)) continue;
      out[key] = stripRanges(value);
    }
    return out;
  }
  return node;
}

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Every .regnet file of the examples folder and the test fixtures. */
export function specFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' || name === 'runs') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.regnet')) files.push(path);
    }
  };
  walk(join(REPO, 'examples'));
  walk(join(REPO, 'compiler', 'test', 'fixtures'));
  return files;
}

