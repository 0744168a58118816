// Preloaded (`node --import`) into a trial's process on a worker, which otherwise runs the
// very command a local sweep gives its trials (`regnetc train ... --out DIR --seed N`): this
// is the trial's end of the checkpoint protocol (queue/trial-process.ts has the worker's).
// After each epoch's state is saved the trial reports the epoch, waits until the worker has
// read its files (a few ms: the next epoch must not replace them before) and trains on while
// the worker stores them; before reporting the next epoch it waits until the previous one
// is stored, so the queue is never behind by more than the epoch in progress.
// When the worker goes away (killed, crashed) the channel closes and the trial stops at
// once: nobody would collect its work.
import { isMainThread } from 'node:worker_threads';
import { trainingHooks } from '../run/training-hooks.js';
import type { ChildMessage, ParentMessage } from './jobs.js';

/** Answers of the worker by `type:epoch`, whether they arrived before or after being awaited. */
const answers = new Map<string, { arrived: Promise<void>; arrive: () => void }>();
let awaiting = 0;

function answerSlot(key: string) {
  let slot = answers.get(key);
  if (!slot) {
    let arrive = () => {};
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    slot = { arrived, arrive };
    answers.set(key, slot);
  }
  return slot;
}

/** The channel keeps the process alive only while an answer is awaited: `regnetc train` ends as it would locally. */
function holdChannel(): void {
  if (awaiting > 0) process.channel?.ref();
  else process.channel?.unref();
}

async function answer(type: ParentMessage['type'], epoch: number): Promise<void> {
  const key = `${type}:${epoch}`;
  awaiting++;
  holdChannel();
  try {
    await answerSlot(key).arrived;
  } finally {
    answers.delete(key);
    awaiting--;
    holdChannel();
  }
}

function connect(): void {
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  process.on('message', (message: ParentMessage) => answerSlot(`${message.type}:${message.epoch}`).arrive());
  holdChannel();
  let previous: number | undefined;
  trainingHooks.epochSaved = async (record) => {
    if (previous !== undefined) await answer('stored', previous); // nearly always there by now
    process.send!({ type: 'epoch', record } satisfies ChildMessage);
    await answer('read', record.epoch);
    previous = record.epoch;
  };
}

// Worker threads (the wasm backend's) inherit the preload: only the process's main thread talks to the worker.
if (isMainThread && process.send) connect();
