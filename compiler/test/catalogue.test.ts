// The docs catalogue: complete against docs/language.md, defaults and ranges exactly as
// the language reference gives them, self-consistent, and rendered with its facts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CATALOGUE, WORD_LISTS, closestNames, editDistance, entriesOf, findEntries, getEntry, getParam, getSetting,
  paramDefaults, positionalParams, renderMarkdown, renderPlain, sectionSettings, settingParam, signature,
} from '../src/catalogue/index.js';
import type { Category, Entry, ParamDoc, ValueType } from '../src/catalogue/types.js';
import type { JsonValue } from '../src/ir.js';

const LANGUAGE = {
  layer: [
    'input', 'dense', 'conv2d', 'conv1d', 'maxpool', 'avgpool', 'global_avgpool', 'global_maxpool', 'flatten', 'reshape',
    'embedding', 'lstm', 'gru', 'dropout', 'spatial_dropout', 'gaussian_noise', 'batchnorm', 'layernorm', 'groupnorm',
    'instancenorm', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax', 'repeat', 'residual',
  ],
  source: ['playground', 'mnist', 'csv', 'idx', 'images', 'text'],
  augmentation: ['flip', 'crop', 'rotate', 'translate', 'zoom', 'brightness', 'contrast', 'noise', 'cutout', 'mixup', 'synonym', 'word_dropout', 'word_swap'],
  optimizer: ['sgd', 'adagrad', 'rmsprop', 'adam', 'adamw'],
  schedule: ['constant', 'step', 'exponential', 'cosine', 'warm_restarts'],
  loss: ['crossentropy', 'binary_crossentropy', 'mse'],
  regularizer: ['l1', 'l2', 'l1_l2'],
  clip: ['norm', 'value'],
  metric: ['accuracy'],
  keyword: ['let', 'model', 'data', 'train', 'sweep', 'augment', 'as', 'true', 'false'],
  'enum-word': [
    'linear', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax',
    'glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_normal', 'zeros', 'ones',
    'same', 'valid', 'val_loss', 'val_accuracy', 'loss', 'accuracy', 'best', 'last', 'none', 'standard', 'minmax',
    'circle', 'xor', 'gauss', 'spiral', 'horizontal', 'vertical', 'both', 'train', 'test',
  ],
} satisfies Partial<Record<Category, string[]>>;

const SECTIONS = {
  data: ['source', 'validation', 'test', 'shuffle', 'subset', 'label_noise', 'normalize', 'augment'],
  train: ['epochs', 'batch_size', 'loss', 'optimizer', 'schedule', 'clip', 'regularizer', 'early_stopping', 'checkpoint', 'metrics', 'seed'],
  early_stopping: ['monitor', 'patience', 'min_delta', 'restore_best'],
  sweep: ['repeats'],
} as const;

const ADDED_SETTINGS: Partial<Record<keyof typeof SECTIONS, string[]>> = { train: ['mc_samples'] };

function mustGet(category: Category, name: string): Entry {
  const e = getEntry(category, name);
  assert.ok(e, `missing ${category} ${name}`);
  return e;
}
function mustParam(category: Category, name: string, param: string): ParamDoc {
  const p = getParam(mustGet(category, name), param);
  assert.ok(p, `missing argument ${param} of ${category} ${name}`);
  return p;
}
function defaultOf(category: Category, name: string, param: string): JsonValue | undefined {
  return mustParam(category, name, param).default;
}

test('every name of docs/language.md is in the catalogue, with a summary and a reference', () => {
  for (const [category, names] of Object.entries(LANGUAGE) as [Category, string[]][]) {
    for (const name of names) {
      const e = mustGet(category, name);
      assert.ok(e.summary.length > 10, `${category} ${name}: summary`);
      assert.ok(e.reference && e.reference.length > 5, `${category} ${name}: reference`);
    }
  }
  for (const [section, names] of Object.entries(SECTIONS)) {
    // Settings the project added (docs/language-additions.md) are marked as extensions.
    const settings = sectionSettings(section as keyof typeof SECTIONS);
    assert.deepEqual(settings.filter((e) => !e.extension).map((e) => e.name).sort(), [...names].sort(), section);
    assert.deepEqual(settings.filter((e) => e.extension).map((e) => e.name), ADDED_SETTINGS[section as keyof typeof SECTIONS] ?? [], `${section}: added settings`);
    for (const name of names) assert.ok(getSetting(section as keyof typeof SECTIONS, name)?.reference, `${section}.${name}: reference`);
  }
  // Layers are exactly the docs/language.md list (no undocumented extras).
  assert.deepEqual(entriesOf('layer').map((e) => e.name).sort(), [...LANGUAGE.layer].sort());
});

