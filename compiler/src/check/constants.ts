// `let` constants: collection, duplicates, overrides (`--set`, sweeps), references
// and unused ones. Values are checked where they are used, against what that
// position accepts (see values.ts), so a constant has no type of its own.
import type { Call, ListLit, Range, RegnetFile, Value } from '../ast.js';
import type { ValueType } from '../catalogue/types.js';
import type { JsonValue } from '../ir.js';
import { parse } from '../parser/index.js';
import type { ConstantInfo } from '../semantic-model.js';
import { CheckContext } from './context.js';

/** A typed position a constant was used at: a sweep's values are checked against each. */
export interface ConstantUse {
  type: ValueType;
  bounds: Bounds;
  label: string;
}

export interface Bounds {
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  choices?: JsonValue[];
}

export interface ConstantEntry {
  info: ConstantInfo;
  /** The value to use: the declared one, or built from an override. */
  value?: Value;
  /** True when `value` was built from an override (its nodes are not in the source). */
  overridden: boolean;
  /** Typed positions where it is used. */
  usedAs: ConstantUse[];
  /** Start offsets of the recorded uses (a use reached twice is recorded once). */
  useOffsets: Set<number>;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Builds a syntax node from an override's JSON, shaped like the declared value; ranges point at `range`. */
export function jsonToValue(json: JsonValue, like: Value | undefined, range: Range): Value | undefined {
  if (typeof json === 'number') return { kind: 'number', value: json, text: String(json), range };
  if (typeof json === 'boolean') return { kind: 'bool', value: json, range };
  if (typeof json === 'string') {
    if (like?.kind === 'string') return { kind: 'string', value: json, text: JSON.stringify(json), range };
    if (IDENT.test(json)) return { kind: 'name', name: json, range };
    // `adam(lr: 0.1)` or `[1, 2]` given on the command line: parse it as a value.
    const parsed = parse(`let x = ${json}`);
    const decl = parsed.ast.decls[0];
    if (parsed.diagnostics.length === 0 && decl?.kind === 'let' && decl.value) return relocate(decl.value, range);
    return { kind: 'string', value: json, text: JSON.stringify(json), range };
  }
  if (Array.isArray(json)) {
    const itemLike = like?.kind === 'list' ? like.items[0] : undefined;
    const items = json.map((j) => jsonToValue(j, itemLike, range)).filter((v): v is Value => v !== undefined);
    return { kind: 'list', items, range };
  }
  if (json && typeof json === 'object' && typeof json.kind === 'string') {
    const args = json.args && typeof json.args === 'object' && !Array.isArray(json.args) ? json.args : {};
    const call: Call = {
      kind: 'call',
      name: { kind: 'ident', name: json.kind, range },
      // valueToJson keys positional arguments by their index: they stay positional.
      args: Object.entries(args).map(([name, v]) => ({
        kind: 'arg' as const,
        name: /^\d+$/.test(name) ? undefined : { kind: 'ident' as const, name, range },
        value: jsonToValue(v, undefined, range),
        range,
      })),
      hasParens: true,
      range,
    };
    return call;
  }
  return undefined;
}

/** Moves every range of a parsed value to `range` (it came from outside the source). */
function relocate(value: Value, range: Range): Value {
  switch (value.kind) {
    case 'list':
      return { ...value, items: value.items.map((i) => relocate(i, range)), range } as ListLit;
    case 'call':
      return {
        ...value,
        name: { ...value.name, range },
        args: value.args.map((a) => ({ ...a, name: a.name && { ...a.name, range }, value: a.value && relocate(a.value, range), range })),
        argsRange: range,
        range,
      };
    default:
      return { ...value, range } as Value;
  }
}

export class Constants {
  readonly entries = new Map<string, ConstantEntry>();

