// Which data files a spec may read. A shared spec is untrusted input: by default it
// reads only under its own folder. A path is judged by its REAL path (symlinks
// resolved), so `data -> /etc` inside the folder does not escape. Further folders
// are allowed by the user, never by the spec: `--data-root DIR` / REGNET_DATA_ROOT
// on the command line, `regnet.dataRoots` (and trusted workspace folders) in the
// editor. The checker, the runtime's loaders and the language server all ask here.
import { realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export interface DataAccess {
  /** Folder of the spec; undefined for a document never saved (no relative paths). */
  specDir?: string;
  /** Further folders the user allows (absolute or relative to the working folder). */
  roots?: readonly string[];
}

/** How to allow a folder, for messages. */
export const ALLOW_HINT =
  'allow its folder with --data-root DIR (or REGNET_DATA_ROOT) on the command line, or the regnet.dataRoots setting in the editor';

export type PathVerdict = { ok: true; path: string } | { ok: false; reason: string };

/** The access of a spec file plus extra roots. */
export function accessFor(specFile: string | undefined, roots: readonly string[] = []): DataAccess {
  return { specDir: specFile ? dirname(resolve(specFile)) : undefined, roots };
}

/** Folders named in a path-list variable such as REGNET_DATA_ROOT (`:`-separated, `;` on Windows). */
export function rootsFromEnv(value: string | undefined): string[] {
  return (value ?? '').split(delimiter).filter((p) => p.trim() !== '');
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest (for missing files). */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(realPath(parent), relative(parent, path));
  }
}

function inside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/** The real paths of the allowed folders. */
export function allowedFolders(access: DataAccess): string[] {
  const folders = [...(access.specDir ? [access.specDir] : []), ...(access.roots ?? []).map((r) => resolve(r))];
  return folders.map(realPath);
}

/** True when `path` (absolute) lies, symlinks resolved, in one of the allowed folders. */
export function isAllowed(path: string, access: DataAccess, folders = allowedFolders(access)): boolean {
  const real = realPath(path);
  return folders.some((f) => inside(real, f));
}

/**
 * Resolves a data path as written in a spec: relative to the spec's folder. Refuses a
 * relative path without a spec folder, and any path whose real path is outside the
 * allowed folders; the reason says how to allow it.
 */
export function resolveDataPath(written: string, access: DataAccess): PathVerdict {
  if (!isAbsolute(written) && !access.specDir) {
    return { ok: false, reason: `data path '${written}' is relative but the spec has no folder (an unsaved document): save it, or write a path in an allowed folder` };
  }
  const path = isAbsolute(written) ? resolve(written) : resolve(access.specDir!, written);
  if (isAllowed(path, access)) return { ok: true, path };
  const where = isAbsolute(written) ? 'an absolute path outside' : 'it leaves';
  const folder = access.specDir ? `the spec's folder ${access.specDir}` : 'the allowed folders';
  return {
    ok: false,
    reason: `data path '${written}' is refused: ${where} ${folder}${access.roots?.length ? ' and the data roots' : ''}; a spec reads data only under its own folder unless you ${ALLOW_HINT}`,
  };
}
