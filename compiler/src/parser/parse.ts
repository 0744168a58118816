// parse(text): lexing, splitting into top-level declarations, parsing each with
// recovery, and building the AST. Never throws; every problem is a diagnostic.
import { tokenMatcher, type IToken, type IRecognitionException } from 'chevrotain';
import type * as A from '../ast.js';
import type { Diagnostic } from '../diagnostics.js';
import { AstBuilder, tokenRange } from './build-ast.js';
import { RegnetParser } from './grammar.js';
import * as T from './tokens.js';

export interface ParseResult {
  ast: A.RegnetFile;
  diagnostics: Diagnostic[];
  /** All tokens (without comments), for editors that need them (semantic tokens, completion). */
  tokens: IToken[];
}

let sharedParser: RegnetParser | undefined;
function parser(): RegnetParser {
  sharedParser ??= new RegnetParser();
  return sharedParser;
}

function startsDeclaration(token: IToken, previous: IToken | undefined, next: IToken | undefined): boolean {
  if (!T.DECLARATION_KEYWORDS.some((k) => tokenMatcher(token, k))) return false;
  // `mnist(split: train)`: after ':' or '=' and not opening a block, `train` is a value.
  const afterColon = previous !== undefined && (tokenMatcher(previous, T.Colon) || tokenMatcher(previous, T.Equals));
  const valuePosition = afterColon && !(next && tokenMatcher(next, T.LCurly));
  return !(valuePosition && tokenMatcher(token, T.Train));
}

function positionAt(text: string, offset: number): A.Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    // \n, \r\n and a lone \r end a line, as the lexer counts them.
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

/** Deepest bracket nesting parsed; deeper would overflow the recursive parser's stack (~500). */
export const MAX_NESTING = 100;

const OPENERS = [T.LParen, T.LBracket, T.LCurly];
const CLOSERS = [T.RParen, T.RBracket, T.RCurly];

/**
 * Drops what is nested deeper than MAX_NESTING (reported once, RN106, at the first
 * bracket too deep), so that the parser and every later pass recurse a bounded depth.
 */
function boundNesting(tokens: IToken[], diagnostics: Diagnostic[]): IToken[] {
  let depth = 0;
  let reported = false;
  const kept: IToken[] = [];
  for (const token of tokens) {
    const opens = OPENERS.some((k) => tokenMatcher(token, k));
    const closes = !opens && CLOSERS.some((k) => tokenMatcher(token, k));
    if (opens) depth++;
    if (depth > MAX_NESTING) {
      if (!reported) {
        reported = true;
        diagnostics.push({
          severity: 'error',
          code: 'RN106',
          message: `brackets nested more than ${MAX_NESTING} deep: what is inside is not read`,
          range: tokenRange(token),
        });
      }
    } else kept.push(token);
    if (closes && depth > 0) depth--;
  }
  return kept;
}

/** Parses a spec. Never throws: an unexpected failure becomes an RN990 diagnostic. */
export function parse(text: string): ParseResult {
  try {
    return parseUnguarded(text);
  } catch (error) {
    const start = { line: 1, column: 1, offset: 0 };
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ast: { kind: 'file', decls: [], comments: [], range: { start, end: positionAt(text, text.length) } },
      diagnostics: [{ severity: 'error', code: 'RN990', message: `internal compiler error while parsing: ${detail} (please report this with the spec)`, range: { start, end: start } }],
      tokens: [],
    };
  }
}

function parseUnguarded(text: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lexed = T.regnetLexer.tokenize(text);
  for (const error of lexed.errors) {
    const start = { line: error.line ?? 1, column: error.column ?? 1, offset: error.offset };
    const bad = text.substr(error.offset, error.length);
    diagnostics.push({
      severity: 'error',
      code: 'RN103',
      message: `unexpected character${bad.length > 1 ? 's' : ''} '${bad}'`,
      range: { start, end: { line: start.line, column: start.column + error.length, offset: error.offset + error.length } },
    });
  }
  // Reported here, not by the AST builder, so that one inside skipped tokens is reported too.
  for (const token of lexed.tokens) {
    if (tokenMatcher(token, T.UnterminatedString)) {
      diagnostics.push({
        severity: 'error',
        code: 'RN102',
        message: 'unterminated string: expected a closing \'"\' before the end of the line',
        range: tokenRange(token),
      });
    }
  }
  const comments: A.Comment[] = (lexed.groups.comments ?? []).map((t: IToken) => ({ text: t.image, range: tokenRange(t) }));
  const tokens = boundNesting(lexed.tokens, diagnostics);
  const fileRange: A.Range = { start: { line: 1, column: 1, offset: 0 }, end: positionAt(text, text.length) };

  // Split the token stream at declaration keywords.
  const chunks: IToken[][] = [];
  let stray: IToken[] = [];
  const flushStray = () => {
    if (stray.length === 0) return;
    const first = stray[0];
    diagnostics.push({
      severity: 'error',
      code: 'RN101',
      message: `expected a declaration (let, model, data, train or sweep) but found '${first.image}'`,
      range: tokenRange(first),
    });
    stray = [];
  };
  tokens.forEach((token, i) => {
    if (startsDeclaration(token, tokens[i - 1], tokens[i + 1])) {
      flushStray();
      chunks.push([token]);
    } else if (chunks.length === 0) stray.push(token);
    else chunks[chunks.length - 1].push(token);
  });
  flushStray();

  const decls: A.Decl[] = [];
  const p = parser();
  chunks.forEach((chunk, index) => {
    const last = chunk[chunk.length - 1];
    const builder = new AstBuilder(tokenRange(chunk[0]));
    p.input = chunk;
    const first = chunk[0];
    let decl: A.Decl;
    if (tokenMatcher(first, T.Let)) decl = builder.letDecl(p.letDecl());
    else if (tokenMatcher(first, T.Model)) decl = builder.modelDecl(p.modelDecl());
    else decl = builder.sectionDecl(p.sectionDecl());
    decls.push(decl);
    // Loops, not push(...list): a declaration can hold 10^6 problems.
    for (const d of builder.diagnostics) diagnostics.push(d);
    const following = chunks[index + 1]?.[0];
    for (const d of syntaxDiagnostics(p.errors, last, following)) diagnostics.push(d);
  });

  diagnostics.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { ast: { kind: 'file', decls, comments, range: fileRange }, diagnostics, tokens };
}

/** Parser exceptions -> RN101 diagnostics; errors at the end of a declaration point at its last token. */
function syntaxDiagnostics(errors: IRecognitionException[], last: IToken, following: IToken | undefined): Diagnostic[] {
  const result: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const atEnd = !Number.isFinite(error.token.startOffset) || error.token.tokenType.name === 'EOF';
    const range = tokenRange(atEnd ? last : error.token);
    const found = following ? `'${following.image}'` : 'the end of the file';
    const message = error.message.replace('the end of the declaration', found);
    const key = `${range.start.offset}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ severity: 'error', code: 'RN101', message, range });
  }
  return result;
}
