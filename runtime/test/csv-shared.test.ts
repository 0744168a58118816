// One CSV reader: `check` (the compiler) and training (the runtime's loader) read
// the same shared fixtures alike — quoted fields with newlines and commas, a .tsv,
// a byte order mark with CRLF lines. Before, `check` split lines on commas and
// reported RN602/RN603 on files that trained fine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { check, readCsvRows } from '@regnet/compiler';
import { loadCsv } from '../src/data/sources/csv.js';

const SHARED = fileURLToPath(new URL('../../../compiler/test/fixtures/data/csv-shared/', import.meta.url));

const CASES: { file: string; labels: string[]; y: number[]; x: number[] }[] = [
  { file: 'quoted-newline.csv', labels: ['iris\nsetosa', 'vir,ginica'], y: [0, 1, 0], x: [1, 2, 3, 4, 5, 6] },
  { file: 'tabs.tsv', labels: ['setosa', 'virginica'], y: [0, 1, 0], x: [1, 2, 3, 4, 5, 6] },
  { file: 'bom.csv', labels: ['setosa', 'virginica'], y: [0, 1, 0], x: [1, 2, 3, 4, 5, 6] },
];

for (const c of CASES) {
  test(`check and training agree on ${c.file}`, () => {
    const spec = `model { dense(2) }\ndata { source: csv("${c.file}", label: "species", features: ["x1", "x2"]) }`;
    const result = check(spec, { file: SHARED + 'spec.regnet' });
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    assert.deepEqual(result.model.data?.labels, c.labels);
    assert.deepEqual(result.model.data?.inputShape, [2]);
    const loaded = loadCsv({ path: SHARED + c.file, label: 'species', features: ['x1', 'x2'], classes: 2 });
    assert.deepEqual(loaded.labels, c.labels);
    assert.deepEqual([...loaded.examples.y], c.y);
    assert.deepEqual([...(loaded.examples as { x: Float32Array }).x], c.x);
  });
}

test('a quoted field with a newline: every row keeps the line it starts on', () => {
  const read = readCsvRows(readFileSync(SHARED + 'quoted-newline.csv', 'utf8'), 'quoted-newline.csv');
  assert.ok('rows' in read);
  assert.deepEqual(read.rows.map((r) => r.line), [1, 2, 4, 6]);
});
