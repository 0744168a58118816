// Values and calls against the catalogue: `let` references, enum words, callables,
// argument order, names, duplicates, types and ranges. Every accepted word, type,
// range and default is read from the catalogue; nothing about a particular layer
// or setting is written here.
import type { Arg, Call, Ident, NameRef, Range, Value } from '../ast.js';
import { callCategories, closestNames, entriesOf, getEntry, getParam, positionalParams } from '../catalogue/index.js';
import type { Category, Entry, ParamDoc, ValueType } from '../catalogue/types.js';
import type { JsonValue } from '../ir.js';
import { valueToText } from '../value-json.js';
import type { Bounds, Constants } from './constants.js';
import { CheckContext, didYouMean, replaceFix } from './context.js';
import type { CheckedCall } from './types.js';

/** Where a value came from when it was reached through `let` constants. */
interface Via {
  /** The use site: problems with the constant's value are reported here. */
  range: Range;
  name: string;
  /** Every constant followed so far, to stop at a cycle. */
  chain: string[];
  /** Nodes of the value are not in the source (an override): record no symbols for them. */
  synthetic: boolean;
}

const CATEGORY_NAMES: Partial<Record<Category, string>> = {
  source: 'data source',
  augmentation: 'augmentation',
  optimizer: 'optimizer',
  schedule: 'schedule',
  loss: 'loss',
  regularizer: 'regularizer',
  clip: 'gradient clipping',
  layer: 'layer',
  metric: 'metric',
};

export function categoryName(category: Category): string {
  return CATEGORY_NAMES[category] ?? category;
}

/** How a type reads in a message: "a whole number", "one of same, valid", ... */
export function describeType(type: ValueType | undefined): string {
  if (!type) return 'a value';
  switch (type.type) {
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'bool':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'path':
      return 'a path string';
    case 'enum':
      return type.values.length <= 6 ? `one of ${type.values.join(', ')}` : `one of ${type.values.slice(0, 6).join(', ')}, ...`;
    case 'list':
      return `a list${type.length !== undefined ? ` of ${type.length}` : ''} of ${plural(describeType(type.of))}`;
    case 'int-or-list':
      return type.length && type.length > 1 ? `a whole number or a list of ${type.length} whole numbers` : 'a whole number';
    case 'call': {
      const examples = entriesOf(type.category).slice(0, 3).map((e) => e.name);
      return `a ${categoryName(type.category)} (${examples.join(', ')}${entriesOf(type.category).length > 3 ? ', ...' : ''})`;
    }
    case 'union':
      return type.of.map(describeType).join(' or ');
  }
}

function plural(text: string): string {
  return text
    .replace(/^a whole number/, 'whole numbers')
    .replace(/^a number/, 'numbers')
    .replace(/^a string/, 'strings')
    .replace(/^a path string/, 'path strings')
    .replace(/^a (\w+)/, '$1s');
}

/** How a written value reads in a message. */
export function describeValue(value: Value): string {
  switch (value.kind) {
    case 'number':
      return value.text;
    case 'string':
      return `the string ${value.text}`;
    case 'bool':
      return String(value.value);
    case 'list':
      return `a list of ${value.items.length}`;
    case 'name':
      return `'${value.name}'`;
    case 'call':
      return `'${value.name.name}(...)'`;
  }
}

function formatNumber(n: number): string {
  return String(n);
}

/** "at least 0 and below 1" from a parameter's bounds. */
export function describeBounds(b: Bounds): string {
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`${b.exclusiveMin ? 'above' : 'at least'} ${formatNumber(b.min)}`);
  if (b.max !== undefined) parts.push(`${b.exclusiveMax ? 'below' : 'at most'} ${formatNumber(b.max)}`);
  return parts.join(' and ');
}

function inBounds(n: number, b: Bounds): boolean {
  if (b.min !== undefined && (b.exclusiveMin ? n <= b.min : n < b.min)) return false;
  if (b.max !== undefined && (b.exclusiveMax ? n >= b.max : n > b.max)) return false;
  return true;
}

export function boundsOf(doc: ParamDoc | Entry): Bounds {
  const d = doc as ParamDoc;
  return { min: d.min, max: d.max, exclusiveMin: d.exclusiveMin, exclusiveMax: d.exclusiveMax, choices: d.choices };
}

