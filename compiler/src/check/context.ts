// Shared state of one semantic pass: the diagnostics being collected, the symbols
// the language server reads, and the options the pass was started with.
import type { Range } from '../ast.js';
import { CODES, type Code } from '../codes.js';
import type { Diagnostic, Fix } from '../diagnostics.js';
import type { JsonValue } from '../ir.js';
import type { SymbolRef } from '../semantic-model.js';
import type { Engine } from '../catalogue/types.js';
import type { DataInspector } from './data-files.js';
import type { Limits } from './limits.js';

export interface CheckOptions {
  /** Path of the spec; data paths are resolved against its folder. */
  file?: string;
  /** Replaces the values of `let` constants (`--set NAME=VALUE`, sweeps). */
  overrides?: Record<string, JsonValue>;
  /** Read data files named by csv/idx/images/text sources (default true). */
  inspectData?: boolean;
  /** The engine that will train the spec: constructs it cannot run are errors (RN701). Default tfjs. */
  engine?: Engine;
  /** With `inspectData: false`: why, said once as an RN605 note (e.g. an untrusted workspace). */
  dataNotice?: string;
  /** Folders besides the spec's own that data paths may lie in (see data-access.ts). */
  dataRoots?: readonly string[];
  /** Bounds on what a spec may make the tools consume (see limits.ts); unset ones take the defaults. */
  limits?: Partial<Limits>;
  /**
   * Reads data files for checking; the default reads them at once. The language
   * server passes one that answers from a cache and reads off the request path.
   */
  inspector?: DataInspector;
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly symbols: SymbolRef[] = [];
  /** Keys of reported diagnostics: a block unrolled by `repeat` reports each problem once. */
  private readonly seen = new Set<string>();

  constructor(
    readonly text: string,
    readonly options: CheckOptions,
  ) {}

  report(code: Code, range: Range, message: string, fixes?: Fix[]): void {
    const key = `${code}:${range.start.offset}:${range.end.offset}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const diagnostic: Diagnostic = { severity: CODES[code].severity, code, message, range };
    if (fixes && fixes.length > 0) diagnostic.fixes = fixes;
    this.diagnostics.push(diagnostic);
  }

  hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  symbol(ref: SymbolRef): SymbolRef {
    this.symbols.push(ref);
    return ref;
  }

  /** The source text of a range. */
  slice(range: Range): string {
    return this.text.slice(range.start.offset, range.end.offset);
  }
}

/** A "did you mean" fix that replaces a word. */
export function replaceFix(range: Range, word: string): Fix {
  return { title: `Replace with '${word}'`, edits: [{ range, newText: word }] };
}

/** ` (did you mean 'x'?)` style suffix: `; did you mean 'x'?` or nothing. */
export function didYouMean(suggestions: string[]): string {
  if (suggestions.length === 0) return '';
  if (suggestions.length === 1) return `; did you mean '${suggestions[0]}'?`;
  return `; did you mean ${suggestions.slice(0, 3).map((s) => `'${s}'`).join(' or ')}?`;
}

