// LSTM and GRU with Keras' weight layout and defaults (glorot_uniform kernel, orthogonal
// recurrent kernel, LSTM unit_forget_bias, GRU reset_after=True, which tfjs-layers' GRU
// lacks) and seeded dropout masks. The input projection of all time steps is one matmul;
// only the recurrent part loops over time. The input is made time-major (one transpose of
// [batch, steps, features], before the projection, the smallest tensor) so that each step's
// slice of the projection is one contiguous block: unstacking it copies memory blocks
// (heap-slicing.ts) and stacking the gradients back is one concatenation.
import * as tf from '@tensorflow/tfjs';
import {
  type ConfigDict,
  dropoutMask,
  initializer,
  isTraining,
  type Kwargs,
  type LayerArgs,
  nextNoiseSeed,
  type NoisyLayer,
  oneShape,
  oneTensor,
  orthogonalValues,
  type Shape,
  type Tensor,
  valuesInitializer,
} from './common.js';
import { hasLstmKernels } from '../backend/lstm-kernels.js';
import { lstmRecurrence } from './lstm-recurrence.js';

type LayerVariable = tf.LayerVariable;

export interface RecurrentArgs extends LayerArgs {
  units: number;
  returnSequences?: boolean;
  /** Fraction of input units dropped (one mask per sequence, shared by all steps). */
  dropout?: number;
  /** Fraction of recurrent-state units dropped (one mask per sequence). */
  recurrentDropout?: number;
  /** Seeds the initializers and the dropout masks. */
  seed: number;
  /** The language's `init:` word for the input kernel; default glorot_uniform. */
  kernelInit?: string;
}

abstract class Recurrent extends tf.layers.Layer implements NoisyLayer {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly kernelInit: string;
  seed: number;
  noiseCalls = 0;
  protected kernel!: LayerVariable;
  protected recurrentKernel!: LayerVariable;
  protected bias!: LayerVariable;
  /** 4 for LSTM (i, f, c, o), 3 for GRU (z, r, h). */
  protected abstract readonly gates: number;

  constructor(args: RecurrentArgs) {
    super(args);
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.dropout = args.dropout ?? 0;
    this.recurrentDropout = args.recurrentDropout ?? 0;
    this.kernelInit = args.kernelInit ?? 'glorot_uniform';
    this.seed = args.seed;
  }

  protected abstract biasShape(): number[];
  protected abstract biasValues(shape: number[]): Float32Array;
  /** One time step: projected input xt [B, gates·u] (bias included), state -> new state; state[0] is h. */
  protected abstract step(xt: Tensor, state: Tensor[], hForRecurrence: Tensor): Tensor[];
  protected abstract stateCount: number;

  override build(inputShape: Shape | Shape[]): void {
    const shape = oneShape(inputShape);
    const features = shape[shape.length - 1];
    if (shape.length !== 3 || features == null) {
      throw new Error(`${this.name}: expects [batch, steps, features] input, got [${shape.join(', ')}]`);
    }
    const width = this.gates * this.units;
    this.kernel = this.addWeight('kernel', [features, width], 'float32', initializer(this.kernelInit, this.seed), undefined, true);
    this.recurrentKernel = this.addWeight(
      'recurrent_kernel',
      [this.units, width],
      'float32',
      valuesInitializer((s) => orthogonalValues(s, this.seed ^ 0x2545f491)),
      undefined,
      true,
    );
    this.bias = this.addWeight('bias', this.biasShape(), 'float32', valuesInitializer((s) => this.biasValues(s)), undefined, true);
    this.built = true;
  }

  /** Input bias of shape [gates·u]. */
  protected abstract inputBias(): Tensor;

