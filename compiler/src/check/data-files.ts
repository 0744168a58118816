// Inspection of the data files a spec names (csv, idx, image folders, text), so
// the checker knows the input shape and the classes before anything is trained.
// Only headers and labels are read: no image is decoded, no tensor is built.
// Results are cached by path and modification time, because the language server
// checks on every keystroke.
// Messages never quote the file's content (a spec may name any readable file): a
// line number and a column or field name the spec wrote are all they show.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { extname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Shape } from '../ir.js';
import { readCsvRows } from './csv-read.js';
import { allowedFolders, isAllowed, type DataAccess } from './data-access.js';
import { formatBytes, raiseHint } from './limits.js';

/** A problem found in a data file; `arg` names the source argument it is reported at. */
export interface DataProblem {
  code: 'RN601' | 'RN602' | 'RN603' | 'RN604' | 'RN606';
  message: string;
  arg: string;
}

/** What to inspect: plain data, so that it can be sent to a worker thread. */
export type DataRequest =
  | { kind: 'csv'; path: string; label?: string; features?: string[] }
  | { kind: 'idx'; images: string; labels: string }
  | { kind: 'images'; dir: string; size?: [number, number]; channels: number; access: DataAccess }
  | { kind: 'text'; path: string; textField: string; labelField: string; length: number };

/**
 * Inspects the data a request names, reading at most `maxBytes` of any one file;
 * undefined means "not known yet" (the language server reads in the background).
 */
export type DataInspector = (request: DataRequest, maxBytes: number) => InspectedData | undefined;

/** The default inspector: reads now (results cached by path and modification time). */
export function inspectData(request: DataRequest, maxBytes: number): InspectedData {
  switch (request.kind) {
    case 'csv':
      return inspectCsv(request.path, request.label, request.features, maxBytes);
    case 'idx':
      return inspectIdx(request.images, request.labels, maxBytes);
    case 'images':
      return inspectImages(request.dir, request.size, request.channels, request.access);
    case 'text':
      return inspectText(request.path, request.textField, request.labelField, request.length, maxBytes);
  }
}

/** The files a request reads (for cache stamps). */
export function requestPaths(request: DataRequest): string[] {
  switch (request.kind) {
    case 'idx':
      return [request.images, request.labels];
    case 'images':
      return [request.dir];
    default:
      return [request.path];
  }
}

/** A file's bytes, gunzipped when compressed; undefined (with RN606) beyond `maxBytes`. */
function readBounded(path: string, arg: string, maxBytes: number, problems: DataProblem[]): Buffer | undefined {
  const tooLarge = (what: string) => {
    problems.push({ code: 'RN606', message: `${path} ${what} more than the ${formatBytes(maxBytes)} read for checking: ${raiseHint('dataBytes')}`, arg });
    return undefined;
  };
  if (statSync(path).size > maxBytes) return tooLarge('holds');
  const bytes = readFileSync(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes, { maxOutputLength: Math.max(1, Math.floor(maxBytes)) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) return tooLarge('expands to');
      problems.push({ code: 'RN602', message: `${path} looks gzip-compressed but cannot be decompressed`, arg });
      return undefined;
    }
  }
  return bytes;
}

export interface InspectedData {
  inputShape?: Shape;
  /** Number of classes (string labels: distinct values; integer labels: max + 1). */
  classes?: number;
  /** Class names in label order, for string labels and image folders. */
  labels?: string[];
  /** Every label is a number (class index or regression target). */
  numericLabels?: boolean;
  /** Every label is an integer >= 0 (usable as a class index). */
  integerLabels?: boolean;
  /** Number of examples found. */
  examples?: number;
  /** CSV: the label column and the feature columns actually used (defaults resolved). */
  labelColumn?: string;
  featureColumns?: string[];
  problems: DataProblem[];
}

const cache = new Map<string, { stamp: string; result: InspectedData }>();

function stampOf(paths: string[]): string | undefined {
  const parts: string[] = [];
  for (const p of paths) {
    let s: Stats;
    try {
      s = statSync(p);
    } catch {
      return undefined;
    }
    parts.push(`${p}:${s.mtimeMs}:${s.size}`);
  }
  return parts.join('|');
}

/** Runs `inspect` unless a result for the same files (unchanged on disk) and arguments is cached. */
function cached(key: string, paths: string[], inspect: () => InspectedData): InspectedData {
  const stamp = stampOf(paths);
  const hit = cache.get(key);
  if (stamp !== undefined && hit && hit.stamp === stamp) return hit.result;
  const result = inspect();
  if (stamp !== undefined) cache.set(key, { stamp, result });
  return result;
}