/** Words accepted by a type at this position (enum values and callable names). */
function acceptedWords(type: ValueType): string[] {
  switch (type.type) {
    case 'enum':
      return type.values;
    case 'call':
      return entriesOf(type.category).map((e) => e.name);
    case 'union':
      return type.of.flatMap(acceptedWords);
    default:
      return [];
  }
}

function acceptsWordsAt(type: ValueType): boolean {
  return type.type === 'enum' || type.type === 'call' || (type.type === 'union' && type.of.some(acceptsWordsAt));
}

/** Receives the checked call when a value turns out to be a call (e.g. `validation: mnist(split: test)`). */
export interface CallSink {
  call?: CheckedCall;
}

const positionalCache = new WeakMap<Entry, ParamDoc[]>();

/** The catalogue's positional order of an entry, computed once per entry. */
function positionalOf(entry: Entry): ParamDoc[] {
  let list = positionalCache.get(entry);
  if (!list) positionalCache.set(entry, (list = positionalParams(entry)));
  return list;
}

export class ValueChecker {
  constructor(
    private readonly ctx: CheckContext,
    readonly constants: Constants,
  ) {}

  /**
   * Checks `value` against `type`; returns its JSON (calls as `{kind, args}`), or
   * undefined after reporting why it is not acceptable. `label` names the slot
   * in messages, e.g. `dropout rate` or `train.epochs`.
   */
  value(value: Value, type: ValueType, label: string, bounds: Bounds = {}, via?: Via, sink?: CallSink): JsonValue | undefined {
    const at = via?.range ?? value.range;
    if (value.kind === 'name') return this.name(value, type, label, bounds, via, sink);
    switch (type.type) {
      case 'union':
        return this.union(value, type, label, bounds, via, sink);
      case 'int':
      case 'number': {
        if (value.kind !== 'number') return this.wrongType(value, type, label, via);
        if (type.type === 'int' && !Number.isInteger(value.value)) {
          this.ctx.report('RN301', at, `${label} must be a whole number, got ${value.text}${this.suffix(via)}`);
          return undefined;
        }
        return this.checkBounds(value.value, value.text, label, bounds, at, via);
      }
      case 'bool':
        if (value.kind !== 'bool') return this.wrongType(value, type, label, via);
        return value.value;
      case 'string':
      case 'path':
        if (value.kind !== 'string') return this.wrongType(value, type, label, via);
        return value.value;
      case 'enum':
        if (value.kind === 'string' && type.values.includes(value.value)) {
          this.ctx.report('RN301', at, `${label} takes the word ${value.value} without quotes${this.suffix(via)}`, via ? undefined : [replaceFix(value.range, value.value)]);
          return undefined;
        }
        return this.wrongType(value, type, label, via);
      case 'list': {
        if (value.kind !== 'list') return this.wrongType(value, type, label, via);
        if (type.length !== undefined && value.items.length !== type.length) {
          this.ctx.report('RN301', at, `${label} must be a list of ${type.length} values, got ${value.items.length}${this.suffix(via)}`);
          return undefined;
        }
        const items = value.items.map((item) => this.value(item, type.of, `${label} item`, bounds, via));
        return items.every((i) => i !== undefined) ? (items as JsonValue[]) : undefined;
      }
      case 'int-or-list': {
        const length = type.length;
        if (value.kind === 'list') {
          if (length !== undefined && value.items.length !== length) {
            this.ctx.report('RN301', at, `${label} must be a whole number or a list of ${length} whole numbers, got a list of ${value.items.length}${this.suffix(via)}`);
            return undefined;
          }
          const items = value.items.map((item) => this.value(item, { type: 'int' }, label, bounds, via));
          return items.every((i) => i !== undefined) ? (items as JsonValue[]) : undefined;
        }
        return this.value(value, { type: 'int' }, label, bounds, via);
      }
      case 'call': {
        if (value.kind !== 'call') return this.wrongType(value, type, label, via);
        const checked = this.call(value, type.category, label, via);
        if (checked && sink) sink.call = checked;
        return checked?.valid ? { kind: checked.name, args: checked.args } : undefined;
      }
    }
  }

