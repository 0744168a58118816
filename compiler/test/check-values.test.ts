// RN3xx: value types, ranges, required and positional arguments; let values,
// overrides (`--set`) and sweep values checked where the constants are used.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits, at, check, diagnostics, errors, expectNoErrors, expectOne } from './check-helpers.js';

const DATA = 'data { source: mnist() }';

test('RN301 wrong value types', () => {
  const text = [
    'model {',
    '  flatten',
    '  dense(2.5)',
    '  dropout("a")',
    '  dense(10, bias: 1)',
    '}',
    'data { source: mnist() shuffle: 1 validation: "x" }',
    'train { epochs: 2.5 metrics: accuracy }',
  ].join('\n');
  const all = diagnostics(text).filter((d) => d.code === 'RN301');
  assert.deepEqual(all.map(at), ['3:9-3:12', '4:11-4:14', '5:19-5:20', '7:33-7:34', '7:47-7:50', '8:17-8:20', '8:30-8:38']);
  assert.deepEqual(all.map((d) => d.message), [
    'dense units must be a whole number, got 2.5',
    'dropout rate expects a number, got the string "a"',
    'dense bias expects true or false, got 1',
    'data.shuffle expects true or false, got 1',
    'data.validation expects a number or a data source (playground, mnist, csv, ...), got the string "x"',
    'train.epochs must be a whole number, got 2.5',
    "train.metrics expects a list of one of accuracy, mae, mse, got 'accuracy'; write [accuracy]",
  ]);
  assert.ok(all.every((d) => d.severity === 'error'));
});

test('RN301 a quoted enum word is offered a fix removing the quotes', () => {
  const text = `model { conv2d(8, padding: "valid") flatten dense(10) }\n${DATA}`;
  const d = expectOne(text, 'RN301', '1:28-1:35', 'error');
  assert.equal(d.message, 'conv2d padding takes the word valid without quotes');
  assert.match(applyEdits(text, d.fixes![0]!.edits), /padding: valid\)/);
});

test('RN301 list lengths: kernel of a conv2d, size of images, shape of input', () => {
  const text = `model { conv2d(8, kernel: [3, 3, 3]) flatten dense(10) }\n${DATA}`;
  const d = expectOne(text, 'RN301', '1:27-1:36', 'error');
  assert.equal(d.message, 'conv2d kernel must be a whole number or a list of 2 whole numbers, got a list of 3');
});

test('RN302 out-of-range values read from the catalogue', () => {
  const text = [
    'model {',
    '  flatten',
    '  dropout(1.2)',
    '  dense(0)',
    '  dense(10)',
    '}',
    'data { source: mnist() validation: 1.5 label_noise: -0.1 }',
    'train { optimizer: adam(lr: -1) batch_size: 0 }',
  ].join('\n');
  const all = diagnostics(text).filter((d) => d.code === 'RN302');
  assert.deepEqual(all.map(at), ['3:11-3:14', '4:9-4:10', '7:36-7:39', '7:53-7:57', '8:29-8:31', '8:45-8:46']);
  assert.deepEqual(all.map((d) => d.message), [
    'dropout rate must be at least 0 and below 1, got 1.2',
    'dense units must be at least 1, got 0',
    'data.validation must be at least 0 and below 1, got 1.5',
    'data.label_noise must be at least 0 and at most 1, got -0.1',
    'adam lr must be above 0, got -1',
    'train.batch_size must be at least 1, got 0',
  ]);
});

test('RN302 for a value that must be one of a few choices (images channels)', () => {
  const text = `model { flatten dense(3) }\ndata { source: images("pets", size: [8, 8], channels: 2) }`;
  const d = expectOne(text, 'RN302', '2:55-2:56', 'error', { inspectData: false });
  assert.equal(d.message, 'images channels must be 1 or 3, got 2');
});

test('RN302 an embedding smaller than the text source vocabulary', () => {
  const text = `model { embedding(5000, 8) flatten dense(2) }\ndata { source: text("reviews.jsonl") }`;
  const d = expectOne(text, 'RN302', '1:19-1:23', 'error', { inspectData: false });
  assert.equal(d.message, "embedding vocab 5000 is smaller than the text source's vocab 10000: token ids up to 9999 would have no vector");
  expectNoErrors(text.replace('text("reviews.jsonl")', 'text("reviews.jsonl", vocab: 5000)'), { inspectData: false });
});

test('RN303 missing required argument and missing data source', () => {
  const d = expectOne(`model { flatten dense() }\n${DATA}`, 'RN303', '1:17-1:24', 'error');
  assert.equal(d.message, "dense needs its argument 'units' (a whole number): dense(units, ...)");
  const s = expectOne(`model { flatten dense(10) }\ndata { shuffle: true }`, 'RN303', '2:1-2:5', 'error');
  assert.match(s.message, /^data needs a 'source' setting/);
  expectOne(`model { flatten dense(10) }\ndata { source: csv() }`, 'RN303', '2:16-2:21', 'error');
});

test('RN304 positional argument after a named one', () => {
  const d = expectOne(`model { flatten dense(activation: relu, 10) }\n${DATA}`, 'RN304', '1:41-1:43', 'error');
  assert.equal(d.message, 'positional argument after a named one in dense(...): write positional arguments first');
});

