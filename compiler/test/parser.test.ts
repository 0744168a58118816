import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type Call, type LetDecl, type ModelDecl, type SectionDecl } from '../src/index.js';
import { at, show } from './helpers.js';
import { RegnetParser } from '../src/parser/grammar.js';
import { createLexer } from '../src/parser/tokens.js';

test("the grammar passes chevrotain's validations (skipped at run time for start-up speed)", () => {
  assert.doesNotThrow(() => new RegnetParser({ validateGrammar: true }));
});

test("the token patterns pass chevrotain's validations, errors and warnings (skipped at run time too)", () => {
  const lexer = createLexer({ validate: true }); // throws on errors
  assert.deepEqual(lexer.lexerDefinitionErrors, []);
  // Warnings (e.g. a pattern that may hide line breaks) are printed, not thrown; the field is untyped.
  assert.deepEqual((lexer as unknown as { lexerDefinitionWarning: unknown[] }).lexerDefinitionWarning, []);
});

const FULL = `# every construct of docs/language.md sections 1-2
let p = 0.5
let lr = 1e-4
let big = 2.5E3
let neg = -1
let half = .5
let name = "a \\"quoted\\" \\\\ word\\n"
let sizes = [1, 2, 3,]
let on = true
let off = false
model mlp {
  input([28, 28, 1])
  conv2d(32, kernel: 3, padding: same) as conv1
  repeat(2) {
    dense(64, activation: relu)
    dropout(p)
  }
  residual(projection: true) { dense(32) relu }
  relu
  dense(10)
}
data {
  source: mnist()
  augment {
    flip(horizontal, p: 0.5)
    crop(28, padding: 4)
  }
}
train {
  optimizer: adamw(lr: lr, weight_decay: 0.01)
  early_stopping { monitor: val_loss  patience: 5  min_delta: 0  restore_best: true }
  metrics: [accuracy]
}
sweep { p: [0.0, 0.5] repeats: 2 }
`;

test('every construct of the language parses without diagnostics', () => {
  const { ast, diagnostics } = parse(FULL);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    ast.decls.map((d) => d.kind),
    ['let', 'let', 'let', 'let', 'let', 'let', 'let', 'let', 'let', 'model', 'data', 'train', 'sweep'],
  );
  assert.equal(ast.comments.length, 1);
  const values = ast.decls.slice(0, 9).map((d) => {
    const v = (d as LetDecl).value!;
    return v.kind === 'list' ? v.items.map((i) => (i.kind === 'number' ? i.value : null)) : 'value' in v ? v.value : v.kind;
  });
  assert.deepEqual(values, [0.5, 1e-4, 2500, -1, 0.5, 'a "quoted" \\ word\n', [1, 2, 3], true, false]);
});

test('layers carry calls, aliases, blocks and ranges', () => {
  const { ast } = parse(FULL);
  const model = ast.decls.find((d) => d.kind === 'model') as ModelDecl;
  assert.equal(model.name?.name, 'mlp');
  assert.deepEqual(
    model.layers.map((l) => l.call.name.name),
    ['input', 'conv2d', 'repeat', 'residual', 'relu', 'dense'],
  );
  const conv = model.layers[1];
  assert.equal(conv.alias?.name, 'conv1');
  assert.equal(at(conv.range), '13:3-13:48');
  assert.equal(at(conv.call.range), '13:3-13:39');
  assert.deepEqual(conv.call.args.map((a) => a.name?.name ?? '#'), ['#', 'kernel', 'padding']);
  const repeat = model.layers[2];
  assert.deepEqual(repeat.block?.layers.map((l) => l.call.name.name), ['dense', 'dropout']);
  assert.equal(at(repeat.range), '14:3-17:4');
  assert.equal(model.layers[4].call.hasParens, false);
  const input = model.layers[0].call.args[0].value!;
  assert.equal(input.kind, 'list');
});

test('settings: values, blocks of settings and blocks of calls (augment is a keyword)', () => {
  const { ast } = parse(FULL);
  const data = ast.decls.find((d) => d.kind === 'data') as SectionDecl;
  assert.deepEqual(data.settings.map((s) => s.key.name), ['source', 'augment']);
  const augment = data.settings[1].block!;
  assert.deepEqual(augment.items.map((i) => (i.kind === 'call' ? i.name.name : i.key.name)), ['flip', 'crop']);
  const train = ast.decls.find((d) => d.kind === 'train') as SectionDecl;
  const es = train.settings[1].block!;
  assert.deepEqual(es.items.map((i) => (i.kind === 'setting' ? `${i.key.name}` : '?')), ['monitor', 'patience', 'min_delta', 'restore_best']);
  const monitor = es.items[0];
  assert.equal(monitor.kind === 'setting' && monitor.value?.kind, 'name');
  const opt = train.settings[0].value as Call;
  assert.equal(opt.kind, 'call');
  assert.equal(opt.args[0].value?.kind, 'name');
});