  /** Like `value` for a `call` type, but returns the checked call with its argument ranges. */
  callValue(value: Value, category: Category, label: string, via?: Via): CheckedCall | undefined {
    if (value.kind === 'name') {
      const constant = this.constants.get(value.name);
      const words = entriesOf(category).map((e) => e.name);
      if (constant) {
        if (words.includes(value.name)) return this.shadowed(value, label, via);
        if (via?.chain.includes(value.name)) return this.cycle(value, via);
        if (!via?.synthetic) this.constants.use(value.name, value.range);
        this.constants.usedAs(constant, { type: { type: 'call', category }, bounds: {}, label });
        if (!constant.value) return undefined;
        return this.callValue(constant.value, category, label, this.through(value, constant.overridden, via));
      }
      const entry = getEntry(category, value.name);
      if (entry) return this.checkArgs(undefined, value, entry, label, via);
      this.unknownWord(value, { type: 'call', category }, label, via);
      return undefined;
    }
    if (value.kind !== 'call') {
      this.wrongType(value, { type: 'call', category }, label, via);
      return undefined;
    }
    return this.call(value, category, label, via);
  }

  /** Checks a written call against the catalogue entry of that name in `category`. */
  call(call: Call, category: Category, label: string, via?: Via): CheckedCall | undefined {
    const entry = getEntry(category, call.name.name);
    if (!entry) {
      this.unknownCallable(call.name, category, label, via);
      return undefined;
    }
    return this.checkArgs(call, call.name, entry, label, via);
  }

  /** Reports an unknown callable name (RN201 for layers, RN212 otherwise) with a "did you mean" fix. */
  unknownCallable(name: Ident | NameRef, category: Category, label: string, via?: Via): void {
    const candidates = entriesOf(category).map((e) => e.name);
    const suggestions = closestNames(name.name, candidates);
    const fixes = via?.synthetic || suggestions.length === 0 ? undefined : [replaceFix(name.range, suggestions[0]!)];
    const kind = categoryName(category);
    const where = category === 'layer' ? '' : ` for ${label}`;
    this.ctx.report(
      category === 'layer' ? 'RN201' : 'RN212',
      via?.synthetic ? via.range : name.range,
      `unknown ${kind} '${name.name}'${where}${didYouMean(suggestions)}${suggestions.length === 0 ? ` (expected ${describeType({ type: 'call', category })})` : ''}${this.suffix(via)}`,
      fixes,
    );
  }

  /**
   * Arguments of a call: positional ones first (RN304), no more than the entry's
   * positional order (RN305), known names (RN203), once each (RN207), each of its
   * type and range; then required ones present (RN303) and defaults filled in.
   */
  checkArgs(call: Call | undefined, name: Ident | NameRef, entry: Entry, label: string, via?: Via): CheckedCall {
    const synthetic = via?.synthetic ?? false;
    const symbol = synthetic ? undefined : this.ctx.symbol({ range: name.range, kind: entry.category === 'layer' ? 'layer' : 'callable', entry });
    const result: CheckedCall = {
      symbol,
      name: entry.name,
      entry,
      args: {},
      written: new Set(),
      argRanges: new Map(),
      call,
      range: via?.range ?? call?.range ?? name.range,
      valid: true,
    };
    const positional = positionalOf(entry);
    const seen = new Map<string, Arg | undefined>();
    let sawNamed = false;
    let positionalIndex = 0;
    for (const arg of call?.args ?? []) {
      let doc: ParamDoc | undefined;
      if (arg.name) {
        sawNamed = true;
        doc = getParam(entry, arg.name.name);
        if (!doc) {
          const names = entry.params.map((p) => p.name);
          const suggestions = closestNames(arg.name.name, names);
          const expected = names.length === 0 ? `${entry.name} takes no arguments` : `${entry.name} accepts ${names.join(', ')}`;
          this.ctx.report(
            'RN203',
            via?.synthetic ? via.range : arg.name.range,
            `unknown argument '${arg.name.name}' for ${entry.name}${didYouMean(suggestions)}${suggestions.length === 0 ? ` (${expected})` : ''}${this.suffix(via)}`,
            synthetic || suggestions.length === 0 ? undefined : [replaceFix(arg.name.range, suggestions[0]!)],
          );
          result.valid = false;
          continue;
        }
        if (!synthetic) this.ctx.symbol({ range: arg.name.range, kind: 'argument', entry, param: doc.name });
      } else {
        if (sawNamed) {
          this.ctx.report('RN304', via?.range ?? arg.range, `positional argument after a named one in ${entry.name}(...): write positional arguments first${this.suffix(via)}`);
          result.valid = false;
          continue;
        }
        doc = positional[positionalIndex++];
        if (!doc) {
          const order = positional.map((p) => p.name).join(', ');
          this.ctx.report(
            'RN305',
            via?.range ?? arg.range,
            positional.length === 0
              ? `${entry.name} takes no positional arguments${entry.params.length > 0 ? ` (name them: ${entry.params.map((p) => `${p.name}: ...`).join(', ')})` : ''}${this.suffix(via)}`
              : `${entry.name} takes ${positional.length} positional argument${positional.length > 1 ? 's' : ''} (${order}) but got ${positionalIndex}${this.suffix(via)}`,
          );
          result.valid = false;
          continue;
        }
      }
      if (seen.has(doc.name)) {
        this.ctx.report('RN207', via?.range ?? arg.name?.range ?? arg.range, `argument '${doc.name}' of ${entry.name} is given twice${this.suffix(via)}`);
        result.valid = false;
        continue;
      }
      seen.set(doc.name, arg);
      if (!arg.value) {
        result.valid = false; // a syntax error, already reported by the parser
        continue;
      }
      const argLabel = `${entry.name} ${doc.name}`;
      const json = this.value(arg.value, doc.value, argLabel, boundsOf(doc), via);
      result.written.add(doc.name);
      result.argRanges.set(doc.name, via?.range ?? arg.value.range);
      if (json === undefined) result.valid = false;
      else result.args[doc.name] = json;
    }
    for (const doc of entry.params) {
      if (seen.has(doc.name)) continue;
      if (doc.default !== undefined) result.args[doc.name] = doc.default;
      else if (doc.defaultFrom !== undefined) {
        const from = result.args[doc.defaultFrom];
        if (from !== undefined) result.args[doc.name] = from;
      } else if (!doc.optional) {
        const signature = `${entry.name}(${positional.map((p) => p.name).join(', ')}${positional.length < entry.params.length ? ', ...' : ''})`;
        this.ctx.report(
          'RN303',
          via?.range ?? call?.range ?? name.range,
          `${entry.name} needs its argument '${doc.name}' (${describeType(doc.value)}): ${signature}${this.suffix(via)}`,
        );
        result.valid = false;
      }
    }
    return result;
  }

