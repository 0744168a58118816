// Random mutations of real specs: the compiler must never throw, must always
// answer with diagnostics, and must stay fast on any input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { check, format, parse } from '../src/index.js';
import { specFiles } from './helpers.js';

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

/** A small seeded generator (the test must repeat exactly). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tokenSpans(text: string): [number, number][] {
  return parse(text).tokens.map((t) => [t.startOffset, t.endOffset! + 1]);
}

function mutate(text: string, random: () => number): string {
  const spans = tokenSpans(text);
  const pick = () => spans[Math.floor(random() * spans.length)] ?? [0, 0];
  switch (Math.floor(random() * 6)) {
    case 0: {
      const [a, b] = pick(); // delete a token
      return text.slice(0, a) + text.slice(b);
    }
    case 1: {
      const [a, b] = pick(); // duplicate a token
      return text.slice(0, b) + ' ' + text.slice(a, b) + text.slice(b);
    }
    case 2: {
      let [a1, b1] = pick(); // swap two tokens
      let [a2, b2] = pick();
      if (a2 < a1) [a1, b1, a2, b2] = [a2, b2, a1, b1];
      if (b1 > a2) return text;
      return text.slice(0, a1) + text.slice(a2, b2) + text.slice(b1, a2) + text.slice(a1, b1) + text.slice(b2);
    }
    case 3:
      return text.slice(0, Math.floor(random() * text.length)); // truncate
    case 4: {
      const at = Math.floor(random() * text.length); // random bytes
      let junk = '';
      for (let i = 0; i < 1 + random() * 4; i++) junk += String.fromCharCode(Math.floor(random() * 0x250));
      return text.slice(0, at) + junk + text.slice(at);
    }
    default: {
      const [a, b] = pick(); // replace a token by another one
      const [c, d] = pick();
      return text.slice(0, a) + text.slice(c, d) + text.slice(b);
    }
  }
}

test('thousands of random mutations: no throw, diagnostics always, each well under a second', () => {
  const corpus = [BASE, ...specFiles().map((f) => readFileSync(f, 'utf8'))];
  const random = rng(12345);
  let slowest = 0;
  let withErrors = 0;
  const runs = 3000;
  for (let i = 0; i < runs; i++) {
    let text = corpus[i % corpus.length];
    const rounds = 1 + Math.floor(random() * 3);
    for (let r = 0; r < rounds; r++) text = mutate(text, random);
    const started = performance.now();
    let result;
    try {
      result = check(text, { inspectData: false });
      format(text);
    } catch (error) {
      assert.fail(`the compiler threw on mutation ${i}: ${(error as Error).stack}\n--- input ---\n${text}`);
    }
    const elapsed = performance.now() - started;
    slowest = Math.max(slowest, elapsed);
    assert.ok(Array.isArray(result.diagnostics));
    for (const d of result.diagnostics) {
      assert.match(d.code, /^RN\d{3}$/);
      assert.ok(d.range.start.offset <= d.range.end.offset, `bad range in ${d.code}`);
      assert.ok(d.range.end.offset <= text.length + 1, `range past the end in ${d.code}`);
    }
    if (result.diagnostics.some((d) => d.severity === 'error')) withErrors++;
    assert.ok(elapsed < 1000, `mutation ${i} took ${elapsed.toFixed(0)} ms`);
  }
  // the mutations do break specs: most of them must be rejected
  assert.ok(withErrors > runs / 2, `only ${withErrors} of ${runs} mutations gave errors`);
  assert.ok(slowest < 1000);
});