function missing(path: string, arg: string, what = 'file'): InspectedData {
  return { problems: [{ code: 'RN601', message: `data ${what} '${path}' not found`, arg }] };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- CSV

interface CsvTable {
  header: string[];
  rows: { line: number; fields: string[] }[];
}

function readCsv(path: string, arg: string, maxBytes: number, problems: DataProblem[]): CsvTable | undefined {
  const bytes = readBounded(path, arg, maxBytes, problems);
  if (!bytes) return undefined;
  const read = readCsvRows(bytes.toString('utf8'), path);
  if ('error' in read) {
    problems.push({ code: 'RN602', message: `${path} line ${read.line}: ${read.error}`, arg });
    return undefined;
  }
  const [first, ...rows] = read.rows;
  if (!first) {
    problems.push({ code: 'RN602', message: `${path} is empty: expected a header line of column names`, arg });
    return undefined;
  }
  const header = first.fields;
  for (const row of rows) {
    if (row.fields.length !== header.length) {
      problems.push({
        code: 'RN602',
        message: `${path} line ${row.line}: expected ${header.length} fields (as in the header at line ${first.line}) but found ${row.fields.length}`,
        arg,
      });
      return undefined;
    }
  }
  if (rows.length === 0) {
    problems.push({ code: 'RN602', message: `${path} has a header but no data rows`, arg });
    return undefined;
  }
  return { header, rows };
}

function isNumber(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

/** Summarises a label column: string labels become sorted class names, integer labels class indices. */
function summariseLabels(values: string[]): Pick<InspectedData, 'classes' | 'labels' | 'numericLabels' | 'integerLabels'> {
  const numeric = values.every(isNumber);
  if (numeric) {
    // A loop, not Math.max(...nums): spreading a million labels overflows the stack.
    let integer = true;
    let max = 0;
    for (const value of values) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) integer = false;
      else if (n > max) max = n;
    }
    return { numericLabels: true, integerLabels: integer, classes: integer ? max + 1 : undefined };
  }
  const labels = [...new Set(values)].sort();
  return { numericLabels: false, integerLabels: false, labels, classes: labels.length };
}

export function inspectCsv(path: string, label: string | undefined, features: string[] | undefined, maxBytes = Infinity): InspectedData {
  if (!isFile(path)) return missing(path, 'path');
  const key = `csv:${path}:${label}:${JSON.stringify(features ?? null)}:${maxBytes}`;
  return cached(key, [path], () => {
    const problems: DataProblem[] = [];
    const table = readCsv(path, 'path', maxBytes, problems);
    if (!table) return { problems };
    const { header, rows } = table;
    const labelName = label ?? header[header.length - 1]!;
    const labelIndex = header.indexOf(labelName);
    if (labelIndex < 0) {
      problems.push({
        code: 'RN603',
        message: label === undefined ? `${path} has no label column` : `${path} has no column '${labelName}' for the label`,
        arg: label === undefined ? 'path' : 'label',
      });
      return { problems };
    }
    const featureNames = features ?? header.filter((_, i) => i !== labelIndex);
    const featureIndices: number[] = [];
    for (const name of featureNames) {
      const index = header.indexOf(name);
      if (index < 0) {
        problems.push({ code: 'RN603', message: `${path} has no column '${name}'`, arg: 'features' });
      } else featureIndices.push(index);
    }
    if (problems.length > 0) return { problems };
    for (const row of rows) {
      for (const index of featureIndices) {
        if (!isNumber(row.fields[index]!)) {
          problems.push({
            code: 'RN602',
            message: `${path} line ${row.line}: ${features ? `feature column '${header[index]}'` : `column ${index + 1}`} does not hold a number (features must be numeric)`,
            arg: 'path',
          });
          return { problems };
        }
      }
    }
    return {
      inputShape: [featureIndices.length],
      examples: rows.length,
      labelColumn: labelName,
      featureColumns: featureNames,
      ...summariseLabels(rows.map((r) => r.fields[labelIndex]!)),
      problems,
    };
  });
}

// ---------------------------------------------------------------- IDX

const IDX_TYPE_SIZES: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };

interface IdxFile {
  dims: number[];
  type: number;
  data: Buffer;
}

