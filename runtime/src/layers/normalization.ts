// Normalization layers over the channel (last) axis. tfjs-layers has no group/instance
// norm; its BatchNormalization crashes with `scale: false`/`center: false` in training and
// its LayerNormalization tiles every statistic to the input's full size, so RegNet has all
// four, sharing one formula: y = (x - mean) / sqrt(var + epsilon) * gamma + beta.
import * as tf from '@tensorflow/tfjs';
import { BATCHNORM_BACKWARD, BATCHNORM_FORWARD, useBatchNormKernels } from '../backend/batchnorm-kernels.js';
import { type ConfigDict, isTraining, type Kwargs, type LayerArgs, oneShape, oneTensor, type Shape, type Tensor } from './common.js';

type LayerVariable = tf.LayerVariable;

export interface NormalizationArgs extends LayerArgs {
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
}

abstract class ChannelNormalization extends tf.layers.Layer {
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  protected gamma: LayerVariable | null = null;
  protected beta: LayerVariable | null = null;

  constructor(args: NormalizationArgs) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
  }

  protected channels(inputShape: Shape | Shape[]): number {
    const shape = oneShape(inputShape);
    const c = shape[shape.length - 1];
    if (c == null) throw new Error(`${this.getClassName()} needs a known channel (last) dimension`);
    return c;
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = this.channels(inputShape);
    if (this.scale) this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones(), undefined, true);
    if (this.center) this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros(), undefined, true);
    this.built = true;
  }

  /** x·scale + shift, where scale = gamma/sqrt(var+eps) and shift = beta - mean·scale. */
  protected affine(x: Tensor, mean: Tensor, variance: Tensor): Tensor {
    let scale = tf.rsqrt(tf.add(variance, this.epsilon));
    if (this.gamma) scale = tf.mul(scale, this.gamma.read());
    let shift = tf.neg(tf.mul(mean, scale));
    if (this.beta) shift = tf.add(shift, this.beta.read());
    return tf.add(tf.mul(x, scale), shift);
  }

  override computeOutputShape(shape: Shape | Shape[]): Shape | Shape[] {
    return shape;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}

export interface BatchNormArgs extends NormalizationArgs {
  /** Keras convention: running = momentum·running + (1 - momentum)·batch. */
  momentum?: number;
  /**
   * Running variance from the unbiased batch variance (n/(n-1)), as PyTorch and TensorFlow's
   * fused kernel do; normalization in training always uses the biased one.
   */
  unbiasedRunningVariance?: boolean;
}

/** Batch normalization: statistics per channel over the batch and all positions. */
export class BatchNorm extends ChannelNormalization {
  static className = 'RegNetBatchNormalization';
  readonly momentum: number;
  readonly unbiasedRunningVariance: boolean;
  private movingMean!: LayerVariable;
  private movingVariance!: LayerVariable;

  constructor(args: BatchNormArgs) {
    super(args);
    this.momentum = args.momentum ?? 0.99;
    this.unbiasedRunningVariance = args.unbiasedRunningVariance ?? true;
  }

