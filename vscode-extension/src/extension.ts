// The RegNet VS Code extension: a thin client. It starts the bundled language
// server (dist/server.js) over stdio and adds three commands; everything the
// commands show (summary table, docs) is computed by the server.
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { EXPLAIN_REQUEST, SUMMARY_REQUEST, type ExplainParams, type ExplainResult, type SummaryParams, type SummaryResult } from '@regnet/language-server/protocol';


let client: LanguageClient | undefined;
let summaryChannel: vscode.OutputChannel | undefined;
let explainPanel: vscode.WebviewPanel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('regnet.train', trainActiveSpec),
    vscode.commands.registerCommand('regnet.showSummary', showSummary),
    vscode.commands.registerCommand('regnet.explain', explainAtCursor),
    vscode.commands.registerCommand('regnet.restartServer', async () => {
      await stopClient();
      await startClient(context);
    }),
    // Trusting the workspace lets the server read data files: restart it with the news.
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      await stopClient();
      await startClient(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('regnet.server.path')) {
        await stopClient();
        await startClient(context);
      }
    }),
  );
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const configured = vscode.workspace.getConfiguration('regnet').get<string>('server.path', '').trim();
  if (configured && !configured.endsWith('.js')) {
    // An executable, e.g. `regnet-language-server` on the PATH.
    return { command: configured, args: ['--stdio'], transport: TransportKind.stdio };
  }
  const module = configured || context.asAbsolutePath(path.join('dist', 'server.js'));
  return {
    // A larger young generation, as the server's bin sets: short-lived parse trees are 3x cheaper to collect.
    run: { module, transport: TransportKind.stdio, options: { execArgv: ['--max-semi-space-size=32'] } },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--max-semi-space-size=32', '--nolazy', '--inspect=6019'] } },
  };
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('regnet');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'regnet' },
      { scheme: 'untitled', language: 'regnet' },
    ],
    // The server pulls `regnet.*` (inlay hints on/off) through workspace/configuration.
    // workspaceTrusted: an untrusted workspace reads no data files; a trusted one may read its folders.
    initializationOptions: {
      inlayHints: { enabled: config.get<boolean>('inlayHints.enabled', true) },
      dataRoots: config.get<string[]>('dataRoots', []),
      workspaceTrusted: vscode.workspace.isTrusted,
    },
    outputChannelName: 'RegNet Language Server',
  };
  client = new LanguageClient('regnet', 'RegNet Language Server', serverOptions(context), clientOptions);
  try {
    await client.start();
  } catch (err) {
    void vscode.window.showErrorMessage(`RegNet: the language server did not start: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop().catch(() => undefined);
}

function activeSpec(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'regnet') {
    void vscode.window.showWarningMessage('RegNet: open a .regnet file first.');
    return undefined;
  }
  return editor;
}

// ---- RegNet: Train this spec ------------------------------------------------

function regnetcCommand(specPath: string): string {
  const configured = vscode.workspace.getConfiguration('regnet').get<string>('regnetc.path', 'regnetc').trim() || 'regnetc';
  if (configured !== 'regnetc') return configured;
  // Prefer the project's own regnetc (npm workspaces install it in node_modules/.bin).
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(specPath))?.uri.fsPath;
  const local = folder && path.join(folder, 'node_modules', '.bin', process.platform === 'win32' ? 'regnetc.cmd' : 'regnetc');
  return local && fs.existsSync(local) ? local : configured;
}

function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:=@+-]+$/.test(arg)) return arg;
  return process.platform === 'win32' ? `"${arg.replace(/"/g, '""')}"` : `'${arg.replace(/'/g, `'\\''`)}'`;
}

async function trainActiveSpec(): Promise<void> {
  const editor = activeSpec();
  if (!editor) return;
  const doc = editor.document;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('RegNet: training runs a command on files of this workspace; trust the workspace first.');
    return;
  }
  if (doc.isUntitled) {
    void vscode.window.showWarningMessage('RegNet: save the spec to a .regnet file before training it.');
    return;
  }
  if (doc.isDirty) await doc.save();
  const file = doc.uri.fsPath;
  const terminal =
    vscode.window.terminals.find((t) => t.name === 'RegNet: train') ??
    vscode.window.createTerminal({ name: 'RegNet: train', cwd: path.dirname(file) });
  terminal.show();
  terminal.sendText(`${shellQuote(regnetcCommand(file))} train ${shellQuote(file)}`);
}

// ---- RegNet: Show model summary ----------------------------------------------

async function showSummary(): Promise<void> {
  const editor = activeSpec();
  if (!editor || !client) return;
  const params: SummaryParams = { textDocument: { uri: editor.document.uri.toString() } };
  const result = await client.sendRequest<SummaryResult | null>(SUMMARY_REQUEST, params);
  summaryChannel ??= vscode.window.createOutputChannel('RegNet Model Summary');
  summaryChannel.clear();
  summaryChannel.append(result?.text ?? 'No model summary: the spec could not be analysed.\n');
  summaryChannel.show(true);
}

// ---- RegNet: Explain -----------------------------------------------------------

async function explainAtCursor(): Promise<void> {
  const editor = activeSpec();
  if (!editor || !client) return;
  const params: ExplainParams = {
    textDocument: { uri: editor.document.uri.toString() },
    position: client.code2ProtocolConverter.asPosition(editor.selection.active),
  };
  const result = await client.sendRequest<ExplainResult | null>(EXPLAIN_REQUEST, params);
  if (!result) {
    void vscode.window.showInformationMessage('RegNet: no documentation for the word under the cursor.');
    return;
  }
  explainPanel ??= createExplainPanel();
  explainPanel.title = `RegNet: ${result.name}`;
  explainPanel.webview.html = await explainHtml(result);
  explainPanel.reveal(vscode.ViewColumn.Beside, true);
}

function createExplainPanel(): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel('regnet.explain', 'RegNet', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
    enableScripts: false,
  });
  panel.onDidDispose(() => (explainPanel = undefined));
  return panel;
}

async function explainHtml(result: ExplainResult): Promise<string> {
  let body: string;
  try {
    // The built-in Markdown extension renders exactly as hovers do.
    body = await vscode.commands.executeCommand<string>('markdown.api.render', result.markdown);
  } catch {
    body = `<pre>${escapeHtml(result.markdown)}</pre>`;
  }
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<style>body{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);line-height:1.5;padding:0 1em}
pre,code{font-family:var(--vscode-editor-font-family)}pre{background:var(--vscode-textCodeBlock-background);padding:.6em;overflow:auto}</style>
</head><body>${body}</body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
