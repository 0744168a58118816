// One trial on a worker machine: this process runs `regnetc train` with the same
// arguments a local sweep gives its trials, and after each epoch hands the saved
// state to its worker over the IPC channel (runtime/src/queue/trial-process.ts has
// the protocol). When the worker goes away (killed, crashed), the channel closes and
// this process stops at once: nobody would collect its work.
// It lives with the CLI because it is one: `regnetc train` plus an IPC hook
// (the queue worker spawns it by path, as a local sweep spawns bin/regnetc.js).
import { main } from './main.js';
import { trainingHooks } from '../run/run-spec.js';
import type { ChildMessage, ParentMessage } from '../queue/jobs.js';

const orphaned = () => process.kill(process.pid, 'SIGKILL');
process.on('disconnect', orphaned);

/** Answers of the worker not yet received, by `type:epoch`. */
const awaited = new Map<string, () => void>();
const answer = (type: 'read' | 'stored', epoch: number) => new Promise<void>((resolve) => awaited.set(`${type}:${epoch}`, resolve));
/** The previous epoch on its way to the queue. */
let previousStored = Promise.resolve();

process.on('message', (message: ParentMessage) => {
  if (message.type !== 'start') {
    const key = `${message.type}:${message.epoch}`;
    awaited.get(key)?.();
    awaited.delete(key);
    return;
  }
  trainingHooks.epochSaved = async (record) => {
    // This epoch is reported only once the previous one is on the queue (it nearly always is
    // by now): the queue never falls behind by more than the epoch in progress.
    await previousStored;
    const read = answer('read', record.epoch);
    previousStored = answer('stored', record.epoch);
    process.send!({ type: 'epoch', record } satisfies ChildMessage);
    // Until the worker has read this epoch's files, the next epoch must not replace them.
    await read;
  };
  void main(['node', 'regnetc', ...message.args]).then((code) => {
    process.off('disconnect', orphaned);
    process.exit(code);
  });
});
