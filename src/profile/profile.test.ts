import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseCsv } from '../table/index.ts';
import { numericColumn, stringColumn } from '../table/table.ts';
import { assertClose } from '../testing/assert.ts';
import { aggregate } from './aggregate.ts';
import { averagePrecision, meanAveragePrecision } from './averagePrecision.ts';
import { consensus } from './consensus.ts';
import {
  correlationThreshold,
  featureSelect,
  frequencyThreshold,
  varianceThreshold,
} from './featureSelect.ts';
import { ledoitWolf } from './ledoitWolf.ts';
import { featureRows, inferFeatures } from './matrix.ts';
import { normalize } from './normalize.ts';
import { nscAccuracy } from './nscAccuracy.ts';
import { similarityMatrix } from './similarity.ts';
import { fitSphere } from './sphere.ts';

const ref = JSON.parse(readFileSync('test/fixtures/assay/profile.json', 'utf8')) as Record<string, unknown>;
const objects = parseCsv(readFileSync('test/fixtures/assay/objects.csv', 'utf8'), 'objects.csv');
const wells = parseCsv(readFileSync('test/fixtures/assay/wells.csv', 'utf8'), 'wells.csv');
const features = inferFeatures(wells);
const flat = (rows: number[][]) => rows.flat();
// pandas and this code compute the same float64 sums/medians; differences are summation-order rounding only.
const tol = { rtol: 1e-10, atol: 1e-12 };

test('aggregate matches pandas groupby (mean, median, std ddof 1, count, gated fractions)', () => {
  const agg = aggregate(objects, {
    groupBy: ['Metadata_Plate', 'Metadata_Well'],
    features: ['Area', 'Intensity'],
    statistics: ['mean', 'median', 'std'],
    gates: [
      { column: 'Class', equals: 'mitotic' },
      { column: 'Area', above: 100 },
    ],
  });
  const expected = ref.aggregate as Record<string, (number | string)[]>;
  assert.deepEqual(stringColumn(agg, 'Metadata_Well'), expected.Metadata_Well);
  for (const name of [
    'count',
    'Area_mean',
    'Area_median',
    'Area_std',
    'Intensity_std',
    'fraction_Class',
    'fraction_Area',
  ]) {
    assertClose(numericColumn(agg, name), expected[name] as number[], tol, name);
  }
});

test('normalize per plate to negative controls matches pycytominer robustize and standardize', () => {
  const reference = (r: number) => stringColumn(wells, 'Metadata_Role')[r] === 'negative';
  for (const [method, key] of [
    ['robustize', 'robustize'],
    ['standardize', 'standardize'],
  ] as const) {
    const out = normalize(wells, { method, plateColumns: ['Metadata_Plate'], reference, features });
    const got = featureRows(out, features).flatMap((r) => Array.from(r));
    // Robustized near-constant features divide by MAD + 1e-18 and reach ~1e17: relative tolerance.
    assertClose(got, flat(ref[key] as number[][]), { rtol: 1e-9, atol: 1e-9 }, method);
  }
  assert.throws(
    () => normalize(wells, { plateColumns: ['Metadata_Plate'], reference: () => false, features }),
    /plate P1 has no reference \(negative control\) wells/,
  );
});

test("feature selection reproduces pycytominer's frequency, variance and correlation rules", () => {
  assert.deepEqual(frequencyThreshold(wells, features), ref.frequency_excluded);
  // Signed r > 0.9 only: the strongly anti-correlated pair F6/F7 is kept, as pycytominer does.
  assert.deepEqual(correlationThreshold(wells, features), ref.correlation_excluded);
  const variances = ref.variance_pop as number[];
  const cut = (variances[9]! + variances[0]!) / 2;
  assert.deepEqual(
    varianceThreshold(wells, features, cut),
    features.filter((_, i) => variances[i]! < cut),
  );
  const { kept, excluded } = featureSelect(wells, features, {
    operations: ['frequency', 'correlation', 'blocklist'],
    blocked: ['F0'],
  });
  assert.deepEqual(excluded.blocklist, ['F0']);
  assert.equal(kept.length, features.length - 3);
});

test('Ledoit-Wolf covariance and shrinkage match scikit-learn', () => {
  const cols = (ref.sphere_features as number[]).map((i) => `F${i}`);
  const rows = featureRows(wells, cols).slice(0, 24);
  const lw = ledoitWolf(rows);
  assertClose(lw.shrinkage, ref.lw_shrinkage as number, tol, 'shrinkage');
  assertClose(lw.covariance, ref.lw_covariance as number[], tol, 'covariance');
});

