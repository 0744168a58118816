// `regnetc explain NAME`: one catalogue entry (or a diagnostic code); `explain layers`
// (any category's plural) and `explain data` (a block's settings) list names with one
// line each; `explain --list` lists every name. The lines come from the catalogue's
// renderers, as hover and docs/reference.md do.
import type { Command } from 'commander';
import { CODES, CATALOGUE, SECTIONS, catalogueGroups, closestNames, findEntries, renderIndex, renderPlain, type CatalogueGroup } from '@regnet/compiler';
import { UsageError } from '../run/errors.js';

const GROUPS = catalogueGroups(CATALOGUE);
const SECTION_NAMES: readonly string[] = SECTIONS;

function groupText(group: CatalogueGroup, width?: number): string {
  return `${group.title.replace(/`/g, '')}:\n${indent(renderIndex(group.entries, width))}`;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}

/** Every name, grouped: `explain --list`. */
export function listAll(): string {
  const width = Math.max(...CATALOGUE.map((e) => e.name.length));
  return GROUPS.map((g) => groupText(g, width)).join('\n\n');
}

/** The text `regnetc explain NAME` prints, or undefined when NAME is not documented. */
export function explain(name: string): string | undefined {
  const code = name.toUpperCase();
  if (code in CODES) {
    const info = CODES[code as keyof typeof CODES];
    return `${code} (${info.severity}): ${info.title}`;
  }
  const list = GROUPS.find((g) => g.plural === name && !SECTION_NAMES.includes(name));
  if (list) return `${groupText(list)}\n\n(regnetc explain NAME shows one in full.)`;
  const entries = findEntries(name);
  const section = GROUPS.find((g) => g.plural === name && SECTION_NAMES.includes(name));
  if (entries.length === 0 && !section) return undefined;
  // A block's keyword (`data`) or setting (`early_stopping`) first, followed by the block's settings.
  const isBlock = (e: (typeof entries)[number]) => e.category === 'keyword' || e.category === 'section-setting';
  const ordered = [...entries.filter(isBlock), ...entries.filter((e) => !isBlock(e))];
  const parts = ordered.map((e) => renderPlain(e));
  if (section) parts.splice(Math.min(1, parts.length), 0, groupText(section));
  return parts.join('\n\n');
}

export function register(program: Command): void {
  const plurals = GROUPS.filter((g) => !SECTION_NAMES.includes(g.plural)).map((g) => g.plural);
  program
    .command('explain')
    .description('show the documentation of a layer, setting, source, augmentation, optimizer, schedule, word or code (RN201); list a category or a block\'s settings')
    .argument('[name]', `e.g. dropout, adamw, cosine, val_loss, RN501; a list: ${plurals.join(', ')}; a block's settings: ${SECTION_NAMES.join(', ')}`)
    .option('--list', 'list every documented name with one line each')
    .action((name: string | undefined, options: { list?: boolean }) => {
      if (options.list) {
        process.stdout.write(listAll() + '\n');
        return;
      }
      if (name === undefined) throw new UsageError('explain needs a NAME (e.g. regnetc explain dropout), a list (regnetc explain layers) or --list');
      const text = explain(name);
      if (text === undefined) {
        const names = [...new Set([...CATALOGUE.map((e) => e.name), ...GROUPS.map((g) => g.plural)])];
        const close = closestNames(name, names);
        throw new UsageError(`no documentation for '${name}'${close.length ? `; did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : ''} (regnetc explain --list lists every name)`);
      }
      process.stdout.write(text + '\n');
    });
}
