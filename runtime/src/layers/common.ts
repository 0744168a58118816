// Shared pieces of RegNet's custom layers: the tfjs types they use, per-call noise
// seeds (so masks differ every step yet a seed repeats a run), and seeded initializers.
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers.js';
import { Random } from '../random.js';
import { DROPOUT_MASK, useDropoutMaskKernel, type DropoutMaskAttrs } from '../backend/dropout-kernel.js';

export type { LayerArgs, Kwargs };
export type Tensor = tf.Tensor;
export type Shape = (number | null)[];
export type ConfigDict = tf.serialization.ConfigDict;

export function oneTensor(inputs: Tensor | Tensor[]): Tensor {
  const t = Array.isArray(inputs) ? inputs[0] : inputs;
  if (t === undefined) throw new Error('layer called without an input');
  return t;
}

export function oneShape(shape: Shape | Shape[]): Shape {
  return (Array.isArray(shape[0]) ? shape[0] : shape) as Shape;
}

export function isTraining(kwargs: Kwargs | undefined): boolean {
  return kwargs?.['training'] === true;
}

/**
 * A layer that draws random numbers in training. `seed` comes from the run's seed;
 * `noiseCalls` counts training calls so each step gets a fresh, reproducible stream.
 * The counter is part of the training state (see getNoiseState / setNoiseState).
 */
export interface NoisyLayer {
  seed: number;
  noiseCalls: number;
}

export function isNoisyLayer(layer: unknown): layer is NoisyLayer {
  return typeof (layer as NoisyLayer).noiseCalls === 'number' && typeof (layer as NoisyLayer).seed === 'number';
}

/** The seed for the next draw of `layer` (a 31-bit integer, as tfjs random ops take). */
export function nextNoiseSeed(layer: NoisyLayer): number {
  const seed = noiseSeed(layer, layer.noiseCalls);
  layer.noiseCalls += 1;
  return seed;
}

/** The seed nextNoiseSeed will give next, without taking it (a mask can be made ahead). */
export function peekNoiseSeed(layer: NoisyLayer): number {
  return noiseSeed(layer, layer.noiseCalls);
}

function noiseSeed(layer: NoisyLayer, call: number): number {
  // Two rounds of an integer hash (murmur3 finalizer) of (seed, call) decorrelate neighbours.
  let h = (Math.imul(layer.seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(call, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % 2147483647;
}

/**
 * Inverted-dropout multiplier of `shape`: 0 with probability `rate`, else 1/(1-rate). On wasm
 * one kernel makes the same mask (backend/dropout-kernel.ts); given `ahead`, the layer's own seed
 * (`stream`, to tell its masks from other layers') and its next seed, it takes the mask made
 * ahead for this one and starts the next one's in the background.
 */
export function dropoutMask(shape: number[], rate: number, seed: number, ahead?: { stream: number; nextSeed?: number }): Tensor {
  if (useDropoutMaskKernel(tf)) {
    const attrs: DropoutMaskAttrs = { shape, rate, seed, ...ahead };
    return tf.engine().runKernel(DROPOUT_MASK, {}, attrs as unknown as tf.NamedAttrMap) as Tensor;
  }
  return tf.tidy(() => {
    const u = tf.randomUniform(shape, 0, 1, 'float32', seed);
    return tf.mul(tf.cast(tf.greaterEqual(u, rate), 'float32'), 1 / (1 - rate));
  });
}

export type InitName =
  | 'glorot_uniform'
  | 'glorot_normal'
  | 'he_uniform'
  | 'he_normal'
  | 'lecun_normal'
  | 'zeros'
  | 'ones';
export const INIT_NAMES: readonly InitName[] = ['glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_normal', 'zeros', 'ones'];

/** Std of a unit normal truncated at ±2σ: Keras divides by it so truncated draws keep the nominal variance. */
const TRUNCATION_STD = 0.87962566103423978;

/**
 * The language's `init:` words as seeded tfjs initializers with Keras' formulas. tfjs's own
 * glorotNormal/heNormal/leCunNormal omit Keras' truncation correction (their spread is 12%
 * too small), so the normal ones are varianceScaling with the scale corrected.
 * Also accepts the camelCase spelling tfjs uses when it reloads a saved config.
 */
export function initializer(name: string, seed: number): Initializer {
  const word = name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const normal = (scale: number, mode: 'fanIn' | 'fanAvg') =>
    tf.initializers.varianceScaling({ scale: scale / TRUNCATION_STD ** 2, mode, distribution: 'normal', seed });
  switch (word) {
    case 'glorot_uniform':
      return tf.initializers.glorotUniform({ seed });
    case 'glorot_normal':
      return normal(1, 'fanAvg');
    case 'he_uniform':
      return tf.initializers.heUniform({ seed });
    case 'he_normal':
      return normal(2, 'fanIn');
    case 'lecun_normal':
      return normal(1, 'fanIn');
    case 'zeros':
      return tf.initializers.zeros();
    case 'ones':
      return tf.initializers.ones();
    default:
      throw new Error(`unknown initializer '${name}' (expected ${INIT_NAMES.join(', ')})`);
  }
}

/**
 * Keras' `orthogonal` initializer computed in plain JS (modified Gram-Schmidt on a seeded
 * Gaussian matrix, signs fixed like QR with a positive diagonal), so it is fast and identical
 * on every backend. Shape [rows, cols] (leading dims are flattened into rows).
 */
export function orthogonalValues(shape: number[], seed: number): Float32Array {
  const cols = shape[shape.length - 1]!;
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const n = Math.max(rows, cols);
  const k = Math.min(rows, cols);
  const rng = new Random(seed);
  // k orthonormal vectors of length n.
  const q: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.normal();
    for (const u of q) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i]! * v[i]!;
      for (let i = 0; i < n; i++) v[i]! -= dot * u[i]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm) || 1;
    // R's diagonal entry is this norm (> 0): Q already has Keras' sign convention.
    for (let i = 0; i < n; i++) v[i]! /= norm;
    q.push(v);
  }
  const out = new Float32Array(rows * cols);
  // q holds k columns of an n×k matrix Q; the result is Q (rows ≥ cols) or Qᵀ (rows < cols).
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = rows >= cols ? q[c]![r]! : q[r]![c]!;
    }
  }
  return out;
}

/** An initializer-like object for addWeight that yields fixed values. */
export function valuesInitializer(make: (shape: number[]) => Float32Array): Initializer {
  return {
    apply: (shape: number[]) => tf.tensor(make(shape), shape, 'float32'),
    getConfig: () => ({}),
    getClassName: () => 'RegNetValues',
  } as unknown as Initializer;
}
