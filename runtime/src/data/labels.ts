// Turns a label column (csv, text) into class indices or regression targets.
// String labels become classes in the order the compiler reported
// (SourceConfig.labels), or sorted (JavaScript code-unit order) when it reported
// none; numeric labels are class indices; with `classes: 0` (loss mse) they are
// regression targets. Messages give the line, never the value (a spec may name
// any readable file).
import { DataError } from './errors.js';

export interface EncodedLabels {
  y: Int32Array | Float32Array;
  /** Class names in index order, for string labels. */
  names?: string[];
}

/** A finite number as JavaScript reads it (the same test the compiler's data inspection uses). */
export function isNumeric(s: string): boolean {
  return s.trim() !== '' && Number.isFinite(Number(s));
}

/**
 * @param values the raw label of each example
 * @param lines where each example is (1-based line), for messages
 * @param classes the number of classes; 0 for regression targets
 * @param names class names in index order, when known (compiler or training source)
 * @param column the label column/field name, for messages
 */
export function encodeLabels(
  file: string,
  values: string[],
  lines: number[],
  classes: number,
  names: string[] | undefined,
  column: string,
): EncodedLabels {
  const n = values.length;
  if (classes === 0) {
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i].trim();
      if (!isNumeric(v)) throw new DataError(file, lines[i], `non-numeric regression target in '${column}'`);
      y[i] = Number(v);
    }
    return { y };
  }
  const y = new Int32Array(n);
  const allNumeric = values.every(isNumeric);
  // Raw values, sorted: exactly the class names the compiler reports.
  if (names === undefined && !allNumeric) names = [...new Set(values)].sort();
  if (names !== undefined) {
    const index = new Map(names.map((name, i) => [name, i]));
    for (let i = 0; i < n; i++) {
      const v = values[i].trim();
      const k = index.get(values[i]) ?? index.get(v);
      if (k === undefined) {
        throw new DataError(file, lines[i], `a label in '${column}' that the training data does not have (${names.length} known labels)`);
      }
      y[i] = k;
    }
    return { y, names };
  }
  for (let i = 0; i < n; i++) {
    const v = Number(values[i].trim());
    if (!Number.isInteger(v) || v < 0 || (classes > 0 && v >= classes)) {
      throw new DataError(file, lines[i], `a label in '${column}' is not a class index in 0..${classes - 1}`);
    }
    y[i] = v;
  }
  return { y };
}
