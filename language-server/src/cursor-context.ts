// Where the cursor is, syntactically, in a possibly half-typed file: inside which
// block, call or list, and at a key, a value or an argument position. Computed
// from the compiler's lexer and a bracket stack rather than from the AST, because
// while typing the text around the cursor rarely parses.
import { tokens as T } from '@regnet/compiler';

interface Tok {
  type: string;
  image: string;
  start: number;
  /** Exclusive. */
  end: number;
}

/** Whose value starts at the cursor. `inList` counts the `[` between the owner and the cursor. */
export type Owner = (
  | { kind: 'setting'; section: string; key: string }
  | { kind: 'arg'; call: CallSite; name?: string; index: number }
  | { kind: 'let'; name?: string }
  | { kind: 'block-item'; section: string }
  | { kind: 'layer' }
  | { kind: 'unknown' }
) & { inList?: number };

/** A call being written: `callee(`, and what it is the value of. */
export interface CallSite {
  callee: string;
  owner: Owner;
  /** Offset of the `(`. */
  open: number;
}

export type CursorContext =
  | { kind: 'none' }
  | { kind: 'top' }
  | { kind: 'layers' }
  | { kind: 'keys'; section: string; given: string[] }
  | { kind: 'value'; owner: Owner }
  /** At the start of an argument: `index` positional arguments come before it. */
  | { kind: 'args'; call: CallSite; index: number; positionalAllowed: boolean; given: string[] };

export interface ActiveCall {
  call: CallSite;
  /** Index of the argument the cursor is in (counting all arguments). */
  argIndex: number;
  /** Index among positional arguments, when the current argument is positional. */
  positionalIndex?: number;
  /** Name of the named argument the cursor is in. */
  named?: string;
  given: string[];
}

interface Frame {
  kind: 'top' | 'layers' | 'settings' | 'call' | 'list' | 'unknown';
  closer: string;
  section?: string;
  call?: CallSite;
  owner?: Owner;
  items: Tok[];
}

const WORD_TYPES = new Set(['Identifier', 'Let', 'Model', 'Data', 'Train', 'Sweep', 'Augment', 'True', 'False', 'As']);
function isWord(t: Tok | undefined): t is Tok {
  return t !== undefined && WORD_TYPES.has(t.type);
}
const is = (t: Tok | undefined, type: string) => t?.type === type;

export interface Scan {
  stack: Frame[];
  /** The word being typed (the part before the cursor), empty when none. */
  prefix: string;
  inComment: boolean;
  /** Inside a string or a number being typed. */
  inLiteral: boolean;
}

/**
 * Where lexing may start: the last line before the cursor that begins with a
 * declaration keyword. The parser restarts at every declaration keyword too, and
 * such a line can be neither inside a comment nor inside a string, so the stack
 * is empty there; on a 1,000-line spec this keeps completion from lexing it all.
 */
export function declarationStart(text: string, offset: number): number {
  const DECL = /^(?:let|model|data|train|sweep)\b/;
  if (offset <= 0) return 0;
  let lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  for (;;) {
    if (DECL.test(text.slice(lineStart, lineStart + 6))) return lineStart;
    if (lineStart === 0) return 0;
    // (lastIndexOf clamps a negative start to 0, which would find the same newline again)
    lineStart = lineStart >= 2 ? text.lastIndexOf('\n', lineStart - 2) + 1 : 0;
  }
}

export function scan(text: string, offset: number): Scan {
  // Only the text before the cursor matters (a word or literal cut at the cursor
  // lexes as the part typed so far), from the enclosing declaration on.
  const base = declarationStart(text, offset);
  const lexed = T.regnetLexer.tokenize(text.slice(base, offset));
  const toks: Tok[] = lexed.tokens.map((t) => ({
    type: t.tokenType.name,
    image: t.image,
    start: base + t.startOffset,
    end: base + (t.endOffset ?? t.startOffset) + 1,
  }));
  let inComment = false;
  let inLiteral = false;
  for (const c of lexed.groups.comments ?? []) {
    if (base + c.startOffset < offset && offset <= base + (c.endOffset ?? c.startOffset) + 1) inComment = true;
  }
  let prefix = '';
  const stack: Frame[] = [{ kind: 'top', closer: '', items: [] }];
  for (const tok of toks) {
    if (tok.start >= offset) break;
    // The token touching the cursor: a word is the prefix being typed; inside a
    // string or a number there is nothing to complete.
    if (tok.end >= offset) {
      if (WORD_TYPES.has(tok.type)) {
        prefix = tok.image.slice(0, offset - tok.start);
        break;
      }
      const insideString = tok.type === 'UnterminatedString' || (tok.type === 'StringLiteral' && offset < tok.end);
      if (insideString || tok.type === 'NumberLiteral') {
        inLiteral = true;
        break;
      }
    }
    push(stack, tok);
  }
  return { stack, prefix, inComment, inLiteral };
}

