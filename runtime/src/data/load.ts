// loadData: reads the sources of a `data { }` block and makes the splits.
//
// Order of operations (all randomness from `seed`, one independent stream each):
//  1. read the training source (playground sets are generated from the seed);
//  2. shuffle it (`shuffle: true`) with the seed;
//  3. hold out validation: the LAST round(fraction·N) examples of that order (or
//     read the validation source); the held-out set does not depend on `subset`,
//     so runs with different subsets are validated on the same examples;
//  4. `subset: K` keeps the first K remaining training examples (all when fewer);
//  5. `label_noise: f` picks exactly round(f·K) training examples and gives each a
//     label drawn uniformly from all classes (it may equal the true one, as in
//     Zhang et al. 2017); validation and test labels stay clean;
//  6. read the test source;
//  7. text: build the vocabulary on the training split, encode every split;
//  8. `normalize`: statistics from the training split, applied to every split.
import { ALLOW_HINT, isAllowed, PATH_ARGS, type DataAccess, type DataConfig, type SourceConfig } from '@regnet/compiler';
import type { LoadedData, Split, TF } from '../contracts.js';
import { Random } from '../random.js';
import { numberArg } from './args.js';
import { DataError } from './errors.js';
import { type DenseExamples, type Examples, exampleSize, range, takeExamples } from './examples.js';
import { applyNormalizer, fitNormalizer, type Normalizer } from './normalize.js';
import { readSource } from './sources/index.js';
import { buildVocabulary, encodeDocuments } from './sources/text.js';

export interface LoadedDataInfo extends LoadedData {
  /** Class names in index order, when the source has them (string labels, image folders). */
  labels?: string[];
  /** The statistics `normalize` used (from the training split). */
  normalizer?: Normalizer;
  /** Which training examples got a random label (indices into `train`), for inspection. */
  noisyIndices?: Int32Array;
}

/**
 * The same rule as the checker's (data-access.ts), enforced again here because an IR
 * (a run's ir.json) can come from anywhere: every path must lie in an allowed folder.
 */
export function checkSourcePaths(config: DataConfig, access: DataAccess): void {
  const sources = [config.source, 'source' in config.validation ? config.validation.source : undefined, config.test];
  for (const source of sources) {
    for (const name of source ? (PATH_ARGS[source.kind] ?? []) : []) {
      const path = source!.args[name];
      if (typeof path === 'string' && !isAllowed(path, access)) {
        throw new DataError(path, undefined, `refused: outside the spec's folder${access.roots?.length ? ' and the data roots' : ''}; ${ALLOW_HINT}`);
      }
    }
  }
}

/**
 * @param access the folders data may come from: the spec's folder and the user's data
 *   roots; by default the working folder and below.
 */
