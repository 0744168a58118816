// The spec fuzzer shared by the CI test (fuzz.test.ts, 10,000 cases) and the long
// runs of `npm run fuzz -- --cases N` (scripts/fuzz.mjs): mutations of real specs
// (bytes, tokens, splices of other specs, swapped values) and the properties every
// result must have. Seeded, so a failure replays from its case number.
import { readFileSync } from 'node:fs';
import { compile, format, tokens, type Diagnostic } from '../src/index.js';
import { specFiles } from './helpers.js';

/** mulberry32: small, seeded, good enough to pick mutations. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A spec using most of the language, besides the examples. */
const BASE = `let p = 0.5
let width = 64
model net {
  input([28, 28, 1])
  conv2d(8, kernel: 3, stride: 2, padding: valid, activation: relu)
  batchnorm
  residual(projection: true) { conv2d(16) relu }
  repeat(2) { conv2d(16, kernel: [3, 3]) groupnorm(4) }
  maxpool(2)
  flatten
  dense(width, activation: gelu, l2: 0.001)
  dropout(p)
  dense(10)
}
data {
  source: mnist()
  validation: 0.1
  test: mnist(split: test)
  subset: 1000
  label_noise: 0.1
  augment { crop(28, padding: 2) rotate(10, p: 0.5) cutout(8) mixup(0.2) }
}
train {
  epochs: 3
  batch_size: 64
  loss: crossentropy(label_smoothing: 0.1)
  optimizer: sgd(lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 5e-4)
  schedule: cosine(warmup: 1)
  clip: norm(1.0)
  early_stopping { monitor: val_accuracy patience: 2 }
  checkpoint: best
  metrics: [accuracy]
  seed: 7
}
sweep { p: [0.0, 0.5] width: [16, 64] repeats: 2 }
`;

/** The specs mutated: BASE, the examples and the test fixtures. */
export function fuzzCorpus(): string[] {
  return [BASE, ...specFiles().map((f) => readFileSync(f, 'utf8'))];
}

/** Values a careless or hostile spec might hold, swapped in for a literal. */
const VALUES = [
  '0', '-1', '1e999', '1e-400', '1e15', '60000', '0.5', '-0', '1.5e308', '2147483648', 'NaN', '""', '"../../../../etc/passwd"',
  '"/etc/shadow"', '"/"', '[]', '[1, 2, 3]', `${'['.repeat(120)}1${']'.repeat(120)}`, 'relu', 'true', 'adam(lr: 1e9)', 'mnist()',
  'csv("x.csv")', '"\\q"', '"é😀"',
];

/** Token spans from the lexer alone (a parse would double the cost of a case). */
function tokenSpans(text: string): [number, number][] {
  return tokens.regnetLexer.tokenize(text).tokens.map((t) => [t.startOffset, t.endOffset! + 1]);
}

export type MutationKind = 'byte' | 'token' | 'splice' | 'value';
export const MUTATION_KINDS: MutationKind[] = ['byte', 'token', 'splice', 'value'];

/** One mutation of `text` of the given kind; `corpus` gives the pieces to splice in. */
export function mutate(text: string, kind: MutationKind, random: () => number, corpus: string[]): string {
  const pickIn = (n: number) => Math.floor(random() * n);
  const spans = kind === 'token' || kind === 'value' ? tokenSpans(text) : [];
  const span = () => spans[pickIn(spans.length)] ?? [0, 0];
  switch (kind) {
    case 'byte': {
      const at = pickIn(text.length + 1);
      const op = pickIn(3);
      if (op === 0) return text.slice(0, at) + text.slice(at + 1 + pickIn(4)); // delete bytes
      let junk = '';
      for (let i = 0; i < 1 + pickIn(4); i++) junk += String.fromCharCode(random() < 0.8 ? 32 + pickIn(95) : pickIn(0x2000));
      return op === 1 ? text.slice(0, at) + junk + text.slice(at) : text.slice(0, at) + junk + text.slice(at + junk.length);
    }
    case 'token': {
      const [a, b] = span();
      const [c, d] = span();
      switch (pickIn(4)) {
        case 0:
          return text.slice(0, a) + text.slice(b); // delete
        case 1:
          return text.slice(0, b) + ' ' + text.slice(a, b) + text.slice(b); // duplicate
        case 2: {
          if (d <= a || b <= c) {
            const [x1, y1, x2, y2] = a < c ? [a, b, c, d] : [c, d, a, b];
            return text.slice(0, x1) + text.slice(x2, y2) + text.slice(y1, x2) + text.slice(x1, y1) + text.slice(y2); // swap
          }
          return text;
        }
        default:
          return text.slice(0, a) + text.slice(c, d) + text.slice(b); // replace by another token
      }
    }
    case 'splice': {
      const other = corpus[pickIn(corpus.length)]!;
      const from = pickIn(other.length + 1);
      const piece = other.slice(from, from + 1 + pickIn(200));
      const at = pickIn(text.length + 1);
      const cut = random() < 0.5 ? pickIn(100) : 0;
      return text.slice(0, at) + piece + text.slice(at + cut);
    }
    case 'value': {
      const literals = spans.filter(([a]) => /[0-9"\[a-z]/.test(text[a] ?? ''));
      const [a, b] = literals[pickIn(literals.length)] ?? [0, 0];
      return text.slice(0, a) + VALUES[pickIn(VALUES.length)]! + text.slice(b);
    }
  }
}

/** A case: the spec after 1-3 mutations of corpus[i % n]. */
export function fuzzCase(corpus: string[], random: () => number, i: number): { text: string; kinds: MutationKind[] } {
  let text = corpus[i % corpus.length]!;
  const kinds: MutationKind[] = [];
  const rounds = 1 + Math.floor(random() * 3);
  for (let r = 0; r < rounds; r++) {
    const kind = MUTATION_KINDS[Math.floor(random() * MUTATION_KINDS.length)]!;
    kinds.push(kind);
    text = mutate(text, kind, random, corpus);
  }
  return { text, kinds };
}

/** Line and column of an offset, as the compiler counts them (1-based). */
function positionAt(lineStarts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
}

/**
 * The properties of one case; returns what is wrong (empty when all hold). Throws
 * only if the compiler does: the caller reports that as a crash.
 */
export function checkCase(text: string): { problems: string[]; hasErrors: boolean } {
  const problems: string[] = [];
  const result = compile(text, { inspectData: false });
  // Lines end at \n, \r\n or a lone \r, as in the lexer and the LSP.
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) lineStarts.push(i + 1);
  }
  const rangeProblem = (d: Diagnostic): string | undefined => {
    const { start, end } = d.range;
    if (!(start.offset >= 0 && start.offset <= end.offset && end.offset <= text.length + 1)) return `offsets ${start.offset}-${end.offset}`;
    const s = positionAt(lineStarts, Math.min(start.offset, text.length));
    if (start.offset <= text.length && (s.line !== start.line || s.column !== start.column)) {
      return `start ${start.line}:${start.column} is not offset ${start.offset} (${s.line}:${s.column})`;
    }
    return undefined;
  };
  for (const d of result.diagnostics) {
    if (d.code === 'RN990') problems.push(`RN990: ${d.message}`);
    if (!/^RN\d{3}$/.test(d.code)) problems.push(`bad code ${d.code}`);
    const bad = rangeProblem(d);
    if (bad) problems.push(`${d.code} range: ${bad}`);
  }
  const once = format(text);
  if (once.text !== undefined) {
    const twice = format(once.text);
    if (twice.text !== once.text) problems.push('formatting is not idempotent');
  }
  return { problems, hasErrors: result.diagnostics.some((d) => d.severity === 'error') };
}
