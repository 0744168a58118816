// Bad data is the user's problem, not a bug: DataError carries where it was found
// (file, and line or example when known) so the CLI can print `file:line: error: …`
// with exit code 1 and no stack trace.

export class DataError extends Error {
  override readonly name = 'DataError';

  /**
   * @param file the data file (absolute path) or folder the problem is in
   * @param line 1-based line (text formats) when known
   * @param detail what is wrong, e.g. `row has 3 fields, expected 4 (as in the header)`
   */
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(line === undefined ? `${file}: error: ${detail}` : `${file}:${line}: error: ${detail}`);
  }

  /** The one line the CLI prints: `file:line: error: detail` (or `file: error: detail`). */
  format(): string {
    return this.message;
  }
}

export function isDataError(e: unknown): e is DataError {
  return e instanceof DataError;
}
