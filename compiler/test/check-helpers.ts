// Shared helpers of the checker tests: run the checker, find diagnostics by code
// and compare ranges written as `line:col-line:col` (1-based, end exclusive).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { check, compile, type CheckOptions, type Diagnostic } from '../src/index.js';

/** compiler/test/fixtures/data, from the compiled test's folder (dist/test). */
export const FIXTURES = fileURLToPath(new URL('../../test/fixtures/data/', import.meta.url));
/** A spec path inside the fixtures folder, so relative data paths resolve there. */
export const SPEC_IN_FIXTURES = FIXTURES + 'spec.regnet';

export function at(d: Diagnostic): string {
  const { start, end } = d.range;
  return `${start.line}:${start.column}-${end.line}:${end.column}`;
}

export function diagnostics(text: string, options?: CheckOptions): Diagnostic[] {
  return check(text, options).diagnostics;
}

export function codes(text: string, options?: CheckOptions): string[] {
  return diagnostics(text, options).map((d) => d.code);
}

export function errors(text: string, options?: CheckOptions): Diagnostic[] {
  return diagnostics(text, options).filter((d) => d.severity === 'error');
}

/** Asserts exactly one diagnostic with `code`, at `range`, with `severity`; returns it. */
export function expectOne(text: string, code: string, range: string, severity: Diagnostic['severity'], options?: CheckOptions): Diagnostic {
  const all = diagnostics(text, options);
  const found = all.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got:\n${all.map((d) => `${d.code} ${at(d)} ${d.message}`).join('\n')}`);
  const d = found[0]!;
  assert.equal(at(d), range, `${code} range (${d.message})`);
  assert.equal(d.severity, severity);
  return d;
}

/** Asserts that the spec has no error (warnings and infos allowed). */
export function expectNoErrors(text: string, options?: CheckOptions): void {
  const errs = errors(text, options);
  assert.deepEqual(errs.map((d) => `${d.code} ${at(d)} ${d.message}`), []);
}

/** Applies a fix's edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: { range: { start: { offset: number }; end: { offset: number } }; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start.offset - a.range.start.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.range.start.offset) + e.newText + out.slice(e.range.end.offset);
  return out;
}

export { check, compile };
