// The one CSV reader, used by the checker and by the runtime's loaders, so that
// `check` and training agree on every file: RFC 4180 quoting (commas, quotes and
// newlines inside quoted fields), CRLF, a UTF-8 byte order mark, `.tsv` files
// tab-separated, blank lines skipped, fields trimmed. Parsing is csv-parse's.
import { parse } from 'csv-parse/sync';

export interface CsvRow {
  /** 1-based line number where the row starts. */
  line: number;
  fields: string[];
}

export type CsvRead = { rows: CsvRow[] } | { error: string; line: number };

/** The field delimiter of a file: tab for `.tsv`, else comma. */
export function csvDelimiter(file: string): string {
  return file.toLowerCase().endsWith('.tsv') ? '\t' : ',';
}

// Our wording for csv-parse's errors: its own messages may quote the file's content.
const ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'unterminated quoted field',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field is followed by other characters before the next delimiter',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted field is followed by other characters before the next delimiter',
};

function newlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Rows of a CSV text (the header is the first row); never throws. */
export function readCsvRows(text: string, file: string): CsvRead {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter: csvDelimiter(file),
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as { code?: string; lines?: number };
    return { error: ERRORS[e.code ?? ''] ?? 'not a readable CSV file', line: e.lines ?? 1 };
  }
  const rows: CsvRow[] = [];
  for (const { record, info } of records) {
    // info.lines is the row's last line: step back over newlines inside its quoted fields.
    let inside = 0;
    for (const field of record) inside += newlines(field);
    rows.push({ line: info.lines - inside, fields: record });
  }
  return { rows };
}
