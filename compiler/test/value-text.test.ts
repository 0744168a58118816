// The one printer of values as spec text (valueToText): parsing what it prints and
// taking valueToJson gives the same value, for random values of every kind the
// language has (calls with positional and named args, nested lists, strings with
// quotes and escapes, words, negative, tiny and huge numbers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse, tokens, valueToJson, valueToText, type JsonValue } from '../src/index.js';

/** Parses `text` as the value of a `let` and returns its JSON (throws on a syntax error). */
function readBack(text: string): JsonValue {
  const { ast, diagnostics } = parse(`let x = ${text}`);
  const decl = ast.decls[0];
  assert.deepEqual(diagnostics, [], `'${text}' does not parse`);
  assert.ok(ast.decls.length === 1 && decl?.kind === 'let' && decl.value, `'${text}' is not one value`);
  return valueToJson(decl.value);
}

const word = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).filter((w) => !tokens.KEYWORDS.has(w));
// Strings as the lexer can hold them: anything but a raw carriage return (no escape makes one).
const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '"', '\\', '\n', '/', '.', '-', 'é', '1', '\t', '{', '(', ','), maxLength: 12 });
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(-0, 0, 1e-300, 5e-324, 1.7976931348623157e308, -1e21, 1e-7, 0.1),
);

const value: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    number,
    fc.boolean(),
    word,
    text,
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .record({
        kind: word,
        positional: fc.array(tie('value'), { maxLength: 3 }),
        named: fc.uniqueArray(fc.tuple(word, tie('value')), { maxLength: 3, selector: ([name]) => name }),
      })
      .map(({ kind, positional, named }) => ({
        kind,
        args: Object.fromEntries([...positional.map((v, i) => [String(i), v] as const), ...named]),
      })),
  ),
})).value;

test('printing a value then parsing it gives the same value (property, 2,000 random values)', () => {
  fc.assert(
    fc.property(value, (v) => {
      assert.deepStrictEqual(readBack(valueToText(v)), v);
    }),
    { numRuns: 2000, seed: 42 },
  );
});

test('values as the sweep and the docs write them', () => {
  assert.equal(valueToText({ kind: 'sgd', args: { '0': 0.1 } }), 'sgd(0.1)');
  assert.equal(valueToText({ kind: 'adam', args: { lr: 0.001 } }), 'adam(lr: 0.001)');
  assert.equal(valueToText({ kind: 'sgd', args: { momentum: 0.9, '0': 0.1 } }), 'sgd(0.1, momentum: 0.9)');
  assert.equal(valueToText({ kind: 'csv', args: { '0': 'sub/good.csv', label: 'y' } }), 'csv("sub/good.csv", label: y)');
  assert.equal(valueToText({ kind: 'crossentropy', args: {} }), 'crossentropy()');
  assert.equal(valueToText({ kind: 'crossentropy', args: {} }, { bareEmptyCalls: true }), 'crossentropy');
  assert.equal(valueToText('relu'), 'relu');
  assert.equal(valueToText('relu', { quoteStrings: true }), '"relu"');
  assert.equal(valueToText('data'), '"data"', 'a keyword is quoted, or it would not parse as a value');
  assert.equal(valueToText('train'), 'train', '`train` is a word value too (mnist(split: train))');
  assert.deepStrictEqual(readBack('train'), 'train');
  assert.deepStrictEqual(readBack('mnist(split: train)'), { kind: 'mnist', args: { split: 'train' } });
  assert.equal(valueToText('say "hi"\\\n'), '"say \\"hi\\"\\\\\\n"');
  assert.equal(valueToText([-0.5, 1e-7, 1e21, true]), '[-0.5, 1e-7, 1e+21, true]');
  assert.equal(valueToText(-0), '-0');
  assert.deepStrictEqual(readBack('sgd(0.1, momentum: 0.9)'), { kind: 'sgd', args: { '0': 0.1, momentum: 0.9 } });
});
