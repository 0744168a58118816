// One trial on a worker machine: this process runs `regnetc train` with the same
// arguments a local sweep gives its trials, and after each epoch hands the saved
// state to its worker (over the IPC channel) and waits until the worker has
// shipped it to the queue. When the worker goes away (killed, crashed), the
// channel closes and this process stops at once: nobody would collect its work.
// It lives with the CLI because it is one: `regnetc train` plus an IPC hook
// (the queue worker spawns it by path, as a local sweep spawns bin/regnetc.js).
import { main } from './main.js';
import { trainingHooks } from '../run/run-spec.js';
import type { ChildMessage, ParentMessage } from '../queue/jobs.js';

const orphaned = () => process.kill(process.pid, 'SIGKILL');
process.on('disconnect', orphaned);

let saved: (() => void) | undefined;
process.on('message', (message: ParentMessage) => {
  if (message.type === 'saved') {
    saved?.();
    return;
  }
  trainingHooks.epochSaved = (record) =>
    new Promise<void>((resolve) => {
      saved = resolve;
      process.send!({ type: 'epoch', record } satisfies ChildMessage);
    });
  void main(['node', 'regnetc', ...message.args]).then((code) => {
    process.off('disconnect', orphaned);
    process.exit(code);
  });
});
