import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsvRows } from '../table/csv.ts';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { idOfLabelFile, listPredictions, listTruth, readDsbMasks, readLabelImage } from './dsb.ts';
import { combineMatches, matchInstances } from './matching.ts';

const DEV = 'dsb2018_nuclei_dev';
const CP = 'reference/cellprofiler/dsb_dev_fluo/labels';

test('idOfLabelFile strips extension and label suffixes', () => {
  assert.equal(idOfLabelFile('/a/b/abc_labels.tiff'), 'abc');
  assert.equal(idOfLabelFile('abc.png'), 'abc');
  assert.equal(idOfLabelFile('x_masks.tif'), 'x');
});

test('listTruth / listPredictions reject missing folders', () => {
  assert.throws(() => listTruth('/nonexistent/folder'), /does not exist/);
  assert.throws(() => listPredictions('/nonexistent/folder'), /does not exist/);
});

test('readDsbMasks: one label per mask PNG, as many as the manifest says', {
  skip: skipUnlessShared(DEV),
}, async () => {
  const root = sharedPath(DEV)!;
  const manifest = parseCsvRows(readFileSync(join(root, 'manifest.csv'), 'utf8'), 'manifest.csv').slice(1);
  const [id, , h, w, , n] = manifest[0]!;
  const labels = await readDsbMasks(join(root, 'stage1_train', id!));
  assert.equal(labels.width, Number(w));
  assert.equal(labels.height, Number(h));
  assert.equal(new Set(labels.data).size - 1, Number(n));
});

test("CellProfiler's objects on the DSB dev fluorescence images score the published F1@0.5 0.667, AP@0.5 0.50, mAP 0.31", {
  skip: skipUnlessShared(CP) || skipUnlessShared(DEV),
}, async () => {
  const truth = listTruth(sharedPath(DEV)!);
  const results = [];
  for (const [id, path] of listPredictions(sharedPath(CP)!)) {
    const t = truth.get(id);
    assert.ok(t, `no truth for ${id}`);
    results.push(matchInstances(await readLabelImage(path), await t.read()));
  }
  const all = combineMatches(results);
  assert.equal(all.images, 41);
  assert.equal(all.nTrue, 2153); // the README's count of nuclei on these images
  // The README rounds to 3 (F1) and 2 (AP) digits.
  assert.ok(Math.abs(all.pooled[0]!.f1 - 0.667) < 0.0005, `F1 ${all.pooled[0]!.f1}`);
  assert.ok(Math.abs(all.pooled[0]!.ap - 0.5) < 0.005, `AP ${all.pooled[0]!.ap}`);
  assert.ok(Math.abs(all.pooledMeanAp - 0.31) < 0.005, `mAP ${all.pooledMeanAp}`);
});