test('a bare word value is a name, a word with parentheses is a call', () => {
  const { ast } = parse('train { optimizer: adam loss: crossentropy(label_smoothing: 0.1) }');
  const train = ast.decls[0] as SectionDecl;
  assert.equal(train.settings[0].value?.kind, 'name');
  assert.equal(train.settings[1].value?.kind, 'call');
});

test('every syntax error is reported and later declarations still parse', () => {
  const source = [
    'let = 3', // 1: missing name
    'model { dense(10 relu dense(5) }', // 2: missing ')'
    'data { source: mnist( validation 0.1 }', // 3
    'train { epochs: 3 } foo', // 4: stray word
    'let s = "abc', // 5: unterminated string
    'model { conv2d(3, kernel: @) }', // 6: bad character
  ].join('\n');
  const { ast, diagnostics } = parse(source);
  assert.deepEqual(diagnostics.map(show), [
    "error RN101 1:5-1:6 expected a name but found '='",
    "error RN101 2:18-2:22 expected ')' but found 'relu'",
    "error RN101 3:34-3:37 expected ')' but found '0.1'",
    "error RN101 4:21-4:24 unexpected 'foo'",
    'error RN102 5:9-5:13 unterminated string: expected a closing \'"\' before the end of the line',
    "error RN103 6:27-6:28 unexpected character '@'",
    "error RN101 6:28-6:29 expected a value (number, string, true/false, list, name or call) but found ')'",
  ]);
  assert.deepEqual(ast.decls.map((d) => d.kind), ['let', 'model', 'data', 'train', 'let', 'model']);
  // recovery keeps what it can: the partial model still has its layers
  const model = ast.decls[1] as ModelDecl;
  assert.ok(model.layers.length >= 1);
  assert.equal(model.layers[0].call.name.name, 'dense');
});

test('an unclosed block is reported at its last token, and the next declaration survives', () => {
  const { ast, diagnostics } = parse('model {\n  dense(10)\ndata { source: mnist() }\n');
  assert.deepEqual(diagnostics.map(show), ["error RN101 2:11-2:12 expected '}' but found 'data'"]);
  assert.equal(ast.decls[1].kind, 'data');
  assert.equal((ast.decls[0] as ModelDecl).layers.length, 1);
});

test('text before any declaration is reported once', () => {
  const { diagnostics } = parse('hello world\nlet x = 1');
  assert.deepEqual(diagnostics.map(show), ["error RN101 1:1-1:6 expected a declaration (let, model, data, train or sweep) but found 'hello'"]);
});

test('invalid escapes and huge numbers are reported', () => {
  const { diagnostics } = parse('let s = "a\\qb"\nlet n = 1e999');
  assert.deepEqual(diagnostics.map(show), [
    'error RN105 1:11-1:13 invalid escape \'\\q\' in a string: expected \\", \\\\ or \\n',
    "error RN104 2:9-2:14 number '1e999' is too large",
  ]);
});

test('trailing commas in calls and lists are allowed; double commas are not', () => {
  assert.deepEqual(parse('let a = [1, 2,]\nmodel { dense(10, activation: relu,) }').diagnostics, []);
  assert.equal(parse('let a = [1,, 2]').diagnostics[0]?.code, 'RN101');
});

test('keywords need word boundaries: `models` and `dataset` are names', () => {
  const { ast, diagnostics } = parse('let models = 1\nlet dataset = models');
  assert.deepEqual(diagnostics, []);
  assert.equal((ast.decls[0] as LetDecl).name?.name, 'models');
});

test('an empty file and a comment-only file parse to no declarations', () => {
  assert.deepEqual(parse('').ast.decls, []);
  const r = parse('# just a note\n');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ast.comments[0].text, '# just a note');
});

test("`train` is a word value after ':' (mnist(split: train)) and still starts a block before '{'", () => {
  const ok = parse('data {\n  source: mnist(split: train)\n}\ntrain { epochs: 1 }\n');
  assert.deepEqual(ok.diagnostics, []);
  assert.deepEqual(ok.ast.decls.map((d) => d.kind), ['data', 'train']);
  const source = (ok.ast.decls[0] as SectionDecl).settings[0];
  assert.equal(source.value?.kind, 'call');
  const split = (source.value as Call).args[0];
  assert.deepEqual({ name: split.name?.name, value: split.value }, {
    name: 'split',
    value: { kind: 'name', name: 'train', range: split.value!.range },
  });
  // A value missing before the train block: the block is still found.
  const broken = parse('data {\n  source: mnist(split: \ntrain { epochs: 1 }\n');
  assert.equal(broken.diagnostics[0].message, "expected a value (number, string, true/false, list, name or call) but found 'train'");
  assert.deepEqual(broken.ast.decls.map((d) => d.kind), ['data', 'train']);
});
