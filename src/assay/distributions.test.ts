import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertClose } from '../testing/assert.ts';
import {
  betaIncomplete,
  fisherFCdf,
  fisherFQuantile,
  studentTCdf,
  studentTQuantile,
} from './distributions.ts';

const ref = JSON.parse(readFileSync('test/fixtures/assay/distributions.json', 'utf8')) as Record<
  string,
  number[][]
>;

// scipy.stats (Boost/cephes) is accurate to ~1e-15; the continued fraction converges to ~1e-14 relative and
// bisection to machine precision, so 1e-10 relative leaves room for accumulated rounding only.
const tol = { rtol: 1e-10, atol: 1e-13 };

test('incomplete beta matches scipy.special.betainc', () => {
  for (const [a, b, x, p] of ref.betainc!)
    assertClose(betaIncomplete(a!, b!, x!), p!, tol, `I(${a},${b},${x})`);
});

test('Student t CDF and quantile match scipy.stats.t', () => {
  for (const [t, d, p] of ref.t_cdf!) assertClose(studentTCdf(t!, d!), p!, tol, `t cdf ${t},${d}`);
  // scipy's own t.ppf round-trips only to ~1e-9 (stats.t.cdf(stats.t.ppf(0.025, 5), 5) = 0.02499999997),
  // so quantiles are compared at 1e-8 relative.
  for (const [p, d, q] of ref.t_ppf!) {
    assertClose(studentTQuantile(p!, d!), q!, { rtol: 1e-8 }, `t ppf ${p},${d}`);
  }
});

test('F CDF and quantile match scipy.stats.f', () => {
  for (const [f, a, b, p] of ref.f_cdf!) assertClose(fisherFCdf(f!, a!, b!), p!, tol, `F cdf ${f},${a},${b}`);
  for (const [p, a, b, q] of ref.f_ppf!) {
    assertClose(fisherFQuantile(p!, a!, b!), q!, { rtol: 1e-8 }, `F ppf ${p},${a},${b}`);
  }
});

test('bad arguments throw RangeError naming the value', () => {
  let message = '';
  try {
    studentTQuantile(1.5, 3);
  } catch (error) {
    message = String(error);
  }
  assertClose(message.includes('1.5') ? 1 : 0, 1);
});
