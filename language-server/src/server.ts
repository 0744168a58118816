// The RegNet language server: `startServer(connection)` wires the document store and
// one module per LSP feature onto a connection. The bin gives it one over stdio, node
// IPC or a socket (chosen from argv by vscode-languageserver); tests give it one over
// in-memory streams (test/helpers/in-process.ts).
import { readFileSync } from 'node:fs';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { resolve } from 'node:path';
import { DocumentStore, uriToPath, type Analysis } from './documents.js';
import { BackgroundDataReader } from './data-reader.js';
import type { DataOptions } from './compiler-api.js';
import { safe } from './safe.js';
import { SettingsStore } from './settings.js';
import { registerDiagnostics } from './features/diagnostics.js';
import { documentSymbols } from './features/document-symbols.js';
import { foldingRanges } from './features/folding-ranges.js';
import { formattingEdits } from './features/formatting.js';
import { definition, prepareRename, references, rename } from './features/constants.js';
import { codeActions } from './features/code-actions.js';
import { inlayHints } from './features/inlay-hints.js';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './features/semantic-tokens.js';
import { summary } from './features/summary.js';
import { hover } from './features/hover.js';
import { completion, COMPLETION_TRIGGERS } from './features/completion.js';
import { signatureHelp } from './features/signature-help.js';
import { explain } from './features/explain.js';
import { EXPLAIN_REQUEST, SUMMARY_REQUEST, type ExplainParams, type SummaryParams } from './protocol.js';

/** Set by the VS Code extension's bundler (esbuild `define`), where the package.json is not beside the code. */
declare const REGNET_SERVER_VERSION: string | undefined;

