// The docs catalogue: one record per documented word of the language. The checker
// reads types, ranges and defaults from it; hover, completion and `regnetc explain`
// render it. Look-ups go through maps built once, since the checker calls them per token.
import type { JsonValue } from '../ir.js';
import type { Category, Entry, ParamDoc } from './types.js';
import { LAYER_ENTRIES } from './layers.js';
import { AUGMENTATION_ENTRIES, DATA_SETTINGS, SOURCE_ENTRIES } from './data.js';
import {
  CLIP_ENTRIES, EARLY_STOPPING_SETTINGS, LOSS_ENTRIES, METRIC_ENTRIES, OPTIMIZER_ENTRIES,
  REGULARIZER_ENTRIES, SCHEDULE_ENTRIES, TRAIN_SETTINGS,
} from './train.js';
import { SWEEP_SETTINGS } from './sweep.js';
import {
  ACTIVATIONS, CHECKPOINTS, FLIP_DIRECTIONS, INITS, KEYWORDS, MONITORS, NORMALIZE, PADDINGS,
  PLAYGROUND_KINDS, SPLITS, WORD_ENTRIES,
} from './words.js';

export { renderMarkdown, renderPlain, signature, describeValueType, describeRange } from './render.js';
export { closestNames, editDistance } from './suggest.js';
export { callCategories } from './value-types.js';
export { MNIST_EXAMPLES } from './words.js';
export { SECTIONS, catalogueGroups, referenceAnchor, renderIndex, renderReference, type CatalogueGroup } from './reference.js';

export type SettingSection = 'data' | 'train' | 'sweep' | 'early_stopping';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export const CATALOGUE: readonly Entry[] = deepFreeze([
  ...LAYER_ENTRIES,
  ...DATA_SETTINGS,
  ...SOURCE_ENTRIES,
  ...AUGMENTATION_ENTRIES,
  ...TRAIN_SETTINGS,
  ...EARLY_STOPPING_SETTINGS,
  ...OPTIMIZER_ENTRIES,
  ...SCHEDULE_ENTRIES,
  ...LOSS_ENTRIES,
  ...REGULARIZER_ENTRIES,
  ...CLIP_ENTRIES,
  ...METRIC_ENTRIES,
  ...SWEEP_SETTINGS,
  ...WORD_ENTRIES,
]);

/** The enum word lists, by the name of the place that accepts them. */
export const WORD_LISTS: Readonly<Record<string, readonly string[]>> = deepFreeze({
  activation: [...ACTIVATIONS],
  init: [...INITS],
  padding: [...PADDINGS],
  monitor: [...MONITORS],
  checkpoint: [...CHECKPOINTS],
  normalize: [...NORMALIZE],
  'playground-kind': [...PLAYGROUND_KINDS],
  'flip-direction': [...FLIP_DIRECTIONS],
  split: [...SPLITS],
  keyword: [...KEYWORDS],
});

const byName = new Map<string, Entry[]>();
const byCategory = new Map<Category, Entry[]>();
const byCategoryAndName = new Map<string, Entry>();
const bySection = new Map<string, Entry[]>();
for (const e of CATALOGUE) {
  byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
  byCategory.set(e.category, [...(byCategory.get(e.category) ?? []), e]);
  // Section settings may share a name across sections; the first wins here, `getSetting` disambiguates.
  const key = `${e.category}\u0000${e.name}`;
  if (!byCategoryAndName.has(key)) byCategoryAndName.set(key, e);
  for (const s of e.section ?? []) bySection.set(s, [...(bySection.get(s) ?? []), e]);
}

/** Every entry with that name, whatever its category (`relu` is a layer and an activation word). */
export function findEntries(name: string): Entry[] {
  return [...(byName.get(name) ?? [])];
}

export function getEntry(category: Category, name: string): Entry | undefined {
  return byCategoryAndName.get(`${category}\u0000${name}`);
}

export function entriesOf(category: Category): Entry[] {
  return [...(byCategory.get(category) ?? [])];
}

/** The keys accepted inside a `data`, `train`, `sweep` or `early_stopping` block. */
export function sectionSettings(section: SettingSection): Entry[] {
  return [...(bySection.get(section) ?? [])];
}

/** One setting of one section, e.g. `getSetting('early_stopping', 'patience')`. */
export function getSetting(section: SettingSection, name: string): Entry | undefined {
  return bySection.get(section)?.find((e) => e.name === name);
}

export function getParam(entry: Entry, name: string): ParamDoc | undefined {
  return entry.params.find((p) => p.name === name);
}

/** The arguments that may be given positionally, in positional order. */
export function positionalParams(entry: Entry): ParamDoc[] {
  return entry.params.filter((p) => p.positional !== undefined).sort((a, b) => a.positional! - b.positional!);
}

/**
 * A section setting seen as a ParamDoc (name, type, default, range), so the checker
 * can validate `key: value` and `arg: value` with the same code.
 */
export function settingParam(entry: Entry): ParamDoc {
  const p: ParamDoc = { name: entry.name, value: entry.value ?? { type: 'list', of: { type: 'call', category: 'section-setting' } }, summary: entry.summary };
  if (entry.default !== undefined) p.default = entry.default;
  else if (!entry.required) p.optional = true;
  if (entry.min !== undefined) p.min = entry.min;
  if (entry.max !== undefined) p.max = entry.max;
  if (entry.exclusiveMin) p.exclusiveMin = true;
  if (entry.exclusiveMax) p.exclusiveMax = true;
  if (entry.extension) p.extension = true;
  return p;
}

/** The defaults of a callable's arguments, e.g. `adamw` -> `{ lr: 0.001, beta1: 0.9, ... }`. */
export function paramDefaults(entry: Entry): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const p of entry.params) if (p.default !== undefined) out[p.name] = p.default;
  return out;
}
