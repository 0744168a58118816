// The settings of `data`, `train`, `sweep` and `early_stopping`, read against the
// catalogue: unknown and duplicate keys, block vs value form, required settings,
// types and ranges; defaults are filled in from the catalogue.
import { valueToJson } from '../value-json.js';
import type { Call, Range, SectionDecl, Setting, Value } from '../ast.js';
import { closestNames, getEntry, getSetting, paramDefaults, sectionSettings, type SettingSection } from '../catalogue/index.js';
import type { Category, Entry, ValueType } from '../catalogue/types.js';
import type { JsonValue } from '../ir.js';
import { CheckContext, didYouMean, replaceFix } from './context.js';
import { formatCount, limitsOf, raiseHint } from './limits.js';
import { admitDataPath, isPathSlot, PATH_ARGS } from './sources.js';
import type { CheckedCall } from './types.js';
import { boundsOf, type CallSink, type ValueChecker } from './values.js';

export interface SectionResult {
  decl?: SectionDecl;
  /** Resolved value of every setting, written or default (calls as `{kind, args}`). */
  values: Record<string, JsonValue>;
  /** Settings whose value is a call: the checked call (defaults become calls too). */
  calls: Record<string, CheckedCall>;
  /** Settings holding a list of calls (`augment`). */
  callLists: Record<string, CheckedCall[]>;
  /** Settings holding a block of settings (`early_stopping`), when written. */
  blocks: Record<string, SectionResult>;
  /** The written settings, for ranges. */
  written: Map<string, Setting>;
  /** Written settings whose value was rejected. */
  invalid: Set<string>;
}

export interface SweepResult {
  decl?: SectionDecl;
  /** let name -> list of values, with each value's syntax node for ranges. */
  params: Map<string, { setting: Setting; items: Value[]; values: JsonValue[] }>;
  repeats: number;
  section: SectionResult;
}

function emptySection(decl?: SectionDecl): SectionResult {
  return { decl, values: {}, calls: {}, callLists: {}, blocks: {}, written: new Map(), invalid: new Set() };
}

/** A call built from a catalogue default such as `{ kind: 'adamw', args: { lr: 0.001 } }`. */
export function defaultCall(category: Category, json: JsonValue): CheckedCall | undefined {
  let kind: string | undefined;
  let args: Record<string, JsonValue> = {};
  if (typeof json === 'string') kind = json;
  else if (json && typeof json === 'object' && !Array.isArray(json) && typeof json.kind === 'string') {
    kind = json.kind;
    if (json.args && typeof json.args === 'object' && !Array.isArray(json.args)) args = json.args;
  }
  const entry = kind === undefined ? undefined : getEntry(category, kind);
  if (!entry) return undefined;
  return { name: entry.name, entry, args: { ...paramDefaults(entry), ...args }, written: new Set(), argRanges: new Map(), valid: true };
}

function callCategory(type: ValueType | undefined): Category | undefined {
  if (!type) return undefined;
  if (type.type === 'call') return type.category;
  if (type.type === 'list') return callCategory(type.of);
  if (type.type === 'union') return type.of.map(callCategory).find((c) => c !== undefined);
  return undefined;
}

export class SectionChecker {
  constructor(
    private readonly ctx: CheckContext,
    private readonly values: ValueChecker,
  ) {}

  section(section: 'data' | 'train', decl: SectionDecl | undefined): SectionResult {
    const result = this.settings(section, decl?.settings ?? [], decl);
    if (decl) {
      for (const entry of sectionSettings(section)) {
        if (entry.required && !result.written.has(entry.name)) {
          this.ctx.report('RN303', decl.keyword, `${section} needs a '${entry.name}' setting${entry.example ? `, e.g. ${entry.example}` : ''}`);
        }
      }
    }
    return result;
  }

