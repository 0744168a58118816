// tfjs draws the seed of every unseeded random op (dropout masks, gaussian noise,
// spatial dropout) from Math.random. Running a training step with Math.random
// temporarily backed by the run's seeded generator makes those draws repeat with the
// seed, whatever layers the model uses. Safe because a training step is synchronous:
// no other code can run while the substitute is installed.
import type { Random } from '../random.js';

export function withSeededMathRandom<T>(rng: Random, fn: () => T): T {
  const original = Math.random;
  Math.random = () => rng.next();
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}
