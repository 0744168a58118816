// The `sweep` block (docs/language.md §6). Its other keys are `let` constant names, not settings.
import { INT, setting } from './build.js';
import type { Entry } from './types.js';

export const SWEEP_SETTINGS: Entry[] = [
  setting('sweep', 'repeats', INT, 'Runs (seeds) per configuration; seeds are `seed`, `seed + 1`, ...', {
    default: 1,
    min: 1,
    details: 'Every other key of `sweep` names a `let` constant with a list of values; the sweep runs their Cartesian product, `repeats` times each, and writes one table and one plot.',
    reference: 'Bergstra & Bengio 2012 (grid vs random search); Goodfellow et al. 2016 §11.4.3; Bouthillier et al. 2019 (variance across seeds)',
    example: 'sweep {\n  p: [0.0, 0.5]\n  repeats: 2\n}',
  }),
];
