// `regnetc explain NAME`: the docs catalogue entry (or a diagnostic code).
import type { Command } from 'commander';
import { CODES, CATALOGUE, closestNames, findEntries, renderPlain } from '@regnet/compiler';
import { UsageError } from '../run/errors.js';

export function register(program: Command): void {
  program
    .command('explain')
    .description('show the documentation of a layer, setting, source, augmentation, optimizer, schedule, word or code (RN201)')
    .argument('<name>', 'e.g. dropout, adamw, cosine, val_loss, RN501')
    .action((name: string) => {
      const code = name.toUpperCase();
      if (code in CODES) {
        const info = CODES[code as keyof typeof CODES];
        process.stdout.write(`${code} (${info.severity}): ${info.title}\n`);
        return;
      }
      const entries = findEntries(name);
      if (entries.length === 0) {
        const names = [...new Set(CATALOGUE.map((e) => e.name))];
        const close = closestNames(name, names);
        throw new UsageError(`no documentation for '${name}'${close.length ? `; did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : ''}`);
      }
      process.stdout.write(entries.map((e) => renderPlain(e)).join('\n\n') + '\n');
    });
}
