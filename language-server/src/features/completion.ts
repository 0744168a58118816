// Completion in context (see cursor-context): layer names inside `model` and
// blocks, setting keys per section, the named arguments of a call not yet given,
// the values a position accepts (enum words, callables, true/false) and `let`
// constants wherever a value goes; snippets for whole blocks at the top level.
// Every item carries its catalogue docs.
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
} from 'vscode-languageserver';
import {
  entriesOf,
  findEntries,
  getEntry,
  positionalParams,
  renderMarkdown,
  sectionSettings,
  signature,
  type Entry,
  type ParamDoc,
  type ValueType,
} from '@regnet/compiler';
import type { Analysis } from '../documents.js';
import { cursorContext, type CallSite, type Owner } from '../cursor-context.js';
import { isSection, ownerType, resolveCallee } from '../catalogue-lookup.js';
import { paramMarkdown } from './hover.js';

export const COMPLETION_TRIGGERS = ['(', ':', ',', '[', '{'];

const doc = (markdown: string) => ({ kind: MarkupKind.Markdown, value: markdown });

/** Sort groups: what is most specific to the position first. */
const SORT = { arg: '0', value: '1', constant: '2', key: '1', snippet: '0', keyword: '1' };

/**
 * `text` is the document now; `analysis` may be of an earlier version (only its
 * `let` constants and block list are read), so typing never waits for a check.
 */
export function completion(text: string, offset: number, analysis: Analysis): CompletionItem[] {
  const { context } = cursorContext(text, offset);
  switch (context.kind) {
    case 'top':
      return topLevel(analysis);
    case 'layers':
      return entriesOf('layer').map(layerItem);
    case 'keys':
      return keys(analysis, context.section, context.given);
    case 'value':
      return values(analysis, context.owner);
    case 'args':
      return args(analysis, context.call, context.index, context.positionalAllowed, context.given);
    default:
      return [];
  }
}

// ---- top level -------------------------------------------------------------

const BLOCK_SNIPPETS: Record<string, string> = {
  model: 'model ${1:mlp} {\n  dense(${2:128}, activation: relu)\n  dropout(${3:0.5})\n  dense(${4:10})\n}',
  data: 'data {\n  source: ${1:mnist()}\n  validation: ${2:0.1}\n}',
  train: 'train {\n  epochs: ${1:10}\n  batch_size: ${2:64}\n  optimizer: adamw(lr: ${3:0.001}, weight_decay: ${4:0.01})\n}',
  sweep: 'sweep {\n  ${1:name}: [${2}]\n  repeats: ${3:1}\n}',
};

function topLevel(analysis: Analysis): CompletionItem[] {
  const present = new Set((analysis.ast?.decls ?? []).map((d) => d?.kind));
  const items: CompletionItem[] = [];
  for (const [block, snippet] of Object.entries(BLOCK_SNIPPETS)) {
    if (present.has(block as 'model')) continue; // at most one of each block
    const entry = getEntry('keyword', block);
    items.push({
      label: block,
      kind: CompletionItemKind.Snippet,
      detail: `${block} { ... } block`,
      documentation: entry ? doc(renderMarkdown(entry)) : undefined,
      insertText: snippet,
      insertTextFormat: InsertTextFormat.Snippet,
      sortText: SORT.snippet + block,
    });
  }
  const letEntry = getEntry('keyword', 'let');
  items.push({
    label: 'let',
    kind: CompletionItemKind.Keyword,
    detail: 'let NAME = value',
    documentation: letEntry ? doc(renderMarkdown(letEntry)) : undefined,
    insertText: 'let ${1:name} = ${2:value}',
    insertTextFormat: InsertTextFormat.Snippet,
    sortText: SORT.keyword + 'let',
  });
  return items;
}

// ---- callables ---------------------------------------------------------------

/** `conv2d(${1:filters})`: required positional arguments become placeholders. */
function callSnippet(entry: Entry): string {
  const required = positionalParams(entry).filter((p) => p.default === undefined && !p.optional && !p.defaultFrom);
  let text = entry.name;
  if (required.length) text += `(${required.map((p, i) => `\${${i + 1}:${p.name}}`).join(', ')})`;
  else if (entry.params.length && entry.category !== 'layer' && entry.category !== 'metric') text += '($1)';
  if (entry.block) text += ' {\n  $0\n}';
  return text;
}

function callableItem(entry: Entry, kind: CompletionItemKind, sort: string, wrapInList = false): CompletionItem {
  const snippet = callSnippet(entry);
  return {
    label: entry.name,
    kind,
    detail: signature(entry),
    documentation: doc(renderMarkdown(entry)),
    insertText: wrapInList ? `[${snippet}]` : snippet,
    insertTextFormat: InsertTextFormat.Snippet,
    sortText: sort + entry.name,
  };
}

function layerItem(entry: Entry): CompletionItem {
  return callableItem(entry, entry.block ? CompletionItemKind.Module : CompletionItemKind.Class, SORT.value);
}

// ---- section keys --------------------------------------------------------------

function keys(analysis: Analysis, section: string, given: string[]): CompletionItem[] {
  if (section === 'augment') return entriesOf('augmentation').map((e) => callableItem(e, CompletionItemKind.Function, SORT.value));
  const items: CompletionItem[] = [];
  if (section === 'sweep') {
    // Sweep keys name `let` constants; their values are lists to try.
    for (const c of constants(analysis)) {
      if (given.includes(c.name)) continue;
      items.push({
        label: c.name,
        kind: CompletionItemKind.Constant,
        detail: `let ${c.name} = ${c.value}`,
        documentation: doc(`Sweep over \`${c.name}\` (now \`${c.value}\`): the values to try.`),
        insertText: `${c.name}: [\${1:${c.value}}]`,
        insertTextFormat: InsertTextFormat.Snippet,
        sortText: SORT.constant + c.name,
      });
    }
  }
  if (!isSection(section)) return items;
  for (const entry of sectionSettings(section)) {
    if (given.includes(entry.name)) continue;
    items.push({
      label: entry.name,
      kind: entry.blockContent ? CompletionItemKind.Module : CompletionItemKind.Property,
      detail: signature(entry),
      documentation: doc(renderMarkdown(entry)),
      insertText: entry.blockContent ? `${entry.name} {\n  $0\n}` : `${entry.name}: $0`,
      insertTextFormat: InsertTextFormat.Snippet,
      sortText: SORT.key + entry.name,
    });
  }
  return items;
}

