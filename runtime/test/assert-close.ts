// The one numeric comparison of the runtime's tests (goldens, layers, schedules, runs).
import assert from 'node:assert/strict';

/** Element-wise |a − b| ≤ atol + rtol·|b| (a number or arrays), with the first offending index in the message. */
export function assertClose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  what: string,
  atol = 1e-5,
  rtol = 1e-5,
): void {
  const a = typeof actual === 'number' ? [actual] : actual;
  const b = typeof expected === 'number' ? [expected] : expected;
  assert.equal(a.length, b.length, `${what}: length ${a.length} vs ${b.length}`);
  for (let i = 0; i < b.length; i++) {
    if (!(Math.abs(a[i]! - b[i]!) <= atol + rtol * Math.abs(b[i]!))) {
      assert.fail(`${what}${typeof expected === 'number' ? '' : `[${i}]`}: got ${a[i]}, expected ${b[i]} (diff ${Math.abs(a[i]! - b[i]!)})`);
    }
  }
}
