// Lookups in the checker's SemanticModel: the word under the cursor, the
// LayerInfo of an AST layer, the `let` constant at a position.
import type { ConstantInfo, Layer, LayerInfo, Range, SemanticModel, SymbolRef } from '@regnet/compiler';
import { containsOffset, hasOffsets } from './positions.js';
import type { Analysis } from './documents.js';

/** The innermost symbol whose range contains `offset`. */
export function symbolAt(model: SemanticModel | undefined, offset: number): SymbolRef | undefined {
  let best: SymbolRef | undefined;
  for (const symbol of model?.symbols ?? []) {
    if (!hasOffsets(symbol.range)) continue;
    if (symbol.range.start.offset > offset) break; // sorted by start offset
    if (!containsOffset(symbol.range, offset)) continue;
    if (!best || size(symbol.range) <= size(best.range)) best = symbol;
  }
  return best;
}

function size(r: Range): number {
  return r.end.offset - r.start.offset;
}

export function layerInfoIndex(model: SemanticModel | undefined): Map<Layer, LayerInfo> {
  const index = new Map<Layer, LayerInfo>();
  const visit = (infos: LayerInfo[]) => {
    for (const info of infos) {
      index.set(info.layer, info);
      visit(info.children ?? []);
    }
  };
  visit(model?.layers ?? []);
  return index;
}

/** Flattened LayerInfos in source order, with their nesting depth. */
export function flattenLayers(infos: LayerInfo[] | undefined, depth = 0, out: { info: LayerInfo; depth: number }[] = []) {
  for (const info of infos ?? []) {
    out.push({ info, depth });
    flattenLayers(info.children, depth + 1, out);
  }
  return out;
}

/** The `let` constant declared or referenced at `offset`, when there is one. */
export function constantAt(analysis: Analysis, offset: number): ConstantInfo | undefined {
  const model = analysis.model;
  if (!model) return undefined;
  for (const constant of model.constants.values()) {
    if (containsOffset(constant.decl?.name?.range, offset)) return constant;
  }
  const symbol = symbolAt(model, offset);
  if (symbol?.kind === 'constant' && symbol.constant) return symbol.constant;
  for (const constant of model.constants.values()) {
    if (constant.uses?.some((use) => containsOffset(use, offset))) return constant;
  }
  for (const key of sweepKeys(analysis)) {
    if (containsOffset(key.range, offset)) return model.constants.get(key.name);
  }
  return undefined;
}

/** Keys of the `sweep` block: each names a `let` constant. */
export function sweepKeys(analysis: Analysis): { name: string; range: Range }[] {
  const keys: { name: string; range: Range }[] = [];
  for (const decl of analysis.ast?.decls ?? []) {
    if (decl?.kind !== 'sweep') continue;
    for (const setting of decl.settings ?? []) {
      if (setting?.key?.name) keys.push({ name: setting.key.name, range: setting.key.range });
    }
  }
  return keys;
}

/** Every range where a constant's name is written: declaration, references, sweep keys. */
export function constantOccurrences(analysis: Analysis, constant: ConstantInfo, includeDeclaration: boolean): Range[] {
  const ranges: Range[] = [];
  if (includeDeclaration && constant.decl?.name) ranges.push(constant.decl.name.range);
  for (const use of constant.uses ?? []) ranges.push(use);
  for (const key of sweepKeys(analysis)) if (key.name === constant.name) ranges.push(key.range);
  const seen = new Set<number>();
  return ranges
    .filter((r) => hasOffsets(r))
    .filter((r) => (seen.has(r.start.offset) ? false : (seen.add(r.start.offset), true)))
    .sort((a, b) => a.start.offset - b.start.offset);
}
