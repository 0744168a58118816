// The one place the server touches the compiler's entry points, so a change in
// their shape is absorbed here and every feature reads a plain `Analysis`.
import * as compiler from '@regnet/compiler';
import { format, parse } from '@regnet/compiler';
import type { Diagnostic, FormatResult, RegnetFile, SemanticModel } from '@regnet/compiler';

export interface CheckResult {
  ast?: RegnetFile;
  diagnostics: Diagnostic[];
  model?: SemanticModel;
}

// `check` is written in parallel; until it lands the server runs the parser only.
const api = compiler as unknown as {
  check?: (text: string, options: { file?: string }) => CheckResult;
};

export function checkText(text: string, file: string | undefined): CheckResult {
  if (!api.check) {
    const parsed = parse(text);
    return { ast: parsed.ast, diagnostics: parsed.diagnostics };
  }
  const result = api.check(text, { file });
  return { ast: result.ast, diagnostics: result.diagnostics ?? [], model: result.model };
}

export function formatText(text: string): FormatResult {
  return format(text);
}
