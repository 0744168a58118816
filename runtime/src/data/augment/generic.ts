// Augmentations for any numeric input: Gaussian noise and mixup.
import type { Random } from '../../random.js';
import type { AugmentStep } from './batch.js';

/** `noise(std)`: adds N(0, std²) to every value of a chosen example. */
export function noise(std: number, p: number): AugmentStep {
  return (batch, rng) => {
    const size = batch.x.length / batch.b;
    const x = batch.x as Float32Array;
    const z = new Float64Array(size);
    for (let i = 0; i < batch.b; i++) {
      if (!(rng.next() < p)) continue;
      fillNormal(rng, z);
      for (let k = 0; k < size; k++) x[i * size + k] += std * z[k];
    }
  };
}

/** Standard normals, two per accepted pair of uniforms (Marsaglia's polar method). */
export function fillNormal(rng: Random, out: Float64Array): void {
  for (let k = 0; k < out.length; k += 2) {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * rng.next() - 1;
      v = 2 * rng.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out[k] = u * f;
    if (k + 1 < out.length) out[k + 1] = v * f;
  }
}

/**
 * `mixup(alpha)` (Zhang et al. 2018): pairs each chosen example i with example π(i)
 * of a random permutation of the batch and replaces both its input and its label by
 * λ·(x_i, y_i) + (1-λ)·(x_π(i), y_π(i)), λ ~ Beta(alpha, alpha) drawn per example.
 * Partners are read from the batch before any mixing, so soft labels still sum to 1.
 */
export function mixup(alpha: number, p: number): AugmentStep {
  return (batch, rng) => {
    const { b, targets } = batch;
    const size = batch.x.length / b;
    const x = batch.x as Float32Array;
    const x0 = x.slice();
    const y0 = batch.y.slice();
    const partner = rng.permutation(b);
    for (let i = 0; i < b; i++) {
      if (!(rng.next() < p)) continue;
      const lambda = beta(rng, alpha, alpha);
      const j = partner[i];
      for (let k = 0; k < size; k++) x[i * size + k] = lambda * x0[i * size + k] + (1 - lambda) * x0[j * size + k];
      for (let k = 0; k < targets; k++) {
        batch.y[i * targets + k] = lambda * y0[i * targets + k] + (1 - lambda) * y0[j * targets + k];
      }
    }
  };
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function beta(rng: Random, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  return x + y === 0 ? 0.5 : x / (x + y);
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 through Gamma(shape + 1)·U^(1/shape). */
export function gamma(rng: Random, shape: number): number {
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rng.next();
    return gamma(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = rng.next();
    if (u < 1 - 0.0331 * z ** 4) return d * v;
    if (Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) return d * v;
  }
}
