// Numbers in the examples' READMEs come from the committed results, never typed by
// hand. A number is written between two markers naming where it comes from:
//
//   <!--v results-clipping/results.csv max_norm=1 test_accuracy .4-->0.7754<!--/v-->
//
// fields: the results.csv (relative to the README's folder), the row (`name=value`
// pairs joined by `&`, or `*` for a single row), the quantity and the format.
// The quantity is a column (`test_accuracy` means its `_mean`; `_std` columns by
// their full name), a difference of two (`final_accuracy-test_accuracy`) or a
// complement (`1-test_accuracy`, an error rate). The format is `.N` (N decimals) or
// `%N` (a percentage with N decimals); a value the trial did not measure reads `–`.
// `scripts/regen-examples.mjs` rewrites the text between the markers;
// examples/test/results.test.mjs checks that it matches.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MARKER = /<!--v (\S+) (\S+) (\S+) (\S+?)-->(.*?)<!--\/v-->/g;

/** Rows of a results.csv as written by `regnetc sweep` (quoted cells only when they hold `,` `"` or a newline). */
export function readResultsCsv(path) {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const split = (line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
  const header = split(lines[0]);
  return lines.slice(1).map((line) => Object.fromEntries(split(line).map((cell, i) => [header[i], cell])));
}

function sameValue(cell, wanted) {
  return cell === wanted || (cell !== '' && wanted !== '' && !Number.isNaN(Number(cell)) && Number(cell) === Number(wanted));
}

function findRow(rows, selector, where) {
  if (selector === '*') {
    if (rows.length !== 1) throw new Error(`${where}: '*' needs a single row, the file has ${rows.length}`);
    return rows[0];
  }
  const wanted = selector.split('&').map((pair) => pair.split('='));
  const found = rows.filter((row) => wanted.every(([k, v]) => k in row && sameValue(row[k], v)));
  if (found.length !== 1) throw new Error(`${where}: ${found.length} rows match ${selector}`);
  return found[0];
}

function column(row, name, where) {
  const key = name in row ? name : `${name}_mean`;
  if (!(key in row)) throw new Error(`${where}: no column ${name}`);
  // Empty: the trial measured nothing there (e.g. it stopped on a non-finite loss).
  return row[key] === '' ? NaN : Number(row[key]);
}

function quantity(row, expression, where) {
  const complement = /^1-(.+)$/.exec(expression);
  if (complement) return 1 - column(row, complement[1], where);
  const parts = expression.split('-');
  if (parts.length === 2) return column(row, parts[0], where) - column(row, parts[1], where);
  return column(row, expression, where);
}

function format(value, spec, where) {
  const m = /^([.%])(\d)$/.exec(spec);
  if (!m) throw new Error(`${where}: unknown format ${spec} (.N or %N)`);
  if (Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return String(value);
  return m[1] === '%' ? `${(value * 100).toFixed(Number(m[2]))}%` : value.toFixed(Number(m[2]));
}

/**
 * Every marked number of a README: what it says and what the results say.
 * @returns {{ text: string, values: Array<{ source: string, written: string, measured: string }> }}
 *   `text` with every number rewritten from the results
 */
export function readmeValues(readmePath) {
  const original = readFileSync(readmePath, 'utf8');
  const folder = dirname(readmePath);
  const values = [];
  const text = original.replace(MARKER, (all, file, selector, expression, spec, written) => {
    const where = `${readmePath}: <!--v ${file} ${selector} ${expression} ${spec}-->`;
    const row = findRow(readResultsCsv(join(folder, file)), selector, where);
    const measured = format(quantity(row, expression, where), spec, where);
    values.push({ source: where, written, measured });
    return `<!--v ${file} ${selector} ${expression} ${spec}-->${measured}<!--/v-->`;
  });
  return { text, values };
}
