// Settings (pulled through workspace/configuration, pushed with
// didChangeConfiguration, or given as initializationOptions) and the transports
// other than stdio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
} from 'vscode-languageserver-protocol/node';
import type { InlayHint, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { FIXTURES, SERVER_BIN, fixtureUri, startServer } from './helpers/lsp-client.js';

const CNN = readFileSync(join(FIXTURES, 'mnist-cnn.regnet'), 'utf8');
const uri = fixtureUri('mnist-cnn.regnet');
const whole = { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } };

test('inlay hints can be turned off in initializationOptions', async () => {
  const server = await startServer({ initializationOptions: { inlayHints: { enabled: false } } });
  try {
    await server.open(uri, CNN);
    assert.deepEqual(await server.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: whole }), []);
  } finally {
    await server.stop();
  }
});

test('the regnet.inlayHints.enabled setting is pulled, and pulled again after a change', async () => {
  const server = await startServer({
    capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, inlayHint: { refreshSupport: true } } },
  });
  let enabled = false;
  const asked: unknown[] = [];
  let refreshed = 0;
  server.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
    asked.push(...params.items.map((i) => i.section));
    return params.items.map(() => ({ inlayHints: { enabled } }));
  });
  server.connection.onRequest('workspace/inlayHint/refresh', () => {
    refreshed++;
    return null;
  });
  server.connection.onRequest('client/registerCapability', () => null);
  try {
    await server.open(uri, CNN);
    const hints = () => server.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: whole }) as Promise<InlayHint[]>;
    assert.deepEqual(await hints(), []);
    assert.deepEqual(asked, ['regnet']);
    enabled = true;
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.equal((await hints()).length, 9);
    assert.equal(refreshed, 1, 'the client is asked to refresh its hints');
  } finally {
    await server.stop();
  }
});

test('pushed settings (clients without workspace/configuration) apply too', async () => {
  const server = await startServer();
  try {
    await server.open(uri, CNN);
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { regnet: { inlayHints: { enabled: false } } } });
    assert.deepEqual(await server.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: whole }), []);
  } finally {
    await server.stop();
  }
});

test('node IPC transport (--node-ipc)', async () => {
  const child = fork(SERVER_BIN, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification('textDocument/publishDiagnostics', resolve));
  connection.listen();
  try {
    const init = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as { serverInfo: { name: string } };
    assert.equal(init.serverInfo.name, 'regnet-language-server');
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'regnet', version: 1, text: 'model {\n  desne(3)\n}\n' } });
    const diagnostics = (await published).diagnostics;
    assert.ok(diagnostics.some((d) => d.code === 'RN201'));
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } finally {
    connection.dispose();
    child.kill();
  }
});