  private union(value: Value, type: { type: 'union'; of: ValueType[] }, label: string, bounds: Bounds, via?: Via, sink?: CallSink): JsonValue | undefined {
    const fits = (t: ValueType): boolean => {
      switch (value.kind) {
        case 'number':
          return t.type === 'int' || t.type === 'number' || t.type === 'int-or-list';
        case 'string':
          return t.type === 'string' || t.type === 'path';
        case 'bool':
          return t.type === 'bool';
        case 'list':
          return t.type === 'list' || t.type === 'int-or-list';
        case 'call':
          return t.type === 'call';
        case 'name':
          return t.type === 'enum' || t.type === 'call';
      }
    };
    const match = type.of.find(fits);
    if (!match) return this.wrongType(value, type, label, via);
    // Bounds of a union setting apply to its numbers (e.g. `validation: 0.1`).
    return this.value(value, match, label, match.type === 'call' ? {} : bounds, via, sink);
  }

  private name(value: NameRef, type: ValueType, label: string, bounds: Bounds, via?: Via, sink?: CallSink): JsonValue | undefined {
    const constant = this.constants.get(value.name);
    const accepted = acceptedWords(type);
    if (constant) {
      if (accepted.includes(value.name)) return this.shadowed(value, label, via);
      if (!via?.synthetic) this.constants.use(value.name, value.range);
      this.constants.usedAs(constant, { type, bounds, label });
      if (!constant.value) return undefined;
      if (via?.chain.includes(value.name)) return this.cycle(value, via);
      return this.value(constant.value, type, label, bounds, this.through(value, constant.overridden, via), sink);
    }
    if (type.type === 'enum' && type.values.includes(value.name)) {
      if (!via?.synthetic) this.wordSymbol(value, type);
      return value.name;
    }
    for (const category of callCategories(type)) {
      const entry = getEntry(category, value.name);
      if (entry) {
        const checked = this.checkArgs(undefined, value, entry, label, via);
        if (sink) sink.call = checked;
        return checked.valid ? { kind: checked.name, args: checked.args } : undefined;
      }
    }
    if (type.type === 'union') {
      for (const t of type.of) if (t.type === 'enum' && t.values.includes(value.name)) return this.name(value, t, label, bounds, via, sink);
    }
    if (type.type === 'list' && acceptedWords(type.of).includes(value.name)) {
      // `metrics: accuracy` for `metrics: [accuracy]`.
      this.ctx.report('RN301', via?.range ?? value.range, `${label} expects ${describeType(type)}, got '${value.name}'; write [${value.name}]${this.suffix(via)}`,
        via ? undefined : [{ title: `Write [${value.name}]`, edits: [{ range: value.range, newText: `[${value.name}]` }] }]);
      return undefined;
    }
    this.unknownWord(value, type, label, via);
    return undefined;
  }

