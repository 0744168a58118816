// Text augmentations on [b, length] token ids (0 = padding, zeros in front as the
// loader pads). Each example's words are taken out, changed, and padded again in
// front, so dropped words shorten the text rather than leave holes.
import type { Random } from '../../random.js';
import { PAD_ID, UNKNOWN_ID } from '../sources/text.js';
import type { AugmentBatch, AugmentStep } from './batch.js';
import { wordnetSynonyms } from './wordnet.js';

function perText(fn: (words: number[], rng: Random) => number[]): AugmentStep {
  return (batch: AugmentBatch, rng: Random) => {
    const x = batch.x as Int32Array;
    const length = x.length / batch.b;
    for (let i = 0; i < batch.b; i++) {
      const row = x.subarray(i * length, (i + 1) * length);
      const words = Array.from(row).filter((id) => id !== PAD_ID);
      const out = fn(words, rng);
      row.fill(PAD_ID);
      row.set(out.slice(Math.max(0, out.length - length)), length - Math.min(out.length, length));
    }
  };
}

/** `word_dropout(p)`: removes each word with probability p. */
export function wordDropout(p: number): AugmentStep {
  return perText((words, rng) => words.filter(() => !(rng.next() < p)));
}

/** `word_swap(n)`: with probability p per example, swaps two random words, n times. */
export function wordSwap(n: number, p: number): AugmentStep {
  return perText((words, rng) => {
    if (!(rng.next() < p) || words.length < 2) return words;
    for (let k = 0; k < n; k++) {
      const i = rng.int(words.length);
      let j = rng.int(words.length - 1);
      if (j >= i) j++;
      [words[i], words[j]] = [words[j], words[i]];
    }
    return words;
  });
}

/**
 * `synonym(p)`: replaces each word, with probability p, by a WordNet synonym chosen
 * uniformly among those in the vocabulary (a word without one stays). The synonym
 * table is built on first use, for the vocabulary's words only.
 */
export function synonym(p: number, vocabulary: string[]): AugmentStep {
  let table: Int32Array[] | undefined;
  const build = () => {
    const ids = new Map(vocabulary.map((w, i) => [w, i]));
    const words = vocabulary.slice(UNKNOWN_ID + 1);
    const synonyms = wordnetSynonyms(words);
    return vocabulary.map((w, i) =>
      i <= UNKNOWN_ID ? new Int32Array(0) : Int32Array.from((synonyms.get(w) ?? []).map((s) => ids.get(s) ?? -1).filter((id) => id > UNKNOWN_ID)),
    );
  };
  return perText((words, rng) => {
    table ??= build();
    return words.map((id) => {
      if (!(rng.next() < p)) return id;
      const options = table![id];
      return options && options.length > 0 ? options[rng.int(options.length)] : id;
    });
  });
}

/** word -> in-vocabulary synonyms, for inspection and tests. */
export function vocabularySynonyms(vocabulary: string[]): Map<string, string[]> {
  const inVocab = new Set(vocabulary.slice(UNKNOWN_ID + 1));
  const out = new Map<string, string[]>();
  for (const [w, syns] of wordnetSynonyms(vocabulary.slice(UNKNOWN_ID + 1))) out.set(w, syns.filter((s) => inVocab.has(s)));
  return out;
}
