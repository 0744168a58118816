// Stochastic regularization layers with seeded, per-step randomness. tfjs's own Dropout
// reuses one mask forever when given a seed (and is unrepeatable without one), and its
// GaussianNoise takes no seed, so RegNet has its own.
import * as tf from '@tensorflow/tfjs';
import {
  type ConfigDict,
  dropoutMask,
  isTraining,
  type Kwargs,
  type LayerArgs,
  nextNoiseSeed,
  type NoisyLayer,
  peekNoiseSeed,
  oneTensor,
  type Shape,
  type Tensor,
} from './common.js';

export interface DropoutArgs extends LayerArgs {
  rate: number;
  seed: number;
}

/** Inverted dropout: in training, zero each unit with probability `rate`, scale kept ones by 1/(1-rate). */
export class SeededDropout extends tf.layers.Layer implements NoisyLayer {
  static className = 'RegNetDropout';
  readonly rate: number;
  seed: number;
  noiseCalls = 0;
  /** Monte Carlo dropout: drop units at inference too (set by evaluateMonteCarlo, never saved). */
  monteCarlo = false;

  constructor(args: DropoutArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  /** Shape of the mask for an input shape: broadcast over the axes it shares. */
  protected maskShape(shape: number[]): number[] {
    return shape;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    const x = oneTensor(inputs);
    if (!(isTraining(kwargs) || this.monteCarlo) || this.rate === 0) return x;
    // (the layer's next mask, of the same shape in the next step, is made ahead on wasm)
    const seed = nextNoiseSeed(this);
    return tf.tidy(() => tf.mul(x, dropoutMask(this.maskShape(x.shape), this.rate, seed, { nextSeed: peekNoiseSeed(this), stream: this.seed })));
  }

  override computeOutputShape(shape: Shape | Shape[]): Shape | Shape[] {
    return shape;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

/**
 * Drops whole channels (last axis) of [steps, channels] or [h, w, channels] inputs: one
 * mask value per example and channel, shared across positions (Keras SpatialDropout1D/2D).
 */
export class SpatialDropout extends SeededDropout {
  static override className = 'RegNetSpatialDropout';

  protected override maskShape(shape: number[]): number[] {
    return shape.map((d, i) => (i === 0 || i === shape.length - 1 ? d : 1));
  }
}

export interface GaussianNoiseArgs extends LayerArgs {
  std: number;
  seed: number;
}

/** Adds N(0, std²) noise in training; identity at inference. */
export class SeededGaussianNoise extends tf.layers.Layer implements NoisyLayer {
  static className = 'RegNetGaussianNoise';
  readonly std: number;
  seed: number;
  noiseCalls = 0;

  constructor(args: GaussianNoiseArgs) {
    super(args);
    this.std = args.std;
    this.seed = args.seed;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    const x = oneTensor(inputs);
    if (!isTraining(kwargs) || this.std === 0) return x;
    return tf.tidy(() => tf.add(x, tf.randomNormal(x.shape, 0, this.std, 'float32', nextNoiseSeed(this))));
  }

  override computeOutputShape(shape: Shape | Shape[]): Shape | Shape[] {
    return shape;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), std: this.std, seed: this.seed };
  }
}

tf.serialization.registerClass(SeededDropout);
tf.serialization.registerClass(SpatialDropout);
tf.serialization.registerClass(SeededGaussianNoise);
