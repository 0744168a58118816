import type { Range } from './ast.js';

export type Severity = 'error' | 'warning' | 'info';

/** A text replacement; applying all edits of a fix (non-overlapping) performs it. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A machine-applicable fix: the LSP turns these into quick-fix code actions. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  severity: Severity;
  /** Stable code from `codes.ts`, e.g. `RN201`. */
  code: string;
  message: string;
  range: Range;
  /** Quick fixes, e.g. the "did you mean" replacement or `adam` + `l2` -> `adamw`. */
  fixes?: Fix[];
}
