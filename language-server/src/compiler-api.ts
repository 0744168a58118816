// The one place the server touches the compiler's entry points, so a change in
// their shape is absorbed here and every feature reads a plain `Analysis`.
import { check, format } from '@regnet/compiler';
import type { Diagnostic, FormatResult, RegnetFile, SemanticModel } from '@regnet/compiler';

export interface CheckResult {
  ast?: RegnetFile;
  diagnostics: Diagnostic[];
  model?: SemanticModel;
}

/** Parse + semantic checks; `file` resolves data paths (relative to the spec) for RN6xx. */
export function checkText(text: string, file: string | undefined): CheckResult {
  const result = check(text, { file });
  return { ast: result.ast, diagnostics: result.diagnostics ?? [], model: result.model };
}

export function formatText(text: string): FormatResult {
  return format(text);
}
