// Public API of the data part of the runtime.
export { loadData, sourceName, type LoadedDataInfo } from './load.js';
export { makeAugmenter, makeStep } from './augment/index.js';
export { DataError, isDataError } from './errors.js';
export { readSource, type SourceContext, type SourceResult } from './sources/index.js';
export { generatePlayground, type PlaygroundKind } from './sources/playground.js';
export { loadMnist, mnistSplitRange, MNIST_TRAIN_FRACTION } from './sources/mnist.js';
export { tokenize, buildVocabulary, encodeDocuments, PAD_ID, UNKNOWN_ID } from './sources/text.js';
export { wordnetSynonyms } from './augment/wordnet.js';
export { vocabularySynonyms } from './augment/text.js';
export type { Normalizer } from './normalize.js';