  /**
   * The whole loop over time as one op with its own backward pass, where the backend has the
   * kernels for it: h of the last step, or every step's (time-major); null for the tf-op loop.
   */
  protected fusedRecurrence(_projected: Tensor, _recurrentMask: Tensor | null): Tensor | null {
    return null;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    const x = oneTensor(inputs);
    return tf.tidy(() => {
      const [batch, steps, features] = x.shape as [number, number, number];
      const training = isTraining(kwargs);
      let xs = x;
      if (training && this.dropout > 0) xs = tf.mul(xs, dropoutMask([batch, 1, features], this.dropout, nextNoiseSeed(this)));
      const width = this.gates * this.units;
      // Time-major [steps, batch, width]: each step's slice is one contiguous block.
      const projected = tf.reshape(
        tf.add(tf.matMul(tf.reshape(tf.transpose(xs, [1, 0, 2]), [steps * batch, features]), this.kernel.read()), this.inputBias()),
        [steps, batch, width],
      );
      const recurrentMask =
        training && this.recurrentDropout > 0 ? dropoutMask([batch, this.units], this.recurrentDropout, nextNoiseSeed(this)) : null;
      const fused = this.fusedRecurrence(projected, recurrentMask);
      if (fused) return this.returnSequences ? tf.transpose(fused, [1, 0, 2]) : fused;
      let state: Tensor[] = Array.from({ length: this.stateCount }, () => tf.zeros([batch, this.units]));
      const outputs: Tensor[] = [];
      // (tfjs' Unstack gradient fails when there is one output: a single step is a reshape.)
      const inputs = steps === 1 ? [tf.reshape(projected, [batch, width])] : tf.unstack(projected, 0);
      for (const xt of inputs) {
        const h = state[0]!;
        state = this.step(xt, state, recurrentMask ? tf.mul(h, recurrentMask) : h);
        if (this.returnSequences) outputs.push(state[0]!);
      }
      return this.returnSequences ? tf.stack(outputs, 1) : state[0]!;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    return this.returnSequences ? [shape[0]!, shape[1]!, this.units] : [shape[0]!, this.units];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      returnSequences: this.returnSequences,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
      kernelInit: this.kernelInit,
    };
  }
}

/** Keras LSTM: gates i, f, c, o; c' = σ(f)·c + σ(i)·tanh(g); h' = σ(o)·tanh(c'). */
export class LSTM extends Recurrent {
  static className = 'RegNetLSTM';
  protected readonly gates = 4;
  protected readonly stateCount = 2;

  protected biasShape(): number[] {
    return [4 * this.units];
  }

  protected biasValues(shape: number[]): Float32Array {
    // unit_forget_bias: the forget gate starts at 1 so gradients flow early in training.
    const v = new Float32Array(shape[0]!);
    v.fill(1, this.units, 2 * this.units);
    return v;
  }

  protected inputBias(): Tensor {
    return this.bias.read();
  }

  /** On wasm and cpu: see lstm-recurrence.ts (REGNET_LSTM=ops keeps the tf-op loop, for comparison). */
  protected override fusedRecurrence(projected: Tensor, recurrentMask: Tensor | null): Tensor | null {
    if (!hasLstmKernels(tf) || process.env.REGNET_LSTM === 'ops') return null;
    return lstmRecurrence(projected, this.recurrentKernel.read(), recurrentMask ?? tf.ones([1, 1]), this.returnSequences);
  }

  protected step(xt: Tensor, [, c]: Tensor[], hRec: Tensor): Tensor[] {
    const z = tf.add(xt, tf.matMul(hRec, this.recurrentKernel.read()));
    const [i, f, g, o] = tf.split(z, 4, 1) as [Tensor, Tensor, Tensor, Tensor];
    const cNext = tf.add(tf.mul(tf.sigmoid(f), c!), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    return [tf.mul(tf.sigmoid(o), tf.tanh(cNext)), cNext];
  }
}

/**
 * Keras GRU with reset_after=True (also PyTorch's formulation): gates z, r, h; bias [2, 3u]
 * (input and recurrent); ĥ = tanh(x_h + r·(h·U_h + b_rh)); h' = z·h + (1 - z)·ĥ.
 */
export class GRU extends Recurrent {
  static className = 'RegNetGRU';
  protected readonly gates = 3;
  protected readonly stateCount = 1;

  protected biasShape(): number[] {
    return [2, 3 * this.units];
  }

  protected biasValues(shape: number[]): Float32Array {
    return new Float32Array(shape[0]! * shape[1]!);
  }

  protected inputBias(): Tensor {
    return this.biasRow(0);
  }

  /** Row `i` of the [2, 3u] bias (a slice, whose gradient is a cheap pad). */
  private biasRow(i: number): Tensor {
    return tf.reshape(tf.slice(this.bias.read(), [i, 0], [1, 3 * this.units]), [3 * this.units]);
  }

  protected step(xt: Tensor, [h]: Tensor[], hRec: Tensor): Tensor[] {
    const recurrent = tf.add(tf.matMul(hRec, this.recurrentKernel.read()), this.biasRow(1));
    const [xz, xr, xh] = tf.split(xt, 3, 1) as [Tensor, Tensor, Tensor];
    const [hz, hr, hh] = tf.split(recurrent, 3, 1) as [Tensor, Tensor, Tensor];
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const candidate = tf.tanh(tf.add(xh, tf.mul(r, hh)));
    return [tf.add(tf.mul(z, h!), tf.mul(tf.sub(1, z), candidate))];
  }
}

tf.serialization.registerClass(LSTM);
tf.serialization.registerClass(GRU);
