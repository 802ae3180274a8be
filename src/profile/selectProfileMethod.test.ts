// Label-free choice of the profile method: phenotypic activity (replicate mAP against the controls) on a
// hand-computed toy table, and the pre-registered selection on the shared BBBC021 well profiles against the NumPy
// reference of scripts/fixtures/assay_profile_selection.py (skipped where ../shared/data is absent).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTable } from '../table/index.ts';
import { stringColumn, type Table, tableFromColumns } from '../table/table.ts';
import { assertClose } from '../testing/assert.ts';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { inferFeatures } from './matrix.ts';
import { moaRetrieval } from './moaRetrieval.ts';
import { phenotypicActivity } from './phenotypicActivity.ts';
import { DEFAULT_PROFILE_METHOD, PROFILE_METHODS, profileCandidates } from './profileCandidates.ts';
import { selectProfileMethod } from './selectProfileMethod.ts';

// Two DMSO wells D1 = (0, 1), D2 = (−1, 0); treatment A (A1 = (1, 0.1), A2 = (1, −0.1)); treatment B at
// concentration 1 (B1 = (0.6, 0.8), B2 = (−0.6, 0.8)); B at concentration 2, one well equal to B1 (a different
// treatment: neither a positive nor a negative for B1, and no query itself).
function toy(b2: [number, number] = [-0.6, 0.8]): Table {
  return tableFromColumns({
    Metadata_Compound: ['DMSO', 'DMSO', 'A', 'A', 'B', 'B', 'B'],
    Metadata_Concentration: Float64Array.from([0, 0, 1, 1, 1, 1, 2]),
    x: Float64Array.from([0, -1, 1, 1, 0.6, b2[0], 0.6]),
    y: Float64Array.from([1, 0, 0.1, -0.1, 0.8, b2[1], 0.8]),
  });
}

test('phenotypic activity: replicate AP against the controls, by hand', () => {
  const r = phenotypicActivity(toy());
  // A1: cos(A1, A2) = 0.99/1.01 beats both controls → AP 1; A2 likewise. B1: D1 0.8 > B2 0.28 > D2 −0.6 → AP 1/2.
  // B2: D1 0.8 > D2 0.6 > B1 0.28 → AP 1/3. Treatment mAPs 1 and 5/12; score (1 + 5/12)/2 = 17/24.
  assertClose(r.ap, [Number.NaN, Number.NaN, 1, 1, 1 / 2, 1 / 3, Number.NaN], { atol: 1e-15 }, 'AP');
  assert.deepEqual(
    r.perTreatment.map((t) => [t.key, t.wells]),
    [
      [['A', '1'], 2],
      [['B', '1'], 2],
    ],
  );
  assertClose(r.score, 17 / 24, { atol: 1e-15 }, 'score');
  assert.throws(() => phenotypicActivity(toy(), { isControl: () => false }), /no negative-control rows/);
});

test('selectProfileMethod: best score wins, ties go to the earlier candidate', () => {
  // B2 = B1 makes treatment B retrieve itself first: score 1.
  const better = toy([0.6, 0.8]);
  const r = selectProfileMethod([
    { name: 'plain', table: toy() },
    { name: 'better', table: better },
    { name: 'better again', table: better },
  ]);
  assert.equal(r.selected, 'better');
  assert.equal(r.index, 1);
  assert.deepEqual(
    r.scores.map((s) => [s.name, s.rank]),
    [
      ['plain', 3],
      ['better', 1],
      ['better again', 2],
    ],
  );
  assertClose(
    r.scores.map((s) => s.score),
    [17 / 24, 1, 1],
    { atol: 1e-15 },
  );
  assert.throws(() => selectProfileMethod([]), /no candidates/);
  assert.throws(
    () =>
      selectProfileMethod([
        { name: 'a', table: toy() },
        { name: 'short', table: tableFromColumns({ Metadata_Compound: ['DMSO'], x: Float64Array.of(1) }) },
      ]),
    /candidate 'short' has 1 rows, expected 7/,
  );
});

const DIR = 'bbbc021_well_profiles_metadata';
const FILE = 'csvs/BBBC021_feature_selected_mad_robustize.csv';

test('BBBC021: the pre-registered label-free selection and its NSC', {
  skip: skipUnlessShared(DIR),
}, async () => {
  const table = await readTable(join(sharedPath(DIR)!, FILE));
  const compounds = stringColumn(table, 'Metadata_Compound');
  const isControl = (r: number) => compounds[r] === 'DMSO';
  const r = selectProfileMethod(profileCandidates(table, isControl, inferFeatures(table)), { isControl });
  const ref = JSON.parse(readFileSync('test/fixtures/assay/profile_selection.json', 'utf8')) as {
    selected: string;
    candidates: { name: string; score: number; treatments: number; nsc_correct: number }[];
  };
  assert.deepEqual(
    r.scores.map((s) => s.name),
    ref.candidates.map((c) => c.name),
  );
  // Same float64 formulas (NumPy SVD / eigh vs ml-matrix's symmetric eigendecomposition for the sphering): the
  // scores agree to ~1e-15; 1e-9 leaves room for the eigensolvers without letting a swapped AP rank (≥ 1e-4 here)
  // through.
  assertClose(
    r.scores.map((s) => s.score),
    ref.candidates.map((c) => c.score),
    { atol: 1e-9 },
    'phenotypic activity per candidate',
  );
  assert.equal(r.selected, ref.selected);
  // The pre-registered criterion picks plain ZCA (ε 1e-6): it ties with its median and ZCA-cor siblings.
  assert.equal(r.selected, 'ZCA, mean');
  assert.equal(DEFAULT_PROFILE_METHOD.name, r.selected);
  assert.deepEqual(DEFAULT_PROFILE_METHOD, PROFILE_METHODS[r.index]);
  // Only afterwards, on the MoA labels: its NSC is 93/103 = 0.903, below the 0.94 of the acceptance item.
  const moa = moaRetrieval(table);
  assertClose(moa.nscAccuracy, ref.candidates[r.index]!.nsc_correct / 103, { atol: 1e-12 }, 'selected NSC');
  assertClose(moa.nscAccuracy, 93 / 103, { atol: 1e-12 }, 'selected NSC');
});
