// Which folders `train` and `sweep` may write into. A shared spec or a mistyped --out
// must never cost the user a file: a run replaces only a folder RegNet made (it carries
// the marker `.regnet-run`, or `sweep.json` for a sweep), or an empty or new one;
// a default output name never leaves `runs/`; system folders are refused before any
// mkdir (Node's recursive mkdir loops forever under /proc).
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';
import { RUN_FILES } from './run-dir.js';

/** Pseudo file systems no run belongs in. */
const SYSTEM_ROOTS = ['/proc', '/sys'];

/** A folder name from a spec's file name: no separators, no `.`/`..`, nothing hidden. */
export function safeName(file: string): string {
  const name = basename(file).replace(/\.regnet$/, '').replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^\.+/, '');
  return name === '' ? 'run' : name;
}

/** `runs/<spec name>` */
export function defaultOutDir(file: string): string {
  return join('runs', safeName(file));
}

/** `runs/<spec name>-sweep` */
export function defaultSweepDir(file: string): string {
  return join('runs', `${safeName(file)}-sweep`);
}

/** The real path of `path`, or of its nearest existing ancestor plus the rest. */
function realPathOf(path: string): string {
  const absolute = resolve(path);
  let existing = absolute;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    return join(realpathSync(existing), absolute.slice(existing.length));
  } catch {
    return absolute;
  }
}

/** Refuses folders under /proc and /sys. */
export function refuseSystemFolder(path: string, option = '--out'): void {
  const real = realPathOf(path);
  const root = SYSTEM_ROOTS.find((r) => real === r || real.startsWith(r + sep));
  if (root) throw new UsageError(`${option} ${path}: refusing to write under ${root} (a system folder, not a place for runs)`);
}

/**
 * Checks that a run may write into `path`: new, empty, or a run directory RegNet made.
 * Anything else (a file, a project folder) is refused with one line; nothing is touched.
 */
export function checkRunFolder(path: string, option = '--out'): void {
  checkOwnedFolder(path, option, 'run directory', [RUN_FILES.marker], isLegacyRun);
}

/** The same for a sweep directory: new, empty, or one with a sweep.json. */
export function checkSweepFolder(path: string, manifest: string, option = '--out'): void {
  checkOwnedFolder(path, option, 'sweep directory', [manifest, RUN_FILES.marker]);
}

/** The same for the folder of a comparison report (`regnetc report A B --out DIR`). */
export function checkReportFolder(path: string, option = '--out'): void {
  checkOwnedFolder(path, option, 'report folder', [RUN_FILES.marker]);
}

function checkOwnedFolder(path: string, option: string, what: string, markers: string[], legacy?: (entries: string[]) => boolean): void {
  refuseSystemFolder(path, option);
  const entries = folderEntries(path, option);
  if (entries === undefined || entries.length === 0) return;
  if (markers.some((m) => entries.includes(m)) || legacy?.(entries)) return;
  throw new UsageError(
    `${option} ${path}: the folder is not empty and is not a RegNet ${what} (no ${markers[0]}); ` +
      'choose a new or empty folder (nothing was changed)',
  );
}

/** The folder's entries, undefined when it does not exist; a file in the way is an error. */
function folderEntries(path: string, option: string): string[] | undefined {
  if (!existsSync(path)) return undefined;
  if (!statSync(path).isDirectory()) throw new UsageError(`${option} ${path}: is a file, not a folder`);
  return readdirSync(path);
}

/** A run directory written before the marker existed: RegNet's files and nothing else. */
function isLegacyRun(entries: string[]): boolean {
  const known = new Set<string>([...Object.values(RUN_FILES), 'train.log']);
  return entries.includes(RUN_FILES.ir) && entries.includes(RUN_FILES.spec) && entries.every((e) => known.has(e) || /\.(tmp|old)-\d+$/.test(e));
}
