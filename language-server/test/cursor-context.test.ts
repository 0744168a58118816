// Unit tests of the cursor context behind completion and signature help: where
// the cursor is in half-typed text, from the lexer and a bracket stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeCall, cursorContext, declarationStart } from '../src/cursor-context.js';

/** The context at `|` (removed from the text), with CallSite offsets dropped for brevity. */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  return JSON.parse(JSON.stringify(cursorContext(text, offset), (k, v) => (k === 'open' ? undefined : v)));
}

const layerCall = (callee: string) => ({ callee, owner: { kind: 'layer' } });

test('top level, model body, blocks', () => {
  assert.deepEqual(at('|'), { context: { kind: 'top' }, prefix: '' });
  assert.deepEqual(at('model {}\nmo|'), { context: { kind: 'top' }, prefix: 'mo' });
  assert.deepEqual(at('model { dense(10) | }'), { context: { kind: 'layers' }, prefix: '' });
  assert.deepEqual(at('model m {\n  repeat(2) {\n    dense(3)\n    ba|'), { context: { kind: 'layers' }, prefix: 'ba' });
  assert.deepEqual(at('let x = |').context, { kind: 'value', owner: { kind: 'let', name: 'x' } });
  for (const none of ['let |', 'let x|', 'model |', 'model { dense(10) as |', '# model { |']) assert.deepEqual(at(none).context, { kind: 'none' }, none);
});

test('section keys and values, nested setting blocks', () => {
  assert.deepEqual(at('train { epochs: 3 opt| }'), { context: { kind: 'keys', section: 'train', given: ['epochs'] }, prefix: 'opt' });
  assert.deepEqual(at('train { optimizer: | }').context, { kind: 'value', owner: { kind: 'setting', section: 'train', key: 'optimizer' } });
  assert.deepEqual(at('train { early_stopping { monitor: | } }').context, { kind: 'value', owner: { kind: 'setting', section: 'early_stopping', key: 'monitor' } });
  assert.deepEqual(at('train { early_stopping { patience: 3 | } seed: 1 }').context, { kind: 'keys', section: 'early_stopping', given: ['patience'] });
  assert.deepEqual(at('train { early_stopping { patience: 3 }\n | }').context, { kind: 'keys', section: 'train', given: ['early_stopping'] });
  assert.deepEqual(at('data { augment { fl| } }').context, { kind: 'keys', section: 'augment', given: [] });
  assert.deepEqual(at('train { metrics: [|').context, { kind: 'value', owner: { kind: 'setting', section: 'train', key: 'metrics', inList: 1 } });
});

test('call arguments: positional slots, named arguments, their values', () => {
  assert.deepEqual(at('model { conv2d(32, | }').context, { kind: 'args', call: layerCall('conv2d'), index: 1, positionalAllowed: true, given: [] });
  assert.deepEqual(at('model { conv2d(32, kernel: 3, act| }').context, { kind: 'args', call: layerCall('conv2d'), index: 1, positionalAllowed: false, given: ['kernel'] });
  assert.deepEqual(at('model { conv2d(32, activation: re| }'), {
    context: { kind: 'value', owner: { kind: 'arg', call: layerCall('conv2d'), name: 'activation', index: 1 } },
    prefix: 're',
  });
  assert.deepEqual(at('model { conv2d(32, kernel: [3, |').context, {
    kind: 'value',
    owner: { kind: 'arg', call: layerCall('conv2d'), name: 'kernel', index: 1, inList: 1 },
  });
  const optimizer = { callee: 'adamw', owner: { kind: 'setting', section: 'train', key: 'optimizer' } };
  assert.deepEqual(at('train { optimizer: adamw(| }').context, { kind: 'args', call: optimizer, index: 0, positionalAllowed: true, given: [] });
  const flip = { callee: 'flip', owner: { kind: 'block-item', section: 'augment' } };
  assert.deepEqual(at('data { augment { flip(| } }').context, { kind: 'args', call: flip, index: 0, positionalAllowed: true, given: [] });
  // A call nested in an argument knows which argument it is the value of.
  const inner = at('data { validation: csv("v.csv", label: |').context;
  assert.equal(inner.kind, 'value');
  assert.deepEqual(inner.owner.call.owner, { kind: 'setting', section: 'data', key: 'validation' });
});

test('nothing to complete inside strings, numbers and comments', () => {
  assert.deepEqual(at('data { source: csv("a|b") }').context, { kind: 'none' });
  assert.deepEqual(at('data { source: csv("ab|').context, { kind: 'none' });
  assert.deepEqual(at('model { dense(1|0) }').context, { kind: 'none' });
  assert.deepEqual(at('model {\n  dense(10) # relu|\n}').context, { kind: 'none' });
  // Right after a closed string, the next argument can start.
  assert.equal(at('data { source: csv("a.csv"|').context.kind, 'none');
  assert.equal(at('data { source: csv("a.csv", |').context.kind, 'args');
});

test('stray closing brackets are tolerated', () => {
  assert.deepEqual(at('model { ) ] dense(10) | }').context, { kind: 'layers' });
  assert.deepEqual(at('} } model { |').context, { kind: 'layers' });
});

test('activeCall: the innermost call, the argument being typed', () => {
  const call = (s: string) => {
    const r = activeCall(s.replace('|', ''), s.indexOf('|'));
    return r && { callee: r.call.callee, argIndex: r.argIndex, positionalIndex: r.positionalIndex, named: r.named, given: r.given };
  };
  assert.deepEqual(call('model { conv2d(3|'), { callee: 'conv2d', argIndex: 0, positionalIndex: 0, named: undefined, given: [] });
  assert.deepEqual(call('model { conv2d(32, padding: |)'), { callee: 'conv2d', argIndex: 1, positionalIndex: undefined, named: 'padding', given: ['padding'] });
  assert.deepEqual(call('data { source: csv("da|'), { callee: 'csv', argIndex: 0, positionalIndex: 0, named: undefined, given: [] });
  assert.deepEqual(call('train { optimizer: sgd(lr: cosine(|'), { callee: 'cosine', argIndex: 0, positionalIndex: 0, named: undefined, given: [] });
  assert.equal(call('model { dense(10) | }'), undefined);
  assert.equal(call('model { dense(10, # x|'), undefined);
});

test('lexing starts at the declaration around the cursor', () => {
  const text = 'let a = 1\n\nmodel {\n  dense(a)\n}\n  data_like\ntrain {\n  seed: 1\n}\n';
  assert.equal(declarationStart(text, text.indexOf('dense')), text.indexOf('model'));
  assert.equal(declarationStart(text, text.indexOf('seed')), text.indexOf('train'));
  assert.equal(declarationStart(text, text.indexOf('data_like') + 3), text.indexOf('model'), 'an indented word is no declaration');
  assert.equal(declarationStart(text, 0), 0);
  assert.equal(declarationStart('\n\nx', 3), 0);
});

test('test markers: <|> is the cursor, <| |> ranges in order of their start', async () => {
  const { parseMarkers } = await import('./helpers/feature-suite.js');
  const parsed = parseMarkers('let <|a|> = 1\nmodel { d<|>ense(<|10|>) }');
  assert.equal(parsed.text, 'let a = 1\nmodel { dense(10) }');
  assert.deepEqual(parsed.cursor, { line: 1, character: 9 });
  assert.deepEqual(parsed.ranges, [
    { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } },
    { start: { line: 1, character: 14 }, end: { line: 1, character: 16 } },
  ]);
});
