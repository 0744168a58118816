// Renders one catalogue entry as hover markdown or as plain terminal text
// (`regnetc explain NAME`). Both show the same facts: signature, summary, formula,
// each argument's type/default/range, example and reference.
import type { JsonValue } from '../ir.js';
import { valueToText } from '../value-json.js';
import type { Entry, ParamDoc, ValueType } from './types.js';

const CATEGORY_LABEL: Record<Entry['category'], string> = {
  keyword: 'keyword',
  layer: 'layer',
  'section-setting': 'setting',
  source: 'data source',
  augmentation: 'augmentation',
  optimizer: 'optimizer',
  schedule: 'learning-rate schedule',
  loss: 'loss',
  regularizer: 'regularizer',
  clip: 'gradient clipping',
  'enum-word': 'word',
  metric: 'metric',
};

/** A catalogue value (a default, a choice) as the docs show it: `0.001`, `relu`, `crossentropy`, `adamw(lr: 0.001)`. */
function docValue(value: JsonValue, quoteStrings = false): string {
  return valueToText(value, { quoteStrings, bareEmptyCalls: true });
}

const CALL_NOUN: Partial<Record<Entry['category'], string>> = {
  source: 'a data source',
  augmentation: 'an augmentation',
  optimizer: 'an optimizer',
  schedule: 'a schedule',
  loss: 'a loss',
  regularizer: 'a regularizer',
  clip: 'a clip',
  metric: 'a metric',
  layer: 'a layer',
};

/** Human wording of a value type, e.g. `int`, `one of same | valid`, `list of int`. */
export function describeValueType(type: ValueType): string {
  switch (type.type) {
    case 'int':
    case 'number':
    case 'string':
      return type.type;
    case 'bool':
      return 'true | false';
    case 'path':
      return 'path (string)';
    case 'enum':
      return type.values.join(' | ');
    case 'list':
      return `list of ${type.length === undefined ? '' : `${type.length} `}${describeValueType(type.of)}`;
    case 'int-or-list':
      return type.length === undefined ? 'int or list of int' : `int or list of ${type.length} int`;
    case 'call':
      return CALL_NOUN[type.category] ?? type.category;
    case 'union':
      return type.of.map(describeValueType).join(' or ');
  }
}

interface Ranged {
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  choices?: JsonValue[];
}

/** `in [0, 1)`, `≥ 1`, `> 0`, `one of 1, 3`; empty when unconstrained. */
export function describeRange(r: Ranged): string {
  if (r.choices) return `one of ${r.choices.map((c) => docValue(c)).join(', ')}`;
  const hasMin = r.min !== undefined;
  const hasMax = r.max !== undefined;
  if (hasMin && hasMax) return `in ${r.exclusiveMin ? '(' : '['}${r.min}, ${r.max}${r.exclusiveMax ? ')' : ']'}`;
  if (hasMin) return `${r.exclusiveMin ? '>' : '≥'} ${r.min}`;
  if (hasMax) return `${r.exclusiveMax ? '<' : '≤'} ${r.max}`;
  return '';
}

function quoteDefault(p: { value?: ValueType }): boolean {
  return p.value?.type === 'string' || p.value?.type === 'path';
}

function paramInSignature(p: ParamDoc): string {
  if (p.defaultFrom) return `${p.name}: ${p.defaultFrom}`;
  if (p.default !== undefined) return `${p.name}: ${docValue(p.default, quoteDefault(p))}`;
  if (p.optional) return `${p.name}?`;
  return p.name;
}

/** `dense(units, activation: linear, ...)`, `epochs: 10`, `early_stopping { ... }`, `relu`. */
export function signature(entry: Entry): string {
  if (entry.category === 'section-setting') {
    if (entry.blockContent) return `${entry.name} { ... }`;
    if (entry.default !== undefined) return `${entry.name}: ${docValue(entry.default, quoteDefault(entry))}`;
    return `${entry.name}: <${entry.value ? describeValueType(entry.value) : 'value'}>`;
  }
  if (entry.category === 'enum-word' || entry.category === 'keyword' || entry.category === 'metric') return entry.name;
  const params = [...entry.params].sort((a, b) => (a.positional ?? Infinity) - (b.positional ?? Infinity));
  const sig = params.length === 0 ? entry.name : `${entry.name}(${params.map(paramInSignature).join(', ')})`;
  return entry.block ? `${sig} { ... }` : sig;
}

