// `normalize: standard | minmax`: statistics from the training split only, applied
// identically to training, validation and test inputs. A "feature" is one entry of
// the last axis: a column of a vector input, a channel of an image ([h, w, c]) or of
// a sequence ([steps, c]); statistics pool over all examples and positions.
//   standard: (x - mean) / std   (population std; a constant feature is only centred)
//   minmax:   (x - min) / (max - min)   (a constant feature becomes 0)

export interface Normalizer {
  kind: 'standard' | 'minmax';
  /** Per feature: subtracted, then divided by `scale`. */
  shift: Float32Array;
  scale: Float32Array;
}

export function fitNormalizer(kind: 'standard' | 'minmax', x: Float32Array, features: number): Normalizer {
  const shift = new Float32Array(features);
  const scale = new Float32Array(features).fill(1);
  const count = x.length / features;
  if (count === 0) return { kind, shift, scale };
  if (kind === 'standard') {
    const sum = new Float64Array(features);
    for (let i = 0; i < x.length; i++) sum[i % features] += x[i];
    const mean = sum.map((s) => s / count);
    const sq = new Float64Array(features);
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - mean[i % features];
      sq[i % features] += d * d;
    }
    for (let f = 0; f < features; f++) {
      shift[f] = mean[f];
      const std = Math.sqrt(sq[f] / count);
      scale[f] = std > 1e-7 ? std : 1;
    }
  } else {
    const lo = new Float64Array(features).fill(Infinity);
    const hi = new Float64Array(features).fill(-Infinity);
    for (let i = 0; i < x.length; i++) {
      const f = i % features;
      if (x[i] < lo[f]) lo[f] = x[i];
      if (x[i] > hi[f]) hi[f] = x[i];
    }
    for (let f = 0; f < features; f++) {
      shift[f] = lo[f];
      scale[f] = hi[f] - lo[f] > 0 ? hi[f] - lo[f] : 1;
    }
  }
  return { kind, shift, scale };
}

/** Normalizes `x` in place. */
export function applyNormalizer(norm: Normalizer, x: Float32Array): void {
  const features = norm.shift.length;
  for (let i = 0; i < x.length; i++) {
    const f = i % features;
    x[i] = (x[i] - norm.shift[f]) / norm.scale[f];
  }
}