// ---- values ----------------------------------------------------------------------

interface ConstantItem {
  name: string;
  value: string;
}

/** The file's `let` constants, from the AST (so they complete while the file does not check). */
function constants(analysis: Analysis): ConstantItem[] {
  const out: ConstantItem[] = [];
  for (const decl of analysis.ast?.decls ?? []) {
    if (decl?.kind !== 'let' || !decl.name) continue;
    const r = decl.value?.range;
    const value = r && Number.isFinite(r.start.offset) ? analysis.text.slice(r.start.offset, r.end.offset) : '?';
    out.push({ name: decl.name.name, value });
  }
  return out;
}

/** The name of the place a value is written at (`activation`, `metrics`), to pick the right docs. */
function ownerKey(owner: Owner): string | undefined {
  if (owner.kind === 'setting') return owner.key;
  if (owner.kind === 'arg') return owner.name;
  return undefined;
}

/** An enum word's docs: the entry of the word list used at that place (`accuracy` as a metric, not a monitor). */
function enumEntry(word: string, key: string | undefined): Entry | undefined {
  const candidates = findEntries(word).filter((e) => e.category === 'enum-word' || e.category === 'metric');
  return (
    candidates.find((e) => key !== undefined && e.groups?.includes(key)) ??
    (key === 'metrics' ? candidates.find((e) => e.category === 'metric') : undefined) ??
    candidates.find((e) => e.category === 'enum-word') ??
    candidates[0]
  );
}

function values(analysis: Analysis, owner: Owner): CompletionItem[] {
  const type = ownerType(owner);
  const items = typeItems(type, false, ownerKey(owner));
  const self = owner.kind === 'let' ? owner.name : undefined;
  for (const c of constants(analysis)) {
    if (c.name === self) continue;
    items.push({
      label: c.name,
      kind: CompletionItemKind.Constant,
      detail: `let ${c.name} = ${c.value}`,
      documentation: doc('```regnet\nlet ' + c.name + ' = ' + c.value + '\n```'),
      sortText: SORT.constant + c.name,
    });
  }
  if (!type) items.push(...boolItems());
  return dedupe(items);
}

function boolItems(wrap = false): CompletionItem[] {
  return ['true', 'false'].map((word) => {
    const entry = getEntry('keyword', word);
    return {
      label: word,
      kind: CompletionItemKind.Keyword,
      documentation: entry ? doc(renderMarkdown(entry)) : undefined,
      insertText: wrap ? `[${word}]` : word,
      sortText: SORT.value + word,
    };
  });
}

/** The items a value of `type` can be: enum words, callables, true/false. */
function typeItems(type: ValueType | undefined, wrapInList: boolean, key?: string): CompletionItem[] {
  if (!type) return [];
  switch (type.type) {
    case 'enum':
      return type.values.map((word) => {
        const entry = enumEntry(word, key);
        return {
          label: word,
          kind: CompletionItemKind.EnumMember,
          detail: entry?.summary,
          documentation: entry ? doc(renderMarkdown(entry)) : undefined,
          insertText: wrapInList ? `[${word}]` : word,
          sortText: SORT.value + word,
        };
      });
    case 'bool':
      return boolItems(wrapInList);
    case 'call':
      return entriesOf(type.category).map((e) =>
        callableItem(e, e.category === 'layer' ? CompletionItemKind.Class : CompletionItemKind.Function, SORT.value, wrapInList),
      );
    case 'union':
      return type.of.flatMap((t) => typeItems(t, wrapInList, key));
    case 'list':
      // `metrics: ` -> `[accuracy]`
      return typeItems(type.of, true, key);
    default:
      return [];
  }
}

function dedupe(items: CompletionItem[]): CompletionItem[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.label) ? false : (seen.add(i.label), true)));
}

// ---- arguments -------------------------------------------------------------------

function args(analysis: Analysis, call: CallSite, index: number, positionalAllowed: boolean, given: string[]): CompletionItem[] {
  const entry = resolveCallee(call);
  if (!entry) return [];
  const items: CompletionItem[] = [];
  // Arguments already given positionally are not offered by name again.
  const positionalDone = (p: ParamDoc) => p.positional !== undefined && p.positional < index;
  for (const p of entry.params) {
    if (given.includes(p.name) || positionalDone(p)) continue;
    items.push({
      label: p.name,
      kind: CompletionItemKind.Field,
      detail: `${p.name}: ${p.default !== undefined ? JSON.stringify(p.default) : p.defaultFrom ?? (p.optional ? 'optional' : 'required')}`,
      documentation: doc(paramMarkdown(entry, p)),
      insertText: `${p.name}: `,
      sortText: SORT.arg + String(p.positional ?? 9) + p.name,
    });
  }
  // At a positional slot, the values it accepts too (`flip(` -> horizontal, ...).
  if (positionalAllowed) {
    const positional = positionalParams(entry).find((p) => p.positional === index);
    if (positional) for (const item of values(analysis, { kind: 'arg', call, index })) items.push(item);
  }
  return dedupe(items);
}