  private settings(section: SettingSection, settings: Setting[], decl?: SectionDecl): SectionResult {
    const result = emptySection(decl);
    for (const setting of settings) {
      const key = setting.key.name;
      if (key === '') continue; // recovery left no key: the parser reported it
      const entry = getSetting(section, key);
      if (!entry) {
        const names = sectionSettings(section).map((e) => e.name);
        const suggestions = closestNames(key, names);
        this.ctx.report(
          'RN202',
          setting.key.range,
          `unknown ${section} setting '${key}'${didYouMean(suggestions)}${suggestions.length === 0 ? ` (${section} accepts ${names.join(', ')})` : ''}`,
          suggestions.length > 0 ? [replaceFix(setting.key.range, suggestions[0]!)] : undefined,
        );
        continue;
      }
      if (result.written.has(key)) {
        const first = result.written.get(key)!;
        this.ctx.report('RN207', setting.key.range, `'${key}' is already set at line ${first.key.range.start.line}; each setting may appear once`);
        continue;
      }
      result.written.set(key, setting);
      this.ctx.symbol({ range: setting.key.range, kind: 'setting', entry });
      this.setting(section, entry, setting, result);
    }
    for (const entry of sectionSettings(section)) {
      if (result.written.has(entry.name) || entry.default === undefined) continue;
      const category = callCategory(entry.value);
      if (entry.value?.type === 'call' && category) {
        const call = defaultCall(category, entry.default);
        if (call) {
          result.calls[entry.name] = call;
          result.values[entry.name] = { kind: call.name, args: call.args };
          continue;
        }
      }
      if (entry.blockContent === 'calls') result.callLists[entry.name] = [];
      result.values[entry.name] = entry.default;
    }
    return result;
  }

  private setting(section: SettingSection, entry: Entry, setting: Setting, result: SectionResult): void {
    const key = entry.name;
    const label = `${section}.${key}`;
    if (entry.blockContent) {
      if (setting.block) {
        if (entry.blockContent === 'settings') {
          const inner = this.settings(key as SettingSection, setting.block.items.filter((i): i is Setting => {
            if (i.kind === 'setting') return true;
            this.ctx.report('RN214', i.range, `${key} holds settings (name: value), not calls like '${i.name.name}(...)'`);
            return false;
          }), undefined);
          result.blocks[key] = inner;
          result.values[key] = inner.values;
        } else {
          const category = callCategory(entry.value)!;
          const calls: CheckedCall[] = [];
          for (const item of setting.block.items) {
            if (item.kind === 'setting') {
              this.ctx.report('RN214', item.key.range, `${key} holds ${category} calls such as ${entry.example?.split('\n')[1]?.trim() ?? 'name(...)'}, not settings`);
              result.invalid.add(key);
              continue;
            }
            const checked = this.values.call(item as Call, category, label);
            if (checked?.valid) calls.push(checked);
            else result.invalid.add(key);
          }
          result.callLists[key] = calls;
          result.values[key] = calls.map((c) => ({ kind: c.name, args: c.args }));
        }
        return;
      }
      if (entry.blockContent === 'settings') {
        this.ctx.report('RN214', setting.key.range, `${key} takes a block of settings: ${entry.example ?? `${key} { ... }`}`);
        result.invalid.add(key);
        return;
      }
      // A list of calls may also be written as a value: `augment: [flip(horizontal)]`.
      if (setting.value) {
        const category = callCategory(entry.value)!;
        if (setting.value.kind !== 'list') {
          this.ctx.report('RN301', setting.value.range, `${label} expects a block of ${category} calls (${key} { ... }) or a list of them`);
          result.invalid.add(key);
          return;
        }
        const calls: CheckedCall[] = [];
        for (const item of setting.value.items) {
          const checked = this.values.callValue(item, category, label);
          if (checked?.valid) calls.push(checked);
          else result.invalid.add(key);
        }
        result.callLists[key] = calls;
        result.values[key] = calls.map((c) => ({ kind: c.name, args: c.args }));
      }
      return;
    }
    if (setting.block) {
      this.ctx.report('RN214', setting.key.range, `${key} takes a value (${key}: ...), not a block`);
      result.invalid.add(key);
      return;
    }
    if (!setting.value || !entry.value) return; // syntax error, reported by the parser
    const sink: { call?: CheckedCall } = {};
    const json = this.values.value(setting.value, entry.value, label, boundsOf(entry), undefined, sink);
    if (json === undefined) {
      result.invalid.add(key);
      return;
    }
    result.values[key] = json;
    if (sink.call) result.calls[key] = sink.call;
  }

