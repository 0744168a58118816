// A run directory as one gzipped buffer, for the trip through Redis: a worker's
// per-epoch checkpoint and finished trial, unpacked by the next worker or by the
// submitter. Paths of the machine that packed it (its copy of the spec's folder,
// its run directory) are written as placeholders and become the unpacking
// machine's own paths, so ir.json, summary.json and the logs read as if the run
// had happened there.
import { gunzipSync, gzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';

/** Local paths and their placeholders, e.g. `{ '<spec-folder>': '/tmp/w/spec' }`. */
export type PathMap = Record<string, string>;

const TEXT = new Set(['.json', '.jsonl', '.regnet', '.log', '.html', '.md', '.svg', '.csv', '.txt']);

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Replaces every key of `map` by its value (longest first), raw and as escaped in JSON. */
function replacePaths(text: string, map: Array<[string, string]>): string {
  for (const [from, to] of map) {
    text = text.split(from).join(to);
    const escaped = JSON.stringify(from).slice(1, -1);
    if (escaped !== from) text = text.split(escaped).join(JSON.stringify(to).slice(1, -1));
  }
  return text;
}

function ordered(map: PathMap, invert: boolean): Array<[string, string]> {
  const pairs = Object.entries(map).map(([token, path]) => (invert ? [path, token] : [token, path]) as [string, string]);
  return pairs.sort((a, b) => b[0].length - a[0].length);
}

/** Text with the local paths of `map` turned into its placeholders. */
export function toPlaceholders(text: string, map: PathMap): string {
  return replacePaths(text, ordered(map, true));
}

export function fromPlaceholders(text: string, map: PathMap): string {
  return replacePaths(text, ordered(map, false));
}

/** Temp files of atomic writes (`x.tmp-123`, `x.old-123`) are not part of a run. */
const TEMP = /\.(tmp|old)-\d+$/;

export function packDir(dir: string, map: PathMap): Buffer {
  const files: Record<string, string> = {};
  for (const path of listFiles(dir)) {
    const rel = relative(dir, path).split(sep).join('/');
    if (rel.split('/').some((part) => TEMP.test(part))) continue;
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch {
      continue; // replaced while we read: the next checkpoint has it
    }
    if (TEXT.has(extname(path))) content = Buffer.from(toPlaceholders(content.toString('utf8'), map));
    files[rel] = content.toString('base64');
  }
  return gzipSync(JSON.stringify(files));
}

/** Replaces `dir` by the packed run directory. */
export function unpackDir(packed: Buffer, dir: string, map: PathMap): void {
  const files = JSON.parse(gunzipSync(packed).toString('utf8')) as Record<string, string>;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [rel, base64] of Object.entries(files)) {
    const parts = rel.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`refusing packed path '${rel}'`);
    const path = join(dir, ...parts);
    let content = Buffer.from(base64, 'base64');
    if (TEXT.has(extname(path))) content = Buffer.from(fromPlaceholders(content.toString('utf8'), map));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** The placeholders of a trial's two folders. */
export const SPEC_FOLDER = '<regnet:spec-folder>';
export const RUN_FOLDER = '<regnet:run-folder>';

export function trialPaths(specFolder: string, runFolder: string): PathMap {
  return { [SPEC_FOLDER]: specFolder, [RUN_FOLDER]: runFolder };
}