function top(stack: Frame[]): Frame {
  return stack[stack.length - 1];
}

function push(stack: Frame[], tok: Tok): void {
  const frame = top(stack);
  const items = frame.items;
  switch (tok.type) {
    case 'LCurly': {
      const prev = items[items.length - 1];
      const prev2 = items[items.length - 2];
      let next: Frame = { kind: 'unknown', closer: 'RCurly', items: [] };
      if (frame.kind === 'top') {
        if (is(prev, 'Model') || (is(prev2, 'Model') && isWord(prev))) next = { kind: 'layers', closer: 'RCurly', items: [] };
        else if (is(prev, 'Data') || is(prev, 'Train') || is(prev, 'Sweep')) {
          next = { kind: 'settings', section: prev!.image, closer: 'RCurly', items: [] };
        }
      } else if (frame.kind === 'layers') {
        next = { kind: 'layers', closer: 'RCurly', items: [] };
      } else if (frame.kind === 'settings' && isWord(prev)) {
        next = { kind: 'settings', section: prev.image, closer: 'RCurly', items: [] };
      }
      items.push(tok);
      stack.push(next);
      return;
    }
    case 'LParen': {
      const prev = items[items.length - 1];
      let next: Frame = { kind: 'unknown', closer: 'RParen', items: [] };
      if (isWord(prev)) {
        const call: CallSite = { callee: prev.image, owner: ownerAt(frame, items.slice(0, -1)), open: tok.start };
        next = { kind: 'call', closer: 'RParen', call, items: [] };
      }
      items.push(tok);
      stack.push(next);
      return;
    }
    case 'LBracket': {
      const owner = ownerAt(frame, items);
      items.push(tok);
      stack.push({ kind: 'list', closer: 'RBracket', owner: { ...owner, inList: (owner.inList ?? 0) + 1 }, items: [] });
      return;
    }
    case 'RCurly':
    case 'RParen':
    case 'RBracket': {
      // Tolerant: close up to the matching opener; a stray closer is ignored.
      const at = findLast(stack, (f) => f.closer === tok.type);
      if (at <= 0) return;
      stack.length = at;
      top(stack).items.push(tok);
      return;
    }
    default:
      items.push(tok);
  }
}

function findLast<X>(list: X[], pred: (x: X) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i])) return i;
  return -1;
}

/** The tokens of the current argument of a call frame (after the last top-level comma). */
function currentArg(items: Tok[]): Tok[] {
  const lastComma = findLast(items, (t) => t.type === 'Comma');
  return items.slice(lastComma + 1);
}

/** Splits a call frame's items into arguments (opening/closing tokens of nested groups included). */
function splitArgs(items: Tok[]): Tok[][] {
  const args: Tok[][] = [[]];
  let depth = 0;
  for (const t of items) {
    if (t.type === 'LParen' || t.type === 'LBracket' || t.type === 'LCurly') depth++;
    if (t.type === 'RParen' || t.type === 'RBracket' || t.type === 'RCurly') depth--;
    if (t.type === 'Comma' && depth <= 0) args.push([]);
    else args[args.length - 1].push(t);
  }
  return args;
}

const isNamedArg = (arg: Tok[]) => isWord(arg[0]) && is(arg[1], 'Colon');

