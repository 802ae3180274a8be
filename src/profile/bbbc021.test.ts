// MoA retrieval on the shared BBBC021 well profiles (632 wells × 189 MAD-robustized CellProfiler features,
// 103 treatments, 12 MoAs); numbers reported in docs/validation/assay.md. Skips when the data is absent.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTable } from '../table/index.ts';
import { assertClose } from '../testing/assert.ts';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { moaRetrieval } from './moaRetrieval.ts';

const DIR = 'bbbc021_well_profiles_metadata';
const FILE = 'csvs/BBBC021_feature_selected_mad_robustize.csv';

test('BBBC021 treatment-level NSC 1-NN accuracy and mAP', { skip: skipUnlessShared(DIR) }, async () => {
  const table = await readTable(join(sharedPath(DIR)!, FILE));
  const base = moaRetrieval(table, { sphere: false });
  assert.equal(base.treatments, 103);
  // Plain cosine on treatment means: 94/103 (MISSION: "about 0.91"); scikit-learn/NumPy give the same 94/103.
  assertClose(base.nscAccuracy, 94 / 103, { atol: 1e-12 }, 'baseline NSC');
  assertClose(base.map, 0.781, { atol: 0.001 }, 'baseline mAP');
  // ZCA-cor sphering to the DMSO wells with a Ledoit-Wolf-shrunk correlation matrix: 97/103 = 0.942 (NumPy +
  // scikit-learn LedoitWolf give the same 97/103). Margin: one treatment either way.
  const sphered = moaRetrieval(table, { sphere: { method: 'ZCA-cor', shrinkage: 'ledoit-wolf' } });
  assertClose(sphered.nscAccuracy, 97 / 103, { atol: 1.01 / 103 }, 'sphered NSC');
  assertClose(sphered.map, 0.824, { atol: 0.01 }, 'sphered mAP');
  assertClose(sphered.shrinkage, 0.262, { atol: 0.001 }, 'Ledoit-Wolf intensity');
  assert.equal(sphered.perMoa.length, 12);
});
