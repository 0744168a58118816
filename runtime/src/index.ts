// Public API of the runtime, for programs that train specs without the CLI:
//   const { tf } = await initBackend('auto');
//   const data = await loadData(tf, ir.data, ir.train.seed);
//   const model = buildModel(tf, ir, new Random(ir.train.seed));
//   const result = await train({ tf, ir, model, data, augment: makeAugmenter(tf, ir.data, data.vocabulary) });
export * from './contracts.js';
export { Random } from './random.js';
export { initBackend, BACKEND_CHOICES, BackendUnavailableError, type BackendChoice, type SelectedBackend } from './backend/select.js';
export { buildModel, kernelWeights, ModelBuildError } from './model/build.js';
export { saveModel, loadModel, ModelFileError } from './model/io.js';
export { registerCustomLayers } from './layers/index.js';
export { loadData, makeAugmenter, DataError } from './data/index.js';
export { train, evaluate } from './train/index.js';
export { runTraining, type TrainRunOptions } from './run/run-spec.js';
