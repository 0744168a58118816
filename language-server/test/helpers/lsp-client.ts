// Test harness: talks LSP to the server through vscode-languageserver-protocol, as an
// editor would. `startServer` runs the BUILT server (bin/regnet-language-server.js
// --stdio) as a child process; `startInProcess` (in-process.ts) serves the same client
// from this process over in-memory streams.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageReader,
  type MessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

const here = dirname(fileURLToPath(import.meta.url));
/** language-server/ (tests run from dist/test/helpers). */
export const PACKAGE_DIR = resolve(here, '..', '..', '..');
export const SERVER_BIN = join(PACKAGE_DIR, 'bin', 'regnet-language-server.js');
export const FIXTURES = join(PACKAGE_DIR, 'test', 'fixtures');

export function fixtureUri(name: string): string {
  return pathToFileURL(join(FIXTURES, name)).href;
}

const CAPABILITIES: ClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
    signatureHelp: { signatureInformation: { parameterInformation: { labelOffsetSupport: true } } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    publishDiagnostics: { relatedInformation: false, versionSupport: true },
    rename: { prepareSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
    inlayHint: {},
    semanticTokens: { requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
  },
  workspace: {},
};

export interface TestServer {
  connection: ProtocolConnection;
  /** The server process (undefined in process). */
  child?: ChildProcess;
  initializeResult: InitializeResult;
  /** Lines the server wrote to stderr and window/logMessage. */
  logs: string[];
  open(uri: string, text: string): Promise<Diagnostic[]>;
  /** Replaces the whole text (or applies ranged changes) and waits for the new diagnostics. */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<Diagnostic[]>;
  changeNoWait(uri: string, changes: TextDocumentContentChangeEvent[]): number;
  waitDiagnostics(uri: string, version?: number): Promise<Diagnostic[]>;
  close(uri: string): Promise<void>;
  stop(): Promise<void>;
  exited: boolean;
}

export interface ClientOptions {
  initializationOptions?: unknown;
  capabilities?: ClientCapabilities;
}

export async function startServer(options: ClientOptions = {}): Promise<TestServer> {
  const child = spawn(process.execPath, ['--max-semi-space-size=32', SERVER_BIN, '--stdio'] /* the flag the bin's shebang gives */, { stdio: ['pipe', 'pipe', 'pipe'] });
  const logs: string[] = [];
  child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const server = await connectClient(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!), options, logs, {
    child,
    exited,
    kill: () => child.kill(),
  });
  child.on('exit', () => (server.exited = true));
  return server;
}

/** How the client ends the server: its exit, and a last resort when it does not exit. */
export interface ServerEnd {
  child?: ChildProcess;
  exited: Promise<void>;
  kill(): void;
  /** In process, `exit` would end the test process (the library calls process.exit): stop after `shutdown`. */
  inProcess?: boolean;
}

/** The client side of an LSP session over `reader`/`writer`: initializes and returns the harness. */
export async function connectClient(reader: MessageReader, writer: MessageWriter, options: ClientOptions, logs: string[], end: ServerEnd): Promise<TestServer> {
  const connection = createProtocolConnection(reader, writer);
  connection.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message + '\n');
  });
  const latest = new Map<string, PublishDiagnosticsParams>();
  const waiters: { uri: string; version?: number; resolve: (d: Diagnostic[]) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    latest.set(params.uri, params);
    for (const w of [...waiters]) {
      if (w.uri === params.uri && (w.version === undefined || params.version === w.version)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(params.diagnostics);
      }
    }
  });
  connection.listen();
  const server: Partial<TestServer> & { exited: boolean } = { exited: false };
  void end.exited.then(() => (server.exited = true));

  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    // In process, no id: the library would otherwise poll that process (a timer that never ends).
    processId: end.inProcess ? null : process.pid,
    rootUri: pathToFileURL(FIXTURES).href,
    capabilities: options.capabilities ?? CAPABILITIES,
    initializationOptions: options.initializationOptions,
    workspaceFolders: null,
  });
  await connection.sendNotification(InitializedNotification.type, {});

  const versions = new Map<string, number>();
  const waitDiagnostics = (uri: string, version?: number) =>
    new Promise<Diagnostic[]>((resolvePromise, reject) => {
      const have = latest.get(uri);
      if (have && (version === undefined ? false : have.version === version)) return resolvePromise(have.diagnostics);
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within 10 s; server log:\n${logs.join('')}`)), 10_000);
      waiters.push({ uri, version, resolve: (d) => (clearTimeout(timer), resolvePromise(d)) });
    });

  const changeNoWait = (uri: string, changes: TextDocumentContentChangeEvent[]) => {
    const version = (versions.get(uri) ?? 0) + 1;
    versions.set(uri, version);
    void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  };

  return Object.assign(server, {
    connection,
    child: end.child,
    initializeResult,
    logs,
    async open(uri: string, text: string) {
      versions.set(uri, 1);
      const wait = waitDiagnostics(uri, 1);
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'regnet', version: 1, text } });
      return wait;
    },
    async change(uri: string, changes: TextDocumentContentChangeEvent[]) {
      const version = (versions.get(uri) ?? 0) + 1;
      const wait = waitDiagnostics(uri, version);
      versions.set(uri, version - 1);
      changeNoWait(uri, changes);
      return wait;
    },
    changeNoWait,
    waitDiagnostics,
    async close(uri: string) {
      await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    },
    async stop() {
      if (server.exited) return;
      try {
        await connection.sendRequest(ShutdownRequest.type);
        if (end.inProcess) end.kill();
        else await connection.sendNotification(ExitNotification.type);
      } catch {
        // already gone
      }
      const timer = setTimeout(() => end.kill(), 3000);
      await end.exited;
      clearTimeout(timer);
      connection.dispose();
    },
  }) as TestServer;
}

/** 0-based LSP position of the `nth` occurrence of `needle` in `text` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`'${needle}' (#${nth}) not in text`);
  }
  const offset = index + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