  sweep(decl: SectionDecl | undefined): SweepResult {
    const params: SweepResult['params'] = new Map();
    const known: Setting[] = [];
    for (const setting of decl?.settings ?? []) {
      const key = setting.key.name;
      if (key === '') continue;
      if (getSetting('sweep', key)) {
        known.push(setting);
        continue;
      }
      const constant = this.values.constants.get(key);
      if (!constant) {
        const suggestions = closestNames(key, this.values.constants.names());
        this.ctx.report(
          'RN210',
          setting.key.range,
          `sweep key '${key}' is not a let constant${didYouMean(suggestions)}${suggestions.length === 0 ? ` (declare it with \`let ${key} = ...\` and use it in the spec)` : ''}`,
          suggestions.length > 0 ? [replaceFix(setting.key.range, suggestions[0]!)] : undefined,
        );
        continue;
      }
      this.values.constants.use(key, setting.key.range);
      if (params.has(key)) {
        this.ctx.report('RN207', setting.key.range, `sweep key '${key}' is already given at line ${params.get(key)!.setting.key.range.start.line}`);
        continue;
      }
      if (setting.block || !setting.value) {
        if (setting.block) this.ctx.report('RN214', setting.key.range, `sweep ${key} takes a list of values to try (${key}: [..]), not a block`);
        continue;
      }
      if (setting.value.kind !== 'list') {
        this.ctx.report('RN301', setting.value.range, `sweep ${key} expects a list of values to try, e.g. ${key}: [${this.ctx.slice(setting.value.range)}, ...]`);
        continue;
      }
      if (setting.value.items.length === 0) {
        this.ctx.report('RN302', setting.value.range, `sweep ${key} needs at least one value to try`);
        continue;
      }
      params.set(key, { setting, items: setting.value.items, values: [] });
    }
    const section = this.settings('sweep', known, decl);
    const repeats = Number(section.values.repeats ?? 1);
    this.checkSweepSize(decl, params, repeats);
    return { decl, params, repeats, section };
  }

  /** Every combination is a training run: a sweep cannot ask for more than the limit. */
  private checkSweepSize(decl: SectionDecl | undefined, params: SweepResult['params'], repeats: number): void {
    if (!decl) return;
    let trials = Number.isFinite(repeats) && repeats > 0 ? repeats : 1;
    for (const param of params.values()) trials *= param.items.length;
    const limit = limitsOf(this.ctx.options.limits).trials;
    if (trials <= limit) return;
    const sizes = [...params.values()].map((p) => p.items.length).join(' × ');
    this.ctx.report(
      'RN309',
      decl.keyword,
      `this sweep asks for ${formatCount(trials)} trials (${sizes}${repeats > 1 ? ` × ${repeats} repeats` : ''}), more than the limit of ${formatCount(limit)}: sweep fewer values, or ${raiseHint('trials')}`,
    );
  }

  /** A sweep value that is a data path (or a source call naming one) is judged now, not when its trial starts. */
  private checkSweepPaths(json: JsonValue | undefined, label: string, range: Range, call: CheckedCall | undefined): void {
    if (this.ctx.options.inspectData === false) return;
    if (typeof json === 'string' && isPathSlot(label)) admitDataPath(this.ctx, json, range);
    for (const arg of call ? (PATH_ARGS[call.name] ?? []) : []) {
      const value = call!.args[arg];
      if (typeof value === 'string') admitDataPath(this.ctx, value, call!.argRanges.get(arg) ?? range);
    }
  }

  /** Checks each value of a sweep against every position its constant is used at. */
  checkSweepValues(sweep: SweepResult): void {
    for (const [name, param] of sweep.params) {
      const constant = this.values.constants.get(name)!;
      param.values = param.items.map((item) => {
        let json: JsonValue | undefined;
        if (constant.usedAs.length === 0) json = valueToJson(item);
        const seen = new Set<string>();
        // A copy: checking a value that refers to the constant itself records another use.
        for (const use of [...constant.usedAs]) {
          const key = JSON.stringify(use.type) + use.label;
          if (seen.has(key)) continue;
          seen.add(key);
          const sink: CallSink = {};
          json = this.values.value(item, use.type, `${use.label} (sweep ${name})`, use.bounds, undefined, sink);
          this.checkSweepPaths(json, use.label, item.range, sink.call);
        }
        return json ?? null;
      });
    }
  }
}
