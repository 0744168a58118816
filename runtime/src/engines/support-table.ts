// The table of docs/engines.md: every construct of the language (the catalogue's layers,
// sources, augmentations, optimizers, schedules, losses, regularizers, clips and section
// settings) with whether each engine runs it, from the catalogue's `unsupportedOn` data.
import { CATALOGUE, ENGINES, type Category, type Entry } from '@regnet/compiler';

const CATEGORIES: [Category, string][] = [
  ['layer', 'layer'],
  ['source', 'data source'],
  ['augmentation', 'augmentation'],
  ['optimizer', 'optimizer'],
  ['schedule', 'schedule'],
  ['loss', 'loss'],
  ['regularizer', 'regularizer'],
  ['clip', 'clip'],
  ['section-setting', 'setting'],
];

function status(entry: Entry, engine: string): string {
  const instead = entry.unsupportedOn?.[engine as keyof NonNullable<Entry['unsupportedOn']>];
  return instead ? `no (RN701): ${instead}` : 'yes';
}

function label(entry: Entry, kind: string): string {
  return kind === 'setting' ? `\`${entry.section?.join('/') ?? ''}.${entry.name}\`` : `\`${entry.name}\``;
}

/** The markdown table (one row per construct, one column per engine). */
export function engineSupportTable(): string {
  const lines = [`| construct | kind | ${ENGINES.join(' | ')} |`, `|---|---|${ENGINES.map(() => '---').join('|')}|`];
  for (const [category, kind] of CATEGORIES) {
    for (const entry of CATALOGUE.filter((e) => e.category === category)) {
      lines.push(`| ${label(entry, kind)} | ${kind} | ${ENGINES.map((e) => status(entry, e)).join(' | ')} |`);
    }
  }
  return lines.join('\n') + '\n';
}
