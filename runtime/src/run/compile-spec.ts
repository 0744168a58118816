// Why a compiled spec has no IR to run, in words for the command line.
import type { Diagnostic } from '@regnet/compiler';

export function incompleteReason(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) return `has ${errors} error${errors === 1 ? '' : 's'}`;
  return 'cannot run: it needs a `model` and a `data` block';
}
