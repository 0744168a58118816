// Compiler-style diagnostics for terminals: `file:line:col: error RN123: message`
// followed by a code frame, and the JSON form of `--format json`.
import { styleText } from 'node:util';
import { formatCount, type Diagnostic } from '@regnet/compiler';

export interface FileDiagnostic extends Diagnostic {
  file: string;
}

type Style = Parameters<typeof styleText>[0];

function colorEnabled(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

const SEVERITY_STYLE: Record<Diagnostic['severity'], Style> = { error: 'red', warning: 'yellow', info: 'cyan' };

interface Printing {
  verbose: boolean;
  maxPerFile: number;
}

// One settings object per process: the bundled CLI and the lazily loaded dist/ modules
// each have a copy of this module, and the CLI's flags must reach both.
const PRINTING = Symbol.for('regnet.diagnosticPrinting');
const sharedGlobals = globalThis as { [PRINTING]?: Printing };

/**
 * What the commands print, set once by the CLI from `--verbose` and `--max-diagnostics`:
 * informational notes (severity info, e.g. RN901 "crossentropy from logits": they
 * describe the recommended pattern, not a problem) only with --verbose (the editor
 * shows them always), and at most `maxPerFile` diagnostics per file, errors first.
 */
export const diagnosticPrinting: Printing = (sharedGlobals[PRINTING] ??= { verbose: false, maxPerFile: 100 });

/** The diagnostics a command shows (in their order; over the cap the most severe) and how many it leaves out. */
export function shownDiagnostics<D extends Diagnostic>(diagnostics: D[], printing = diagnosticPrinting): { shown: D[]; omitted: number } {
  const visible = printing.verbose ? diagnostics : diagnostics.filter((d) => d.severity !== 'info');
  const rank = { error: 0, warning: 1, info: 2 };
  const limit = printing.maxPerFile > 0 ? printing.maxPerFile : Infinity;
  if (visible.length <= limit) return { shown: visible, omitted: 0 };
  // Over the cap: keep the most severe ones, shown in their original order.
  const kept = visible
    .map((_, i) => i)
    .sort((i, j) => rank[visible[i]!.severity] - rank[visible[j]!.severity] || i - j)
    .slice(0, limit)
    .sort((i, j) => i - j);
  const shown = kept.map((i) => visible[i]!);
  return { shown, omitted: visible.length - shown.length };
}

/** The source line(s) of a diagnostic with carets under its range; `lines` is the source split once. */
export function codeFrame(lines: readonly string[], diagnostic: Diagnostic, color = false): string {
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

export function formatDiagnostic(file: string, lines: readonly string[] | undefined, d: Diagnostic, color = false): string {
  const where = `${file}:${d.range.start.line}:${d.range.start.column}`;
  const severity = color ? styleText('bold', styleText(SEVERITY_STYLE[d.severity], d.severity)) : d.severity;
  const head = `${color ? styleText('bold', where) : where}: ${severity} ${d.code}: ${d.message}`;
  const frame = lines === undefined ? '' : codeFrame(lines, d, color);
  return frame ? `${head}\n${frame}` : head;
}

/** The line after a capped list: `… and 19,900 more diagnostics in FILE (use --max-diagnostics 0 to see all)`. */
export function omittedLine(file: string, omitted: number): string {
  return `… and ${formatCount(omitted)} more diagnostic${omitted === 1 ? '' : 's'} in ${file} (use --max-diagnostics N, or 0 for all)`;
}

/** Prints a file's diagnostics (see diagnosticPrinting) in linear time: the source is split into lines once. */
export function printDiagnostics(file: string, source: string | undefined, diagnostics: Diagnostic[], stream: NodeJS.WriteStream = process.stderr): void {
  const color = colorEnabled(stream);
  const { shown, omitted } = shownDiagnostics(diagnostics);
  if (shown.length === 0 && omitted === 0) return;
  const lines = source === undefined ? undefined : splitLines(source);
  const out = shown.map((d) => formatDiagnostic(file, lines, d, color));
  if (omitted > 0) out.push(omittedLine(file, omitted));
  stream.write(out.join('\n') + '\n');
}

function splitLines(source: string): string[] {
  return source.split(/\r?\n/);
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
  const count = (severity: Diagnostic['severity']) => diagnostics.reduce((n, d) => n + (d.severity === severity ? 1 : 0), 0);
  const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
  const notes = count('info');
  const hidden = notes > 0 && !diagnosticPrinting.verbose ? ` (${plural(notes, 'note')} not shown: --verbose shows ${notes === 1 ? 'it' : 'them'})` : '';
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}${hidden}`;
}
