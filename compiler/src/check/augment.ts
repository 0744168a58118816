// Augmentations against the examples they will transform: image-only and
// text-only augmentations on the right kind of input (RN407), and a crop window
// that fits the padded image (RN307). The runtime would otherwise fail mid-run.
import { CheckContext } from './context.js';
import { formatShape } from '../model-summary.js';
import type { CheckedCall, SourceFacts } from './types.js';

/** Which kinds of example each augmentation transforms (docs/language.md §4 table). */
const APPLIES_TO: Record<string, { kinds: SourceFacts['inputKind'][]; what: string }> = {
  flip: { kinds: ['image'], what: 'images' },
  crop: { kinds: ['image'], what: 'images' },
  rotate: { kinds: ['image'], what: 'images' },
  translate: { kinds: ['image'], what: 'images' },
  zoom: { kinds: ['image'], what: 'images' },
  brightness: { kinds: ['image'], what: 'images' },
  contrast: { kinds: ['image'], what: 'images' },
  cutout: { kinds: ['image'], what: 'images' },
  noise: { kinds: ['image', 'vector', 'sequence'], what: 'numeric inputs' },
  mixup: { kinds: ['image', 'vector', 'sequence'], what: 'numeric inputs' },
  synonym: { kinds: ['tokens'], what: 'text' },
  word_dropout: { kinds: ['tokens'], what: 'text' },
  word_swap: { kinds: ['tokens'], what: 'text' },
};

const KIND_NAMES: Record<string, string> = { image: 'images', vector: 'feature vectors', sequence: 'sequences', tokens: 'text (token ids)' };

export function checkAugmentations(ctx: CheckContext, augment: CheckedCall[], facts: SourceFacts, sourceName: string): void {
  for (const aug of augment) {
    const rule = APPLIES_TO[aug.name];
    const kind = facts.inputKind;
    const range = aug.call?.name.range ?? aug.range!;
    if (rule && kind && !rule.kinds.includes(kind)) {
      ctx.report('RN407', range, `${aug.name} applies to ${rule.what} but ${sourceName} gives ${KIND_NAMES[kind] ?? kind}`);
      continue;
    }
    if (aug.name === 'crop' && facts.inputShape && facts.inputShape.length === 3) {
      const size = typeof aug.args.size === 'number' ? [aug.args.size, aug.args.size] : (aug.args.size as number[]);
      const padding = Number(aug.args.padding ?? 0);
      const [h, w] = facts.inputShape as [number, number];
      if (size[0]! > h + 2 * padding || size[1]! > w + 2 * padding) {
        ctx.report(
          'RN307',
          aug.argRanges.get('size') ?? range,
          `crop size ${formatShape(size)} is larger than the ${h}x${w} images of ${sourceName}${padding ? ` padded by ${padding}` : ''} (input ${formatShape(facts.inputShape)})`,
        );
      }
    }
  }
}
