// RN2xx: names — layers, settings, arguments, words, let constants, blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits, at, codes, diagnostics, expectNoErrors, expectOne } from './check-helpers.js';

const DATA = 'data { source: mnist() }';

test('RN201 unknown layer with a did-you-mean fix replacing the word', () => {
  const text = `model {\n  flatten\n  dens(10)\n}\n${DATA}\n`;
  const d = expectOne(text, 'RN201', '3:3-3:7', 'error');
  assert.equal(d.message, "unknown layer 'dens'; did you mean 'dense'?");
  assert.equal(applyEdits(text, d.fixes![0]!.edits), text.replace('dens(10)', 'dense(10)'));
});

test('RN201 without a close name lists no suggestion but the kind of thing expected', () => {
  const d = expectOne(`model { flatten zzzzzz dense(10) }\n${DATA}`, 'RN201', '1:17-1:23', 'error');
  assert.match(d.message, /^unknown layer 'zzzzzz' \(expected a layer/);
  assert.equal(d.fixes, undefined);
});

test('RN202 unknown setting in data, train and early_stopping, with fixes', () => {
  const text = `model { flatten dense(10) }\ndata { source: mnist() shufle: true }\ntrain {\n  epoch: 3\n  early_stopping { patiense: 2 }\n}\n`;
  const all = diagnostics(text).filter((d) => d.code === 'RN202');
  assert.deepEqual(all.map(at), ['2:24-2:30', '4:3-4:8', '5:20-5:28']);
  assert.deepEqual(all.map((d) => d.message), [
    "unknown data setting 'shufle'; did you mean 'shuffle'?",
    "unknown train setting 'epoch'; did you mean 'epochs'?",
    "unknown early_stopping setting 'patiense'; did you mean 'patience'?",
  ]);
  assert.equal(all[1]!.fixes![0]!.edits[0]!.newText, 'epochs');
  assert.ok(all.every((d) => d.severity === 'error'));
});

test('RN203 unknown argument, with a did-you-mean that fixes the argument name', () => {
  const text = `model {\n  conv2d(32, kernal: 5)\n  flatten\n  dense(10)\n}\n${DATA}`;
  const d = expectOne(text, 'RN203', '2:14-2:20', 'error');
  assert.equal(d.message, "unknown argument 'kernal' for conv2d; did you mean 'kernel'?");
  assert.match(applyEdits(text, d.fixes![0]!.edits), /conv2d\(32, kernel: 5\)/);
});

test('RN203 on optimizers, sources and augmentations too', () => {
  const text = `model { flatten dense(10) }\ndata { source: mnist(splt: test) }\ntrain { optimizer: adamw(learning_rate: 0.1) }`;
  const all = diagnostics(text).filter((d) => d.code === 'RN203');
  assert.deepEqual(all.map(at), ['2:22-2:26', '3:26-3:39']);
  assert.match(all[1]!.message, /unknown argument 'learning_rate' for adamw \(adamw accepts lr, beta1, beta2, epsilon, weight_decay\)/);
});

test('RN204 unknown enum word, with a fix', () => {
  const text = `model { flatten dense(10, activation: rellu) }\n${DATA}`;
  const d = expectOne(text, 'RN204', '1:39-1:44', 'error');
  assert.match(d.message, /^unknown word 'rellu' for dense activation; did you mean 'relu'/);
  assert.equal(d.fixes![0]!.edits[0]!.newText, 'relu');
});

test('RN204 for checkpoint, monitor, padding, normalize and metric words', () => {
  const text = [
    'model { conv2d(8, padding: samee) flatten dense(10) }',
    'data { source: mnist() normalize: standart }',
    'train { checkpoint: bestt metrics: [acuracy] early_stopping { monitor: val_los } }',
  ].join('\n');
  const all = diagnostics(text).filter((d) => d.code === 'RN204');
  assert.deepEqual(all.map(at), ['1:28-1:33', '2:35-2:43', '3:21-3:26', '3:37-3:44', '3:72-3:79']);
  assert.deepEqual(all.map((d) => d.fixes?.[0]?.edits[0]?.newText), ['same', 'standard', 'best', 'accuracy', 'val_loss']);
});

test('RN205 undefined let constant where a number is expected, with a fix for a near name', () => {
  const text = `let width = 64\nmodel { flatten dense(widht) dense(10) }\n${DATA}`;
  const d = expectOne(text, 'RN205', '2:23-2:28', 'error');
  assert.equal(d.message, "'widht' is not a defined let constant (dense units expects a whole number); did you mean 'width'?");
  assert.equal(d.fixes![0]!.edits[0]!.newText, 'width');
});

test('RN206 duplicate blocks (model, data, train, sweep)', () => {
  const text = [
    'let p = 0.1',
    'model { flatten dropout(p) dense(10) }',
    'model { dense(10) }',
    'data { source: mnist() }',
    'data { source: mnist() }',
    'train { epochs: 1 }',
    'train { epochs: 2 }',
    'sweep { p: [0.1] }',
    'sweep { p: [0.2] }',
  ].join('\n');
  const all = diagnostics(text).filter((d) => d.code === 'RN206');
  assert.deepEqual(all.map(at), ['3:1-3:6', '5:1-5:5', '7:1-7:6', '9:1-9:6']);
  assert.equal(all[0]!.message, 'duplicate model block: the first is at line 2; a file has at most one');
});

test('RN207 duplicate setting and duplicate argument', () => {
  const text = `model { flatten dense(10, units: 10) }\ndata { source: mnist() shuffle: true shuffle: false }`;
  const all = diagnostics(text).filter((d) => d.code === 'RN207');
  assert.deepEqual(all.map(at), ['1:27-1:32', '2:38-2:45']);
  assert.equal(all[0]!.message, "argument 'units' of dense is given twice");
  assert.equal(all[1]!.message, "'shuffle' is already set at line 2; each setting may appear once");
});

test('RN208 unused let constant is a warning with a fix removing the line', () => {
  const text = `let used = 10\nlet unused = 3\nmodel { flatten dense(used) }\n${DATA}\n`;
  const d = expectOne(text, 'RN208', '2:5-2:11', 'warning');
  assert.equal(d.message, "let constant 'unused' is never used");
  assert.equal(applyEdits(text, d.fixes![0]!.edits), text.replace('let unused = 3\n', ''));
});

test('RN208 a constant referenced only in its own definition is unused', () => {
  const text = `let a = a\nmodel { flatten dense(10) }\n${DATA}\n`;
  expectOne(text, 'RN208', '1:5-1:6', 'warning');
});

test('RN209 a let constant that shadows a word accepted where it is used', () => {
  const text = `let relu = 3\nmodel { flatten dense(10, activation: relu) }\n${DATA}`;
  const d = expectOne(text, 'RN209', '2:39-2:43', 'error');
  assert.match(d.message, /'relu' here could be the word accepted by dense activation or the let constant defined at line 1/);
  // A constant with the name of a word is fine where that word is not accepted.
  expectNoErrors(`let same = 10\nmodel { flatten dense(same) }\n${DATA}`);
});

test('RN210 sweep key that is not a let constant', () => {
  const text = `let rate = 0.5\nmodel { flatten dropout(rate) dense(10) }\n${DATA}\nsweep { rat: [0.1, 0.2] }`;
  const d = expectOne(text, 'RN210', '4:9-4:12', 'error');
  assert.equal(d.message, "sweep key 'rat' is not a let constant; did you mean 'rate'?");
});

test('RN211 duplicate let constant', () => {
  const text = `let a = 1\nlet a = 2\nmodel { flatten dense(a) }\n${DATA}`;
  const d = expectOne(text, 'RN211', '2:5-2:6', 'error');
  assert.equal(d.message, "'a' is already defined at line 1; each let constant may be defined once");
});

test('RN212 unknown source, optimizer, schedule, loss, regularizer, clip and augmentation', () => {
  const text = [
    'model { flatten dense(10) }',
    'data { source: mnst() augment { flipp(horizontal) } }',
    'train { optimizer: adamm(lr: 0.1) schedule: cosin loss: crossentropi regularizer: l2x(0.1) clip: nrm(1) }',
  ].join('\n');
  const all = diagnostics(text).filter((d) => d.code === 'RN212');
  assert.deepEqual(all.map(at), ['2:16-2:20', '2:33-2:38', '3:20-3:25', '3:45-3:50', '3:57-3:69', '3:83-3:86', '3:98-3:101']);
  assert.deepEqual(all.map((d) => d.fixes?.[0]?.edits[0]?.newText), ['mnist', 'flip', 'adam', 'cosine', 'crossentropy', 'l2', 'norm']);
  assert.equal(all[0]!.message, "unknown data source 'mnst' for data.source; did you mean 'mnist'?");
});

test('RN213 missing model or data block', () => {
  expectOne(`model { dense(2) }\n`, 'RN213', '1:1-1:6', 'error');
  const d = expectOne(`data { source: mnist() }\n`, 'RN213', '1:1-1:5', 'error');
  assert.match(d.message, /^no model block/);
  expectOne(`let x = 1\n`, 'RN213', '1:1-1:10', 'error');
});

test('RN214 block where none is allowed, block missing, value vs block form', () => {
  const text = [
    'model {',
    '  flatten { dense(3) }',
    '  repeat(2)',
    '  dense(10)',
    '}',
    'data { source: mnist() augment { p: 0.5 } }',
    'train { early_stopping: true epochs { x: 1 } }',
  ].join('\n');
  const all = diagnostics(text).filter((d) => d.code === 'RN214');
  assert.deepEqual(all.map(at), ['2:11-2:23', '3:3-3:12', '6:34-6:35', '7:9-7:23', '7:30-7:36']);
  assert.match(all[1]!.message, /^repeat needs a block of layers/);
});

test('RN215 duplicate layer name given with as', () => {
  const text = `model {\n  flatten as a\n  dense(10) as a\n}\n${DATA}`;
  const d = expectOne(text, 'RN215', '3:16-3:17', 'error');
  assert.equal(d.message, "layer name 'a' is already used at line 2; names given with 'as' must be unique");
});

test('a bare word that is a callable is a call without arguments', () => {
  expectNoErrors(`model { flatten dense(10) }\n${DATA}\ntrain { optimizer: adam loss: crossentropy schedule: constant }`);
  assert.deepEqual(codes(`model { flatten dense(10) }\n${DATA}\ntrain { optimizer: sgd }`).filter((c) => c.startsWith('RN3')), []);
});
