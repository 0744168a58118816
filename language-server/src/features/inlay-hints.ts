// Inlay hints: after each layer its output shape and parameter count
// (`→ [13, 13, 32] · 9,248 params`), and the model's total after its `}`.
import { InlayHintKind, type InlayHint, type Range as LspRange } from 'vscode-languageserver';
import type { Analysis } from '../documents.js';
import { flattenLayers } from '../model-index.js';
import { lspRangeContains, toLspPosition } from '../positions.js';
import { formatParams, formatShape } from './format-values.js';

export function inlayHints(analysis: Analysis, range: LspRange): InlayHint[] {
  const model = analysis.model;
  if (!model) return [];
  const hints: InlayHint[] = [];
  for (const { info } of flattenLayers(model.layers)) {
    if (!info.outputShape || !info.layer?.call?.range) continue;
    const position = toLspPosition(info.layer.call.range.end);
    if (!lspRangeContains(range, position)) continue;
    const params = info.params ? ` · ${formatParams(info.params)}` : '';
    hints.push({
      position,
      label: `→ ${formatShape(info.outputShape)}${params}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
    });
  }
  const modelDecl = analysis.ast?.decls.find((d) => d?.kind === 'model');
  if (modelDecl && model.totalParams !== undefined) {
    const position = toLspPosition(modelDecl.range.end);
    if (lspRangeContains(range, position)) {
      hints.push({ position, label: `total: ${formatParams(model.totalParams)}`, kind: InlayHintKind.Type, paddingLeft: true });
    }
  }
  return hints;
}
