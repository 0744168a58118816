// compile(): check, then lower to the graph IR when there is no error.
import { analyse, type CheckOptions, type CheckResult } from '../check/check.js';
import type { GraphIR } from '../ir.js';
import { lower } from './lower.js';

export { lower } from './lower.js';

export interface CompileResult extends CheckResult {
  /** Present only when the spec has no error. */
  ir?: GraphIR;
}

export function compile(text: string, options: CheckOptions = {}): CompileResult {
  const a = analyse(text, options);
  const result: CompileResult = { ast: a.ast, diagnostics: a.diagnostics, model: a.model };
  if (a.diagnostics.some((d) => d.severity === 'error')) return result;
  if (!a.graph?.complete || !a.sourceFacts?.inputShape) return result;
  try {
    result.ir = lower(a);
  } catch (error) {
    const start = { line: 1, column: 1, offset: 0 };
    result.diagnostics = [
      ...result.diagnostics,
      { severity: 'error', code: 'RN990', message: `internal compiler error while lowering: ${(error as Error).message}`, range: { start, end: start } },
    ];
  }
  return result;
}
