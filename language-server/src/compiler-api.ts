// The one place the server touches the compiler's entry points, so a change in
// their shape is absorbed here and every feature reads a plain `Analysis`.
import * as compiler from '@regnet/compiler';
import type { Diagnostic, RegnetFile, SemanticModel } from '@regnet/compiler';

export interface CheckResult {
  ast?: RegnetFile;
  diagnostics: Diagnostic[];
  model?: SemanticModel;
}

export interface FormatResult {
  text?: string;
  diagnostics: Diagnostic[];
}

// Filled in when the compiler's check/format land (written in parallel).
const api = compiler as unknown as {
  check?: (text: string, options: { file?: string }) => CheckResult;
  format?: (text: string) => FormatResult;
};

export function checkText(text: string, file: string | undefined): CheckResult {
  if (!api.check) return { diagnostics: [] };
  const result = api.check(text, { file });
  return { ast: result.ast, diagnostics: result.diagnostics ?? [], model: result.model };
}

export function formatText(text: string): FormatResult {
  if (!api.format) return { diagnostics: [] };
  return api.format(text);
}
