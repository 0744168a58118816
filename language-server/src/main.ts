// The server process's entry (the bin and the VS Code extension's bundle start here):
// a connection over the transport named in argv (`--stdio`, `--node-ipc`,
// `--socket=PORT`), process-wide guards, then startServer.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

const connection = createConnection(ProposedFeatures.all);
// Last line of defence: a bug must never end the process the editor depends on.
process.on('uncaughtException', (err) => connection.console.error(`[uncaught] ${err.stack ?? err.message}`));
process.on('unhandledRejection', (err) => connection.console.error(`[unhandled] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
startServer(connection);