test('every entry and argument is documented; every layer, optimizer, schedule, loss, regularizer and clip with a formula where one exists', () => {
  for (const e of CATALOGUE) {
    assert.ok(e.summary.trim().length > 0, `${e.category} ${e.name}`);
    for (const p of e.params) assert.ok(p.summary.trim().length > 0, `${e.name}.${p.name}`);
  }
  const noFormula = new Set(['input']);
  for (const category of ['layer', 'optimizer', 'schedule', 'loss', 'regularizer', 'clip', 'augmentation'] as Category[]) {
    for (const e of entriesOf(category)) if (!noFormula.has(e.name)) assert.ok(e.formula, `${category} ${e.name} has a formula`);
  }
});

/** Is `value` an acceptable literal of type `t` (ignoring calls, which are checked by kind)? */
function fits(t: ValueType, value: JsonValue): boolean {
  switch (t.type) {
    case 'int':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'bool':
      return typeof value === 'boolean';
    case 'string':
    case 'path':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && t.values.includes(value);
    case 'list':
      return Array.isArray(value) && value.every((v) => fits(t.of, v)) && (t.length === undefined || value.length === t.length);
    case 'int-or-list':
      return Number.isInteger(value) || (Array.isArray(value) && value.every((v) => Number.isInteger(v)));
    case 'call':
      return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.kind === 'string' && getEntry(t.category, value.kind) !== undefined;
    case 'union':
      return t.of.some((u) => fits(u, value));
  }
}
function inRange(p: { min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean }, v: JsonValue): boolean {
  if (typeof v !== 'number') return true;
  if (p.min !== undefined && (p.exclusiveMin ? v <= p.min : v < p.min)) return false;
  if (p.max !== undefined && (p.exclusiveMax ? v >= p.max : v > p.max)) return false;
  return true;
}
function walkTypes(t: ValueType, visit: (t: ValueType) => void): void {
  visit(t);
  if (t.type === 'list') walkTypes(t.of, visit);
  if (t.type === 'union') t.of.forEach((u) => walkTypes(u, visit));
}

