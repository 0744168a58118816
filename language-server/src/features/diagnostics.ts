// Publishes the compiler's diagnostics after each edit, debounced per document.
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Connection,
  type Diagnostic as LspDiagnostic,
} from 'vscode-languageserver';
import type { Diagnostic, Severity } from '@regnet/compiler';
import type { DocumentStore } from '../documents.js';
import type { SettingsStore } from '../settings.js';
import { toLspRange } from '../positions.js';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Codes whose range is dead text (rendered faded by editors). */
const UNNECESSARY = new Set(['RN208']);

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toLspRange(d.range),
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Error,
    code: d.code,
    source: 'regnet',
    message: d.message,
  };
  if (UNNECESSARY.has(d.code)) out.tags = [DiagnosticTag.Unnecessary];
  return out;
}

/** Re-checks and re-publishes every open document (after data was read, or settings changed). */
export type RefreshDiagnostics = () => void;

export function registerDiagnostics(connection: Connection, store: DocumentStore, settings: SettingsStore): RefreshDiagnostics {
  const timers = new Map<string, NodeJS.Timeout>();
  const published = new Map<string, number>();

  const publish = (uri: string) => {
    timers.delete(uri);
    try {
      const analysis = store.analysis(uri);
      if (!analysis || published.get(uri) === analysis.version) return;
      published.set(uri, analysis.version);
      void connection.sendDiagnostics({
        uri,
        version: analysis.version,
        diagnostics: analysis.diagnostics.map(toLspDiagnostic),
      });
    } catch (err) {
      connection.console.error(`[diagnostics] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  };

  const schedule = (uri: string, delay: number) => {
    clearTimeout(timers.get(uri));
    timers.set(uri, setTimeout(() => publish(uri), delay));
  };

  // Opening a file shows its diagnostics at once; edits wait for typing to pause.
  // (TextDocuments fires onDidChangeContent right after onDidOpen: skip that one.)
  const justOpened = new Set<string>();
  store.documents.onDidOpen((e) => {
    justOpened.add(e.document.uri);
    schedule(e.document.uri, 0);
  });
  store.documents.onDidChangeContent((e) => {
    if (justOpened.delete(e.document.uri)) return;
    schedule(e.document.uri, settings.snapshot.diagnostics.debounceMs);
  });
  store.documents.onDidClose((e) => {
    justOpened.delete(e.document.uri);
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    published.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  return () => {
    store.invalidate();
    published.clear();
    for (const doc of store.documents.all()) schedule(doc.uri, 0);
  };
}
