// Reading spec files (and folders of them) for the commands, with clear errors.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './errors.js';

export function readSpec(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${file}: is a folder, expected a .regnet file`);
    throw new UsageError(`${file}: cannot read (${code ?? (error as Error).message})`);
  }
}

/** Files given on the command line; a folder stands for every .regnet file under it. */
export function expandSpecPaths(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.regnet')) files.push(path);
    }
  };
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir) walk(p);
    else files.push(p);
  }
  return files;
}

export function absolute(file: string): string {
  return resolve(file);
}
