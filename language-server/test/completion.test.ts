// Completion (in process): what each place of a spec accepts, with docs and snippets.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-protocol';
import { entriesOf, getEntry, renderMarkdown, sectionSettings } from '@regnet/compiler';
import { featureSuite } from './helpers/feature-suite.js';

const lsp = featureSuite();
const { request } = lsp;
describe('completion', () => {
  async function complete(textWithCursor: string): Promise<CompletionItem[]> {
    const { uri, position } = await lsp.open(textWithCursor);
    const result = await request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', uri, { position });
    return Array.isArray(result) ? result : result.items;
  }
  const labels = (items: CompletionItem[]) => items.map((i) => i.label).sort();

  test('layer names inside model, each with its docs', async () => {
    const items = await complete('model {\n  dense(10)\n  <|>\n}\n');
    assert.deepEqual(labels(items), entriesOf('layer').map((e) => e.name).sort());
    const conv = items.find((i) => i.label === 'conv2d')!;
    assert.deepEqual(conv.documentation, { kind: 'markdown', value: renderMarkdown(getEntry('layer', 'conv2d')!) });
    assert.equal(conv.insertText, 'conv2d(${1:filters})');
    assert.equal(items.find((i) => i.label === 'residual')!.insertText, 'residual {\n  $0\n}');
  });

  test('layer names inside a repeat block', async () => {
    const items = await complete('model {\n  repeat(2) {\n    dense(8)\n    <|>\n  }\n}\n');
    assert.ok(labels(items).includes('batchnorm'));
  });

  test('only the named arguments not yet given', async () => {
    const items = await complete('model {\n  conv2d(32, kernel: 3, <|>)\n}\n');
    const names = labels(items);
    assert.ok(names.includes('padding') && names.includes('activation') && names.includes('stride'));
    assert.ok(!names.includes('kernel'), 'kernel is given');
    assert.ok(!names.includes('filters'), 'filters is given positionally');
    assert.equal(items.find((i) => i.label === 'padding')!.insertText, 'padding: ');
  });

  test('enum words where an enum is expected, plus let constants', async () => {
    const items = await complete('let act = relu\nmodel {\n  dense(10, activation: <|>)\n}\n');
    const expected = ['linear', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax', 'act'];
    assert.deepEqual(labels(items), expected.sort());
    assert.equal(items.find((i) => i.label === 'act')!.kind, CompletionItemKind.Constant);
    assert.equal(items.find((i) => i.label === 'gelu')!.kind, CompletionItemKind.EnumMember);
  });

  test('while the call is still half-typed (no closing parenthesis)', async () => {
    const items = await complete('model {\n  conv2d(32, padding: <|>');
    assert.deepEqual(labels(items), ['same', 'valid']);
  });

  test('setting keys of train not yet given', async () => {
    const items = await complete('train {\n  epochs: 3\n  batch_size: 32\n  <|>\n}\n');
    const expected = sectionSettings('train').map((e) => e.name).filter((n) => n !== 'epochs' && n !== 'batch_size');
    assert.deepEqual(labels(items), expected.sort());
    assert.equal(items.find((i) => i.label === 'early_stopping')!.insertText, 'early_stopping {\n  $0\n}');
    assert.equal(items.find((i) => i.label === 'seed')!.insertText, 'seed: $0');
  });

  test('early_stopping keys, data keys, augmentations', async () => {
    assert.deepEqual(labels(await complete('train {\n  early_stopping {\n    patience: 2\n    <|>\n  }\n}\n')), ['min_delta', 'monitor', 'restore_best']);
    assert.deepEqual(
      labels(await complete('data {\n  source: mnist()\n  <|>\n}\n')),
      sectionSettings('data').map((e) => e.name).filter((n) => n !== 'source').sort(),
    );
    assert.deepEqual(labels(await complete('data {\n  augment {\n    <|>\n  }\n}\n')), entriesOf('augmentation').map((e) => e.name).sort());
  });

  test('optimizers, schedules, sources where a call is expected', async () => {
    assert.deepEqual(labels(await complete('train {\n  optimizer: <|>\n}\n')), ['adagrad', 'adam', 'adamw', 'rmsprop', 'sgd']);
    assert.deepEqual(labels(await complete('train {\n  schedule: co<|>\n}\n')), entriesOf('schedule').map((e) => e.name).sort());
    const sources = await complete('data {\n  source: <|>\n}\n');
    assert.deepEqual(labels(sources), entriesOf('source').map((e) => e.name).sort());
    assert.equal(sources.find((i) => i.label === 'csv')!.insertText, 'csv(${1:path})');
  });

  test('arguments of a nested call, and a positional enum', async () => {
    assert.deepEqual(labels(await complete('train {\n  optimizer: sgd(lr: 0.1, <|>)\n}\n')), ['momentum', 'nesterov', 'weight_decay']);
    // flip(direction, p: 1.0): both names, and the words the first positional slot accepts.
    const flip = labels(await complete('data {\n  augment {\n    flip(<|>)\n  }\n}\n'));
    assert.deepEqual(flip, ['both', 'direction', 'horizontal', 'p', 'vertical']);
    assert.deepEqual(labels(await complete('data {\n  augment {\n    flip(vertical, <|>)\n  }\n}\n')), ['p']);
  });

  test('list elements: metrics', async () => {
    const metrics = await complete('train {\n  metrics: [<|>]\n}\n');
    assert.deepEqual(labels(metrics), ['accuracy', 'mae', 'mse']);
    // `accuracy` is documented as the metric here, not as the early-stopping monitor word.
    assert.deepEqual(metrics.find((i) => i.label === 'accuracy')!.documentation, { kind: 'markdown', value: renderMarkdown(getEntry('metric', 'accuracy')!) });
    const monitor = await complete('train {\n  early_stopping {\n    monitor: <|>\n  }\n}\n');
    assert.deepEqual(monitor.find((i) => i.label === 'accuracy')!.documentation, { kind: 'markdown', value: renderMarkdown(getEntry('enum-word', 'accuracy')!) });
    // `metrics: ` without the bracket inserts the list.
    assert.equal((await complete('train {\n  metrics: <|>\n}\n')).find((i) => i.label === 'mae')!.insertText, '[mae]');
  });

  test('sweep keys are the let constants not yet swept', async () => {
    const items = await complete('let p = 0.5\nlet width = 64\nsweep {\n  p: [0.1]\n  <|>\n}\n');
    assert.deepEqual(labels(items), ['repeats', 'width']);
    assert.equal(items.find((i) => i.label === 'width')!.insertText, 'width: [${1:64}]');
  });

  test('block snippets at the top level, for blocks not yet written', async () => {
    const items = await complete('model {\n  dense(2)\n}\n<|>');
    assert.deepEqual(labels(items), ['data', 'let', 'sweep', 'train']);
    const data = items.find((i) => i.label === 'data')!;
    assert.equal(data.kind, CompletionItemKind.Snippet);
    assert.equal(data.insertTextFormat, 2);
    assert.match(data.insertText!, /^data \{\n  source: \$\{1:mnist\(\)\}/);
  });

  test('nothing inside comments, strings and numbers, or after `as`', async () => {
    assert.deepEqual(await complete('# model {<|>'), []);
    assert.deepEqual(await complete('data {\n  source: csv("da<|>ta.csv")\n}'), []);
    assert.deepEqual(await complete('model {\n  dense(1<|>0)\n}'), []);
    assert.deepEqual(await complete('model {\n  dense(10) as <|>\n}'), []);
  });
});

describe('completion on marked text', () => {
  test('optimizers after `optimizer:`; not the schedules', async () => {
    await lsp.expectCompletion('train {\n  optimizer: <|>\n}\n', { exactly: ['adagrad', 'adam', 'adamw', 'rmsprop', 'sgd'], excludes: ['cosine'] });
  });

  test('batchnorm arguments, momentum among them', async () => {
    await lsp.expectCompletion('model {\n  flatten\n  batchnorm(<|>)\n}\n', { includes: ['momentum', 'epsilon', 'center', 'scale'] });
  });
});
