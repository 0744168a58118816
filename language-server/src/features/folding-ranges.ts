// Folding: every `{ ... }` body (model, sections, layer blocks, setting blocks),
// multi-line calls and lists, and runs of consecutive comment lines.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { Range } from '@regnet/compiler';
import type { Analysis } from '../documents.js';
import { walkFile } from '../ast-walk.js';
import { toLspRange } from '../positions.js';

export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  // The closing bracket's line stays visible, as in other languages.
  const add = (range: Range | undefined) => {
    if (!range) return;
    const r = toLspRange(range);
    if (r.end.line - 1 > r.start.line) out.push({ startLine: r.start.line, endLine: r.end.line - 1 });
  };
  for (const decl of analysis.ast?.decls ?? []) {
    if (decl?.kind === 'model' || decl?.kind === 'data' || decl?.kind === 'train' || decl?.kind === 'sweep') add(decl.body);
  }
  walkFile(analysis.ast, {
    layer: (layer) => add(layer.block?.range),
    setting: (setting) => add(setting.block?.range),
    call: (call) => add(call.argsRange),
    value: (value) => {
      if (value.kind === 'list') add(value.range);
    },
  });

  let run: { start: number; end: number } | undefined;
  const flush = () => {
    if (run && run.end > run.start) out.push({ startLine: run.start, endLine: run.end, kind: FoldingRangeKind.Comment });
    run = undefined;
  };
  for (const comment of analysis.ast?.comments ?? []) {
    const line = toLspRange(comment.range).start.line;
    if (run && line === run.end + 1) run.end = line;
    else {
      flush();
      run = { start: line, end: line };
    }
  }
  flush();
  return out.sort((a, b) => a.startLine - b.startLine);
}
