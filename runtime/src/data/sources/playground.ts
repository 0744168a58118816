// The four 2-D classification sets of the TensorFlow Playground, generated with the
// same formulas as its src/dataset.ts (Apache-2.0, (c) Google): circle, xor, gauss,
// spiral. `noise` is the Playground's noise slider / 100 (0 to 0.5). The Playground's
// labels +1 / -1 become classes 1 / 0. Examples come out grouped by class (as the
// Playground generates them); the loader shuffles them.
import type { Random } from '../../random.js';
import type { DenseExamples } from '../examples.js';

export type PlaygroundKind = 'circle' | 'xor' | 'gauss' | 'spiral';

interface Point {
  x: number;
  y: number;
  label: number;
}

export function generatePlayground(kind: PlaygroundKind, n: number, noise: number, rng: Random): DenseExamples {
  const points = GENERATORS[kind](n, noise, rng);
  const x = new Float32Array(points.length * 2);
  const y = new Int32Array(points.length);
  points.forEach((p, i) => {
    x[2 * i] = p.x;
    x[2 * i + 1] = p.y;
    y[i] = p.label > 0 ? 1 : 0;
  });
  return { kind: 'dense', n: points.length, exampleShape: [2], x, y, targetSize: 1 };
}

const GENERATORS: Record<PlaygroundKind, (n: number, noise: number, rng: Random) => Point[]> = {
  // Positive points inside radius 2.5, negative in the ring 3.5..5; the label is
  // decided on the noisy position, so noise flips labels near the boundary.
  circle(numSamples, noise, rng) {
    const points: Point[] = [];
    const radius = 5;
    const label = (x: number, y: number) => (Math.hypot(x, y) < radius * 0.5 ? 1 : -1);
    const ring = (rMin: number, rMax: number) => {
      for (let i = 0; i < numSamples / 2; i++) {
        const r = rng.uniform(rMin, rMax);
        const angle = rng.uniform(0, 2 * Math.PI);
        const x = r * Math.sin(angle);
        const y = r * Math.cos(angle);
        const noiseX = rng.uniform(-radius, radius) * noise;
        const noiseY = rng.uniform(-radius, radius) * noise;
        points.push({ x, y, label: label(x + noiseX, y + noiseY) });
      }
    };
    ring(0, radius * 0.5);
    ring(radius * 0.7, radius);
    return points;
  },

  // Uniform in [-5, 5]², pushed 0.3 away from the axes; positive when x·y >= 0.
  xor(numSamples, noise, rng) {
    const points: Point[] = [];
    const padding = 0.3;
    for (let i = 0; i < numSamples; i++) {
      let x = rng.uniform(-5, 5);
      x += x > 0 ? padding : -padding;
      let y = rng.uniform(-5, 5);
      y += y > 0 ? padding : -padding;
      const noiseX = rng.uniform(-5, 5) * noise;
      const noiseY = rng.uniform(-5, 5) * noise;
      points.push({ x, y, label: (x + noiseX) * (y + noiseY) >= 0 ? 1 : -1 });
    }
    return points;
  },

  // Two Gaussian clusters at (2, 2) (positive) and (-2, -2) (negative); the
  // variance grows linearly from 0.5 (noise 0) to 4 (noise 0.5).
  gauss(numSamples, noise, rng) {
    const points: Point[] = [];
    const variance = 0.5 + (noise / 0.5) * 3.5;
    const cluster = (cx: number, cy: number, label: number) => {
      for (let i = 0; i < numSamples / 2; i++) {
        points.push({ x: normalRandom(rng, cx, variance), y: normalRandom(rng, cy, variance), label });
      }
    };
    cluster(2, 2, 1);
    cluster(-2, -2, -1);
    return points;
  },

  // Two interleaved spiral arms (1.75 turns, radius 0 to 5), the second rotated by π.
  spiral(numSamples, noise, rng) {
    const points: Point[] = [];
    const n = numSamples / 2;
    const arm = (deltaT: number, label: number) => {
      for (let i = 0; i < n; i++) {
        const r = (i / n) * 5;
        const t = ((1.75 * i) / n) * 2 * Math.PI + deltaT;
        const x = r * Math.sin(t) + rng.uniform(-1, 1) * noise;
        const y = r * Math.cos(t) + rng.uniform(-1, 1) * noise;
        points.push({ x, y, label });
      }
    };
    arm(0, 1);
    arm(Math.PI, -1);
    return points;
  },
};

/** The Playground's normalRandom: Marsaglia's polar method, N(mean, variance). */
function normalRandom(rng: Random, mean: number, variance: number): number {
  let v1: number;
  let v2: number;
  let s: number;
  do {
    v1 = 2 * rng.next() - 1;
    v2 = 2 * rng.next() - 1;
    s = v1 * v1 + v2 * v2;
  } while (s > 1 || s === 0);
  return mean + Math.sqrt(variance) * Math.sqrt((-2 * Math.log(s)) / s) * v1;
}