/** What a value written after `items` in `frame` would be the value of. */
function ownerAt(frame: Frame, items: Tok[]): Owner {
  const n = items.length;
  switch (frame.kind) {
    case 'top':
      if (is(items[n - 1], 'Equals') && isWord(items[n - 2]) && is(items[n - 3], 'Let')) return { kind: 'let', name: items[n - 2].image };
      return { kind: 'unknown' };
    case 'layers':
      return { kind: 'layer' };
    case 'settings':
      if (is(items[n - 1], 'Colon') && isWord(items[n - 2])) return { kind: 'setting', section: frame.section!, key: items[n - 2].image };
      return { kind: 'block-item', section: frame.section! };
    case 'call': {
      const args = splitArgs(items);
      const current = args[args.length - 1];
      if (isNamedArg(current)) return { kind: 'arg', call: frame.call!, name: current[0].image, index: args.length - 1 };
      const positional = args.slice(0, -1).filter((a) => !isNamedArg(a)).length;
      return { kind: 'arg', call: frame.call!, index: positional };
    }
    case 'list':
      return frame.owner ?? { kind: 'unknown' };
    default:
      return { kind: 'unknown' };
  }
}

function givenKeys(items: Tok[]): string[] {
  const keys: string[] = [];
  for (let i = 0; i + 1 < items.length; i++) {
    if (isWord(items[i]) && (is(items[i + 1], 'Colon') || is(items[i + 1], 'LCurly'))) keys.push(items[i].image);
  }
  return keys;
}

function givenArgs(items: Tok[]): string[] {
  return splitArgs(items).filter(isNamedArg).map((a) => a[0].image);
}

export function cursorContext(text: string, offset: number): { context: CursorContext; prefix: string } {
  const { stack, prefix, inComment, inLiteral } = scan(text, offset);
  if (inComment || inLiteral) return { context: { kind: 'none' }, prefix };
  const frame = top(stack);
  const items = frame.items;
  const last = items[items.length - 1];
  const context = ((): CursorContext => {
    switch (frame.kind) {
      case 'top': {
        const owner = ownerAt(frame, items);
        if (owner.kind === 'let') return { kind: 'value', owner };
        if (is(last, 'Let') || is(last, 'Model') || (is(items[items.length - 2], 'Let') && isWord(last))) return { kind: 'none' };
        return { kind: 'top' };
      }
      case 'layers':
        return is(last, 'As') ? { kind: 'none' } : { kind: 'layers' };
      case 'settings':
        if (is(last, 'Colon')) return { kind: 'value', owner: ownerAt(frame, items) };
        return { kind: 'keys', section: frame.section!, given: givenKeys(items) };
      case 'call': {
        const current = currentArg(items);
        const args = splitArgs(items);
        if (current.length === 0) {
          const before = args.slice(0, -1);
          return {
            kind: 'args',
            call: frame.call!,
            index: before.filter((a) => !isNamedArg(a)).length,
            positionalAllowed: !before.some(isNamedArg),
            given: givenArgs(items),
          };
        }
        if (current.length === 2 && isNamedArg(current)) return { kind: 'value', owner: ownerAt(frame, items) };
        return { kind: 'none' };
      }
      case 'list':
        if (!last || is(last, 'Comma')) return { kind: 'value', owner: frame.owner ?? { kind: 'unknown' } };
        return { kind: 'none' };
      default:
        return { kind: 'none' };
    }
  })();
  return { context, prefix };
}

/** The innermost call around the cursor, for signature help. */
export function activeCall(text: string, offset: number): ActiveCall | undefined {
  // Signature help stays up while typing a string or number argument.
  const { stack, inComment } = scan(text, offset);
  if (inComment) return undefined;
  const at = findLast(stack, (f) => f.kind === 'call');
  if (at < 0) return undefined;
  const frame = stack[at];
  // The call frame's items end where the nested group (if any) started.
  const args = splitArgs(frame.items);
  const current = args[args.length - 1];
  const positionals = args.slice(0, -1).filter((a) => !isNamedArg(a)).length;
  const named = isNamedArg(current) ? current[0].image : undefined;
  return {
    call: frame.call!,
    argIndex: args.length - 1,
    positionalIndex: named ? undefined : positionals,
    named,
    given: givenArgs(frame.items),
  };
}
