import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../testing/assert.ts';
import { logistic4 } from './logistic.ts';

test('4PL: half-way at IC50, plateaus at the extremes, direction from the Hill slope', () => {
  const falling = { top: 100, bottom: 20, logIC50: -1, hill: -1.5 };
  // exact arithmetic: at x = IC50 the denominator is 1 + 10^0 = 2
  assertClose(logistic4(0.1, falling), 60, { rtol: 1e-12 });
  assert.equal(logistic4(0, falling), 100);
  assertClose(logistic4(1e6, falling), 20, { atol: 1e-6 });
  // one log unit above IC50 with hill -1.5: 20 + 80 / (1 + 10^1.5)
  assertClose(logistic4(1, falling), 20 + 80 / (1 + 10 ** 1.5), { rtol: 1e-12 });
  const rising = { top: 2.5, bottom: 0.5, logIC50: 0, hill: 2 };
  assert.equal(logistic4(0, rising), 0.5);
  assertClose(logistic4(1, rising), 1.5, { rtol: 1e-12 });
  assertClose(logistic4(10, rising), 0.5 + 2 / (1 + 10 ** -2), { rtol: 1e-12 });
  assert.throws(() => logistic4(-1, rising), /concentration must be >= 0, got -1/);
});