function readIdx(path: string, arg: string, maxBytes: number, problems: DataProblem[]): IdxFile | undefined {
  const bytes = readBounded(path, arg, maxBytes, problems);
  if (!bytes) return undefined;
  const typeSize = IDX_TYPE_SIZES[bytes[2] ?? -1];
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || typeSize === undefined || bytes[3] === 0) {
    problems.push({
      code: 'RN602',
      message: `${path} is not an IDX file: its first bytes are not an IDX magic number 00 00 <type> <dims> (e.g. 00 00 08 03 for images)`,
      arg,
    });
    return undefined;
  }
  const rank = bytes[3]!;
  if (bytes.length < 4 + 4 * rank) {
    problems.push({ code: 'RN602', message: `${path} is truncated: the header announces ${rank} dimensions`, arg });
    return undefined;
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(bytes.readUInt32BE(4 + 4 * i));
  const expected = 4 + 4 * rank + dims.reduce((a, b) => a * b, 1) * typeSize;
  if (bytes.length !== expected) {
    problems.push({
      code: 'RN602',
      message: `${path} has ${bytes.length} bytes but its header [${dims.join(', ')}] needs ${expected}`,
      arg,
    });
    return undefined;
  }
  return { dims, type: bytes[2]!, data: bytes.subarray(4 + 4 * rank) };
}

function readIdxValue(file: IdxFile, i: number): number {
  switch (file.type) {
    case 0x08: return file.data.readUInt8(i);
    case 0x09: return file.data.readInt8(i);
    case 0x0b: return file.data.readInt16BE(i * 2);
    case 0x0c: return file.data.readInt32BE(i * 4);
    case 0x0d: return file.data.readFloatBE(i * 4);
    default: return file.data.readDoubleBE(i * 8);
  }
}

export function inspectIdx(imagesPath: string, labelsPath: string, maxBytes = Infinity): InspectedData {
  if (!isFile(imagesPath)) return missing(imagesPath, 'images');
  if (!isFile(labelsPath)) return missing(labelsPath, 'labels');
  return cached(`idx:${imagesPath}:${labelsPath}:${maxBytes}`, [imagesPath, labelsPath], () => {
    const problems: DataProblem[] = [];
    const images = readIdx(imagesPath, 'images', maxBytes, problems);
    const labels = readIdx(labelsPath, 'labels', maxBytes, problems);
    if (!images || !labels) return { problems };
    if (images.dims.length !== 3 && images.dims.length !== 4) {
      problems.push({
        code: 'RN602',
        message: `${imagesPath} holds an array of shape [${images.dims.join(', ')}]; expected images [count, height, width] or [count, height, width, channels]`,
        arg: 'images',
      });
    }
    if (labels.dims.length !== 1) {
      problems.push({
        code: 'RN602',
        message: `${labelsPath} holds an array of shape [${labels.dims.join(', ')}]; expected labels [count]`,
        arg: 'labels',
      });
    }
    if (problems.length > 0) return { problems };
    if (images.dims[0] !== labels.dims[0]) {
      problems.push({
        code: 'RN602',
        message: `${imagesPath} holds ${images.dims[0]} images but ${labelsPath} holds ${labels.dims[0]} labels`,
        arg: 'labels',
      });
      return { problems };
    }
    let max = 0;
    for (let i = 0; i < labels.dims[0]!; i++) {
      const v = readIdxValue(labels, i);
      if (!Number.isInteger(v) || v < 0) {
        problems.push({ code: 'RN602', message: `${labelsPath}: label ${i} is not a class index (a whole number >= 0)`, arg: 'labels' });
        return { problems };
      }
      max = Math.max(max, v);
    }
    const [, h, w, c] = images.dims;
    return {
      inputShape: [h!, w!, c ?? 1],
      classes: max + 1,
      numericLabels: true,
      integerLabels: true,
      examples: images.dims[0],
      problems,
    };
  });
}

// ---------------------------------------------------------------- images

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

/** Reads up to `length` bytes from the start of a file. */
function readHead(path: string, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const n = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export interface ImageHeader {
  width: number;
  height: number;
  channels: number;
}

/** Width, height and channels from a PNG IHDR chunk or a JPEG SOFn segment; undefined if neither. */
export function readImageHeader(bytes: Buffer): ImageHeader | undefined {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 26 && png.every((b, i) => bytes[i] === b) && bytes.toString('ascii', 12, 16) === 'IHDR') {
    const colorType = bytes[25]!;
    const channels = ({ 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType] ?? 3;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), channels };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return undefined;
      const marker = bytes[i + 1]!;
      if (marker === 0xff) {
        i++; // fill byte
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2; // markers without a length
        continue;
      }
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) {
        return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7), channels: bytes[i + 9]! };
      }
      i += 2 + bytes.readUInt16BE(i + 2);
    }
  }
  return undefined;
}

function headerOfFile(path: string): ImageHeader | undefined {
  // The JPEG frame header may follow a large EXIF block: read more when needed.
  for (const length of [64 * 1024, 1024 * 1024, Number.MAX_SAFE_INTEGER]) {
    const size = Math.min(length, statSync(path).size);
    const header = readImageHeader(readHead(path, size));
    if (header || size < length) return header;
  }
  return undefined;
}

