// The formatter behind `regnetc fmt` and the language server's formatting:
// one item per line, two-space indentation, blocks always expanded, literals kept
// as written, comments kept (trailing ones stay on their line, others move to the
// start of the line item they precede), at most one blank line kept where the
// author put one. Refuses (returns no text) when the file has syntax errors.
import type * as A from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import { parse } from './parser/index.js';

export interface FormatResult {
  /** The formatted text; absent when the file has syntax errors. */
  text?: string;
  diagnostics: Diagnostic[];
}

const INDENT = '  ';

/** One output line before comments are attached. */
interface Item {
  depth: number;
  text: string;
  /** Source offsets of what this line prints. */
  start: number;
  end: number;
  startLine: number;
  endLine: number;
  /** Top-level declarations get a blank line between them. */
  declStart?: A.Decl['kind'];
  opensBlock?: boolean;
  closesBlock?: boolean;
}

export function printValue(value: A.Value): string {
  switch (value.kind) {
    case 'number':
    case 'string':
      return value.text;
    case 'bool':
      return String(value.value);
    case 'name':
      return value.name;
    case 'list':
      return `[${value.items.map(printValue).join(', ')}]`;
    case 'call':
      return printCall(value);
  }
}

export function printCall(call: A.Call): string {
  if (!call.hasParens) return call.name.name;
  const args = call.args.map((arg) => {
    const v = arg.value ? printValue(arg.value) : '';
    return arg.name ? `${arg.name.name}: ${v}` : v;
  });
  return `${call.name.name}(${args.join(', ')})`;
}

class Printer {
  readonly items: Item[] = [];

  decl(decl: A.Decl): void {
    switch (decl.kind) {
      case 'let':
        this.line(0, `let ${decl.name?.name ?? ''} = ${decl.value ? printValue(decl.value) : ''}`, decl.range, { declStart: 'let' });
        return;
      case 'model': {
        const header = `model ${decl.name ? decl.name.name + ' ' : ''}{`;
        this.block(0, header, { start: decl.keyword.start, end: decl.body.start }, decl.body, 'model', () => {
          for (const layer of decl.layers) this.layer(1, layer);
        }, decl.layers.length === 0);
        return;
      }
      default:
        this.block(0, `${decl.kind} {`, { start: decl.keyword.start, end: decl.body.start }, decl.body, decl.kind, () => {
          for (const setting of decl.settings) this.setting(1, setting);
        }, decl.settings.length === 0);
    }
  }

  private layer(depth: number, layer: A.Layer): void {
    const head = printCall(layer.call) + (layer.alias ? ` as ${layer.alias.name}` : '');
    if (!layer.block) {
      this.line(depth, head, layer.range);
      return;
    }
    const block = layer.block;
    this.block(depth, `${head} {`, { start: layer.range.start, end: block.range.start }, block.range, undefined, () => {
      for (const inner of block.layers) this.layer(depth + 1, inner);
    }, block.layers.length === 0);
  }

  private setting(depth: number, setting: A.Setting): void {
    if (setting.block) {
      const block = setting.block;
      this.block(depth, `${setting.key.name} {`, { start: setting.range.start, end: block.range.start }, block.range, undefined, () => {
        for (const item of block.items) {
          if (item.kind === 'setting') this.setting(depth + 1, item);
          else this.line(depth + 1, printCall(item), item.range);
        }
      }, block.items.length === 0);
      return;
    }
    this.line(depth, `${setting.key.name}: ${setting.value ? printValue(setting.value) : ''}`, setting.range);
  }

  private block(
    depth: number,
    header: string,
    headerRange: A.Range,
    body: A.Range,
    declStart: Item['declStart'],
    inner: () => void,
    empty: boolean,
  ): void {
    if (empty) {
      this.line(depth, header + '}', { start: headerRange.start, end: body.end }, { declStart });
      return;
    }
    const openEnd = { ...body.start, column: body.start.column + 1, offset: body.start.offset + 1 };
    this.line(depth, header, { start: headerRange.start, end: openEnd }, { declStart, opensBlock: true });
    inner();
    const closeStart = { ...body.end, column: body.end.column - 1, offset: body.end.offset - 1 };
    this.line(depth, '}', { start: closeStart, end: body.end }, { closesBlock: true });
  }

  private line(depth: number, text: string, range: A.Range, extra: Partial<Item> = {}): void {
    this.items.push({
      depth,
      text,
      start: range.start.offset,
      end: range.end.offset,
      startLine: range.start.line,
      endLine: range.end.line,
      ...extra,
    });
  }
}

export function format(source: string): FormatResult {
  const { ast, diagnostics } = parse(source);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { diagnostics: errors };

  const printer = new Printer();
  for (const decl of ast.decls) printer.decl(decl);
  const items = printer.items;

  // Attach comments: trailing when a line item ends on the comment's line before it,
  // otherwise leading (printed on its own line) before the next item.
  const trailing = new Map<Item, string>();
  const leading = new Map<Item | 'end', A.Comment[]>();
  for (const comment of ast.comments) {
    const at = comment.range.start.offset;
    let host: Item | undefined;
    for (const item of items) {
      if (item.endLine === comment.range.start.line && item.end <= at) host = item;
    }
    if (host && !trailing.has(host)) {
      trailing.set(host, comment.text);
      continue;
    }
    const next = items.find((item) => item.start > at || (item.start <= at && at < item.end));
    const key = next ?? 'end';
    if (!leading.has(key)) leading.set(key, []);
    leading.get(key)!.push(comment);
  }

  const out: string[] = [];
  let previousEndLine: number | undefined;
  let previous: Item | undefined;
  const emit = (depth: number, text: string, startLine: number, endLine: number, item?: Item) => {
    const gap = previousEndLine !== undefined && startLine - previousEndLine >= 2;
    const topLevelBoundary = item?.declStart !== undefined && previous !== undefined && !(item.declStart === 'let' && previous.declStart === 'let');
    const afterOpen = previous?.opensBlock && out.length > 0 && out[out.length - 1].trimEnd().endsWith('{');
    const wantBlank = out.length > 0 && !afterOpen && !item?.closesBlock && (gap || topLevelBoundary);
    if (wantBlank && out[out.length - 1] !== '') out.push('');
    out.push(INDENT.repeat(depth) + text);
    previousEndLine = endLine;
  };
  for (const item of items) {
    // Comments before an item belong to it: a declaration's blank line goes above its first comment.
    const comments = leading.get(item) ?? [];
    const depth = item.closesBlock ? item.depth + 1 : item.depth;
    comments.forEach((comment, i) => emit(depth, comment.text, comment.range.start.line, comment.range.end.line, i === 0 ? item : undefined));
    const text = trailing.has(item) ? `${item.text}  ${trailing.get(item)}` : item.text;
    emit(item.depth, text, item.startLine, item.endLine, comments.length === 0 ? item : undefined);
    previous = item;
  }
  for (const comment of leading.get('end') ?? []) emit(0, comment.text, comment.range.start.line, comment.range.end.line);
  return { text: out.join('\n') + '\n', diagnostics: [] };
}
