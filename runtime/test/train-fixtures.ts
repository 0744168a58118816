// Shared helpers of the training tests: the cpu backend, the PyTorch goldens, tiny
// hand-built models and a minimal GraphIR around a TrainConfig.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { GraphIR, IRNode, TrainConfig } from '@regnet/compiler';
import type { LoadedData } from '../src/contracts.js';

export { tf };

let backendReady: Promise<boolean> | undefined;
export function useCpu(): Promise<boolean> {
  backendReady ??= tf.setBackend('cpu');
  return backendReady;
}

/** Reads runtime/test/goldens/NAME.json (written by runtime/goldens/make_goldens.py). */
export function golden<T = any>(name: string): T {
  // Compiled tests run from runtime/dist/test; the JSON stays in runtime/test/goldens.
  const url = new URL(`../../test/goldens/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

export interface GoldenTensor {
  shape: number[];
  values: number[];
}

export function fromGolden(t: GoldenTensor): tf.Tensor {
  return tf.tensor(t.values, t.shape, 'float32');
}

export { assertClose } from './assert-close.js';

export function trainConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    epochs: 3,
    batchSize: 8,
    loss: { kind: 'crossentropy', args: { label_smoothing: 0 }, fromLogits: true },
    optimizer: { kind: 'sgd', args: { lr: 0.1, momentum: 0, nesterov: false, weight_decay: 0 } },
    schedule: { kind: 'constant', args: {} },
    checkpoint: 'best',
    checkpointMonitor: 'val_loss',
    checkpointMode: 'min',
    metrics: ['accuracy'],
    seed: 42,
    ...overrides,
  };
}

/** A GraphIR carrying `train`, the data flags the loop reads and dense nodes with l1/l2 attrs. */
export function graphIR(train: TrainConfig, layers: { id: string; l1?: number; l2?: number }[] = [], shuffle = true): GraphIR {
  const nodes: IRNode[] = layers.map((layer) => ({
    id: layer.id,
    op: 'dense',
    attrs: { l1: layer.l1 ?? 0, l2: layer.l2 ?? 0 },
    inputs: [],
    shape: [],
    params: 0,
  }));
  return {
    version: 1,
    name: 'model',
    input: { shape: [4], dtype: 'float32' },
    nodes,
    output: nodes.at(-1)?.id ?? 'input',
    totalParams: 0,
    data: {
      source: { kind: 'playground', args: {}, inputShape: [4], classes: 3 },
      validation: { fraction: 0.25 },
      shuffle,
      labelNoise: 0,
      normalize: 'none',
      augment: [],
      inputShape: [4],
      classes: 3,
      inputKind: 'vector',
    },
    train,
    constants: {},
  };
}

/** An MLP with layers named `dense_1`, `dense_2`, ... and weights drawn from `seed`. */
export function mlp(sizes: number[], seed = 1, extra?: (index: number) => tf.layers.Layer | undefined): tf.LayersModel {
  const model = tf.sequential();
  for (let i = 1; i < sizes.length; i++) {
    model.add(
      tf.layers.dense({
        name: `dense_${i}`,
        units: sizes[i]!,
        inputShape: i === 1 ? [sizes[0]!] : undefined,
        activation: i < sizes.length - 1 ? 'relu' : 'linear',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + i }),
        biasInitializer: tf.initializers.randomNormal({ stddev: 0.1, seed: seed * 100 + 50 + i }),
      }),
    );
    const layer = i < sizes.length - 1 ? extra?.(i) : undefined;
    if (layer) model.add(layer);
  }
  return model;
}

/** Separable 3-class points in 4-D, deterministic. */
export function blobs(n: number, seed = 7): { x: tf.Tensor; y: tf.Tensor } {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 3;
    ys.push(label);
    for (let d = 0; d < 4; d++) xs.push((d === label ? 2 : 0) + (next() - 0.5) * 1.5);
  }
  return { x: tf.tensor2d(xs, [n, 4]), y: tf.tensor1d(ys, 'int32') };
}

export function blobData(trainSize = 48, validationSize = 24): LoadedData {
  const train = blobs(trainSize, 7);
  const validation = blobs(validationSize, 11);
  return {
    train: { ...train, size: trainSize },
    validation: { ...validation, size: validationSize },
    classes: 3,
  };
}

export function disposeData(data: LoadedData): void {
  for (const split of [data.train, data.validation, data.test]) {
    split?.x.dispose();
    split?.y.dispose();
  }
}

export function weightValues(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}
