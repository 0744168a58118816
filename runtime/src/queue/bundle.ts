// What travels with a sweep instead of a shared file system: the spec's text and
// every data file its trials reference, each file stored once per sweep under its
// SHA-256 (content-addressed), in one Redis hash. A worker writes them into a
// folder of its own and trains only on paths inside that folder.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Redis } from 'ioredis';
import { accessFor, isAllowed, type GraphIR, type SourceConfig } from '@regnet/compiler';
import { UsageError } from '../run/errors.js';

/** The source arguments that name files or folders (bundled sources such as mnist name none). */
const PATH_ARGS: Partial<Record<SourceConfig['kind'], string[]>> = {
  csv: ['path'],
  idx: ['images', 'labels'],
  images: ['path'],
  text: ['path'],
};

/** Absolute paths of the files and folders an IR's data block reads. */
export function dataPaths(ir: GraphIR): string[] {
  const sources = [ir.data.source, 'source' in ir.data.validation ? ir.data.validation.source : undefined, ir.data.test];
  const paths: string[] = [];
  for (const source of sources) {
    for (const arg of (source && PATH_ARGS[source.kind]) ?? []) {
      const value = source!.args[arg];
      if (typeof value === 'string') paths.push(value);
    }
  }
  return paths;
}

export interface Bundle {
  /** The spec's file name (the worker writes it under the same name). */
  specName: string;
  spec: string;
  /** Path relative to the spec's folder -> SHA-256 of its content. */
  files: Record<string, string>;
  /** SHA-256 -> content. */
  blobs: Map<string, Buffer>;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Files under `path` (itself when a file), hidden ones skipped as the data readers skip them. */
function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/**
 * The spec and the data files of all its trials' IRs. Files must lie under the
 * spec's folder (that folder is what a worker recreates); missing files are left
 * out: the trial that needs one fails on the worker with the compiler's message.
 */
export function collectBundle(specFile: string, spec: string, irs: GraphIR[]): Bundle {
  const root = dirname(resolve(specFile));
  // The compiler's notion of the spec's folder (real paths: a symlink out of it is out).
  const access = accessFor(specFile);
  const refuse = (path: string) =>
    new UsageError(`data file ${path} is outside the spec's folder ${root}: a sweep on a queue sends only the files under the spec's folder`);
  const bundle: Bundle = { specName: basename(specFile), spec, files: {}, blobs: new Map() };
  for (const ir of irs) {
    for (const path of dataPaths(ir)) {
      if (!isAllowed(path, access)) throw refuse(path);
      if (!existsSync(path)) continue;
      for (const file of filesUnder(path)) {
        if (!isAllowed(file, access)) throw refuse(file);
        const name = relative(root, file).split(sep).join('/');
        if (bundle.files[name]) continue;
        const content = readFileSync(file);
        const hash = sha256(content);
        bundle.files[name] = hash;
        bundle.blobs.set(hash, content);
      }
    }
  }
  return bundle;
}

/** A digest of what the trials will read: the sweep's id includes it. */
export function bundleDigest(bundle: Bundle): string {
  return sha256(JSON.stringify([bundle.specName, bundle.spec, Object.entries(bundle.files).sort()]));
}

/** Stores the bundle in one hash: `spec`, `files` (the index) and `blob:<sha>` per distinct content. */
export async function uploadBundle(redis: Redis, key: string, bundle: Bundle): Promise<void> {
  if ((await redis.hexists(key, 'files')) === 1) return;
  const fields: Record<string, string | Buffer> = {};
  for (const [hash, content] of bundle.blobs) fields[`blob:${hash}`] = content;
  fields.spec = bundle.spec;
  fields.spec_name = bundle.specName;
  // `files` last: a worker takes its presence to mean the bundle is whole.
  await redis.hset(key, fields);
  await redis.hset(key, 'files', JSON.stringify(bundle.files));
}

/** A bundle path a worker accepts: relative, no `..`, no absolute or drive prefix. */
function safeRelative(name: string): boolean {
  const parts = name.split('/');
  return !isAbsolute(name) && !/^[A-Za-z]:/.test(name) && !name.includes('\\') && parts.every((p) => p !== '' && p !== '.' && p !== '..');
}

/** Writes the bundle stored at `key` into `root`; returns the spec's path there. */
export async function materializeBundle(redis: Redis, key: string, root: string): Promise<string> {
  const index = await redis.hget(key, 'files');
  const specName = await redis.hget(key, 'spec_name');
  const spec = await redis.hgetBuffer(key, 'spec');
  if (index === null || specName === null || spec === null) throw new Error(`the sweep's files are missing from the queue (${key}); was it cleaned?`);
  const files = JSON.parse(index) as Record<string, string>;
  mkdirSync(root, { recursive: true });
  if (!safeRelative(specName) || specName.includes('/')) throw new Error(`refusing spec name '${specName}'`);
  for (const [name, hash] of Object.entries(files)) {
    if (!safeRelative(name)) throw new Error(`refusing bundle path '${name}': outside the sweep's folder`);
    const content = await redis.hgetBuffer(key, `blob:${hash}`);
    if (content === null || sha256(content) !== hash) throw new Error(`the sweep's file ${name} is missing or damaged on the queue`);
    const path = join(root, ...name.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  const specPath = join(root, specName);
  writeFileSync(specPath, spec);
  return specPath;
}

/** A worker trains only on what the job brought: every data path must lie inside `root`. */
export function outsidePaths(ir: GraphIR, root: string): string[] {
  const access = { specDir: root };
  return dataPaths(ir).filter((path) => !isAllowed(path, access));
}
