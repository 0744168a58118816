import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount } from '../src/index.js';

test("formatCount writes what toLocaleString('en-US') writes, without ICU for integers", () => {
  const values = [0, -0, 1, -1, 12, 999, 1000, -1000, 1234, 99_999, 100_480, 7996, 1_234_567, -1_234_567, 2 ** 31, 1e15, Number.MAX_SAFE_INTEGER, 1.5, 1234.5678, 1e21, NaN, Infinity];
  for (const n of values) assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
  assert.equal(formatCount(100_480), '100,480');
});
