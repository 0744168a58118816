// Semantic tokens: what each word means according to the checker (layer,
// callable, argument, setting, enum word, `let` constant), on top of the
// TextMate grammar's lexical colouring.
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import type { Range, SymbolRef } from '@regnet/compiler';
import type { Analysis } from '../documents.js';
import { hasOffsets, toLspRange } from '../positions.js';

const TOKEN_TYPES = ['keyword', 'class', 'function', 'parameter', 'property', 'enumMember', 'variable'] as const;
const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;
type TokenType = (typeof TOKEN_TYPES)[number];

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...TOKEN_TYPES],
  tokenModifiers: [...TOKEN_MODIFIERS],
};

const KIND_TO_TYPE: Record<SymbolRef['kind'], TokenType> = {
  layer: 'class',
  callable: 'function',
  argument: 'parameter',
  setting: 'property',
  'enum-word': 'enumMember',
  constant: 'variable',
  keyword: 'keyword',
};

const READONLY = 1 << TOKEN_MODIFIERS.indexOf('readonly');
const DECLARATION = 1 << TOKEN_MODIFIERS.indexOf('declaration');
const LIBRARY = 1 << TOKEN_MODIFIERS.indexOf('defaultLibrary');

interface Token {
  range: Range;
  type: TokenType;
  modifiers: number;
}

export function semanticTokens(analysis: Analysis): SemanticTokens {
  const tokens: Token[] = [];
  // Declarations first: on equal starts the stable sort keeps them, with their modifier.
  for (const decl of analysis.ast?.decls ?? []) {
    if (decl?.kind === 'let' && decl.name) tokens.push({ range: decl.name.range, type: 'variable', modifiers: DECLARATION | READONLY });
  }
  for (const symbol of analysis.model?.symbols ?? []) {
    const type = KIND_TO_TYPE[symbol.kind];
    if (!type) continue;
    const modifiers = symbol.kind === 'constant' ? READONLY : symbol.entry ? LIBRARY : 0;
    tokens.push({ range: symbol.range, type, modifiers });
  }
  tokens.sort((a, b) => a.range.start.offset - b.range.start.offset);

  const builder = new SemanticTokensBuilder();
  let lastEnd = -1;
  for (const token of tokens) {
    if (!hasOffsets(token.range) || token.range.start.offset < lastEnd) continue; // no overlaps
    const r = toLspRange(token.range);
    const length = token.range.end.offset - token.range.start.offset;
    if (r.start.line !== r.end.line || length <= 0) continue; // tokens are single-line
    builder.push(r.start.line, r.start.character, length, TOKEN_TYPES.indexOf(token.type), token.modifiers);
    lastEnd = token.range.end.offset;
  }
  return builder.build();
}
