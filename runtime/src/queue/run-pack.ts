// A run directory as one buffer, for the trip through Redis: a worker's per-epoch
// checkpoint and finished trial, unpacked by the next worker or by the submitter.
// Paths of the machine that packed it (its copy of the spec's folder, its run
// directory) are written as placeholders and become the unpacking machine's own
// paths, so ir.json, summary.json and the logs read as if the run had happened there.
//
// Packing is split in two because a trial waits for the first half only: `RunReader`
// reads the files (a few ms; the trial must not replace them meanwhile), `encodeRun`
// makes the buffer while the trial trains on. Text and small files are gzipped; large
// binary files (weights, optimizer state: floats that barely compress) travel as they
// are, which spares the worker's CPU, shared with the trials, most of the work.
import { gunzipSync, gzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';

/** Local paths and their placeholders, e.g. `{ '<spec-folder>': '/tmp/w/spec' }`. */
export type PathMap = Record<string, string>;

const TEXT = new Set(['.json', '.jsonl', '.regnet', '.log', '.html', '.md', '.svg', '.csv', '.txt']);
/** Binary files up to this size are gzipped too (markers, the disk reserve): cheap, and they shrink. */
const SMALL = 64 * 1024;
/** The format's first bytes: anything else is refused with a clear message. */
const MAGIC = Buffer.from('RNRUN2');

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

/** One file as it travels: its path in the run directory and its content, ready to store. */
export interface PackedFile {
  rel: string;
  gzipped: boolean;
  data: Buffer;
}

/**
 * Reads one run directory again and again (after every epoch): a file whose inode,
 * size and modification time are those of the last read is not read again. Every
 * file the runs replace is written to a new inode (atomic rename), so a changed
 * file is never taken for an unchanged one.
 */
export class RunReader {
  private readonly known = new Map<string, { stamp: string; file: PackedFile }>();

  constructor(
    readonly dir: string,
    readonly map: PathMap,
  ) {}

  read(): PackedFile[] {
    const files: PackedFile[] = [];
    for (const path of listFiles(this.dir)) {
      const rel = relative(this.dir, path).split(sep).join('/');
      if (rel.split('/').some((part) => TEMP.test(part))) continue;
      let stamp: string;
      let content: Buffer;
      try {
        const stat = statSync(path, { bigint: true });
        stamp = `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
        const known = this.known.get(rel);
        if (known?.stamp === stamp) {
          files.push(known.file);
          continue;
        }
        content = readFileSync(path);
      } catch {
        continue; // replaced while we read: the next checkpoint has it
      }
      const text = TEXT.has(extname(path));
      if (text) content = Buffer.from(toPlaceholders(content.toString('utf8'), this.map));
      const file: PackedFile = text || content.length <= SMALL ? { rel, gzipped: true, data: gzipSync(content) } : { rel, gzipped: false, data: content };
      this.known.set(rel, { stamp, file });
      files.push(file);
    }
    return files;
  }
}

/** The files as one buffer: MAGIC, the index's length, the index (JSON), the contents. */
export function encodeRun(files: PackedFile[]): Buffer {
  const index = Buffer.from(JSON.stringify(files.map((f) => [f.rel, f.data.length, f.gzipped ? 1 : 0])));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(index.length);
  return Buffer.concat([MAGIC, length, index, ...files.map((f) => f.data)]);
}

export function packDir(dir: string, map: PathMap): Buffer {
  return encodeRun(new RunReader(dir, map).read());
}

/** The packed files by path, contents as packed (placeholders not yet replaced). */
export function decodeRun(packed: Buffer): Map<string, Buffer> {
  if (!packed.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a packed run directory of this RegNet version');
  const indexLength = packed.readUInt32BE(MAGIC.length);
  let offset = MAGIC.length + 4 + indexLength;
  const index = JSON.parse(packed.subarray(MAGIC.length + 4, offset).toString('utf8')) as Array<[string, number, number]>;
  const files = new Map<string, Buffer>();
  for (const [rel, size, gzipped] of index) {
    const data = packed.subarray(offset, offset + size);
    offset += size;
    if (offset > packed.length) throw new Error('a packed run directory is damaged (shorter than its index says)');
    files.set(rel, gzipped ? gunzipSync(data) : data);
  }
  return files;
}

/** Replaces `dir` by the packed run directory. */
export function unpackDir(packed: Buffer, dir: string, map: PathMap): void {
  const files = decodeRun(packed);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [rel, data] of files) {
    const parts = rel.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`refusing packed path '${rel}'`);
    const path = join(dir, ...parts);
    const content = TEXT.has(extname(path)) ? Buffer.from(fromPlaceholders(data.toString('utf8'), map)) : data;
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
