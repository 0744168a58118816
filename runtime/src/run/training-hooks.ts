// Hooks into a training run for the process that hosts it: on a queue worker, the trial's
// process ships each saved epoch to the worker (queue/trial-channel.ts). They live on
// globalThis so that a module preloaded before the CLI (`node --import`) and the training
// code share them whichever copy of this module each loaded (the CLI may be bundled).
import type { EpochRecord } from '../contracts.js';

export interface TrainingHooks {
  /**
   * Called after each epoch's state is saved (metrics.jsonl, state/), before the next epoch
   * starts; training waits for it.
   */
  epochSaved?: (record: EpochRecord) => Promise<void>;
}

const KEY = Symbol.for('regnet.trainingHooks');

export const trainingHooks: TrainingHooks = ((globalThis as { [KEY]?: TrainingHooks })[KEY] ??= {});
