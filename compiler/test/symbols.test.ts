// The semantic model's symbols: what hover and go-to-definition look up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../src/index.js';

function symbolsOnLine(text: string, line: number) {
  return check(text, { inspectData: false })
    .model.symbols.filter((s) => s.range.start.line === line)
    .map((s) => `${s.range.start.column} ${s.kind} ${s.entry ? `${s.entry.category}:${s.entry.name}` : s.constant ? `const:${s.constant.name}` : '-'}`);
}

test('a word that is both a metric and a monitor word documents the right one', () => {
  const text = 'model { dense(2) }\ndata { source: playground(circle) }\ntrain { metrics: [accuracy] early_stopping { monitor: accuracy } }\n';
  const line3 = symbolsOnLine(text, 3).filter((s) => s.includes('accuracy'));
  assert.deepEqual(line3, ['19 enum-word metric:accuracy', '55 enum-word enum-word:accuracy']);
});

test('layers, arguments and constants are symbols with their entries and shapes', () => {
  const text = 'let w = 8\nmodel {\n  dense(w, activation: relu)\n  dense(2)\n}\ndata { source: playground(circle) }\n';
  const result = check(text, { inspectData: false });
  const dense = result.model.symbols.find((s) => s.range.start.line === 3 && s.kind === 'layer');
  assert.equal(dense?.entry?.name, 'dense');
  assert.deepEqual(dense?.layerInfo?.outputShape, [8]);
  assert.equal(dense?.layerInfo?.params, 24);
  const w = result.model.symbols.find((s) => s.range.start.line === 3 && s.kind === 'constant');
  assert.equal(w?.constant?.name, 'w');
  assert.equal(w?.constant?.value, 8);
  assert.deepEqual(result.model.constants.get('w')?.uses.map((r) => `${r.start.line}:${r.start.column}`), ['3:9']);
});
