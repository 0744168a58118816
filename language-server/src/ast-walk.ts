// Small traversal helpers over the compiler's AST. Every child is optional after
// error recovery, so the walkers check before descending.
import type { Call, Layer, RegnetFile, Setting, Value } from '@regnet/compiler';

export interface AstVisitor {
  layer?(layer: Layer, depth: number): void;
  setting?(setting: Setting, section: string, depth: number): void;
  call?(call: Call): void;
  value?(value: Value): void;
}

export function walkFile(file: RegnetFile | undefined, visitor: AstVisitor): void {
  for (const decl of file?.decls ?? []) {
    if (!decl) continue;
    if (decl.kind === 'let') {
      if (decl.value) walkValue(decl.value, visitor);
    } else if (decl.kind === 'model') {
      walkLayers(decl.layers ?? [], visitor, 0);
    } else {
      walkSettings(decl.settings ?? [], decl.kind, visitor, 0);
    }
  }
}

export function walkLayers(layers: Layer[], visitor: AstVisitor, depth: number): void {
  for (const layer of layers) {
    if (!layer) continue;
    visitor.layer?.(layer, depth);
    if (layer.call) walkValue(layer.call, visitor);
    if (layer.block) walkLayers(layer.block.layers ?? [], visitor, depth + 1);
  }
}

function walkSettings(settings: (Setting | Call)[], section: string, visitor: AstVisitor, depth: number): void {
  for (const item of settings) {
    if (!item) continue;
    if (item.kind === 'call') {
      walkValue(item, visitor);
      continue;
    }
    visitor.setting?.(item, section, depth);
    if (item.value) walkValue(item.value, visitor);
    if (item.block) walkSettings(item.block.items ?? [], item.key?.name ?? section, visitor, depth + 1);
  }
}

export function walkValue(value: Value, visitor: AstVisitor): void {
  visitor.value?.(value);
  if (value.kind === 'call') {
    visitor.call?.(value);
    for (const arg of value.args ?? []) if (arg?.value) walkValue(arg.value, visitor);
  } else if (value.kind === 'list') {
    for (const item of value.items ?? []) if (item) walkValue(item, visitor);
  }
}