  override build(inputShape: Shape | Shape[]): void {
    super.build(inputShape);
    const c = this.channels(inputShape);
    this.movingMean = this.addWeight('moving_mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [c], 'float32', tf.initializers.ones(), undefined, false);
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    const x = oneTensor(inputs);
    return tf.tidy(() => {
      if (!isTraining(kwargs)) return this.affine(x, this.movingMean.read(), this.movingVariance.read());
      if (useBatchNormKernels(tf, x.shape[x.rank - 1]!)) return this.trainWithKernels(x);
      const axes = [...Array(x.rank - 1).keys()];
      const { mean, variance } = tf.moments(x, axes);
      this.updateRunningStatistics(mean, variance, x.size / x.shape[x.rank - 1]!);
      return this.affine(x, mean, variance);
    });
  }

  /** Training forward and backward as one kernel each (backend/batchnorm-kernels.ts). */
  private trainWithKernels(x: Tensor): Tensor {
    const params = [this.gamma, this.beta].filter((p): p is LayerVariable => p !== null);
    const op = tf.customGrad((...args) => {
      const input = args[0] as Tensor;
      const save = args[args.length - 1] as unknown as (tensors: Tensor[]) => void;
      const weights = args.slice(1, 1 + params.length) as Tensor[];
      const gamma = this.gamma ? weights[0] : undefined;
      const beta = this.beta ? weights[weights.length - 1] : undefined;
      const [y, mean, variance, invStd] = tf.engine().runKernel(
        BATCHNORM_FORWARD,
        { x: input, ...(gamma ? { gamma } : {}), ...(beta ? { beta } : {}) },
        { epsilon: this.epsilon },
      ) as Tensor[];
      // Once per forward pass, as the op path does.
      this.updateRunningStatistics(mean!, variance!, input.size / input.shape[input.rank - 1]!);
      save([input, mean!, invStd!, ...(gamma ? [gamma] : [])]);
      return {
        value: y!,
        gradFunc: (dy: Tensor, saved: Tensor[]) => {
          const [sx, sMean, sInv, sGamma] = saved;
          const [dx, dGamma, dBeta] = tf.engine().runKernel(BATCHNORM_BACKWARD, {
            dy,
            x: sx!,
            mean: sMean!,
            invStd: sInv!,
            ...(sGamma ? { gamma: sGamma } : {}),
          }) as Tensor[];
          return [dx!, ...(this.gamma ? [dGamma!] : []), ...(this.beta ? [dBeta!] : [])];
        },
      };
    });
    return op(x, ...params.map((p) => p.read()));
  }

  private updateRunningStatistics(mean: Tensor, variance: Tensor, n: number): void {
    tf.tidy(() => {
      const m = this.momentum;
      const batchVariance = this.unbiasedRunningVariance && n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
      const blend = (v: LayerVariable, batch: Tensor) => v.write(tf.add(tf.mul(v.read(), m), tf.mul(batch, 1 - m)));
      blend(this.movingMean, mean);
      blend(this.movingVariance, batchVariance);
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, unbiasedRunningVariance: this.unbiasedRunningVariance };
  }
}

/** Layer normalization: statistics per example over the channel axis (Keras' default axis -1). */
export class LayerNorm extends ChannelNormalization {
  static className = 'RegNetLayerNormalization';

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = oneTensor(inputs);
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, x.rank - 1, true);
      return this.affine(x, mean, variance);
    });
  }
}

export interface GroupNormArgs extends NormalizationArgs {
  /** Number of channel groups; -1 means one group per channel (instance normalization). */
  groups: number;
}

/**
 * Group normalization (Wu & He, 2018): per example, channels split into `groups` groups,
 * statistics over each group's channels and all positions; gamma/beta per channel.
 */
export class GroupNorm extends ChannelNormalization {
  static className = 'GroupNormalization';
  readonly groups: number;

  constructor(args: GroupNormArgs) {
    super(args);
    this.groups = args.groups;
  }

  /** The actual group count for `channels` channels. */
  protected groupCount(channels: number): number {
    return this.groups === -1 ? channels : this.groups;
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = this.channels(inputShape);
    const g = this.groupCount(c);
    if (!(g >= 1 && c % g === 0)) throw new Error(`${this.name}: ${c} channels do not divide into ${g} groups`);
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = oneTensor(inputs);
    return tf.tidy(() => {
      const [batch] = x.shape;
      const c = x.shape[x.rank - 1]!;
      const g = this.groupCount(c);
      const positions = x.size / (batch! * c);
      const grouped = tf.reshape(x, [batch!, positions, g, c / g]);
      const { mean, variance } = tf.moments(grouped, [1, 3], true);
      const normalized = tf.reshape(tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, this.epsilon))), x.shape);
      let y = normalized;
      if (this.gamma) y = tf.mul(y, this.gamma.read());
      if (this.beta) y = tf.add(y, this.beta.read());
      return y;
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), groups: this.groups };
  }
}

/** Instance normalization: group normalization with one group per channel. */
export class InstanceNorm extends GroupNorm {
  static override className = 'InstanceNormalization';

  constructor(args: NormalizationArgs) {
    super({ ...args, groups: -1 });
  }

  override getConfig(): ConfigDict {
    const { groups: _groups, ...config } = super.getConfig();
    return config;
  }
}

tf.serialization.registerClass(BatchNorm);
tf.serialization.registerClass(LayerNorm);
tf.serialization.registerClass(GroupNorm);
tf.serialization.registerClass(InstanceNorm);
