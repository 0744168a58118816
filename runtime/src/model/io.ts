// Saving and loading models in the TensorFlow.js layers format (model.json + weights.bin)
// on the local disk. tfjs-node's file:// handler is unavailable without tfjs-node, so RegNet
// has its own IOHandler pair; the files are the same ones `tf.loadLayersModel` reads.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import { registerCustomLayers } from '../layers/index.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** A model folder that is missing or unreadable: `message` names the file. */
export class ModelFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ModelFileError';
  }
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function toBytes(tf: TF, data: tfTypes.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/** An IOHandler that writes model.json and weights.bin into `dir` (which must exist). */
export function folderSaveHandler(tf: TF, dir: string): tfTypes.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    const weights = toBytes(tf, artifacts.weightData);
    const modelJson = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    };
    // Weights first: a folder whose model.json exists is complete.
    writeAtomic(join(dir, WEIGHTS_BIN), weights);
    writeAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

/** Saves `model` into the existing folder `dir` as model.json + weights.bin. */
export async function saveModel(model: tfTypes.LayersModel, dir: string): Promise<void> {
  const tf = (await import('@tensorflow/tfjs')) as TF;
  await model.save(folderSaveHandler(tf, dir));
}

/** An IOHandler that reads a layers-format folder (model.json and the weight files it lists). */
export function folderLoadHandler(tf: TF, dir: string): tfTypes.io.IOHandler {
  return {
    load: async () => {
      const jsonPath = join(dir, MODEL_JSON);
      if (!existsSync(jsonPath)) throw new ModelFileError(jsonPath, `no saved model: ${jsonPath} does not exist`);
      let json: tfTypes.io.ModelJSON;
      try {
        json = JSON.parse(readFileSync(jsonPath, 'utf8')) as tfTypes.io.ModelJSON;
      } catch (err) {
        throw new ModelFileError(jsonPath, `${jsonPath} is not valid JSON: ${(err as Error).message}`);
      }
      const specs: tfTypes.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        for (const weight of group.weights) specs.push(weight);
        for (const file of group.paths) {
          const path = join(dir, file);
          if (!existsSync(path)) throw new ModelFileError(path, `weights file ${path} (listed in ${jsonPath}) does not exist`);
          const bytes = readFileSync(path);
          buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        }
      }
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig,
        userDefinedMetadata: json.userDefinedMetadata,
        weightSpecs: specs,
        weightData: tf.io.CompositeArrayBuffer.join(buffers),
      };
    },
  };
}

/** Loads a model saved by saveModel (or any layers-format folder using RegNet's layers). */
export async function loadModel(tf: TF, dir: string): Promise<tfTypes.LayersModel> {
  registerCustomLayers();
  return tf.loadLayersModel(folderLoadHandler(tf, dir));
}
