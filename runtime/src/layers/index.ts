// RegNet's custom tfjs layers. Importing this module registers every class with
// tf.serialization, which tf.loadLayersModel needs before it can rebuild a saved model.
import type * as tfTypes from '@tensorflow/tfjs';
import { SeededDropout, SeededGaussianNoise, SpatialDropout } from './noise.js';
import { BatchNorm, GroupNorm, InstanceNorm, LayerNorm } from './normalization.js';
import { GRU, LSTM } from './recurrent.js';
import { isNoisyLayer } from './common.js';

export { SeededDropout, SeededGaussianNoise, SpatialDropout } from './noise.js';
export { BatchNorm, GroupNorm, InstanceNorm, LayerNorm } from './normalization.js';
export type { BatchNormArgs, GroupNormArgs, NormalizationArgs } from './normalization.js';
export { GRU, LSTM } from './recurrent.js';
export type { RecurrentArgs } from './recurrent.js';
export { INIT_NAMES, initializer, orthogonalValues, isNoisyLayer, nextNoiseSeed } from './common.js';
export type { InitName, NoisyLayer } from './common.js';

/** Every custom layer class, by its serialized className. */
export const CUSTOM_LAYERS = [SeededDropout, SpatialDropout, SeededGaussianNoise, BatchNorm, LayerNorm, GroupNorm, InstanceNorm, LSTM, GRU];

/**
 * Registration happens when this module is imported; calling this documents the dependency
 * at the call site (e.g. before tf.loadLayersModel) and returns the class names.
 */
export function registerCustomLayers(): string[] {
  return CUSTOM_LAYERS.map((c) => c.className);
}

/** Training-call counters of the stochastic layers, by layer name (part of the training state). */
export function getNoiseState(model: tfTypes.LayersModel): Record<string, number> {
  const state: Record<string, number> = {};
  for (const layer of model.layers) if (isNoisyLayer(layer)) state[layer.name] = layer.noiseCalls;
  return state;
}

/** Restores counters saved by getNoiseState, so a resumed run draws the same masks. */
export function setNoiseState(model: tfTypes.LayersModel, state: Record<string, number>): void {
  for (const layer of model.layers) {
    const calls = state[layer.name];
    if (isNoisyLayer(layer) && calls !== undefined) layer.noiseCalls = calls;
  }
}
