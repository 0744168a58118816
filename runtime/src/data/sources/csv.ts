// `csv(path, label: "column", features: [..])`: a header row, then one example per
// row. The label column defaults to the last column (as the compiler resolves it). Features are numeric columns (default: every column but the label), in the
// order `features` lists them. Labels: see labels.ts.
import { DataError } from '../errors.js';
import { readDataText } from '../files.js';
import { readCsvTable } from '../csv-parse.js';
import { encodeLabels, isNumeric } from '../labels.js';
import type { SourceResult } from './source.js';

export interface CsvOptions {
  path: string;
  /** Default: the last column. */
  label?: string;
  features?: string[];
  classes: number;
  labels?: string[];
}

export function loadCsv(options: CsvOptions): SourceResult {
  const { path } = options;
  const { header, rows } = readCsvTable(readDataText(path), path);
  const label = options.label ?? header[header.length - 1];
  const column = (name: string) => {
    const k = header.indexOf(name);
    if (k < 0) throw new DataError(path, 1, `no column named "${name}"`);
    return k;
  };
  const labelColumn = column(label);
  const featureNames = options.features ?? header.filter((h) => h !== label);
  const featureColumns = featureNames.map(column);
  const n = rows.length;
  const d = featureColumns.length;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const fields = rows[i].fields;
    for (let j = 0; j < d; j++) {
      const raw = fields[featureColumns[j]].trim();
      if (!isNumeric(raw)) {
        throw new DataError(path, rows[i].line, `non-numeric value in feature ${options.features ? `'${featureNames[j]}'` : `column ${featureColumns[j] + 1}`}`);
      }
      x[i * d + j] = Number(raw);
    }
  }
  const encoded = encodeLabels(
    path,
    rows.map((r) => r.fields[labelColumn]),
    rows.map((r) => r.line),
    options.classes,
    options.labels,
    label,
  );
  return {
    examples: { kind: 'dense', n, exampleShape: [d], x, y: encoded.y, targetSize: 1 },
    labels: encoded.names,
  };
}
