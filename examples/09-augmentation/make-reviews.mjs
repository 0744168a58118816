// Writes the small movie-review sentiment set of example 09 (reviews-train.jsonl,
// reviews-test.jsonl): short English reviews, label "pos" or "neg", composed from
// hand-written sentence patterns with a seeded generator, so the files are the same
// on every run:  node examples/09-augmentation/make-reviews.mjs
//
// The set is built to test text augmentation (Wei & Zou 2019, EDA): each sentiment
// word belongs to a WordNet synonym group (checked with the project's WordNet). The
// training reviews mostly use the common member of each group ("wonderful", "awful")
// and the other members only rarely; the test reviews mostly use those rarer words
// ("terrific", "dreadful"). A model learns the rare words' sentiment from a handful of
// training reviews — unless `synonym` augmentation swaps them in during training.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** mulberry32: a tiny seeded generator (this script's only randomness). */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Synonym groups: [common word, ...rarer WordNet synonyms of it].
const GROUPS = {
  pos: [
    ['wonderful', 'terrific', 'fantastic', 'marvelous'],
    ['great', 'outstanding'],
    ['excellent', 'splendid', 'brilliant', 'superb'],
  ],
  neg: [
    ['awful', 'terrible', 'dreadful', 'atrocious', 'painful'],
    ['boring', 'dull', 'tedious', 'tiresome'],
  ],
};

const SUBJECTS = ['the film', 'the movie', 'the plot', 'the story', 'the acting', 'the script', 'the soundtrack', 'the cast', 'the ending', 'the dialogue', 'the pacing', 'the camera work', 'the lead actor', 'the villain', 'the second half', 'the opening scene'];
const OPENERS = ['honestly', 'overall', 'to be fair', 'in the end', 'from start to finish', 'after two hours', 'on a rainy sunday', 'with my family', 'at the cinema last night', 'on the small screen'];
const PATTERNS = [
  (s, a) => `${s} was ${a}`,
  (s, a) => `${s} felt ${a}`,
  (s, a) => `i thought ${s} was ${a}`,
  (s, a) => `${s} is simply ${a}`,
  (s, a) => `what a ${a} film`,
  (s, a) => `${s} turned out ${a}`,
  (s, a) => `a ${a} evening at the movies`,
  (s, a) => `everything about ${s} was ${a}`,
  (s, a) => `${s} looked ${a} to me`,
  (s, a) => `my friends found ${s} ${a}`,
];
const CLOSERS = {
  pos: ['i would watch it again', 'recommended', 'worth the ticket', 'i left smiling', 'go see it', 'a keeper'],
  neg: ['i want my money back', 'skip it', 'not worth the ticket', 'i nearly walked out', 'avoid it', 'never again'],
};

/** A sentiment word: the group's common word with probability `common`, else a rarer synonym. */
function sentimentWord(rng, label, common) {
  const groups = GROUPS[label];
  const group = groups[Math.floor(rng() * groups.length)];
  if (rng() < common) return group[0];
  return group[1 + Math.floor(rng() * (group.length - 1))];
}

function pick(rng, list) {
  return list[Math.floor(rng() * list.length)];
}

function review(rng, label, common, closers) {
  const sentences = [];
  const count = 2 + Math.floor(rng() * 2);
  for (let i = 0; i < count; i++) {
    const sentence = pick(rng, PATTERNS)(pick(rng, SUBJECTS), sentimentWord(rng, label, common));
    sentences.push(i === 0 && rng() < 0.4 ? `${pick(rng, OPENERS)} ${sentence}` : sentence);
  }
  if (rng() < closers) sentences.push(pick(rng, CLOSERS[label]));
  // "a excellent" -> "an excellent"; each sentence capitalized.
  return sentences.map((t) => t.replace(/\ba ([aeiou])/g, 'an $1')).map((t) => t[0].toUpperCase() + t.slice(1) + '.').join(' ');
}

function write(file, n, common, closers, seed) {
  const rng = generator(seed);
  const lines = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2 === 0 ? 'pos' : 'neg';
    lines.push(JSON.stringify({ text: review(rng, label, common, closers), label }));
  }
  writeFileSync(join(here, file), lines.join('\n') + '\n');
}

// Training reviews: 97% common words, often a closing verdict. Test reviews: only the
// rarer synonyms and no verdict, so the sentiment words alone decide.
write('reviews-train.jsonl', 300, 0.97, 0.6, 2024);
write('reviews-test.jsonl', 200, 0.0, 0.0, 7);