/** The server's own version (its package.json), reported in initialize's serverInfo. */
export const SERVER_VERSION: string =
  typeof REGNET_SERVER_VERSION === 'string'
    ? REGNET_SERVER_VERSION
    : (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Serves the RegNet language on `connection` (and starts listening on it). */
export function startServer(connection: Connection): void {
  const log = connection.console;
  const store = new DocumentStore(log);
  const settings = new SettingsStore(connection);
  let clientPullsConfiguration = false;
  let clientRefreshesInlayHints = false;
  let workspaceFolders: string[] = [];
  // Re-checks the open documents; set once diagnostics are registered (below).
  let refreshDiagnostics = () => {};
  const dataReader = new BackgroundDataReader(new URL('./data-worker.js', import.meta.url), () => refreshDiagnostics(), log);

  const UNTRUSTED_NOTICE =
    'this workspace is not trusted: RegNet reads no data files here, so data paths, input shapes and classes are not checked (trust the workspace to check them)';

  /** What the checker may read, from the settings and the workspace's trust (see data-access.ts in the compiler). */
  function dataOptions(): DataOptions {
    const s = settings.snapshot;
    if (s.workspaceTrust === 'untrusted') return { inspectData: false, dataNotice: UNTRUSTED_NOTICE };
    const base = workspaceFolders[0] ?? process.cwd();
    const roots = [...s.dataRoots.map((r) => resolve(base, r)), ...(s.workspaceTrust === 'trusted' ? workspaceFolders : [])];
    return { dataRoots: roots, inspector: dataReader.inspector };
  }

  /** Applies (possibly changed) settings to what the checker reads, and re-checks. */
  function applyDataSettings(): void {
    store.dataOptions = dataOptions();
    refreshDiagnostics();
  }


  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    clientPullsConfiguration = !!caps.workspace?.configuration;
    clientRefreshesInlayHints = !!caps.workspace?.inlayHint?.refreshSupport;
    settings.init(params.initializationOptions, clientPullsConfiguration);
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? [params.rootUri ? uriToPath(params.rootUri) : undefined];
    workspaceFolders = folders.filter((f): f is string => f !== undefined);
    store.dataOptions = dataOptions();
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [':'] },
        inlayHintProvider: { resolveProvider: false },
        documentSymbolProvider: { label: 'RegNet' },
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
        documentFormattingProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'regnet-language-server', version: SERVER_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (clientPullsConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'regnet' }).catch(() => undefined);
      void settings.get().then(applyDataSettings);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    settings.invalidate(change.settings);
    void settings.get().then(applyDataSettings);
    if (clientRefreshesInlayHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
  });

  /** Runs a feature on the current analysis of `uri`; no document means no result. */
  function withAnalysis<R>(uri: string, fallback: R, run: (analysis: Analysis) => R): R {
    const analysis = store.analysis(uri);
    return analysis ? run(analysis) : fallback;
  }

  function offsetOf(uri: string, position: { line: number; character: number }): number {
    return store.get(uri)?.offsetAt(position) ?? 0;
  }

  connection.onHover(
    safe(log, 'hover', null, (p) => withAnalysis(p.textDocument.uri, null, (a) => hover(a, offsetOf(a.uri, p.position)))),
  );

  // Completion and signature help read the current text directly: they must not
  // wait for the check of the version just typed.
  connection.onCompletion(
    safe(log, 'completion', [], (p) => {
      const doc = store.get(p.textDocument.uri);
      const latest = store.latest(p.textDocument.uri);
      return doc && latest ? completion(doc.getText(), doc.offsetAt(p.position), latest) : [];
    }),
  );

  connection.onSignatureHelp(
    safe(log, 'signatureHelp', null, (p) => {
      const doc = store.get(p.textDocument.uri);
      return doc ? signatureHelp(doc.getText(), doc.offsetAt(p.position)) : null;
    }),
  );

  connection.languages.inlayHint.on(
    safe(log, 'inlayHint', [], async (p) => {
      if (!(await settings.get()).inlayHints.enabled) return [];
      return withAnalysis(p.textDocument.uri, [], (a) => inlayHints(a, p.range));
    }),
  );

  connection.onDocumentSymbol(safe(log, 'documentSymbol', [], (p) => withAnalysis(p.textDocument.uri, [], documentSymbols)));

  connection.onFoldingRanges(safe(log, 'foldingRange', [], (p) => withAnalysis(p.textDocument.uri, [], foldingRanges)));

  connection.languages.semanticTokens.on(
    safe(log, 'semanticTokens', { data: [] }, (p) => withAnalysis(p.textDocument.uri, { data: [] }, semanticTokens)),
  );

  connection.onDocumentFormatting(
    safe(log, 'formatting', [], (p) => {
      const doc = store.get(p.textDocument.uri);
      return doc ? formattingEdits(doc) : [];
    }),
  );

  connection.onDefinition(
    safe(log, 'definition', null, (p) => withAnalysis(p.textDocument.uri, null, (a) => definition(a, offsetOf(a.uri, p.position)))),
  );

  connection.onReferences(
    safe(log, 'references', [], (p) =>
      withAnalysis(p.textDocument.uri, [], (a) => references(a, offsetOf(a.uri, p.position), p.context.includeDeclaration)),
    ),
  );

  connection.onPrepareRename(
    safe(log, 'prepareRename', null, (p) => withAnalysis(p.textDocument.uri, null, (a) => prepareRename(a, offsetOf(a.uri, p.position)))),
  );

  connection.onRenameRequest(
    safe(log, 'rename', null, (p) => withAnalysis(p.textDocument.uri, null, (a) => rename(a, offsetOf(a.uri, p.position), p.newName))),
  );

  connection.onCodeAction(
    safe(log, 'codeAction', [], (p) => withAnalysis(p.textDocument.uri, [], (a) => codeActions(a, p.range, p.context.only))),
  );

  connection.onRequest(
    SUMMARY_REQUEST,
    safe(log, 'summary', null, (p: SummaryParams) => withAnalysis(p.textDocument.uri, null, summary)),
  );

  connection.onRequest(
    EXPLAIN_REQUEST,
    safe(log, 'explain', null, (p: ExplainParams) => explain(p, (uri) => store.analysis(uri), offsetOf)),
  );

  refreshDiagnostics = registerDiagnostics(connection, store, settings);
  connection.onShutdown(() => dataReader.dispose());
  store.documents.listen(connection);
  connection.listen();
}
