// Which catalogue entry a word being typed refers to, from where it stands
// (cursor-context): the callee of a call, the type expected at a value position.
import {
  callCategories as catalogueCallCategories,
  findEntries,
  getEntry,
  getParam,
  getSetting,
  positionalParams,
  type Category,
  type Entry,
  type ParamDoc,
  type SettingSection,
  type ValueType,
} from '@regnet/compiler';
import type { CallSite, Owner } from './cursor-context.js';

const CALLABLE: Category[] = ['layer', 'source', 'augmentation', 'optimizer', 'schedule', 'loss', 'regularizer', 'clip', 'metric'];
const SECTIONS = new Set<string>(['data', 'train', 'sweep', 'early_stopping']);

export function isSection(name: string): name is SettingSection {
  return SECTIONS.has(name);
}

/** Categories of callables a value type accepts (through unions and lists: `metrics: [|`). */
export function callCategories(type: ValueType | undefined): Category[] {
  return catalogueCallCategories(type, true);
}

/** The setting entry of `key` in a section (or in a block setting like `early_stopping`). */
export function settingEntry(section: string, key: string): Entry | undefined {
  return isSection(section) ? getSetting(section, key) : undefined;
}

/** The parameter an argument position refers to. */
export function paramOf(entry: Entry | undefined, name: string | undefined, index: number): ParamDoc | undefined {
  if (!entry) return undefined;
  if (name !== undefined) return getParam(entry, name);
  return positionalParams(entry).find((p) => p.positional === index);
}

/** The type expected at a value position (undefined: anything, e.g. a `let` value). */
export function ownerType(owner: Owner): ValueType | undefined {
  let type: ValueType | undefined;
  switch (owner.kind) {
    case 'setting':
      type = settingEntry(owner.section, owner.key)?.value;
      break;
    case 'arg':
      type = paramOf(resolveCallee(owner.call), owner.name, owner.index)?.value;
      break;
    case 'block-item':
      type = owner.section === 'augment' ? { type: 'call', category: 'augmentation' } : undefined;
      break;
    default:
      type = undefined;
  }
  for (let i = 0; i < (owner.inList ?? 0) && type; i++) type = elementType(type);
  return type;
}

/** The element type inside `[ ... ]` of a value of this type. */
export function elementType(type: ValueType): ValueType | undefined {
  if (type.type === 'list') return type.of;
  if (type.type === 'int-or-list') return { type: 'int' };
  if (type.type === 'union') {
    const list = type.of.find((t) => t.type === 'list' || t.type === 'int-or-list');
    return list ? elementType(list) : undefined;
  }
  return undefined;
}

function expectedCategories(owner: Owner): Category[] {
  switch (owner.kind) {
    case 'layer':
      return ['layer'];
    case 'block-item':
      return owner.section === 'augment' ? ['augmentation'] : [];
    default:
      return callCategories(ownerType({ ...owner, inList: 0 }));
  }
}

/** The catalogue entry of the callable being called at `call`. */
export function resolveCallee(call: CallSite): Entry | undefined {
  const candidates = findEntries(call.callee).filter((e) => CALLABLE.includes(e.category));
  const expected = expectedCategories(call.owner);
  return candidates.find((e) => expected.includes(e.category)) ?? candidates[0];
}

/** A word's entry, preferring the categories that fit where it stands. */
export function entryForWord(word: string, preferred: Category[] = []): Entry | undefined {
  for (const category of preferred) {
    const entry = getEntry(category, word);
    if (entry) return entry;
  }
  return findEntries(word)[0];
}