  /** RN204 (a word not accepted here), RN212 (an unknown callable) or RN205 (an undefined constant). */
  private unknownWord(value: NameRef, type: ValueType, label: string, via?: Via): void {
    const at = via?.synthetic ? via.range : value.range;
    if (type.type === 'call') {
      this.unknownCallable(value, type.category, label, via);
      return;
    }
    if (acceptsWordsAt(type)) {
      const words = acceptedWords(type);
      const suggestions = closestNames(value.name, [...words, ...this.constants.names()]);
      this.ctx.report(
        'RN204',
        at,
        `unknown word '${value.name}' for ${label}${didYouMean(suggestions)}${suggestions.length === 0 ? ` (expected ${describeType(type)})` : ''}${this.suffix(via)}`,
        via?.synthetic || suggestions.length === 0 ? undefined : [replaceFix(value.range, suggestions[0]!)],
      );
      return;
    }
    const suggestions = closestNames(value.name, this.constants.names());
    this.ctx.report(
      'RN205',
      at,
      `'${value.name}' is not a defined let constant (${label} expects ${describeType(type)})${didYouMean(suggestions)}${this.suffix(via)}`,
      via?.synthetic || suggestions.length === 0 ? undefined : [replaceFix(value.range, suggestions[0]!)],
    );
  }

  private shadowed(value: NameRef, label: string, via?: Via): undefined {
    const constant = this.constants.get(value.name)!;
    this.ctx.report(
      'RN209',
      via?.synthetic ? via.range : value.range,
      `'${value.name}' here could be the word accepted by ${label} or the let constant defined at line ${constant.info.decl.range.start.line}; rename the constant`,
    );
    if (!via?.synthetic) this.constants.use(value.name, value.range);
    return undefined;
  }

  private cycle(value: NameRef, via: Via): undefined {
    this.ctx.report('RN205', via.range, `let '${value.name}' is defined in terms of itself (${[...via.chain, value.name].join(' -> ')})`);
    return undefined;
  }

  private wordSymbol(value: NameRef, type: ValueType): void {
    // `accuracy` is both a metric and an early-stopping monitor word: a list of metrics documents the metric.
    const metric = getEntry('metric', value.name);
    const amongMetrics = metric !== undefined && type.type === 'enum' && type.values.every((v) => getEntry('metric', v));
    const entry = amongMetrics ? metric : (getEntry('enum-word', value.name) ?? metric);
    this.ctx.symbol({ range: value.range, kind: 'enum-word', entry });
  }

  private through(value: NameRef, overridden: boolean, via?: Via): Via {
    return {
      range: via?.range ?? value.range,
      name: via?.name ?? value.name,
      chain: [...(via?.chain ?? []), value.name],
      synthetic: (via?.synthetic ?? false) || overridden,
    };
  }

  private suffix(via?: Via): string {
    if (!via) return '';
    // A value given on the command line names its override: the spec's text is not where it came from.
    const overrides = this.ctx.options.overrides ?? {};
    const set = via.chain.find((name) => this.constants.get(name)?.overridden && Object.prototype.hasOwnProperty.call(overrides, name));
    if (set !== undefined) return ` (from --set ${set}=${valueToText(overrides[set]!)})`;
    const constant = this.constants.get(via.name);
    return constant ? ` (value of let '${via.name}' at line ${constant.info.decl.range.start.line})` : '';
  }

  private wrongType(value: Value, type: ValueType, label: string, via?: Via): undefined {
    this.ctx.report('RN301', via?.range ?? value.range, `${label} expects ${describeType(type)}, got ${describeValue(value)}${this.suffix(via)}`);
    return undefined;
  }

  private checkBounds(n: number, text: string, label: string, bounds: Bounds, at: Range, via?: Via): number | undefined {
    if (bounds.choices && !bounds.choices.includes(n)) {
      this.ctx.report('RN302', at, `${label} must be ${bounds.choices.join(' or ')}, got ${text}${this.suffix(via)}`);
      return undefined;
    }
    if (!inBounds(n, bounds)) {
      this.ctx.report('RN302', at, `${label} must be ${describeBounds(bounds)}, got ${text}${this.suffix(via)}`);
      return undefined;
    }
    return n;
  }
}
