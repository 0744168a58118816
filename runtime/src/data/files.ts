// Reading data files with DataErrors instead of raw ENOENT stack traces.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { DataError } from './errors.js';

export function readDataFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw fileError(path, e, 'file');
  }
}

export function readDataText(path: string): string {
  return readDataFile(path).toString('utf8');
}

/** Entries of a folder, sorted by name (code-unit order), hidden ones skipped. */
export function listFolder(path: string): { name: string; isDirectory: boolean }[] {
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (e) {
    throw fileError(path, e, 'folder');
  }
  return names
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => ({ name, isDirectory: statSync(`${path}/${name}`).isDirectory() }));
}

function fileError(path: string, e: unknown, what: 'file' | 'folder'): DataError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DataError(path, undefined, `no such ${what}`);
  if (code === 'EISDIR') return new DataError(path, undefined, 'is a folder, expected a file');
  if (code === 'ENOTDIR') return new DataError(path, undefined, 'is a file, expected a folder');
  if (code === 'EACCES') return new DataError(path, undefined, 'permission denied');
  return new DataError(path, undefined, `cannot read ${what}: ${(e as Error).message}`);
}
