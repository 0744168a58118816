// Lists and the reference page, rendered from the catalogue: `regnetc explain layers`
// (one line per name), `regnetc explain --list`, and docs/reference.md, whose body per
// name is exactly the hover text (renderMarkdown), so the reference, hover, completion
// and `explain` cannot disagree.
import type { Category, Entry } from './types.js';
import { renderMarkdown } from './render.js';

export interface CatalogueGroup {
  /** The word `regnetc explain` accepts for the list (`layers`, `optimizers`, ...). */
  plural: string;
  title: string;
  /** Anchor of the group's heading in docs/reference.md. */
  anchor: string;
  entries: Entry[];
}

/** The section blocks whose settings `regnetc explain data` (etc.) lists. */
export const SECTIONS = ['data', 'train', 'early_stopping', 'sweep'] as const;

const CATEGORY_GROUPS: { category: Category; plural: string; title: string }[] = [
  { category: 'layer', plural: 'layers', title: 'Layers (`model { }`)' },
  { category: 'source', plural: 'sources', title: 'Data sources (`data { source: … }`)' },
  { category: 'augmentation', plural: 'augmentations', title: 'Augmentations (`data { augment { … } }`)' },
  { category: 'optimizer', plural: 'optimizers', title: 'Optimizers (`train { optimizer: … }`)' },
  { category: 'schedule', plural: 'schedules', title: 'Learning-rate schedules (`train { schedule: … }`)' },
  { category: 'loss', plural: 'losses', title: 'Losses (`train { loss: … }`)' },
  { category: 'regularizer', plural: 'regularizers', title: 'Regularizers (`train { regularizer: … }`)' },
  { category: 'clip', plural: 'clips', title: 'Gradient clipping (`train { clip: … }`)' },
  { category: 'metric', plural: 'metrics', title: 'Metrics (`train { metrics: […] }`)' },
  { category: 'enum-word', plural: 'words', title: 'Words (values written as bare names)' },
  { category: 'keyword', plural: 'keywords', title: 'Keywords' },
];

/** The anchor of one entry in docs/reference.md, e.g. `layer-dense`, `train-epochs`. */
export function referenceAnchor(entry: Entry, section?: string): string {
  const prefix = entry.category === 'section-setting' ? (section ?? entry.section?.[0] ?? 'setting') : entry.category;
  return `${prefix}-${entry.name}`.replace(/_/g, '-');
}

/** Every documented name, grouped as `explain --list` and docs/reference.md show them. */
export function catalogueGroups(catalogue: readonly Entry[]): CatalogueGroup[] {
  const settings: CatalogueGroup[] = SECTIONS.map((section) => ({
    plural: section,
    title: section === 'early_stopping' ? 'Settings of `early_stopping { }` (inside `train`)' : `Settings of \`${section} { }\``,
    anchor: `settings-${section.replace(/_/g, '-')}`,
    entries: catalogue.filter((e) => e.category === 'section-setting' && e.section?.includes(section)),
  }));
  const categories = CATEGORY_GROUPS.map(({ category, plural, title }) => ({
    plural,
    title,
    anchor: plural,
    entries: catalogue.filter((e) => e.category === category),
  }));
  return [...settings, ...categories];
}

/** One line per name: `dense  A fully connected layer: …`, names padded to one column. */
export function renderIndex(entries: readonly Entry[], width = Math.max(0, ...entries.map((e) => e.name.length))): string {
  return entries.map((e) => `${e.name.padEnd(width)}  ${firstSentence(e.summary).replace(/`/g, '')}`).join('\n');
}

function firstSentence(text: string): string {
  const match = /^(.*?[.!?])(\s|$)/.exec(text);
  return match ? match[1]! : text;
}

/** The word lists an enum word belongs to, for the Words table. */
function groupsOf(entry: Entry): string {
  return entry.groups?.map((g) => `\`${g}\``).join(', ') ?? '';
}

/**
 * docs/reference.md: for every group a table of names with one line each, then each
 * name's full docs (the hover text). Regenerate with `npm run docs`.
 */
export function renderReference(catalogue: readonly Entry[]): string {
  const groups = catalogueGroups(catalogue);
  const out: string[] = [
    '# RegNet reference: every name',
    '',
    '<!-- Generated from the docs catalogue (compiler/src/catalogue/) by `npm run docs`; do not edit.',
    '     compiler/test/reference.test.ts fails when this file is out of date. -->',
    '',
    'Every layer, setting, source, augmentation, optimizer, schedule, loss, regularizer, clip,',
    'metric, word and keyword of the language, with its arguments\' types, defaults and ranges.',
    'Each entry is exactly what the editor shows on hover and what `regnetc explain NAME` prints.',
    'The grammar and the meaning of each block are in [the language guide](language.md);',
    'diagnostic codes are in [diagnostics.md](diagnostics.md). *RegNet extension* marks what',
    'was added to the language after its first version (v1).',
    '',
    '## Contents',
    '',
    ...groups.map((g) => `- [${g.title}](#${g.anchor}): ${g.entries.map((e) => `[${e.name}](#${anchorFor(e, g)})`).join(', ')}`),
    '',
  ];
  for (const group of groups) {
    out.push(`<a id="${group.anchor}"></a>`, '', `## ${group.title}`, '');
    const words = group.plural === 'words';
    out.push(words ? '| name | accepted by | summary |' : '| name | summary |', words ? '|---|---|---|' : '|---|---|');
    for (const e of group.entries) {
      const summary = firstSentence(e.summary).replace(/\|/g, '\\|');
      out.push(words ? `| [${e.name}](#${anchorFor(e, group)}) | ${groupsOf(e)} | ${summary} |` : `| [${e.name}](#${anchorFor(e, group)}) | ${summary} |`);
    }
    out.push('');
    for (const e of group.entries) {
      out.push(`<a id="${anchorFor(e, group)}"></a>`, '', `### ${e.name}`, '', renderMarkdown(e), '');
    }
  }
  return out.join('\n');
}

function anchorFor(entry: Entry, group: CatalogueGroup): string {
  return referenceAnchor(entry, entry.category === 'section-setting' ? group.plural : undefined);
}
