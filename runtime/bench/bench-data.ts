// The data files of the LSTM and CIFAR-size benchmark workloads (bench/lstm.regnet and
// bench/cifar.regnet), written once into bench/data/ (git-ignored), seeded: only speed is
// measured, so synthetic data of the real shapes will do, loaded through the same sources
// (`text`, `images`) as a user's files.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { Random } from '../src/random.js';

export const REVIEWS = 4000;
export const VOCAB_WORDS = 6000;
export const WORDS_PER_REVIEW = 120;
export const CIFAR_IMAGES = 2000;
export const CIFAR_CLASSES = 10;

/** 4,000 reviews of 120 words drawn (Zipf-like) from 6,000 made-up words; labels pos/neg. */
function writeReviews(file: string): void {
  const rng = new Random(7);
  const lines: string[] = [];
  for (let i = 0; i < REVIEWS; i++) {
    const words: string[] = [];
    for (let w = 0; w < WORDS_PER_REVIEW; w++) words.push(`w${Math.floor(VOCAB_WORDS * rng.next() ** 2)}`);
    lines.push(JSON.stringify({ text: words.join(' '), label: rng.next() < 0.5 ? 'neg' : 'pos' }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

/** 2,000 noisy 32x32 RGB PNGs, 200 per class folder. */
function writeImages(folder: string): void {
  const rng = new Random(8);
  for (let k = 0; k < CIFAR_CLASSES; k++) {
    const dir = join(folder, `class${k}`);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < CIFAR_IMAGES / CIFAR_CLASSES; i++) {
      const png = new PNG({ width: 32, height: 32 });
      for (let p = 0; p < png.data.length; p += 4) {
        png.data[p] = Math.floor(256 * rng.next());
        png.data[p + 1] = (k * 25 + Math.floor(64 * rng.next())) & 255;
        png.data[p + 2] = Math.floor(256 * rng.next());
        png.data[p + 3] = 255;
      }
      writeFileSync(join(dir, `${i}.png`), PNG.sync.write(png));
    }
  }
}

/** Writes bench/data/ when missing; `benchDir` is the repository's bench/ folder. */
export function ensureBenchData(benchDir: string): void {
  const data = join(benchDir, 'data');
  mkdirSync(data, { recursive: true });
  const reviews = join(data, 'reviews.jsonl');
  if (!existsSync(reviews)) writeReviews(reviews);
  const cifar = join(data, 'cifar');
  if (!existsSync(join(cifar, `class${CIFAR_CLASSES - 1}`, `${CIFAR_IMAGES / CIFAR_CLASSES - 1}.png`))) writeImages(cifar);
}
