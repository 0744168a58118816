// A small RFC 4180 CSV reader (quoted fields, "" escapes, commas and newlines in
// quotes, CRLF) that remembers the line each row starts on, for error messages.
import { DataError } from './errors.js';

export interface CsvRow {
  /** 1-based line number where the row starts. */
  line: number;
  fields: string[];
}

export function parseCsv(text: string, file: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const delimiter = file.toLowerCase().endsWith('.tsv') ? '\t' : ',';
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let inQuotes = false;
  let quotedStartLine = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // skip a UTF-8 byte order mark
  const endRow = () => {
    fields.push(field);
    // Blank lines are skipped, not rows of one empty field.
    if (!(fields.length === 1 && fields[0].trim() === '')) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      inQuotes = true;
      quotedStartLine = line;
      field = '';
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (inQuotes) throw new DataError(file, quotedStartLine, 'unterminated quoted field');
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

/** Header plus rows, each row checked to have the header's number of fields. */
export function readCsvTable(text: string, file: string): { header: string[]; rows: CsvRow[] } {
  const all = parseCsv(text, file);
  if (all.length === 0) throw new DataError(file, 1, 'empty file: expected a header row');
  const header = all[0].fields.map((h) => h.trim());
  const rows = all.slice(1);
  for (const row of rows) {
    if (row.fields.length !== header.length) {
      throw new DataError(file, row.line, `row has ${row.fields.length} fields, expected ${header.length} (as in the header)`);
    }
  }
  return { header, rows };
}
