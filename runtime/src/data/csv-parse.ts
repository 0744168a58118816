// CSV tables for the loaders, read by the compiler's reader (the one `check` uses,
// so both agree on every file) and turned into DataErrors.
import { readCsvRows, type CsvRow } from '@regnet/compiler';
import { DataError } from './errors.js';

export type { CsvRow };

/** Header plus rows, each row checked to have the header's number of fields. */
export function readCsvTable(text: string, file: string): { header: string[]; rows: CsvRow[] } {
  const read = readCsvRows(text, file);
  if ('error' in read) throw new DataError(file, read.line, read.error);
  const [first, ...rows] = read.rows;
  if (!first) throw new DataError(file, 1, 'empty file: expected a header row');
  const header = first.fields;
  for (const row of rows) {
    if (row.fields.length !== header.length) {
      throw new DataError(file, row.line, `row has ${row.fields.length} fields, expected ${header.length} (as in the header)`);
    }
  }
  return { header, rows };
}
