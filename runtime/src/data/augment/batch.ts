// The batch as the augmentations see it: plain arrays, edited in place.
import type { Random } from '../../random.js';

export interface AugmentBatch {
  /** [b, ...example] inputs (float values, or token ids for text). */
  x: Float32Array | Int32Array;
  /** [b, targets] labels (one-hot or soft), edited by mixup. */
  y: Float32Array;
  b: number;
  /** Shape of one example, e.g. [h, w, c] or [length]. */
  example: number[];
  /** Values per example in `y`. */
  targets: number;
}

/** One augmentation step, applied to each example with its own probability. */
export type AugmentStep = (batch: AugmentBatch, rng: Random) => void;