  constructor(
    private readonly ctx: CheckContext,
    file: RegnetFile,
  ) {
    const overrides = ctx.options.overrides ?? {};
    for (const decl of file.decls) {
      if (decl.kind !== 'let' || !decl.name) continue;
      const name = decl.name.name;
      const existing = this.entries.get(name);
      if (existing) {
        this.ctx.report(
          'RN211',
          decl.name.range,
          `'${name}' is already defined at line ${existing.info.decl.range.start.line}; each let constant may be defined once`,
        );
        continue;
      }
      let value = decl.value;
      let overridden = false;
      if (Object.prototype.hasOwnProperty.call(overrides, name)) {
        value = jsonToValue(overrides[name]!, decl.value, decl.value?.range ?? decl.name.range);
        overridden = true;
      }
      this.entries.set(name, { info: { name, decl, uses: [] }, value, overridden, usedAs: [], useOffsets: new Set() });
      ctx.symbol({ range: decl.name.range, kind: 'constant', constant: this.entries.get(name)!.info });
    }
    for (const name of Object.keys(overrides)) {
      if (!this.entries.has(name)) {
        const start = { line: 1, column: 1, offset: 0 };
        this.ctx.report('RN205', { start, end: start }, `cannot set '${name}': the file has no \`let ${name}\``);
      }
    }
    // References between constants count as uses even when the referring constant is unused.
    for (const entry of this.entries.values()) if (entry.value && !entry.overridden) this.markRefs(entry.value);
    for (const entry of this.entries.values()) entry.info.value = this.json(entry.value, new Set([entry.info.name]));
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  get(name: string): ConstantEntry | undefined {
    return this.entries.get(name);
  }

  /** Records a reference at `range`. */
  use(name: string, range: Range): ConstantEntry | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    if (!entry.useOffsets.has(range.start.offset)) {
      entry.useOffsets.add(range.start.offset);
      entry.info.uses.push(range);
      this.ctx.symbol({ range, kind: 'constant', constant: entry.info });
    }
    return entry;
  }

  /** Records a typed position the constant is used at (once per kind of position). */
  usedAs(entry: ConstantEntry, use: ConstantUse): void {
    if (!entry.usedAs.some((u) => u.label === use.label)) entry.usedAs.push(use);
  }

  private markRefs(value: Value): void {
    if (value.kind === 'name') this.use(value.name, value.range);
    else if (value.kind === 'list') value.items.forEach((i) => this.markRefs(i));
    else if (value.kind === 'call') value.args.forEach((a) => a.value && this.markRefs(a.value));
  }

  /** JSON of a constant's value, following references to other constants (words stay words). */
  private json(value: Value | undefined, seen: Set<string>): JsonValue | undefined {
    if (!value) return undefined;
    switch (value.kind) {
      case 'number':
      case 'string':
      case 'bool':
        return value.value;
      case 'list':
        return value.items.map((i) => this.json(i, seen) ?? null);
      case 'name': {
        const target = this.entries.get(value.name);
        if (!target || seen.has(value.name)) return value.name;
        return this.json(target.value, new Set([...seen, value.name]));
      }
      case 'call': {
        const args: Record<string, JsonValue> = {};
        value.args.forEach((a, i) => {
          args[a.name?.name ?? String(i)] = this.json(a.value, seen) ?? null;
        });
        return { kind: value.name.name, args };
      }
    }
  }

  /** RN208 for every constant without a reference. */
  reportUnused(): void {
    for (const entry of this.entries.values()) {
      const { decl, uses, name } = entry.info;
      // A reference inside its own definition (`let a = a`) is no use.
      const used = uses.some((u) => u.start.offset < decl.range.start.offset || u.start.offset >= decl.range.end.offset);
      if (used || !decl.name) continue;
      this.ctx.report('RN208', decl.name.range, `let constant '${name}' is never used`, [
        { title: `Remove 'let ${name}'`, edits: [{ range: lineRange(this.ctx.text, decl), newText: '' }] },
      ]);
    }
  }
}

/** The range of a declaration extended to its whole line(s) when nothing else is on them. */
export function lineRange(text: string, node: { range: Range }): Range {
  const { start, end } = node.range;
  let s = start.offset;
  while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
  let e = end.offset;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  const wholeLine = (s === 0 || text[s - 1] === '\n') && (e === text.length || text[e] === '\n' || text[e] === '\r');
  if (!wholeLine) return node.range;
  if (text[e] === '\r') e++;
  if (text[e] === '\n') e++;
  const position = (offset: number, line: number) => {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    return { line, column: offset - lineStart + 1, offset };
  };
  const endLine = e > end.offset && text[e - 1] === '\n' ? end.line + 1 : end.line;
  return { start: position(s, start.line), end: position(e, endLine) };
}

