// Inspection of the data files a spec names (csv, idx, image folders, text), so
// the checker knows the input shape and the classes before anything is trained.
// Only headers and labels are read: no image is decoded, no tensor is built.
// Results are cached by path and modification time, because the language server
// checks on every keystroke.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { extname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Shape } from '../ir.js';

/** A problem found in a data file; `arg` names the source argument it is reported at. */
export interface DataProblem {
  code: 'RN601' | 'RN602' | 'RN603';
  message: string;
  arg: string;
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

/** Splits one CSV line (RFC 4180 quoting, no multi-line fields); undefined when a quote is unterminated. */
export function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field.trim());
      field = '';
    } else field += ch;
  }
  if (quoted) return undefined;
  fields.push(field.trim());
  return fields;
}

interface CsvTable {
  header: string[];
  rows: { line: number; fields: string[] }[];
}

function readCsv(path: string, arg: string, problems: DataProblem[]): CsvTable | undefined {
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/);
  let headerLine = -1;
  let header: string[] | undefined;
  const rows: CsvTable['rows'] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line);
    if (!fields) {
      problems.push({ code: 'RN602', message: `${path} line ${i + 1}: unterminated quoted field`, arg });
      return undefined;
    }
    if (!header) {
      header = fields;
      headerLine = i + 1;
      continue;
    }
    if (fields.length !== header.length) {
      problems.push({
        code: 'RN602',
        message: `${path} line ${i + 1}: expected ${header.length} fields (as in the header at line ${headerLine}) but found ${fields.length}`,
        arg,
      });
      return undefined;
    }
    rows.push({ line: i + 1, fields });
  }
  if (!header) {
    problems.push({ code: 'RN602', message: `${path} is empty: expected a header line of column names`, arg });
    return undefined;
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
    const nums = values.map(Number);
    const integer = nums.every((n) => Number.isInteger(n) && n >= 0);
    return {
      numericLabels: true,
      integerLabels: integer,
      classes: integer ? Math.max(...nums) + 1 : undefined,
    };
  }
  const labels = [...new Set(values)].sort();
  return { numericLabels: false, integerLabels: false, labels, classes: labels.length };
}

export function inspectCsv(path: string, label: string | undefined, features: string[] | undefined): InspectedData {
  if (!isFile(path)) return missing(path, 'path');
  const key = `csv:${path}:${label}:${JSON.stringify(features ?? null)}`;
  return cached(key, [path], () => {
    const problems: DataProblem[] = [];
    const table = readCsv(path, 'path', problems);
    if (!table) return { problems };
    const { header, rows } = table;
    const labelName = label ?? header[header.length - 1]!;
    const labelIndex = header.indexOf(labelName);
    if (labelIndex < 0) {
      problems.push({
        code: 'RN603',
        message: `${path} has no column '${labelName}' for the label (columns: ${header.join(', ')})`,
        arg: label === undefined ? 'path' : 'label',
      });
      return { problems };
    }
    const featureNames = features ?? header.filter((_, i) => i !== labelIndex);
    const featureIndices: number[] = [];
    for (const name of featureNames) {
      const index = header.indexOf(name);
      if (index < 0) {
        problems.push({ code: 'RN603', message: `${path} has no column '${name}' (columns: ${header.join(', ')})`, arg: 'features' });
      } else featureIndices.push(index);
    }
    if (problems.length > 0) return { problems };
    for (const row of rows) {
      for (const index of featureIndices) {
        if (!isNumber(row.fields[index]!)) {
          problems.push({
            code: 'RN602',
            message: `${path} line ${row.line}: feature column '${header[index]}' holds '${row.fields[index]}', expected a number`,
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

function readIdx(path: string, arg: string, problems: DataProblem[]): IdxFile | undefined {
  let bytes = readFileSync(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      problems.push({ code: 'RN602', message: `${path} looks gzip-compressed but cannot be decompressed`, arg });
      return undefined;
    }
  }
  const typeSize = IDX_TYPE_SIZES[bytes[2] ?? -1];
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || typeSize === undefined || bytes[3] === 0) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    problems.push({
      code: 'RN602',
      message: `${path} is not an IDX file: magic number is '${magic}', expected 00 00 <type> <dims> (e.g. 00 00 08 03 for images)`,
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

export function inspectIdx(imagesPath: string, labelsPath: string): InspectedData {
  if (!isFile(imagesPath)) return missing(imagesPath, 'images');
  if (!isFile(labelsPath)) return missing(labelsPath, 'labels');
  return cached(`idx:${imagesPath}:${labelsPath}`, [imagesPath, labelsPath], () => {
    const problems: DataProblem[] = [];
    const images = readIdx(imagesPath, 'images', problems);
    const labels = readIdx(labelsPath, 'labels', problems);
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
        problems.push({ code: 'RN602', message: `${labelsPath}: label ${i} is ${v}, expected a class index >= 0`, arg: 'labels' });
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

export function inspectImages(dir: string, size: [number, number] | undefined, channels: number): InspectedData {
  if (!isDirectory(dir)) return missing(dir, 'path', 'folder');
  return cached(`images:${dir}:${JSON.stringify(size ?? null)}:${channels}`, [dir], () => {
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

export function inspectText(path: string, textField: string, labelField: string, length: number): InspectedData {
  if (!isFile(path)) return missing(path, 'path');
  return cached(`text:${path}:${textField}:${labelField}:${length}`, [path], () => {
    const problems: DataProblem[] = [];
    const labels: string[] = [];
    const ext = extname(path).toLowerCase();
    const content = readFileSync(path, 'utf8');
    const jsonl = ext === '.jsonl' || ext === '.json' || content.trimStart().startsWith('{');
    if (jsonl) {
      const lines = content.split(/\r?\n/);
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.trim();
        if (line === '') continue;
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch (e) {
          problems.push({ code: 'RN602', message: `${path} line ${i + 1}: not valid JSON (${(e as Error).message})`, arg: 'path' });
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
              message: `${path} line ${i + 1} has no field '${field}' (fields: ${Object.keys(fields).join(', ')})`,
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
      const table = readCsv(path, 'path', problems);
      if (!table) return { problems };
      const indices: number[] = [];
      for (const [field, arg] of [[textField, 'text'], [labelField, 'label']] as const) {
        const index = table.header.indexOf(field);
        if (index < 0) {
          problems.push({ code: 'RN603', message: `${path} has no column '${field}' (columns: ${table.header.join(', ')})`, arg });
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
