// Quick fixes: every fix the compiler attached to a diagnostic ("did you mean",
// `adam` + `l2` -> `adamw(weight_decay: …)`, ...) becomes a code action.
import { CodeActionKind, type CodeAction, type Range as LspRange } from 'vscode-languageserver';
import type { Analysis } from '../documents.js';
import { lspRangesOverlap, toLspRange } from '../positions.js';
import { toLspDiagnostic } from './diagnostics.js';

export function codeActions(analysis: Analysis, range: LspRange, only?: string[]): CodeAction[] {
  const quickfix: string = CodeActionKind.QuickFix;
  if (only && !only.some((kind) => kind === '' || kind === quickfix || quickfix.startsWith(kind + '.'))) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of analysis.diagnostics) {
    if (!diagnostic.fixes?.length) continue;
    const lspDiagnostic = toLspDiagnostic(diagnostic);
    if (!lspRangesOverlap(lspDiagnostic.range, range)) continue;
    diagnostic.fixes.forEach((fix, index) => {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lspDiagnostic],
        // The first fix is the compiler's best guess: editors apply it on "auto fix".
        isPreferred: index === 0,
        edit: {
          changes: {
            [analysis.uri]: fix.edits.map((edit) => ({ range: toLspRange(edit.range), newText: edit.newText })),
          },
        },
      });
    });
  }
  return actions;
}
