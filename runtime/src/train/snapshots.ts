// In-memory copies of all of a model's weights (trainable and not, so batchnorm's
// running statistics come back too): the best checkpoint and early stopping's best
// epoch are kept this way, and restored with setWeights.
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';

export class WeightSnapshot {
  private constructor(
    readonly epoch: number,
    private tensors: tfTypes.Tensor[],
  ) {}

  static take(tf: TF, model: tfTypes.LayersModel, epoch: number): WeightSnapshot {
    return new WeightSnapshot(epoch, tf.tidy(() => model.getWeights().map((w) => w.clone())));
  }

  restore(model: tfTypes.LayersModel): void {
    model.setWeights(this.tensors);
  }

  dispose(): void {
    for (const t of this.tensors) t.dispose();
    this.tensors = [];
  }
}