export function inspectImages(dir: string, size: [number, number] | undefined, channels: number, access?: DataAccess): InspectedData {
  if (!isDirectory(dir)) return missing(dir, 'path', 'folder');
  const folders = access ? allowedFolders(access) : undefined;
  return cached(`images:${dir}:${JSON.stringify(size ?? null)}:${channels}:${JSON.stringify(folders ?? null)}`, [dir], () => {
    const problems: DataProblem[] = [];
    const classes = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    if (classes.length === 0) {
      problems.push({ code: 'RN602', message: `${dir} has no class sub-folders: expected one folder of PNG/JPEG images per class`, arg: 'path' });
      return { problems };
    }
    let first: { file: string; header: ImageHeader } | undefined;
    let examples = 0;
    for (const name of classes) {
      const files = readdirSync(join(dir, name))
        .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()))
        .sort();
      if (files.length === 0) {
        problems.push({ code: 'RN602', message: `class folder ${join(dir, name)} holds no PNG or JPEG images`, arg: 'path' });
        continue;
      }
      examples += files.length;
      for (const file of files) {
        const path = join(dir, name, file);
        if (access && !isAllowed(path, access, folders)) {
          problems.push({ code: 'RN604', message: `${path} is a link to a file outside the allowed folders`, arg: 'path' });
          return { problems };
        }
        const header = headerOfFile(path);
        if (!header) {
          problems.push({ code: 'RN602', message: `${path} is not a readable PNG or JPEG image`, arg: 'path' });
          return { problems };
        }
        if (!first) first = { file: path, header };
        else if (size === undefined && (header.width !== first.header.width || header.height !== first.header.height)) {
          problems.push({
            code: 'RN602',
            message: `${path} is ${header.width}x${header.height} but ${first.file} is ${first.header.width}x${first.header.height}; give size: [h, w] to resize them all`,
            arg: 'path',
          });
          return { problems };
        }
      }
    }
    if (problems.length > 0 || !first) return { problems };
    const [h, w] = size ?? [first.header.height, first.header.width];
    return { inputShape: [h, w, channels], classes: classes.length, labels: classes, examples, problems };
  });
}

// ---------------------------------------------------------------- text

export function inspectText(path: string, textField: string, labelField: string, length: number, maxBytes = Infinity): InspectedData {
  if (!isFile(path)) return missing(path, 'path');
  return cached(`text:${path}:${textField}:${labelField}:${length}:${maxBytes}`, [path], () => {
    const problems: DataProblem[] = [];
    const labels: string[] = [];
    const ext = extname(path).toLowerCase();
    const bytes = readBounded(path, 'path', maxBytes, problems);
    if (!bytes) return { problems };
    const content = bytes.toString('utf8');
    const jsonl = ext === '.jsonl' || ext === '.ndjson' || ext === '.json' || content.trimStart().startsWith('{');
    if (jsonl) {
      const lines = content.split(/\r?\n/);
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.trim();
        if (line === '') continue;
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          problems.push({ code: 'RN602', message: `${path} line ${i + 1}: not valid JSON`, arg: 'path' });
          return { problems };
        }
        if (typeof record !== 'object' || record === null || Array.isArray(record)) {
          problems.push({ code: 'RN602', message: `${path} line ${i + 1}: expected a JSON object with fields '${textField}' and '${labelField}'`, arg: 'path' });
          return { problems };
        }
        const fields = record as Record<string, unknown>;
        for (const [field, arg] of [[textField, 'text'], [labelField, 'label']] as const) {
          if (!(field in fields)) {
            problems.push({
              code: 'RN603',
              message: `${path} line ${i + 1} has no field '${field}'`,
              arg,
            });
            return { problems };
          }
        }
        if (typeof fields[textField] !== 'string') {
          problems.push({ code: 'RN602', message: `${path} line ${i + 1}: field '${textField}' should be a string`, arg: 'path' });
          return { problems };
        }
        labels.push(String(fields[labelField]));
      }
    } else {
      const table = readCsv(path, 'path', maxBytes, problems);
      if (!table) return { problems };
      const indices: number[] = [];
      for (const [field, arg] of [[textField, 'text'], [labelField, 'label']] as const) {
        const index = table.header.indexOf(field);
        if (index < 0) {
          problems.push({ code: 'RN603', message: `${path} has no column '${field}'`, arg });
          return { problems };
        }
        indices.push(index);
      }
      for (const row of table.rows) labels.push(row.fields[indices[1]!]!);
    }
    if (labels.length === 0) {
      problems.push({ code: 'RN602', message: `${path} holds no examples`, arg: 'path' });
      return { problems };
    }
    return { inputShape: [length], examples: labels.length, ...summariseLabels(labels), problems };
  });
}
