// CST -> AST. Kept apart from the grammar (chevrotain's recommended layout) so
// the grammar stays declarative. Recovery may leave any child missing, and
// tokens inserted by recovery have no position: both are tolerated here.
import type { CstNode, IToken } from 'chevrotain';
import type * as A from '../ast.js';
import type { Diagnostic } from '../diagnostics.js';

type Children = Record<string, (CstNode | IToken)[] | undefined>;

function kids(node: CstNode): Children {
  return node.children as Children;
}

function realToken(token: IToken | undefined): token is IToken {
  return token !== undefined && !token.isInsertedInRecovery && Number.isFinite(token.startOffset);
}

export function tokenRange(token: IToken): A.Range {
  return {
    start: { line: token.startLine ?? 1, column: token.startColumn ?? 1, offset: token.startOffset },
    end: { line: token.endLine ?? 1, column: (token.endColumn ?? 0) + 1, offset: (token.endOffset ?? token.startOffset) + 1 },
  };
}

/** The smallest range covering all given ranges, or undefined when none is given. */
export function cover(...ranges: (A.Range | undefined)[]): A.Range | undefined {
  return coverAll(ranges);
}

/** `cover` over a list of any length (spreading 10^6 ranges into a call would overflow the stack). */
export function coverAll(ranges: readonly (A.Range | undefined)[]): A.Range | undefined {
  let result: A.Range | undefined;
  for (const r of ranges) {
    if (!r) continue;
    if (!result) result = { start: r.start, end: r.end };
    else {
      if (r.start.offset < result.start.offset) result.start = r.start;
      if (r.end.offset > result.end.offset) result.end = r.end;
    }
  }
  return result;
}

function tok(children: Children, name: string, index = 0): IToken | undefined {
  const t = children[name]?.[index] as IToken | undefined;
  return realToken(t) ? t : undefined;
}

function sub(children: Children, name: string, index = 0): CstNode | undefined {
  return children[name]?.[index] as CstNode | undefined;
}

function subs(children: Children, name: string): CstNode[] {
  return (children[name] ?? []) as CstNode[];
}

function ident(token: IToken | undefined): A.Ident | undefined {
  return token ? { kind: 'ident', name: token.image, range: tokenRange(token) } : undefined;
}

