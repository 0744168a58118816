// The one place the server touches the compiler's entry points, so a change in
// their shape is absorbed here and every feature reads a plain `Analysis`.
import { check, format } from '@regnet/compiler';
import type { CheckOptions, Diagnostic, FormatResult, RegnetFile, SemanticModel } from '@regnet/compiler';

/** How the server lets the checker read data: roots, trust, the background reader. */
export type DataOptions = Pick<CheckOptions, 'dataRoots' | 'inspectData' | 'dataNotice' | 'inspector'>;

export interface CheckResult {
  ast?: RegnetFile;
  diagnostics: Diagnostic[];
  model?: SemanticModel;
}

/** Parse + semantic checks; `file` resolves data paths (relative to the spec) for RN6xx. */
export function checkText(text: string, file: string | undefined, data: DataOptions = {}): CheckResult {
  const result = check(text, { file, ...data });
  return { ast: result.ast, diagnostics: result.diagnostics ?? [], model: result.model };
}

export function formatText(text: string): FormatResult {
  return format(text);
}
