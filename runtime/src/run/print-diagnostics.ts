// Compiler-style diagnostics for terminals: `file:line:col: error RN123: message`
// followed by a code frame, and the JSON form of `--format json`.
import { styleText } from 'node:util';
import type { Diagnostic } from '@regnet/compiler';

export interface FileDiagnostic extends Diagnostic {
  file: string;
}

type Style = Parameters<typeof styleText>[0];

function colorEnabled(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

const SEVERITY_STYLE: Record<Diagnostic['severity'], Style> = { error: 'red', warning: 'yellow', info: 'cyan' };

/** The source line(s) of a diagnostic with carets under its range. */
export function codeFrame(source: string, diagnostic: Diagnostic, color = false): string {
  const lines = source.split(/\r?\n/);
  const { start, end } = diagnostic.range;
  const lineText = lines[start.line - 1];
  if (lineText === undefined) return '';
  const gutter = String(start.line).length;
  const endColumn = end.line === start.line ? Math.max(end.column, start.column + 1) : lineText.length + 1;
  const caretCount = Math.max(1, endColumn - start.column);
  const carets = '^'.repeat(caretCount);
  const paint = (s: string) => (color ? styleText(SEVERITY_STYLE[diagnostic.severity], s) : s);
  return [
    `${String(start.line).padStart(gutter)} | ${lineText}`,
    `${' '.repeat(gutter)} | ${' '.repeat(start.column - 1)}${paint(carets)}`,
  ].join('\n');
}

export function formatDiagnostic(file: string, source: string | undefined, d: Diagnostic, color = false): string {
  const where = `${file}:${d.range.start.line}:${d.range.start.column}`;
  const severity = color ? styleText('bold', styleText(SEVERITY_STYLE[d.severity], d.severity)) : d.severity;
  const head = `${color ? styleText('bold', where) : where}: ${severity} ${d.code}: ${d.message}`;
  const frame = source === undefined ? '' : codeFrame(source, d, color);
  return frame ? `${head}\n${frame}` : head;
}

export function printDiagnostics(file: string, source: string | undefined, diagnostics: Diagnostic[], stream: NodeJS.WriteStream = process.stderr): void {
  const color = colorEnabled(stream);
  for (const d of diagnostics) stream.write(formatDiagnostic(file, source, d, color) + '\n');
}

/** `--format json`: 1-based lines and columns, end exclusive. */
export function toJson(diagnostics: FileDiagnostic[]): object[] {
  return diagnostics.map((d) => ({
    file: d.file,
    severity: d.severity,
    code: d.code,
    message: d.message,
    range: {
      start: { line: d.range.start.line, column: d.range.start.column },
      end: { line: d.range.end.line, column: d.range.end.column },
    },
  }));
}

export function countsLine(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
