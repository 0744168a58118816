// The server in this process: startServer on a connection over in-memory streams, and
// the same client harness as the spawned server's (lsp-client.ts). Fast enough to give
// every feature test its own documents, and a failing handler shows its stack here.
import { PassThrough } from 'node:stream';
import { createConnection } from 'vscode-languageserver/node';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { startServer } from '../../src/server.js';
import { connectClient, type ClientOptions, type TestServer } from './lsp-client.js';

export async function startInProcess(options: ClientOptions = {}): Promise<TestServer> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(serverConnection);
  let stopped!: () => void;
  const exited = new Promise<void>((r) => (stopped = r));
  const logs: string[] = [];
  return connectClient(new StreamMessageReader(toClient), new StreamMessageWriter(toServer), options, logs, {
    exited,
    inProcess: true,
    kill: () => {
      serverConnection.dispose();
      toServer.end();
      toClient.end();
      stopped();
    },
  });
}
