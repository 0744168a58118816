// The one CSV reader (csv-read.ts): a text without quotes takes a direct split,
// which must give exactly what csv-parse gives — checked on random texts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCsvRows } from '../src/index.js';
import { readUnquoted, readWithCsvParse } from '../src/check/csv-read.js';
import { rng } from './fuzz-mutate.js';

test('without quotes, the direct split equals csv-parse (2,000 random texts, .csv and .tsv)', () => {
  const random = rng(7);
  const pieces = ['a', 'bc', '1', '2.5', ' ', '  x ', ',', '\t', '\n', '\r\n', '\r', '', 'é'];
  for (let i = 0; i < 2000; i++) {
    let text = random() < 0.2 ? '\ufeff' : '';
    const n = Math.floor(random() * 30);
    for (let k = 0; k < n; k++) text += pieces[Math.floor(random() * pieces.length)];
    for (const file of ['x.csv', 'x.tsv']) {
      assert.deepEqual(readUnquoted(text, file), readWithCsvParse(text, file), `${JSON.stringify(text)} as ${file}`);
    }
  }
});

test('quoted fields: newlines, commas and doubled quotes inside, line numbers of each row', () => {
  const read = readCsvRows('a,b\n"x\ny",2\n\n"he said ""hi""",3\n', 'x.csv');
  assert.deepEqual(read, { rows: [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['x\ny', '2'] }, { line: 5, fields: ['he said "hi"', '3'] }] });
  assert.deepEqual(readCsvRows('a,b\n"open,2\n', 'x.csv'), { error: 'unterminated quoted field', line: 2 });
});
