// The outline: `let` constants, the model with its layers (nested for
// repeat/residual blocks, with their output shapes), and the data/train/sweep
// sections with their settings.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { formatCount, type Call, type Layer, type LayerInfo, type Range, type Setting } from '@regnet/compiler';
import type { Analysis } from '../documents.js';
import { layerInfoIndex } from '../model-index.js';
import { lspRangeContains, toLspRange } from '../positions.js';
import { formatShape } from './format-values.js';

function symbol(name: string, kind: SymbolKind, range: Range, selection: Range | undefined, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  const full = toLspRange(range);
  let sel = toLspRange(selection ?? range);
  // Clients reject a selection outside the full range (possible after recovery).
  if (!lspRangeContains(full, sel.start) || !lspRangeContains(full, sel.end)) sel = full;
  return { name: name || '?', kind, range: full, selectionRange: sel, detail, children };
}

function sourceText(analysis: Analysis, range: Range | undefined): string | undefined {
  if (!range || !Number.isFinite(range.start.offset) || !Number.isFinite(range.end.offset)) return undefined;
  const text = analysis.text.slice(range.start.offset, range.end.offset).replace(/\s+/g, ' ');
  return text.length > 60 ? text.slice(0, 59) + '…' : text;
}

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const infos = layerInfoIndex(analysis.model);
  const layerSymbols = (layers: Layer[]): DocumentSymbol[] =>
    layers.filter((l) => l?.call?.name).map((layer) => {
      const info: LayerInfo | undefined = infos.get(layer);
      const name = layer.alias ? `${layer.call.name.name} as ${layer.alias.name}` : layer.call.name.name;
      const detail = info?.outputShape ? `→ ${formatShape(info.outputShape)}` : sourceText(analysis, layer.call.argsRange);
      const children = layer.block ? layerSymbols(layer.block.layers ?? []) : undefined;
      return symbol(name, layer.block ? SymbolKind.Module : SymbolKind.Function, layer.range, layer.call.name.range, detail, children);
    });
  const settingSymbols = (items: (Setting | Call)[]): DocumentSymbol[] =>
    items.filter(Boolean).map((item) => {
      if (item.kind === 'call') {
        return symbol(item.name?.name, SymbolKind.Function, item.range, item.name?.range, sourceText(analysis, item.argsRange));
      }
      const children = item.block ? settingSymbols(item.block.items ?? []) : undefined;
      return symbol(item.key?.name, item.block ? SymbolKind.Object : SymbolKind.Property, item.range, item.key?.range, sourceText(analysis, item.value?.range), children);
    });

  const out: DocumentSymbol[] = [];
  for (const decl of analysis.ast?.decls ?? []) {
    if (!decl) continue;
    if (decl.kind === 'let') {
      if (!decl.name) continue;
      out.push(symbol(decl.name.name, SymbolKind.Constant, decl.range, decl.name.range, sourceText(analysis, decl.value?.range)));
    } else if (decl.kind === 'model') {
      const total = analysis.model?.totalParams;
      const detail = total !== undefined ? `${formatCount(total)} params` : undefined;
      out.push(symbol(decl.name ? `model ${decl.name.name}` : 'model', SymbolKind.Class, decl.range, decl.name?.range ?? decl.keyword, detail, layerSymbols(decl.layers ?? [])));
    } else {
      out.push(symbol(decl.kind, SymbolKind.Namespace, decl.range, decl.keyword, undefined, settingSymbols(decl.settings ?? [])));
    }
  }
  return out;
}
