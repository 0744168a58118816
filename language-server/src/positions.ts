// Converts between the compiler's positions (1-based line/column plus a 0-based
// offset) and the LSP's (0-based line/character). Nodes made by error recovery can
// carry NaN or -1 positions, so every conversion clamps to something drawable.
import type { Position as LspPosition, Range as LspRange } from 'vscode-languageserver';
import type { Position, Range } from '@regnet/compiler';

function finite(n: number | undefined, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}

export function toLspPosition(p: Position | undefined): LspPosition {
  return {
    line: Math.max(0, finite(p?.line, 1) - 1),
    character: Math.max(0, finite(p?.column, 1) - 1),
  };
}

export function toLspRange(r: Range | undefined): LspRange {
  const start = toLspPosition(r?.start);
  let end = toLspPosition(r?.end);
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
  return { start, end };
}

/** True when the compiler range has usable offsets. */
export function hasOffsets(r: Range | undefined): r is Range {
  return !!r && Number.isFinite(r.start?.offset) && Number.isFinite(r.end?.offset) && r.start.offset >= 0;
}

/** Whether `offset` lies in `r`, ends included (a cursor just after a word still hovers it). */
export function containsOffset(r: Range | undefined, offset: number): boolean {
  return hasOffsets(r) && r.start.offset <= offset && offset <= r.end.offset;
}

export function lspRangeContains(r: LspRange, p: LspPosition): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

export function lspRangesOverlap(a: LspRange, b: LspRange): boolean {
  return lspRangeContains(a, b.start) || lspRangeContains(a, b.end) || lspRangeContains(b, a.start);
}
