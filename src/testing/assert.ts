// Numeric assertions for tests against float64 / Python references: report the first failing element.
import assert from 'node:assert/strict';

export interface Tolerance {
  /** Absolute tolerance. @default 0 */
  atol?: number;
  /** Relative tolerance (of |expected|). @default 0 */
  rtol?: number;
}

/** Assert |actual - expected| <= atol + rtol * |expected| elementwise (NaN equals NaN). */
export function assertClose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  tolerance: Tolerance = {},
  message = '',
): void {
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  assert.equal(a.length, e.length, `${message} length ${a.length} != expected ${e.length}`);
  const atol = tolerance.atol ?? 0;
  const rtol = tolerance.rtol ?? 0;
  let failures = 0;
  let first = -1;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const diff = Math.abs(x - y);
    if (!(diff <= atol + rtol * Math.abs(y))) {
      failures++;
      if (first < 0) first = i;
      worst = Math.max(worst, diff);
    }
  }
  if (failures > 0) {
    assert.fail(
      `${message} ${failures}/${a.length} elements differ; first at [${first}]: ${a[first]} vs expected ${e[first]} ` +
        `(atol ${atol}, rtol ${rtol}); max abs diff ${worst}`,
    );
  }
}