/** Turns CSTs into AST nodes, collecting diagnostics about literals on the way. */
export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  /** Where to put a node that has no real token at all (pure recovery). */
  private fallback: A.Range;

  constructor(fallback: A.Range) {
    this.fallback = fallback;
  }

  letDecl(node: CstNode): A.LetDecl {
    const c = kids(node);
    const name = ident(tok(c, 'Identifier'));
    const valueNode = sub(c, 'value');
    const value = valueNode ? this.value(valueNode) : undefined;
    const range = cover(this.r(tok(c, 'Let')), name?.range, tok(c, 'Equals') && tokenRange(tok(c, 'Equals')!), value?.range) ?? this.fallback;
    return { kind: 'let', name, value, range };
  }

  modelDecl(node: CstNode): A.ModelDecl {
    const c = kids(node);
    const keyword = this.r(tok(c, 'Model')) ?? this.fallback;
    const name = ident(tok(c, 'Identifier'));
    const blockNode = sub(c, 'layerBlock');
    const block = blockNode ? this.layerBlock(blockNode) : undefined;
    const body = block?.range ?? { start: (name?.range ?? keyword).end, end: (name?.range ?? keyword).end };
    return { kind: 'model', keyword, name, layers: block?.layers ?? [], body, range: cover(keyword, name?.range, block?.range)! };
  }

  sectionDecl(node: CstNode): A.SectionDecl {
    const c = kids(node);
    const kwToken = tok(c, 'Data') ?? tok(c, 'Train') ?? tok(c, 'Sweep');
    const kind = (kwToken?.image ?? 'data') as A.SectionKind;
    const keyword = this.r(kwToken) ?? this.fallback;
    const settings = subs(c, 'setting').map((s) => this.setting(s));
    const body = cover(this.r(tok(c, 'LCurly')), this.r(tok(c, 'RCurly')), coverAll(settings.map((s) => s.range))) ?? { start: keyword.end, end: keyword.end };
    return { kind, keyword, settings, body, range: cover(keyword, body)! };
  }

  private layerBlock(node: CstNode): A.Block {
    const c = kids(node);
    const layers = subs(c, 'layer').map((l) => this.layer(l)).filter((l): l is A.Layer => l !== undefined);
    const range = cover(this.r(tok(c, 'LCurly')), this.r(tok(c, 'RCurly')), coverAll(layers.map((l) => l.range))) ?? this.fallback;
    return { layers, range };
  }

  private layer(node: CstNode): A.Layer | undefined {
    const c = kids(node);
    const callNode = sub(c, 'call');
    const call = callNode ? this.call(callNode) : undefined;
    if (!call) return undefined;
    const alias = ident(tok(c, 'Identifier'));
    const blockNode = sub(c, 'layerBlock');
    const block = blockNode ? this.layerBlock(blockNode) : undefined;
    return { kind: 'layer', call, alias, block, range: cover(call.range, this.r(tok(c, 'As')), alias?.range, block?.range)! };
  }

  private setting(node: CstNode): A.Setting {
    const c = kids(node);
    const keyToken = tok(c, 'Identifier') ?? tok(c, 'Augment');
    const key: A.Ident = ident(keyToken) ?? { kind: 'ident', name: '', range: this.fallback };
    const valueNode = sub(c, 'value');
    const value = valueNode ? this.value(valueNode) : undefined;
    const blockNode = sub(c, 'settingBlock');
    const block = blockNode ? this.settingBlock(blockNode) : undefined;
    const range = cover(keyToken && key.range, this.r(tok(c, 'Colon')), value?.range, block?.range) ?? this.fallback;
    return { kind: 'setting', key, value, block, range };
  }

  private settingBlock(node: CstNode): A.SettingBlock {
    const c = kids(node);
    const items: (A.Setting | A.Call)[] = [];
    for (const s of subs(c, 'setting')) items.push(this.setting(s));
    for (const k of subs(c, 'call')) {
      const call = this.call(k);
      if (call) items.push(call);
    }
    items.sort((a, b) => a.range.start.offset - b.range.start.offset);
    const range = cover(this.r(tok(c, 'LCurly')), this.r(tok(c, 'RCurly')), coverAll(items.map((i) => i.range))) ?? this.fallback;
    return { items, range };
  }

  private call(node: CstNode): A.Call | undefined {
    const c = kids(node);
    const name = ident(tok(c, 'Identifier'));
    if (!name) return undefined;
    const argListNode = sub(c, 'argList');
    if (!argListNode) return { kind: 'call', name, args: [], hasParens: false, range: name.range };
    const a = kids(argListNode);
    const args = subs(a, 'arg').map((n) => this.arg(n)).filter((x): x is A.Arg => x !== undefined);
    const argsRange = cover(this.r(tok(a, 'LParen')), this.r(tok(a, 'RParen')), coverAll(args.map((x) => x.range)));
    return { kind: 'call', name, args, hasParens: true, argsRange, range: cover(name.range, argsRange)! };
  }

  private arg(node: CstNode): A.Arg | undefined {
    const c = kids(node);
    const name = ident(tok(c, 'Identifier'));
    const valueNode = sub(c, 'value');
    const value = valueNode ? this.value(valueNode) : undefined;
    const range = cover(name?.range, this.r(tok(c, 'Colon')), value?.range);
    return range ? { kind: 'arg', name, value, range } : undefined;
  }

  value(node: CstNode): A.Value | undefined {
    const c = kids(node);
    const num = tok(c, 'NumberLiteral');
    if (num) return this.number(num);
    const str = tok(c, 'StringLiteral') ?? tok(c, 'UnterminatedString');
    if (str) return this.string(str);
    const t = tok(c, 'True') ?? tok(c, 'False');
    if (t) return { kind: 'bool', value: t.image === 'true', range: tokenRange(t) };
    const word = tok(c, 'Train');
    if (word) return { kind: 'name', name: word.image, range: tokenRange(word) };
    const listNode = sub(c, 'list');
    if (listNode) return this.list(listNode);
    const callNode = sub(c, 'call');
    if (callNode) {
      const call = this.call(callNode);
      if (call && !call.hasParens) return { kind: 'name', name: call.name.name, range: call.range };
      return call;
    }
    return undefined;
  }

  private list(node: CstNode): A.ListLit {
    const c = kids(node);
    const items = subs(c, 'value').map((v) => this.value(v)).filter((v): v is A.Value => v !== undefined);
    const range = cover(this.r(tok(c, 'LBracket')), this.r(tok(c, 'RBracket')), coverAll(items.map((i) => i.range))) ?? this.fallback;
    return { kind: 'list', items, range };
  }

  private number(token: IToken): A.NumberLit {
    const value = Number(token.image);
    const range = tokenRange(token);
    if (!Number.isFinite(value)) {
      this.diagnostics.push({ severity: 'error', code: 'RN104', message: `number '${token.image}' is too large`, range });
    } else if (value === 0 && /[1-9]/.test(token.image.split(/e/i)[0]!)) {
      // 1e-400 is below the smallest double: it would silently become 0.
      this.diagnostics.push({ severity: 'warning', code: 'RN107', message: `number '${token.image}' is too small to represent: it rounds to 0 (write 0 if that is meant)`, range });
    }
    return { kind: 'number', value, text: token.image, range };
  }

  private string(token: IToken): A.StringLit {
    const range = tokenRange(token);
    const text = token.image;
    const closed = token.tokenType.name === 'StringLiteral';
    const inner = text.slice(1, closed ? -1 : undefined);
    let value = '';
    for (let i = 0; i < inner.length; i++) {
      const ch = inner[i];
      if (ch !== '\\') {
        value += ch;
        continue;
      }
      const next = inner[i + 1];
      if (next === '"' || next === '\\') value += next;
      else if (next === 'n') value += '\n';
      else {
        const at = token.startOffset + 1 + i;
        const escapeText = next === undefined ? '\\' : `\\${next}`;
        this.diagnostics.push({
          severity: 'error',
          code: 'RN105',
          message: `invalid escape '${escapeText}' in a string: expected \\", \\\\ or \\n`,
          range: {
            start: { line: range.start.line, column: range.start.column + 1 + i, offset: at },
            end: { line: range.start.line, column: range.start.column + 1 + i + escapeText.length, offset: at + escapeText.length },
          },
        });
        if (next !== undefined) value += next;
      }
      i++;
    }
    return { kind: 'string', value, text, range };
  }

  private r(token: IToken | undefined): A.Range | undefined {
    return token ? tokenRange(token) : undefined;
  }
}
