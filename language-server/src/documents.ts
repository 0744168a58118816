// The document store: open documents (full text, kept in sync by TextDocuments)
// and, per document version, one compiler analysis shared by every feature. A
// burst of requests on the same version (hover, inlay hints, semantic tokens...)
// checks the text once.
import { fileURLToPath } from 'node:url';
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, RegnetFile, SemanticModel } from '@regnet/compiler';
import { checkText, type DataOptions } from './compiler-api.js';
import type { Logger } from './safe.js';

export interface Analysis {
  uri: string;
  version: number;
  text: string;
  ast?: RegnetFile;
  diagnostics: Diagnostic[];
  model?: SemanticModel;
  /** Milliseconds the compiler took (for logs and the benchmark). */
  elapsedMs: number;
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private readonly cache = new Map<string, Analysis>();
  /** What the checker may read (set from the settings and the workspace's trust). */
  dataOptions: DataOptions = {};

  constructor(private readonly logger: Logger) {
    this.documents.onDidClose((e) => this.cache.delete(e.document.uri));
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /**
   * The most recent analysis, possibly of an older version: enough for what does
   * not depend on the exact text (the `let` names offered by completion), and
   * free while the current version has not been checked yet.
   */
  latest(uri: string): Analysis | undefined {
    return this.cache.get(uri) ?? this.analysis(uri);
  }

  /** The analysis of the document's current version (computed at most once per version). */
  analysis(uri: string): Analysis | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const cached = this.cache.get(uri);
    if (cached && cached.version === doc.version) return cached;
    const analysis = analyze(doc, this.logger, this.dataOptions);
    this.cache.set(uri, analysis);
    return analysis;
  }

  /** Forgets every analysis: the data they saw (or the rules for reading it) changed. */
  invalidate(): void {
    this.cache.clear();
  }
}

/** Milliseconds since `started` (process.hrtime: the `performance` global loads perf_hooks, ~1 ms of start-up). */
function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function analyze(doc: TextDocument, logger: Logger, data: DataOptions = {}): Analysis {
  const text = doc.getText();
  const started = process.hrtime.bigint();
  try {
    const result = checkText(text, uriToPath(doc.uri), data);
    return { uri: doc.uri, version: doc.version, text, ...result, elapsedMs: elapsedMs(started) };
  } catch (err) {
    // A compiler crash must not take features down: they degrade to no results.
    logger.error(`[check] ${doc.uri}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return { uri: doc.uri, version: doc.version, text, diagnostics: [], elapsedMs: elapsedMs(started) };
  }
}
