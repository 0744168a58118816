// Image augmentations, on [b, h, w, c] batches, per example: each draws `rng.next() < p`
// first, then its own parameters. Geometric ones sample bilinearly with zeros
// outside the image (see ../pixels.ts).
import type { Random } from '../../random.js';
import { sampleBilinear, type AffineMap } from '../pixels.js';
import type { AugmentBatch, AugmentStep } from './batch.js';

interface Dims {
  h: number;
  w: number;
  c: number;
  size: number;
}

function dims(batch: AugmentBatch): Dims {
  const [h, w, c = 1] = batch.example;
  return { h, w, c, size: h * w * c };
}

/** Runs `fn` on each example chosen with probability p; `img` is a view into the batch. */
function perExample(p: number, fn: (img: Float32Array, d: Dims, rng: Random) => void): AugmentStep {
  return (batch, rng) => {
    const d = dims(batch);
    const x = batch.x as Float32Array;
    for (let i = 0; i < batch.b; i++) {
      if (rng.next() < p) fn(x.subarray(i * d.size, (i + 1) * d.size), d, rng);
    }
  };
}

/** Replaces `img` by sampling it through `map` (output pixel -> source position). */
function resample(img: Float32Array, d: Dims, map: AffineMap): void {
  const src = img.slice();
  sampleBilinear(src, d.h, d.w, d.c, img, d.h, d.w, map);
}

export type FlipMode = 'horizontal' | 'vertical' | 'both';

/** `flip(mode)`: horizontal reverses columns, vertical rows; `both` decides each independently with p. */
export function flip(mode: FlipMode, p: number): AugmentStep {
  const flipColumns = (img: Float32Array, { h, w, c }: Dims) => {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w >> 1; j++) {
        const a = (i * w + j) * c;
        const b = (i * w + (w - 1 - j)) * c;
        for (let k = 0; k < c; k++) {
          const t = img[a + k];
          img[a + k] = img[b + k];
          img[b + k] = t;
        }
      }
    }
  };
  const flipRows = (img: Float32Array, { h, w, c }: Dims) => {
    const row = w * c;
    const tmp = new Float32Array(row);
    for (let i = 0; i < h >> 1; i++) {
      const a = i * row;
      const b = (h - 1 - i) * row;
      tmp.set(img.subarray(a, a + row));
      img.copyWithin(a, b, b + row);
      img.set(tmp, b);
    }
  };
  if (mode === 'horizontal') return perExample(p, flipColumns);
  if (mode === 'vertical') return perExample(p, flipRows);
  return (batch, rng) => {
    perExample(p, flipColumns)(batch, rng);
    perExample(p, flipRows)(batch, rng);
  };
}

/**
 * `crop(size, padding)`: zero-pad by `padding`, take a random `size` window (uniform
 * position), and when `size` differs from the image size scale the window back to it
 * (bilinear), so the example keeps its shape.
 */
export function crop(size: [number, number], padding: number, p: number): AugmentStep {
  const [ch, cw] = size;
  return perExample(p, (img, d, rng) => {
    const top = rng.int(d.h + 2 * padding - ch + 1) - padding;
    const left = rng.int(d.w + 2 * padding - cw + 1) - padding;
    if (ch === d.h && cw === d.w) {
      // Plain shift: copy with zeros where the window leaves the image.
      const src = img.slice();
      img.fill(0);
      for (let i = 0; i < d.h; i++) {
        const si = i + top;
        if (si < 0 || si >= d.h) continue;
        for (let j = 0; j < d.w; j++) {
          const sj = j + left;
          if (sj < 0 || sj >= d.w) continue;
          for (let k = 0; k < d.c; k++) img[(i * d.w + j) * d.c + k] = src[(si * d.w + sj) * d.c + k];
        }
      }
      return;
    }
    // The window resized to the image (half-pixel centres, clamped to the window).
    resample(img, d, {
      yi: ch / d.h,
      yj: 0,
      y0: top + (0.5 * ch) / d.h - 0.5,
      xi: 0,
      xj: cw / d.w,
      x0: left + (0.5 * cw) / d.w - 0.5,
      clamp: { yMin: top, yMax: top + ch - 1, xMin: left, xMax: left + cw - 1 },
    });
  });
}

