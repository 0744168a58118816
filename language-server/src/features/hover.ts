// Hover: the catalogue's docs for the word under the cursor (summary, formula,
// defaults, reference); on a layer also its inferred shapes and parameter count;
// on a `let` constant its value and uses.
import { MarkupKind, type Hover } from 'vscode-languageserver';
import {
  describeRange,
  describeValueType,
  renderMarkdown,
  signature,
  valueToText,
  type ConstantInfo,
  type Entry,
  type LayerInfo,
  type ParamDoc,
  type Range,
  type SymbolRef,
} from '@regnet/compiler';
import type { Analysis } from '../documents.js';
import { constantAt, symbolAt } from '../model-index.js';
import { cursorContext } from '../cursor-context.js';
import { entryForWord } from '../catalogue-lookup.js';
import { toLspPosition, toLspRange } from '../positions.js';
import { formatParams, formatShape } from './format-values.js';

export function hover(analysis: Analysis, offset: number): Hover | null {
  const found = hoverMarkdown(analysis, offset);
  if (!found) return null;
  return { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: found.range ? toLspRange(found.range) : undefined };
}

/** The docs for the word at `offset` (shared by hover and `regnet/explain`). */
export function hoverMarkdown(analysis: Analysis, offset: number): { markdown: string; name: string; range?: Range } | undefined {
  const constant = constantAt(analysis, offset);
  if (constant) return { markdown: constantMarkdown(analysis, constant), name: constant.name, range: wordRange(analysis, offset) };
  const symbol = symbolAt(analysis.model, offset);
  const fromSymbol = symbol && symbolMarkdown(symbol);
  if (symbol && fromSymbol) return { markdown: fromSymbol, name: symbolName(analysis, symbol), range: symbol.range };
  return wordFallback(analysis, offset);
}

function symbolName(analysis: Analysis, symbol: SymbolRef): string {
  return analysis.text.slice(symbol.range.start.offset, symbol.range.end.offset);
}

function symbolMarkdown(symbol: SymbolRef): string | undefined {
  if (symbol.kind === 'constant' && symbol.constant) return undefined; // handled by constantAt
  if (symbol.kind === 'argument' && symbol.entry && symbol.param) {
    const param = symbol.entry.params.find((p) => p.name === symbol.param);
    if (param) return paramMarkdown(symbol.entry, param);
  }
  const parts: string[] = [];
  if (symbol.layerInfo) parts.push(layerFacts(symbol.layerInfo));
  if (symbol.entry) parts.push(renderMarkdown(symbol.entry));
  return parts.length ? parts.join('\n\n---\n\n') : undefined;
}

export function layerFacts(info: LayerInfo): string {
  const facts: string[] = [];
  if (info.outputShape) facts.push(`**Output** \`${formatShape(info.outputShape)}\``);
  if (info.params !== undefined) facts.push(formatParams(info.params));
  if (info.inputShape) facts.push(`input \`${formatShape(info.inputShape)}\``);
  return facts.length ? facts.join(' · ') : '*Shape unknown (see Problems).*';
}

export function paramMarkdown(owner: Entry, param: ParamDoc): string {
  const facts = [describeValueType(param.value)];
  const range = describeRange(param);
  if (range) facts.push(range);
  if (param.defaultFrom) facts.push(`default: \`${param.defaultFrom}\``);
  else if (param.default !== undefined) facts.push(`default \`${valueToText(param.default, { bareEmptyCalls: true })}\``);
  else facts.push(param.optional ? 'optional' : 'required');
  if (param.positional !== undefined) facts.push(`positional ${param.positional + 1}`);
  return [
    '```regnet\n' + signature(owner) + '\n```',
    `*argument of \`${owner.name}\`* — **${param.name}**: ${param.summary}`,
    `Value: ${facts.join(', ')}.`,
    owner.reference ? `*Reference:* ${owner.reference}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

export function constantMarkdown(analysis: Analysis, constant: ConstantInfo): string {
  const declText = constant.decl?.range
    ? analysis.text.slice(constant.decl.range.start.offset, constant.decl.range.end.offset).trim()
    : `let ${constant.name}`;
  const lines = (constant.uses ?? []).map((r) => toLspPosition(r.start).line + 1);
  const uses =
    lines.length === 0
      ? 'Not used.'
      : `Used ${lines.length} time${lines.length === 1 ? '' : 's'} (line${lines.length === 1 ? '' : 's'} ${[...new Set(lines)].join(', ')}).`;
  const value = constant.value !== undefined ? `Value \`${valueToText(constant.value)}\`. ` : '';
  return ['```regnet\n' + declText + '\n```', `*constant* — ${value}${uses}`].join('\n\n');
}

function wordRange(analysis: Analysis, offset: number): Range | undefined {
  const w = wordAt(analysis.text, offset);
  if (!w) return undefined;
  const pos = (o: number) => {
    const before = analysis.text.slice(0, o);
    const line = before.split('\n').length;
    return { line, column: o - (before.lastIndexOf('\n') + 1) + 1, offset: o };
  };
  return { start: pos(w.start), end: pos(w.end) };
}

export function wordAt(text: string, offset: number): { text: string; start: number; end: number } | undefined {
  const isWordChar = (c: string | undefined) => !!c && /[A-Za-z0-9_]/.test(c);
  let start = offset;
  let end = offset;
  while (start > 0 && isWordChar(text[start - 1])) start--;
  while (end < text.length && isWordChar(text[end])) end++;
  const word = text.slice(start, end);
  return /^[A-Za-z_]/.test(word) ? { text: word, start, end } : undefined;
}

/**
 * Without a checked symbol (a file that does not parse around the cursor), the
 * word's docs still show, picked by where it stands.
 */
function wordFallback(analysis: Analysis, offset: number): { markdown: string; name: string; range?: Range } | undefined {
  const word = wordAt(analysis.text, offset);
  if (!word) return undefined;
  const inComment = (analysis.ast?.comments ?? []).some((c) => c.range.start.offset <= offset && offset <= c.range.end.offset);
  if (inComment) return undefined;
  const { context } = cursorContext(analysis.text, word.start);
  const preferred =
    context.kind === 'layers' ? (['layer'] as const) : context.kind === 'keys' ? (['section-setting'] as const) : (['enum-word', 'keyword'] as const);
  const entry = entryForWord(word.text, [...preferred]);
  return entry ? { markdown: renderMarkdown(entry), name: word.text, range: wordRange(analysis, offset) } : undefined;
}