/** One line of facts about an argument: type, default, range, whether required/positional. */
function paramFacts(p: ParamDoc, code: (s: string) => string): string {
  const facts = [describeValueType(p.value)];
  const range = describeRange(p);
  if (range) facts.push(range);
  if (p.defaultFrom) facts.push(`default: ${code(p.defaultFrom)}`);
  else if (p.default !== undefined) facts.push(`default ${code(docValue(p.default, quoteDefault(p)))}`);
  else if (p.optional) facts.push('optional');
  else facts.push('required');
  if (p.positional !== undefined) facts.push(`positional ${p.positional + 1}`);
  if (p.extension) facts.push('extension');
  return facts.join(', ');
}

/** `Value: int, ≥ 1, default 10. In: train.` */
function settingFacts(e: Entry, code: (s: string) => string): string {
  const facts: string[] = [];
  if (e.blockContent) facts.push(e.blockContent === 'calls' ? 'a block of calls' : 'a block of settings');
  else if (e.value) facts.push(describeValueType(e.value));
  const range = describeRange(e);
  if (range) facts.push(range);
  if (e.required) facts.push('required');
  else if (e.default !== undefined && !e.blockContent) facts.push(`default ${code(docValue(e.default, quoteDefault(e)))}`);
  else if (e.default === undefined && !e.blockContent) facts.push('optional');
  const sections = e.section ? ` In: ${e.section.map((s) => code(s)).join(', ')}.` : '';
  return `Value: ${facts.join(', ')}.${sections}`;
}

function orderedParams(entry: Entry): ParamDoc[] {
  return [...entry.params].sort((a, b) => (a.positional ?? Infinity) - (b.positional ?? Infinity));
}

export function renderMarkdown(entry: Entry): string {
  const code = (s: string) => '`' + s + '`';
  const out: string[] = [];
  out.push('```regnet\n' + signature(entry) + '\n```');
  out.push(`*${CATEGORY_LABEL[entry.category]}*${entry.groups ? ` (${entry.groups.join(', ')})` : ''} — ${entry.summary}`);
  if (entry.category === 'section-setting') out.push(settingFacts(entry, code));
  if (entry.details) out.push(entry.details);
  if (entry.formula) out.push('```\n' + entry.formula + '\n```');
  if (entry.params.length > 0) {
    out.push(
      '**Arguments**\n' +
        orderedParams(entry)
          .map((p) => `- ${code(p.name)} — ${paramFacts(p, code)}. ${p.summary}`)
          .join('\n'),
    );
  }
  if (entry.example) out.push('Example:\n```regnet\n' + entry.example + '\n```');
  if (entry.reference) out.push(`*Reference:* ${entry.reference}`);
  if (entry.extension) out.push('*RegNet extension (not in the language reference v1).*');
  return out.join('\n\n');
}

export function renderPlain(entry: Entry): string {
  const code = (s: string) => s;
  const indent = (text: string) => text.split('\n').map((l) => '    ' + l).join('\n');
  const out: string[] = [];
  out.push(`${signature(entry)}    [${CATEGORY_LABEL[entry.category]}${entry.groups ? `: ${entry.groups.join(', ')}` : ''}]`);
  out.push(entry.summary.replace(/`/g, ''));
  if (entry.category === 'section-setting') out.push(settingFacts(entry, code));
  if (entry.details) out.push(entry.details.replace(/`/g, ''));
  if (entry.formula) out.push('Formula:\n' + indent(entry.formula));
  if (entry.params.length > 0) {
    const params = orderedParams(entry);
    const width = params.reduce((w, p) => Math.max(w, p.name.length), 0);
    out.push(
      'Arguments:\n' +
        params.map((p) => `  ${p.name.padEnd(width)}  ${paramFacts(p, code)}. ${p.summary.replace(/`/g, '')}`).join('\n'),
    );
  }
  if (entry.example) out.push('Example:\n' + indent(entry.example));
  if (entry.reference) out.push(`Reference: ${entry.reference.replace(/`/g, '')}`);
  if (entry.extension) out.push('(RegNet extension, not in the language reference v1.)');
  return out.join('\n\n');
}