test('the catalogue is self-consistent: defaults fit their type and range, enum words and call kinds exist, positions are dense', () => {
  for (const e of CATALOGUE) {
    for (const p of e.params) {
      if (p.default !== undefined) {
        assert.ok(fits(p.value, p.default), `${e.name}.${p.name} default ${JSON.stringify(p.default)} fits its type`);
        assert.ok(inRange(p, p.default), `${e.name}.${p.name} default in range`);
      }
      if (p.defaultFrom) assert.ok(getParam(e, p.defaultFrom), `${e.name}.${p.name} defaultFrom names an argument`);
      walkTypes(p.value, (t) => {
        if (t.type === 'enum') for (const w of t.values) assert.ok(getEntry('enum-word', w), `${e.name}.${p.name}: word ${w} documented`);
      });
    }
    const positions = positionalParams(e).map((p) => p.positional);
    assert.deepEqual(positions, positions.map((_, i) => i), `${e.name}: positional indices 0..n-1`);
    assert.equal(new Set(e.params.map((p) => p.name)).size, e.params.length, `${e.name}: unique argument names`);
    if (e.category === 'section-setting') {
      if (e.default !== undefined && e.value) {
        assert.ok(fits(e.value, e.default), `${e.name} default fits`);
        assert.ok(inRange(e, e.default), `${e.name} default in range`);
      }
      if (e.value) walkTypes(e.value, (t) => {
        if (t.type === 'enum') for (const w of t.values) assert.ok(findEntries(w).length > 0, `${e.name}: word ${w} documented`);
      });
    }
  }
  // No two entries share category and name (getEntry is unambiguous), except settings of different sections.
  const keys = CATALOGUE.map((e) => `${e.category}:${e.name}:${(e.section ?? []).join()}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('layer defaults are exactly those of docs/language.md §3', () => {
  assert.deepEqual(paramDefaults(mustGet('layer', 'dense')), { activation: 'linear', bias: true, init: 'glorot_uniform', l1: 0, l2: 0 });
  assert.deepEqual(paramDefaults(mustGet('layer', 'conv2d')), { kernel: 3, stride: 1, padding: 'same', activation: 'linear', bias: true, init: 'glorot_uniform', l1: 0, l2: 0 });
  assert.deepEqual(paramDefaults(mustGet('layer', 'conv1d')), paramDefaults(mustGet('layer', 'conv2d')));
  for (const pool of ['maxpool', 'avgpool']) {
    assert.equal(mustParam('layer', pool, 'stride').defaultFrom, 'size');
    assert.equal(mustParam('layer', pool, 'stride').default, undefined);
    assert.equal(defaultOf('layer', pool, 'padding'), 'valid');
  }
  assert.deepEqual(paramDefaults(mustGet('layer', 'embedding')), { l2: 0 });
  for (const rnn of ['lstm', 'gru']) assert.deepEqual(paramDefaults(mustGet('layer', rnn)), { return_sequences: false, dropout: 0, recurrent_dropout: 0 });
  assert.deepEqual(paramDefaults(mustGet('layer', 'batchnorm')), { momentum: 0.99, epsilon: 0.001, center: true, scale: true });
  for (const n of ['layernorm', 'groupnorm', 'instancenorm']) assert.equal(defaultOf('layer', n, 'epsilon'), 0.001);
  assert.equal(defaultOf('layer', 'leaky_relu', 'alpha'), 0.2);
  assert.deepEqual(paramDefaults(mustGet('layer', 'residual')), { projection: false });
  assert.equal(mustGet('layer', 'repeat').block, 'layers');
  assert.equal(mustGet('layer', 'residual').block, 'layers');
  assert.equal(mustGet('layer', 'dense').block, undefined);
  // Required arguments have no default.
  for (const [layer, arg] of [['dense', 'units'], ['conv2d', 'filters'], ['dropout', 'rate'], ['groupnorm', 'groups'], ['repeat', 'times'], ['input', 'shape'], ['reshape', 'shape']]) {
    const p = mustParam('layer', layer!, arg!);
    assert.equal(p.default, undefined, `${layer}.${arg}`);
    assert.notEqual(p.optional, true, `${layer}.${arg}`);
  }
  assert.deepEqual(WORD_LISTS.activation, ['linear', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax']);
  assert.deepEqual(WORD_LISTS.init, ['glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_normal', 'zeros', 'ones']);
  assert.deepEqual(mustParam('layer', 'conv2d', 'padding').value, { type: 'enum', values: ['same', 'valid'] });
});

test('data defaults are exactly those of docs/language.md §4', () => {
  const d = (name: string) => getSetting('data', name)?.default;
  assert.equal(d('validation'), 0.1);
  assert.equal(d('shuffle'), true);
  assert.equal(d('label_noise'), 0);
  assert.equal(d('normalize'), 'none');
  assert.deepEqual(d('augment'), []);
  assert.equal(d('subset'), undefined);
  assert.equal(d('test'), undefined);
  assert.equal(getSetting('data', 'source')?.required, true);
  assert.equal(getSetting('data', 'augment')?.blockContent, 'calls');
  assert.deepEqual(paramDefaults(mustGet('source', 'playground')), { n: 500, noise: 0 });
  assert.deepEqual(mustParam('source', 'playground', 'kind').value, { type: 'enum', values: ['circle', 'xor', 'gauss', 'spiral'] });
  assert.deepEqual(paramDefaults(mustGet('source', 'mnist')), { split: 'train' });
  assert.equal(defaultOf('source', 'images', 'channels'), 3);
  assert.equal(defaultOf('source', 'text', 'vocab'), 10000);
  assert.equal(defaultOf('source', 'text', 'length'), 64);
  assert.equal(mustParam('source', 'csv', 'features').optional, true);
  assert.equal(mustParam('source', 'idx', 'images').value.type, 'path');
  // Every image/any-input augmentation has p: 1.0.
  for (const e of entriesOf('augmentation')) {
    if (['synonym', 'word_dropout'].includes(e.name)) continue; // there `p` is per word
    assert.equal(getParam(e, 'p')?.default, 1.0, `${e.name}.p`);
  }
  assert.equal(defaultOf('augmentation', 'crop', 'padding'), 0);
  assert.equal(defaultOf('augmentation', 'cutout', 'count'), 1);
  assert.deepEqual(mustParam('augmentation', 'flip', 'direction').value, { type: 'enum', values: ['horizontal', 'vertical', 'both'] });
});

test('train, early_stopping and sweep defaults are exactly those of docs/language.md §5–6', () => {
  const t = (name: string) => getSetting('train', name)?.default;
  assert.equal(t('seed'), 42);
  assert.equal(t('epochs'), 10);
  assert.equal(t('batch_size'), 32);
  assert.deepEqual(t('loss'), { kind: 'crossentropy', args: {} });
  assert.deepEqual(t('optimizer'), { kind: 'adamw', args: { lr: 0.001 } });
  assert.deepEqual(t('schedule'), { kind: 'constant', args: {} });
  assert.equal(t('checkpoint'), 'best');
  assert.deepEqual(t('metrics'), ['accuracy']);
  assert.equal(t('clip'), undefined);
  assert.equal(t('regularizer'), undefined);
  assert.equal(getSetting('train', 'early_stopping')?.blockContent, 'settings');
  const es = (name: string) => getSetting('early_stopping', name)?.default;
  assert.equal(es('monitor'), 'val_loss');
  assert.equal(es('patience'), 5);
  assert.equal(es('min_delta'), 0);
  assert.equal(es('restore_best'), true);
  assert.deepEqual(getSetting('early_stopping', 'monitor')?.value, { type: 'enum', values: ['val_loss', 'val_accuracy', 'loss', 'accuracy'] });
  assert.deepEqual(getSetting('train', 'checkpoint')?.value, { type: 'enum', values: ['best', 'last', 'none'] });
  assert.equal(getSetting('sweep', 'repeats')?.default, 1);

  assert.deepEqual(paramDefaults(mustGet('optimizer', 'sgd')), { lr: 0.01, momentum: 0, nesterov: false, weight_decay: 0 });
  assert.deepEqual(paramDefaults(mustGet('optimizer', 'adagrad')), { lr: 0.01 });
  assert.deepEqual(paramDefaults(mustGet('optimizer', 'rmsprop')), { lr: 0.001, rho: 0.9, momentum: 0 });
  assert.deepEqual(paramDefaults(mustGet('optimizer', 'adam')), { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  assert.deepEqual(paramDefaults(mustGet('optimizer', 'adamw')), { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.01 });
  assert.equal(getParam(mustGet('optimizer', 'adam'), 'weight_decay'), undefined, 'adam has no weight decay');
  assert.equal(mustParam('optimizer', 'sgd', 'lr').extension, true, 'lr defaults are marked as additions');
  assert.deepEqual(paramDefaults(mustGet('schedule', 'constant')), {});
  assert.deepEqual(paramDefaults(mustGet('schedule', 'step')), { gamma: 0.1 });
  assert.deepEqual(paramDefaults(mustGet('schedule', 'cosine')), { warmup: 0, min_lr: 0 });
  assert.deepEqual(paramDefaults(mustGet('schedule', 'warm_restarts')), { mult: 1, min_lr: 0 });
  assert.equal(mustParam('schedule', 'exponential', 'gamma').default, undefined);
  assert.equal(defaultOf('loss', 'crossentropy', 'label_smoothing'), 0);
  assert.equal(mustParam('loss', 'crossentropy', 'from_logits').extension, true);
  assert.equal(mustParam('clip', 'norm', 'max_norm').default, undefined);
});

test('ranges: rates, probabilities, learning rates and counts', () => {
  const range = (p: { min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean } | undefined) =>
    p && { min: p.min, max: p.max, exclusiveMin: p.exclusiveMin ?? false, exclusiveMax: p.exclusiveMax ?? false };
  const halfOpenUnit = { min: 0, max: 1, exclusiveMin: false, exclusiveMax: true };
  assert.deepEqual(range(mustParam('layer', 'dropout', 'rate')), halfOpenUnit);
  assert.deepEqual(range(mustParam('layer', 'spatial_dropout', 'rate')), halfOpenUnit);
  assert.deepEqual(range(mustParam('layer', 'lstm', 'recurrent_dropout')), halfOpenUnit);
  assert.deepEqual(range(mustParam('optimizer', 'sgd', 'momentum')), halfOpenUnit);
  assert.deepEqual(range(mustParam('layer', 'batchnorm', 'momentum')), halfOpenUnit);
  assert.deepEqual(range(getSetting('data', 'validation')), halfOpenUnit);
  assert.deepEqual(range(getSetting('data', 'label_noise')), { min: 0, max: 1, exclusiveMin: false, exclusiveMax: false });
  assert.deepEqual(range(mustParam('augmentation', 'flip', 'p')), { min: 0, max: 1, exclusiveMin: false, exclusiveMax: false });
  for (const opt of LANGUAGE.optimizer) assert.deepEqual(range(mustParam('optimizer', opt, 'lr')), { min: 0, max: undefined, exclusiveMin: true, exclusiveMax: false }, opt);
  assert.deepEqual(getSetting('train', 'epochs')?.value, { type: 'int' });
  assert.equal(getSetting('train', 'epochs')?.min, 1);
  assert.equal(getSetting('train', 'batch_size')?.min, 1);
  assert.equal(mustParam('layer', 'conv2d', 'kernel').min, 1);
  assert.deepEqual(mustParam('layer', 'conv2d', 'kernel').value, { type: 'int-or-list', length: 2 });
  assert.equal(mustParam('layer', 'dense', 'units').value.type, 'int');
  assert.equal(mustParam('layer', 'dense', 'units').min, 1);
  assert.deepEqual(mustParam('source', 'images', 'channels').choices, [1, 3]);
  // The validation setting takes a fraction or a source.
  assert.deepEqual(getSetting('data', 'validation')?.value, { type: 'union', of: [{ type: 'number' }, { type: 'call', category: 'source' }] });
  // settingParam exposes a setting to the same validator as arguments.
  assert.deepEqual(settingParam(getSetting('train', 'epochs')!), { name: 'epochs', value: { type: 'int' }, summary: getSetting('train', 'epochs')!.summary, default: 10, min: 1 });
  assert.equal(settingParam(getSetting('data', 'subset')!).optional, true);
  assert.equal(settingParam(getSetting('data', 'source')!).optional, undefined);
});

test('positional orders', () => {
  const order = (category: Category, name: string) => positionalParams(mustGet(category, name)).map((p) => p.name);
  assert.deepEqual(order('layer', 'dense'), ['units']);
  assert.deepEqual(order('layer', 'conv2d'), ['filters']);
  assert.deepEqual(order('layer', 'conv1d'), ['filters']);
  assert.deepEqual(order('layer', 'maxpool'), ['size']);
  assert.deepEqual(order('layer', 'embedding'), ['vocab', 'dim']);
  assert.deepEqual(order('layer', 'lstm'), ['units']);
  assert.deepEqual(order('layer', 'dropout'), ['rate']);
  assert.deepEqual(order('layer', 'gaussian_noise'), ['std']);
  assert.deepEqual(order('layer', 'groupnorm'), ['groups']);
  assert.deepEqual(order('layer', 'repeat'), ['times']);
  assert.deepEqual(order('layer', 'input'), ['shape']);
  assert.deepEqual(order('layer', 'reshape'), ['shape']);
  assert.deepEqual(order('layer', 'flatten'), []);
  assert.deepEqual(order('source', 'playground'), ['kind']);
  assert.deepEqual(order('source', 'csv'), ['path']);
  assert.deepEqual(order('augmentation', 'crop'), ['size', 'padding']);
  assert.deepEqual(order('augmentation', 'flip'), ['direction']);
  assert.deepEqual(order('augmentation', 'cutout'), ['size']);
  assert.deepEqual(order('schedule', 'step'), ['every', 'gamma']);
  assert.deepEqual(order('schedule', 'warm_restarts'), ['period']);
  assert.deepEqual(order('optimizer', 'sgd'), ['lr']);
  assert.deepEqual(order('optimizer', 'adamw'), ['lr']);
  assert.deepEqual(order('regularizer', 'l2'), ['lambda']);
  assert.deepEqual(order('regularizer', 'l1_l2'), ['l1', 'l2']);
  assert.deepEqual(order('clip', 'norm'), ['max_norm']);
  assert.deepEqual(order('clip', 'value'), ['clip_value']);
});

test('look-ups: a name in several categories, entries by category, unknown names', () => {
  assert.deepEqual(findEntries('relu').map((e) => e.category).sort(), ['enum-word', 'layer']);
  assert.deepEqual(findEntries('train').map((e) => e.category).sort(), ['enum-word', 'keyword']);
  assert.deepEqual(findEntries('accuracy').map((e) => e.category).sort(), ['enum-word', 'metric']);
  assert.deepEqual(findEntries('none')[0]?.groups, ['checkpoint', 'normalize']);
  assert.deepEqual(findEntries('nope'), []);
  assert.equal(getEntry('layer', 'adamw'), undefined);
  assert.equal(getSetting('train', 'patience'), undefined);
  assert.equal(getSetting('early_stopping', 'patience')?.default, 5);
  assert.deepEqual(entriesOf('optimizer').map((e) => e.name), LANGUAGE.optimizer);
  // Returned arrays are copies: callers cannot corrupt the catalogue.
  entriesOf('layer').pop();
  assert.equal(entriesOf('layer').length, LANGUAGE.layer.length);
  assert.throws(() => {
    (mustGet('layer', 'dense').params as ParamDoc[]).push({ name: 'x', value: { type: 'int' }, summary: 'x' });
  });
});

test('closestNames: "did you mean" by Damerau-Levenshtein distance', () => {
  const layers = entriesOf('layer').map((e) => e.name);
  assert.deepEqual(closestNames('dens', layers), ['dense']);
  assert.equal(closestNames('dropuot', layers)[0], 'dropout'); // one transposition
  assert.equal(closestNames('Dense', layers)[0], 'dense'); // case-insensitive
  assert.equal(closestNames('batch_norm', layers)[0], 'batchnorm');
  assert.equal(closestNames('conv2', layers)[0], 'conv2d');
  assert.deepEqual(closestNames('transformer', layers), []);
  assert.deepEqual(closestNames('dense', layers), []); // the word itself is not a suggestion
  assert.deepEqual(closestNames('adamm', entriesOf('optimizer').map((e) => e.name)), ['adam', 'adamw']);
  assert.deepEqual(closestNames('rleu', ['relu', 'elu', 'selu', 'gelu']).slice(0, 1), ['relu']);
  assert.deepEqual(closestNames('lr', ['lr', 'l1', 'l2']), ['l1', 'l2']);
  assert.equal(editDistance('ab', 'ba'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('ca', 'abc'), 3); // optimal string alignment (not unrestricted DL, which gives 2)
});

test('renderMarkdown of dropout shows signature, formula, range, requiredness and reference', () => {
  const md = renderMarkdown(mustGet('layer', 'dropout'));
  assert.ok(md.startsWith('```regnet\ndropout(rate)\n```'), md);
  assert.match(md, /```\ntraining: m_i ~ Bernoulli\(1 − rate\),  y = m ⊙ x \/ \(1 − rate\)\ninference: y = x\n```/);
  assert.match(md, /- `rate` — number, in \[0, 1\), required, positional 1\./);
  assert.match(md, /\*Reference:\* Srivastava et al\. 2014/);
});

test('rendered signatures show defaults in positional order', () => {
  assert.equal(signature(mustGet('layer', 'dense')), 'dense(units, activation: linear, bias: true, init: glorot_uniform, l1: 0, l2: 0)');
  assert.equal(signature(mustGet('layer', 'maxpool')), 'maxpool(size, stride: size, padding: valid)');
  assert.equal(signature(mustGet('layer', 'repeat')), 'repeat(times) { ... }');
  assert.equal(signature(mustGet('layer', 'flatten')), 'flatten');
  assert.equal(signature(mustGet('augmentation', 'crop')), 'crop(size, padding: 0, p: 1)');
  assert.equal(signature(mustGet('source', 'text')), 'text(path, text: "text", label: "label", vocab: 10000, length: 64)');
  assert.equal(signature(mustGet('regularizer', 'l1_l2')), 'l1_l2(l1: 0.01, l2: 0.01)');
  assert.equal(signature(getSetting('train', 'optimizer')!), 'optimizer: adamw(lr: 0.001)');
  assert.equal(signature(getSetting('train', 'metrics')!), 'metrics: [accuracy]');
  assert.equal(signature(getSetting('train', 'early_stopping')!), 'early_stopping { ... }');
  assert.equal(signature(getSetting('data', 'source')!), 'source: <a data source>');
  const md = renderMarkdown(mustGet('optimizer', 'adamw'));
  assert.match(md, /w ← w − lr_t·weight_decay·w_prev − lr_t·m̂\/\(√v̂ \+ ε\)/);
  assert.match(md, /- `weight_decay` — number, ≥ 0, default `0.01`\./);
  assert.match(renderMarkdown(getSetting('train', 'epochs')!), /Value: int, ≥ 1, default `10`\. In: `train`\./);
});

test('renderPlain has the same facts without markdown', () => {
  for (const e of CATALOGUE) {
    const text = renderPlain(e);
    assert.ok(!text.includes('`'), `${e.category} ${e.name}: no backticks`);
    assert.ok(text.includes(e.name));
    if (e.formula) assert.ok(text.includes(e.formula.split('\n')[0]!), `${e.name}: formula`);
    if (e.reference) assert.ok(text.includes(`Reference: ${e.reference.replace(/`/g, '')}`), `${e.name}: reference`);
  }
  const plain = renderPlain(mustGet('layer', 'batchnorm'));
  assert.match(plain, /^batchnorm\(momentum: 0\.99, epsilon: 0\.001, center: true, scale: true\) {4}\[layer\]/);
  assert.match(plain, /running_mean = momentum·running_mean \+ \(1 − momentum\)·μ_B/);
  assert.match(plain, /\n {2}momentum {2}number, in \[0, 1\), default 0\.99\./);
  assert.match(plain, /Reference: Ioffe & Szegedy 2015/);
});

test('formulas the course relies on', () => {
  assert.match(mustGet('regularizer', 'l2').formula!, /λ\/2 · Σ w²/);
  assert.match(mustGet('regularizer', 'l1').formula!, /λ · Σ \|w\|/);
  assert.match(mustGet('loss', 'crossentropy').formula!, /\(1 − ε\)·y_k \+ ε\/K/);
  assert.match(mustGet('schedule', 'cosine').formula!, /lr · t \/ warmup/);
  assert.match(mustGet('clip', 'norm').formula!, /g ← τ·g\/‖g‖/);
  assert.match(mustGet('augmentation', 'mixup').formula!, /Beta\(alpha, alpha\)/);
  assert.match(mustGet('layer', 'residual').formula!, /y = x \+ block\(x\)/);
  assert.match(mustGet('augmentation', 'synonym').reference!, /Wei & Zou 2019/);
  assert.match(mustGet('layer', 'groupnorm').reference!, /Wu & He 2018/);
  assert.match(mustGet('schedule', 'warm_restarts').reference!, /Loshchilov & Hutter 2017/);
});

test('docs/diagnostics.md lists every diagnostic code with its severity', async () => {
  const { readFileSync } = await import('node:fs');
  const { CODES } = await import('../src/index.js');
  const doc = readFileSync(new URL('../../../docs/diagnostics.md', import.meta.url), 'utf8');
  for (const [code, info] of Object.entries(CODES)) {
    assert.ok(doc.includes(`| ${code} | ${info.severity} |`), `${code} is missing from docs/diagnostics.md`);
  }
});
