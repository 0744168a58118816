// makeAugmenter: the spec's `augment { }` block as one function over training
// batches. Steps run in the written order; each call draws fresh randomness from the
// rng it is given (the training loop passes its seeded stream), so every epoch sees
// new augmentations and a seed repeats them exactly.
import type { DataConfig, ResolvedCall } from '@regnet/compiler';
import type { Batch, BatchAugmenter, TF } from '../../contracts.js';
import { numberArg, pairArg, type Args } from '../args.js';
import { DataError } from '../errors.js';
import type { AugmentBatch, AugmentStep } from './batch.js';
import { noise, mixup } from './generic.js';
import * as image from './image.js';
import * as text from './text.js';

export type { AugmentBatch, AugmentStep } from './batch.js';

const IMAGE_ONLY = new Set(['flip', 'crop', 'rotate', 'translate', 'zoom', 'brightness', 'contrast', 'cutout']);
const TEXT_ONLY = new Set(['synonym', 'word_dropout', 'word_swap']);

/**
 * Returns `batch` itself when the spec has no augmentation; otherwise new `x` and `y`
 * tensors (the caller disposes the input batch's tensors when it no longer needs them).
 * `batch.y` must be the one-hot (or soft) [b, classes] labels, or regression targets.
 */
export function makeAugmenter(tf: TF, config: DataConfig, vocabulary?: string[]): BatchAugmenter {
  const steps = config.augment.map((call) => makeStep(call, config, vocabulary));
  if (steps.length === 0) return (batch) => batch;
  return (batch: Batch, rng) => {
    const b = batch.x.shape[0];
    const tokens = batch.x.dtype === 'int32';
    // dataSync copies out of tfjs, so the arrays can be edited in place.
    const x = tokens ? Int32Array.from(batch.x.dataSync() as Int32Array) : Float32Array.from(batch.x.dataSync() as Float32Array);
    const y = Float32Array.from(batch.y.dataSync() as Float32Array);
    const work: AugmentBatch = { x, y, b, example: batch.x.shape.slice(1), targets: b > 0 ? y.length / b : 0 };
    for (const step of steps) step(work, rng);
    return {
      x: tf.tensor(work.x, batch.x.shape, tokens ? 'int32' : 'float32'),
      y: tf.tensor(work.y, batch.y.shape, 'float32'),
    };
  };
}

export function makeStep(call: ResolvedCall, config: DataConfig, vocabulary?: string[]): AugmentStep {
  const a = call.args;
  const p = numberArg(a, 'p', 1);
  const kind = config.inputKind;
  if (IMAGE_ONLY.has(call.kind) && kind !== 'image') throw unsupported(call.kind, 'image inputs', kind);
  if (TEXT_ONLY.has(call.kind) && kind !== 'tokens') throw unsupported(call.kind, 'text (token) inputs', kind);
  if ((call.kind === 'noise' || call.kind === 'mixup') && kind === 'tokens') throw unsupported(call.kind, 'numeric inputs', kind);
  switch (call.kind) {
    case 'flip':
      return image.flip(flipMode(a), p);
    case 'crop': {
      const size = pairArg(a, 'size') ?? [config.inputShape[0], config.inputShape[1]];
      const padding = numberArg(a, 'padding', 0);
      const [h, w] = config.inputShape;
      if (size[0] > h + 2 * padding || size[1] > w + 2 * padding || size[0] < 1 || size[1] < 1) {
        throw new DataError('augment', undefined, `crop size [${size.join(', ')}] does not fit a ${h}x${w} image padded by ${padding}`);
      }
      return image.crop(size, padding, p);
    }
    case 'rotate':
      return image.rotate(numberArg(a, 'degrees'), p);
    case 'translate':
      return image.translate(numberArg(a, 'pixels'), p);
    case 'zoom':
      return image.zoom(numberArg(a, 'range'), p);
    case 'brightness':
      return image.brightness(numberArg(a, 'delta'), p);
    case 'contrast':
      return image.contrast(numberArg(a, 'delta'), p);
    case 'cutout':
      return image.cutout(numberArg(a, 'size'), numberArg(a, 'count', 1), p);
    case 'noise':
      return noise(numberArg(a, 'std'), p);
    case 'mixup':
      return mixup(numberArg(a, 'alpha'), p);
    case 'synonym':
      if (!vocabulary) throw new Error('internal: synonym augmentation needs the vocabulary of the text source');
      return text.synonym(p, vocabulary);
    case 'word_dropout':
      return text.wordDropout(p);
    case 'word_swap':
      return text.wordSwap(numberArg(a, 'n', 1), p);
    default:
      throw new DataError('augment', undefined, `unknown augmentation '${call.kind}'`);
  }
}

/** The flip direction, whatever the compiler named its positional argument (the catalogue calls it `direction`). */
function flipMode(a: Args): image.FlipMode {
  for (const key of ['direction', 'mode', 'axis', 'kind']) {
    const v = a[key];
    if (v === 'horizontal' || v === 'vertical' || v === 'both') return v;
  }
  for (const v of Object.values(a)) if (v === 'horizontal' || v === 'vertical' || v === 'both') return v;
  return 'horizontal';
}

function unsupported(name: string, needs: string, kind: string): DataError {
  return new DataError('augment', undefined, `augmentation '${name}' needs ${needs}, but this data gives ${kind} inputs`);
}