export async function loadData(tf: TF, config: DataConfig, seed: number, access: DataAccess = { specDir: process.cwd() }): Promise<LoadedDataInfo> {
  checkSourcePaths(config, access);
  const root = new Random(seed);
  // Forked in a fixed order so each use has its own stream whatever the others draw.
  const streams = {
    source: root.fork(),
    validationSource: root.fork(),
    testSource: root.fork(),
    shuffle: root.fork(),
    labelNoise: root.fork(),
  };
  const classes = config.classes;

  const train = await readSource(config.source, { classes, labels: config.source.labels, rng: streams.source, access });
  const labels = train.labels ?? config.source.labels;
  const all = train.examples;
  const order = config.shuffle ? streams.shuffle.permutation(all.n) : range(0, all.n);

  let trainIdx: Int32Array = order;
  let validation: Examples | undefined;
  if ('source' in config.validation) {
    const v = await readSource(config.validation.source, { classes, labels, rng: streams.validationSource, access });
    validation = v.examples;
  } else if (config.validation.fraction > 0) {
    const held = Math.round(config.validation.fraction * all.n);
    if (held >= all.n) {
      throw new DataError(sourceName(config.source), undefined, `validation: ${config.validation.fraction} holds out all ${all.n} examples, leaving none to train on`);
    }
    if (held > 0) {
      validation = takeExamples(all, order.subarray(all.n - held));
      trainIdx = order.subarray(0, all.n - held);
    }
  }
  if (config.subset !== undefined && config.subset < trainIdx.length) trainIdx = trainIdx.subarray(0, config.subset);
  const trainEx = takeExamples(all, trainIdx);

  let noisyIndices: Int32Array | undefined;
  if (config.labelNoise > 0 && classes > 0) {
    const count = Math.round(config.labelNoise * trainEx.n);
    noisyIndices = streams.labelNoise.permutation(trainEx.n).slice(0, count);
    for (const i of noisyIndices) trainEx.y[i] = streams.labelNoise.int(classes);
  }

  const test = config.test ? (await readSource(config.test, { classes, labels, rng: streams.testSource, access })).examples : undefined;

  // Text: ids from the training split's vocabulary.
  let vocabulary: string[] | undefined;
  const named: [Examples, SourceConfig][] = [[trainEx, config.source]];
  if (validation) named.push([validation, 'source' in config.validation ? config.validation.source : config.source]);
  if (test && config.test) named.push([test, config.test]);
  let encoded: { ids: Int32Array; ex: Examples }[] | undefined;
  if (trainEx.kind === 'text') {
    const length = numberArg(config.source.args, 'length', config.inputShape[0] ?? 64);
    vocabulary = buildVocabulary(trainEx.tokens, numberArg(config.source.args, 'vocab', 10000));
    encoded = named.map(([ex, src]) => {
      if (ex.kind !== 'text') throw new DataError(sourceName(src), undefined, 'expected a text source, like the training source');
      return { ids: encodeDocuments(ex.tokens, vocabulary!, length), ex };
    });
  }

  let normalizer: Normalizer | undefined;
  if (!encoded && config.normalize !== 'none') {
    const t = trainEx as DenseExamples;
    normalizer = fitNormalizer(config.normalize, t.x, t.exampleShape[t.exampleShape.length - 1] ?? 1);
    for (const [ex] of named) applyNormalizer(normalizer, (ex as DenseExamples).x);
  }

  const toSplit = (k: number): Split => {
    const [ex, src] = named[k];
    const shape = [ex.n, ...config.inputShape];
    let x;
    if (encoded) x = tf.tensor(encoded[k].ids, shape, 'int32');
    else {
      const dense = ex as DenseExamples;
      if (exampleSize(dense.exampleShape) !== exampleSize(config.inputShape)) {
        throw new DataError(sourceName(src), undefined, `examples have shape [${dense.exampleShape.join(', ')}], expected [${config.inputShape.join(', ')}] like the training data`);
      }
      x = tf.tensor(dense.x, shape, 'float32');
    }
    let y;
    if (classes > 0) y = tf.tensor1d(ex.y instanceof Int32Array ? ex.y : Int32Array.from(ex.y), 'int32');
    else if (ex.targetSize === 1) y = tf.tensor1d(Float32Array.from(ex.y), 'float32');
    else y = tf.tensor2d(Float32Array.from(ex.y), [ex.n, ex.targetSize], 'float32');
    return { x, y, size: ex.n };
  };

  let k = 0;
  const result: LoadedDataInfo = { train: toSplit(k++), classes };
  if (validation) result.validation = toSplit(k++);
  if (test) result.test = toSplit(k++);
  if (vocabulary) result.vocabulary = vocabulary;
  if (labels) result.labels = labels;
  if (normalizer) result.normalizer = normalizer;
  if (noisyIndices) result.noisyIndices = noisyIndices;
  return result;
}

/** The file a source reads, for messages about it as a whole. */
export function sourceName(source: SourceConfig): string {
  const a = source.args;
  for (const key of ['path', 'images']) if (typeof a[key] === 'string') return a[key] as string;
  return `${source.kind}()`;
}
