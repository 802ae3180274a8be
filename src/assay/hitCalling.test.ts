import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertClose } from '../testing/assert.ts';
import { hitList, mahalanobisDistances, robustZScores } from './hitCalling.ts';

const ref = JSON.parse(readFileSync('test/fixtures/assay/hits.json', 'utf8')) as {
  controls: number[][];
  samples: number[][];
  d_lw: number[];
  d_plain: number[];
  shrinkage: number;
  robust_z: number[];
};
const controls = ref.controls.map((r) => Float64Array.from(r));
const samples = ref.samples.map((r) => Float64Array.from(r));

test('Mahalanobis distances match scipy with scikit-learn Ledoit-Wolf and with the sample covariance', () => {
  const lw = mahalanobisDistances(samples, controls);
  // Same estimator and a 5×5 inverse (LU in ml-matrix vs LAPACK): agreement to ~1e-12.
  assertClose(lw.distances, ref.d_lw, { rtol: 1e-9 }, 'Ledoit-Wolf');
  assertClose(lw.shrinkage, ref.shrinkage, { rtol: 1e-10 }, 'shrinkage');
  const plain = mahalanobisDistances(samples, controls, { shrinkage: 'none' });
  assertClose(plain.distances, ref.d_plain, { rtol: 1e-9 }, 'sample covariance');
});

test('robust z-scores and ranked hit lists with the stated threshold', () => {
  const values = [...ref.samples.map((r) => r[0]!), ...ref.controls.map((r) => r[0]!)];
  const negative = ref.controls.map((_, i) => ref.samples.length + i);
  const z = robustZScores(values, negative);
  assertClose(z.subarray(0, ref.samples.length), ref.robust_z, { rtol: 1e-12, atol: 1e-12 });
  const hits = hitList(['a', 'b', 'c', 'd'], [1, -4, 3.5, Number.NaN], { threshold: 3 });
  assert.deepEqual(
    hits.map((h) => [h.id, h.rank, h.hit]),
    [
      ['b', 1, true],
      ['c', 2, true],
      ['a', 3, false],
    ],
  );
  assert.deepEqual(
    hitList(['a', 'b'], [1, -4], { direction: 'greater', threshold: 0.5 }).map((h) => h.hit),
    [true, false],
  );
  assert.throws(
    () => mahalanobisDistances(samples, controls.slice(0, 4), { shrinkage: 'none' }),
    /use Ledoit-Wolf/,
  );
  assert.throws(() => robustZScores([1, 2], [0]), /at least 2 negative controls/);
});