test("sphering matches pycytominer's Spherize (ZCA and ZCA-cor, epsilon 1e-6)", () => {
  const cols = (ref.sphere_features as number[]).map((i) => `F${i}`);
  const rows = featureRows(wells, cols);
  for (const [method, key] of [
    ['ZCA', 'sphere_zca'],
    ['ZCA-cor', 'sphere_zca_cor'],
  ] as const) {
    const s = fitSphere(rows.slice(0, 24), { method });
    const got = rows.flatMap((r) => Array.from(s.transform(r)));
    // Eigendecomposition (ml-matrix) vs SVD (LAPACK) of a well-conditioned 6×6 problem: ~1e-12 agreement.
    assertClose(got, flat(ref[key] as number[][]), { atol: 1e-9 }, method);
  }
  // Sphered reference rows have identity covariance (ε aside).
  const s = fitSphere(rows.slice(0, 24), { method: 'PCA' });
  const z = rows.slice(0, 24).map((r) => s.transform(r));
  let c00 = 0;
  for (const r of z) c00 += r[0]! ** 2 / 23;
  assertClose(c00, 1, { atol: 1e-6 }, 'unit variance of the first PCA-whitened component');
});

test('cosine similarity, copairs average precision and NSC 1-NN match scikit-learn/NumPy', () => {
  const rows = (ref.retrieval_profiles as number[][]).map((r) => Float64Array.from(r));
  const compound = (ref.retrieval_compound as number[]).map(String);
  const moa = (ref.retrieval_moa as number[]).map(String);
  const sim = similarityMatrix(rows, 'cosine');
  assertClose(sim, ref.cosine as number[], { atol: 1e-12 }, 'cosine');
  const ap = averagePrecision(
    sim,
    rows.length,
    (i, j) => moa[i] === moa[j] && compound[i] !== compound[j],
    (i, j) => moa[i] !== moa[j],
  );
  // Random profiles: no tied similarities, so copairs' AP equals sklearn's average_precision_score.
  assertClose(
    ap,
    (ref.ap as (number | null)[]).map((v) => v ?? Number.NaN),
    { atol: 1e-12 },
    'AP',
  );
  const map = meanAveragePrecision(ap, moa);
  assertClose(map.overall, Array.from(ap).reduce((s, v) => s + v, 0) / ap.length, { atol: 1e-12 });
  assert.equal(map.perLabel.size, 4);
  const nsc = nscAccuracy(sim, moa, compound);
  assert.deepEqual(Array.from(nsc.neighbor), ref.nsc_neighbor);
  assertClose(nsc.accuracy, ref.nsc_accuracy as number, { atol: 1e-15 });
});

test('consensus medians per group and Pearson similarity of centred rows', () => {
  const c = consensus(wells, { groupBy: ['Metadata_Role'], features: ['F0'], operation: 'median' });
  assert.equal(c.rows, 2);
  const f0 = numericColumn(wells, 'F0');
  const roles = stringColumn(wells, 'Metadata_Role');
  const neg = Array.from(f0)
    .filter((_, i) => roles[i] === 'negative')
    .sort((a, b) => a - b);
  assertClose(numericColumn(c, 'F0')[0]!, (neg[5]! + neg[6]!) / 2, { atol: 0 }, 'median of 12');
  const p = similarityMatrix([Float64Array.of(1, 2, 3), Float64Array.of(2, 4, 7)], 'pearson');
  // r of (1,2,3) and (2,4,7): centred (−1,0,1)·(−2.333,−0.333,2.667) / norms = 5/(√2·√(12.667)).
  assertClose(p[1]!, 5 / (Math.sqrt(2) * Math.sqrt(38 / 3)), { atol: 1e-14 });
});

test('all-NaN features: NaN statistics, no crash, removed by the NA rule', async () => {
  const { tableFromColumns } = await import('../table/table.ts');
  const t = tableFromColumns({
    Metadata_Plate: ['P', 'P', 'P', 'P'],
    Metadata_Role: ['negative', 'negative', 'sample', 'sample'],
    good: Float64Array.of(1, 2, 3, 4),
    empty: Float64Array.of(Number.NaN, Number.NaN, Number.NaN, Number.NaN),
  });
  const agg = aggregate(t, { groupBy: ['Metadata_Role'], statistics: ['mean'] });
  assert.ok(Number.isNaN(numericColumn(agg, 'empty')[0]!));
  const roles = stringColumn(t, 'Metadata_Role');
  const n = normalize(t, { plateColumns: ['Metadata_Plate'], reference: (r) => roles[r] === 'negative' });
  assert.ok(Array.from(numericColumn(n, 'empty')).every(Number.isNaN));
  assertClose(numericColumn(n, 'good')[3]!, (4 - 1.5) / (0.5 * 1.4826 + 1e-18), { rtol: 1e-12 });
  assert.deepEqual(featureSelect(t, ['good', 'empty'], { operations: ['na'] }).kept, ['good']);
});
