// `text(path, text: "field", label: "field", vocab: 10000, length: 64)`: JSONL (one
// JSON object per line: .jsonl .ndjson .json, or any file starting with `{`) or else
// CSV (.tsv tab-separated) with a text field and a label field. Text becomes lower-cased word tokens (runs of letters and digits,
// inner apostrophes kept: "Don't stop!" -> don't, stop).
//
// Ids (built by the loader on the training split only, see buildVocabulary):
// 0 = padding, 1 = unknown word, then the `vocab - 2` most frequent training words
// (ties by word order), so every id is < `vocab` (the embedding's input size).
// Sequences are padded and truncated as Keras' pad_sequences does by default: zeros
// in front, and a long text keeps its last `length` tokens.
import { extname } from 'node:path';
import { DataError } from '../errors.js';
import { readDataText } from '../files.js';
import { readCsvTable } from '../csv-parse.js';
import { encodeLabels } from '../labels.js';
import type { SourceResult } from './source.js';

export const PAD_ID = 0;
export const UNKNOWN_ID = 1;
export const PAD_TOKEN = '<pad>';
export const UNKNOWN_TOKEN = '<unk>';

export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) ?? [];
}

export interface TextOptions {
  path: string;
  textField: string;
  labelField: string;
  classes: number;
  labels?: string[];
}

export function loadText(options: TextOptions): SourceResult {
  const { path, textField, labelField } = options;
  const ext = extname(path).toLowerCase();
  const texts: string[] = [];
  const labelValues: string[] = [];
  const lines: number[] = [];
  const content = readDataText(path);
  const jsonl = ext === '.jsonl' || ext === '.ndjson' || ext === '.json' || content.trimStart().startsWith('{');
  if (!jsonl) {
    const { header, rows } = readCsvTable(content, path);
    const column = (name: string) => {
      const k = header.indexOf(name);
      if (k < 0) throw new DataError(path, 1, `no column named "${name}"`);
      return k;
    };
    const t = column(textField);
    const l = column(labelField);
    for (const row of rows) {
      texts.push(row.fields[t]);
      labelValues.push(row.fields[l]);
      lines.push(row.line);
    }
  } else {
    content.split(/\r?\n/).forEach((raw, i) => {
      if (raw.trim() === '') return;
      const line = i + 1;
      let obj: unknown;
      try {
        obj = JSON.parse(raw);
      } catch {
        throw new DataError(path, line, 'invalid JSON'); // JSON.parse's message quotes the line
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new DataError(path, line, 'expected a JSON object');
      const record = obj as Record<string, unknown>;
      const text = record[textField];
      const label = record[labelField];
      if (typeof text !== 'string') throw new DataError(path, line, `missing string field "${textField}"`);
      if (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') {
        throw new DataError(path, line, `missing field "${labelField}" (a string or number label)`);
      }
      texts.push(text);
      labelValues.push(String(label));
      lines.push(line);
    });
  }
  const encoded = encodeLabels(path, labelValues, lines, options.classes, options.labels, labelField);
  return {
    examples: { kind: 'text', n: texts.length, tokens: texts.map(tokenize), y: encoded.y, targetSize: 1 },
    labels: encoded.names,
  };
}

/** id -> word: padding, unknown, then the most frequent words of `docs` (count desc, then word). */
export function buildVocabulary(docs: string[][], size: number): string[] {
  const counts = new Map<string, number>();
  for (const doc of docs) for (const w of doc) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, Math.max(0, size - 2))
    .map(([w]) => w);
  return [PAD_TOKEN, UNKNOWN_TOKEN, ...words];
}

/** [docs.length, length] ids, zeros in front, keeping each text's last `length` tokens. */
export function encodeDocuments(docs: string[][], vocabulary: string[], length: number): Int32Array {
  const ids = new Map<string, number>();
  vocabulary.forEach((w, i) => {
    if (i > UNKNOWN_ID) ids.set(w, i);
  });
  const out = new Int32Array(docs.length * length);
  docs.forEach((doc, i) => {
    const kept = doc.length > length ? doc.slice(doc.length - length) : doc;
    const start = i * length + (length - kept.length);
    kept.forEach((w, k) => (out[start + k] = ids.get(w) ?? UNKNOWN_ID));
  });
  return out;
}
