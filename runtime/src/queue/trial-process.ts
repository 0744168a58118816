// One trial's process on a worker and its checkpoints. The process runs the very command a
// local sweep gives its trials, with queue/trial-channel.ts preloaded to talk to the worker.
// After each epoch the trial reports; the worker reads the run directory at once (the
// trial waits only for that: a few ms), answers `read`, and stores the checkpoint on the
// queue while the trial trains the next epoch. Before reporting that next epoch the trial
// waits for `stored`: the queue is never behind by more than the epoch in progress, so
// what a `kill -9` of the worker loses is what it lost when training waited for each
// store, without the trial waiting for Redis after every epoch.
import { spawn, type ChildProcess } from 'node:child_process';
import type { EpochRecord } from '../contracts.js';
import { TRIAL_NODE_FLAGS } from '../run/sweep-run.js';
import { RunReader, encodeRun, type PackedFile, type PathMap } from './run-pack.js';
import type { ChildMessage, ParentMessage, TrialTimeline } from './jobs.js';

/** The trial's end of the protocol, preloaded into its `regnetc train` process. */
const TRIAL_CHANNEL = new URL('./trial-channel.js', import.meta.url).href;

export interface TrialProcessOptions {
  /** The local sweep's command line of the trial (trialArgs: bin/regnetc.js train ...). */
  args: string[];
  env: NodeJS.ProcessEnv;
  runFolder: string;
  paths: PathMap;
  /** The trial's log (stdout and stderr). */
  logFd: number;
  /** Stores a checkpoint on the queue. */
  store(packed: Buffer): Promise<void>;
  /** Reports a finished epoch (job progress). */
  progress(record: EpochRecord): Promise<void>;
  /** Called with the process once it exists (the worker kills its group on exit). */
  started(child: ChildProcess): void;
  /** ms since the worker picked the trial up, for the timeline. */
  at(): number;
}

export interface TrialProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Wall time from start to exit, as a local sweep measures its trials. */
  seconds: number;
  /** When it exited (ms since the worker picked the trial up). */
  exitedAt: number;
  epochs: TrialTimeline['epochs'];
  /** Why a checkpoint could not be stored (the trial was then stopped). */
  storeFailure?: string;
  /** Reads the run directory again for the result (unchanged files are not read twice). */
  reader: RunReader;
}

export async function runTrialProcess(options: TrialProcessOptions): Promise<TrialProcessEnd> {
  const started = performance.now();
  const child = spawn(process.execPath, [...TRIAL_NODE_FLAGS, '--import', TRIAL_CHANNEL, ...options.args], {
    detached: true, // its own process group: killed as a whole when the worker exits
    stdio: ['ignore', options.logFd, options.logFd, 'ipc'],
    env: options.env,
    cwd: options.runFolder,
  });
  options.started(child);
  let storeFailure: string | undefined;
  const tell = (message: ParentMessage) => {
    if (child.connected) child.send(message);
  };
  const stop = (why: string) => {
    storeFailure ??= why;
    try {
      process.kill(-child.pid!, 'SIGKILL'); // its whole group
    } catch {
      // gone already
    }
  };
  const reader = new RunReader(options.runFolder, options.paths);
  const epochs: TrialTimeline['epochs'] = [];
  let shipping = Promise.resolve();
  child.on('message', (message: ChildMessage) => {
    if (message.type !== 'epoch' || storeFailure) return;
    const { epoch } = message.record;
    const received = options.at();
    let files: PackedFile[];
    try {
      files = reader.read();
    } catch (error) {
      stop(`could not read epoch ${epoch}'s files: ${(error as Error).message}`);
      return;
    }
    tell({ type: 'read', epoch });
    const waited = options.at() - received;
    shipping = shipping
      .then(async () => {
        await options.store(encodeRun(files));
        tell({ type: 'stored', epoch });
        epochs.push({ at: received, waited, stored: options.at() - received });
        await options.progress(message.record);
      })
      // The trial would wait for this epoch forever: it is stopped, and the job retried from the last stored epoch.
      .catch((error: Error) => stop(`could not store epoch ${epoch} on the queue: ${error.message}`));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', () => resolve({ code: null, signal: null }));
  });
  const { code, signal } = await exited;
  const seconds = (performance.now() - started) / 1000;
  const exitedAt = options.at();
  await shipping;
  return { code, signal, seconds, exitedAt, epochs, storeFailure, reader };
}