/** `rotate(degrees)`: by an angle uniform in ±degrees about the centre. */
export function rotate(degrees: number, p: number): AugmentStep {
  return perExample(p, (img, d, rng) => {
    const t = (rng.uniform(-degrees, degrees) * Math.PI) / 180;
    const cos = Math.cos(t);
    const sin = Math.sin(t);
    const cy = (d.h - 1) / 2;
    const cx = (d.w - 1) / 2;
    // Source = centre + R(-t)·(output - centre).
    resample(img, d, {
      yi: cos,
      yj: sin,
      y0: cy - cos * cy - sin * cx,
      xi: -sin,
      xj: cos,
      x0: cx + sin * cy - cos * cx,
    });
  });
}

/** `translate(pixels)`: shifts by whole pixels, each axis uniform in [-pixels, pixels]. */
export function translate(pixels: number, p: number): AugmentStep {
  const P = Math.floor(pixels);
  return perExample(p, (img, d, rng) => {
    const dy = rng.int(2 * P + 1) - P;
    const dx = rng.int(2 * P + 1) - P;
    const src = img.slice();
    img.fill(0);
    for (let i = 0; i < d.h; i++) {
      const si = i - dy;
      if (si < 0 || si >= d.h) continue;
      for (let j = 0; j < d.w; j++) {
        const sj = j - dx;
        if (sj < 0 || sj >= d.w) continue;
        for (let k = 0; k < d.c; k++) img[(i * d.w + j) * d.c + k] = src[(si * d.w + sj) * d.c + k];
      }
    }
  });
}

/** `zoom(range)`: scales about the centre by s uniform in [1 - range, 1 + range] (s > 1 zooms in). */
export function zoom(range: number, p: number): AugmentStep {
  return perExample(p, (img, d, rng) => {
    const s = rng.uniform(1 - range, 1 + range);
    const cy = (d.h - 1) / 2;
    const cx = (d.w - 1) / 2;
    resample(img, d, { yi: 1 / s, yj: 0, y0: cy - cy / s, xi: 0, xj: 1 / s, x0: cx - cx / s });
  });
}

/** `brightness(delta)`: adds one value uniform in [-delta, delta] to every pixel (no clipping). */
export function brightness(delta: number, p: number): AugmentStep {
  return perExample(p, (img, _d, rng) => {
    const v = rng.uniform(-delta, delta);
    for (let i = 0; i < img.length; i++) img[i] += v;
  });
}

/**
 * `contrast(delta)`: as tf.image.adjust_contrast with a factor f uniform in
 * [max(0, 1 - delta), 1 + delta]: x -> (x - mean) · f + mean, mean per channel of the image.
 */
export function contrast(delta: number, p: number): AugmentStep {
  return perExample(p, (img, d, rng) => {
    const f = rng.uniform(Math.max(0, 1 - delta), 1 + delta);
    const mean = new Float64Array(d.c);
    for (let i = 0; i < img.length; i++) mean[i % d.c] += img[i];
    for (let k = 0; k < d.c; k++) mean[k] /= d.h * d.w;
    for (let i = 0; i < img.length; i++) img[i] = (img[i] - mean[i % d.c]) * f + mean[i % d.c];
  });
}

/** `cutout(size, count)`: zeroes `count` size×size squares (all channels), each placed uniformly inside the image. */
export function cutout(size: number, count: number, p: number): AugmentStep {
  return perExample(p, (img, d, rng) => {
    const sh = Math.min(size, d.h);
    const sw = Math.min(size, d.w);
    for (let n = 0; n < count; n++) {
      const top = rng.int(d.h - sh + 1);
      const left = rng.int(d.w - sw + 1);
      for (let i = top; i < top + sh; i++) img.fill(0, (i * d.w + left) * d.c, (i * d.w + left + sw) * d.c);
    }
  });
}
