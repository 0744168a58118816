// `regnetc explain`: lists of a category (`explain layers`), a block's settings
// (`explain data`), every name (`explain --list`), one line per name from the catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CATALOGUE, entriesOf, sectionSettings } from '@regnet/compiler';
import { explain, listAll } from '../src/cli/explain.js';

const BIN = fileURLToPath(new URL('../../bin/regnetc.js', import.meta.url));

/** The names listed by a list's text: the first word of each indented line. */
function listed(text: string): string[] {
  return text.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s+/)[0]!);
}

test('explain layers / optimizers / schedules / sources / augmentations / losses: every name, one line each', () => {
  const lists = { layers: 'layer', optimizers: 'optimizer', schedules: 'schedule', sources: 'source', augmentations: 'augmentation', losses: 'loss' } as const;
  for (const [plural, category] of Object.entries(lists)) {
    const text = explain(plural)!;
    assert.ok(text, plural);
    assert.deepEqual(listed(text), entriesOf(category).map((e) => e.name), plural);
  }
  const optimizers = explain('optimizers')!;
  assert.match(optimizers, /^Optimizers \(train \{ optimizer: … \}\):\n {2}sgd {6}Stochastic gradient descent/);
  assert.match(optimizers, /\n {2}adamw {4}AdamW: Adam with decoupled weight decay; matches torch\.optim\.AdamW step for step\.\n/);
});

test('explain data / train / early_stopping / sweep: the block\'s docs, then its settings', () => {
  const data = explain('data')!;
  assert.match(data, /^data {4}\[keyword\]/);
  assert.deepEqual(listed(data), sectionSettings('data').map((e) => e.name));
  assert.match(data, /\n {2}validation +Validation data: a fraction of the source held out, or a separate source\.\n/);
  const early = explain('early_stopping')!;
  assert.match(early, /^early_stopping \{ \.\.\. \} {4}\[setting\]/);
  assert.deepEqual(listed(early), ['monitor', 'patience', 'min_delta', 'restore_best']);
  // `train` is a block and a split word: the block and its settings first, the word after.
  const train = explain('train')!;
  assert.ok(train.indexOf('[keyword]') < train.indexOf('Settings of train') && train.indexOf('Settings of train') < train.indexOf('[word: split]'));
  assert.match(train, /7,996 MNIST digits/);
  assert.doesNotMatch(train, /60,000/);
});

test('explain --list: every documented name once per group, with a one-line summary', () => {
  const text = listAll();
  const names = listed(text);
  for (const e of CATALOGUE) assert.ok(names.includes(e.name), e.name);
  for (const line of text.split('\n').filter((l) => /^ {2}\S/.test(l))) assert.match(line, /^ {2}\w+ +\S.*[.!?)]$/, line);
  const r = spawnSync(process.execPath, [BIN, 'explain', '--list'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, text + '\n');
  const missing = spawnSync(process.execPath, [BIN, 'explain'], { encoding: 'utf8' });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /explain needs a NAME .* or --list/);
});