test('RN305 too many positional arguments', () => {
  const text = `model { flatten(2) dense(10, 20) }\n${DATA}`;
  const all = diagnostics(text).filter((d) => d.code === 'RN305');
  assert.deepEqual(all.map(at), ['1:17-1:18', '1:30-1:32']);
  assert.deepEqual(all.map((d) => d.message), [
    'flatten takes no positional arguments',
    'dense takes 1 positional argument (units) but got 2',
  ]);
});

test('RN306 groups that do not divide the channels', () => {
  const text = `model {\n  conv2d(30)\n  groupnorm(8)\n  flatten\n  dense(10)\n}\n${DATA}`;
  const d = expectOne(text, 'RN306', '3:13-3:14', 'error');
  assert.equal(d.message, 'groupnorm(8) needs the channels to divide by 8, but the input [28, 28, 30] has 30 channels (after conv2d at line 2)');
  expectNoErrors(text.replace('groupnorm(8)', 'groupnorm(6)'));
});

test('RN307 kernel or pooling window larger than its input', () => {
  const text = `model {\n  conv2d(8, kernel: 29)\n  flatten\n  dense(10)\n}\n${DATA}`;
  const d = expectOne(text, 'RN307', '2:21-2:23', 'error');
  assert.equal(d.message, 'conv2d kernel 29x29 is larger than its input [28, 28, 1] (from the data source mnist)');
  const pool = `model {\n  maxpool(2)\n  maxpool(2)\n  maxpool(2)\n  maxpool(4)\n  flatten\n  dense(10)\n}\n${DATA}`;
  const p = expectOne(pool, 'RN307', '5:11-5:12', 'error');
  assert.equal(p.message, 'maxpool size 4x4 is larger than its input [3, 3, 1] (after maxpool at line 4)');
});

test('let values are checked where they are used, reported at the use', () => {
  const text = `let p = 1.2\nmodel { flatten dropout(p) dense(10) }\n${DATA}`;
  const d = expectOne(text, 'RN302', '2:25-2:26', 'error');
  assert.equal(d.message, "dropout rate must be at least 0 and below 1, got 1.2 (value of let 'p' at line 1)");
});

test('let constants may refer to other constants; a cycle is reported', () => {
  expectNoErrors(`let a = 64\nlet b = a\nmodel { flatten dense(b) dense(10) }\n${DATA}`);
  const d = expectOne(`let a = b\nlet b = a\nmodel { flatten dense(a) dense(10) }\n${DATA}`, 'RN205', '3:23-3:24', 'error');
  assert.equal(d.message, "let 'a' is defined in terms of itself (a -> b -> a)");
});

test('overrides replace let values (--set) and are checked like written values', () => {
  const text = `let p = 0.5\nlet act = relu\nmodel { flatten dense(64, activation: act) dropout(p) dense(10) }\n${DATA}`;
  expectNoErrors(text, { overrides: { p: 0.25, act: 'tanh' } });
  const result = check(text, { overrides: { p: 0.25 } });
  assert.equal(result.model.constants.get('p')!.value, 0.25);
  const d = expectOne(text, 'RN302', '3:52-3:53', 'error', { overrides: { p: 2 } });
  assert.match(d.message, /got 2 \(from --set p=2\)$/, 'a diagnostic caused by an override names it');
  const abc = expectOne(text, 'RN205', '3:52-3:53', 'error', { overrides: { p: 'abc' } });
  assert.equal(abc.message, "'abc' is not a defined let constant (dropout rate expects a number) (from --set p=abc)");
  const list = expectOne(text, 'RN301', '3:52-3:53', 'error', { overrides: { p: [1, 'x y'] } });
  assert.match(list.message, /\(from --set p=\[1, "x y"\]\)$/);
  const w = expectOne(text, 'RN204', '3:39-3:42', 'error', { overrides: { act: 'tanhh' } });
  assert.match(w.message, /^unknown word 'tanhh' for dense activation/);
  const u = expectOne(text, 'RN205', '1:1-1:1', 'error', { overrides: { q: 1 } });
  assert.equal(u.message, "cannot set 'q': the file has no `let q`");
  // A call given as a string on the command line is parsed.
  expectNoErrors(`let opt = adam\nmodel { flatten dense(10) }\n${DATA}\ntrain { optimizer: opt }`, { overrides: { opt: 'sgd(lr: 0.1, momentum: 0.9)' } });
});

test('sweep values are checked against every use of their constant', () => {
  const text = `let p = 0.5\nmodel { flatten dropout(p) dense(10) }\n${DATA}\nsweep { p: [0.0, 1.5, "x"] }`;
  const all = errors(text);
  assert.deepEqual(all.map((d) => `${d.code} ${at(d)}`), ['RN302 4:18-4:21', 'RN301 4:23-4:26']);
  assert.equal(all[0]!.message, 'dropout rate (sweep p) must be at least 0 and below 1, got 1.5');
  const notList = expectOne(`let p = 0.5\nmodel { flatten dropout(p) dense(10) }\n${DATA}\nsweep { p: 0.3 }`, 'RN301', '4:12-4:15', 'error');
  assert.equal(notList.message, 'sweep p expects a list of values to try, e.g. p: [0.3, ...]');
  expectOne(`let p = 0.5\nmodel { flatten dropout(p) dense(10) }\n${DATA}\nsweep { p: [] }`, 'RN302', '4:12-4:14', 'error');
});
