import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData, type Image } from '../image/image.ts';
import { readNpy } from '../io/npy.ts';
import { assertClose } from '../testing/assert.ts';
import { combineMatches, IOU_THRESHOLDS, matchInstances } from './matching.ts';

async function load(name: string): Promise<Image> {
  const npy = await readNpy(`test/fixtures/evaluate/${name}.npy`);
  return fromData(npy.data as Int32Array, npy.shape[1]!, npy.shape[0]!);
}

test('matchInstances agrees with a Hungarian-assignment Python implementation (exact counts)', async () => {
  const truth = await load('true');
  for (const [pred, counts] of [
    ['pred', 'counts'],
    ['pred_unrelated', 'counts_unrelated'],
  ] as const) {
    const r = matchInstances(await load(pred), truth);
    const expected = Array.from((await readNpy(`test/fixtures/evaluate/${counts}.npy`)).data as Int32Array);
    assert.deepEqual(
      r.perThreshold.flatMap((row) => [row.tp, row.fp, row.fn]),
      expected,
    );
  }
});

test('matchInstances on hand-made 6x4 label images: hand-computed metrics, split and merge', () => {
  // truth: object 1 = left 2x2 block (rows 0-1, cols 0-1), object 2 = cols 3-5 rows 0-1 (6 px),
  //        object 3 = row 3 cols 0-5 (6 px).
  // pred:  10 = exactly truth 1 (IoU 1); 20 and 21 split truth 2 (3 px each, IoU 0.5 -> not > 0.5);
  //        30 = row 3 cols 0-3 (4 px, IoU 4/6) ; 40 = lone pixel (2,2) (false positive).
  const truth = [1, 1, 0, 2, 2, 2, 1, 1, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3];
  const pred = [10, 10, 0, 20, 20, 20, 10, 10, 0, 21, 21, 21, 0, 0, 40, 0, 0, 0, 30, 30, 30, 30, 0, 0];
  const r = matchInstances(fromData(Uint32Array.from(pred), 6, 4), fromData(Uint32Array.from(truth), 6, 4));
  assert.equal(r.nPred, 5);
  assert.equal(r.nTrue, 3);
  const at = (t: number) => r.perThreshold.find((row) => Math.abs(row.threshold - t) < 1e-9)!;
  // IoU 0.5: pairs (10,1)=1 and (30,3)=0.667 match: TP 2, FP 3, FN 1.
  assert.deepEqual([at(0.5).tp, at(0.5).fp, at(0.5).fn], [2, 3, 1]);
  assertClose(at(0.5).precision, 2 / 5, { atol: 1e-15 });
  assertClose(at(0.5).recall, 2 / 3, { atol: 1e-15 });
  assertClose(at(0.5).f1, 4 / 8, { atol: 1e-15 });
  assertClose(at(0.5).ap, 2 / 6, { atol: 1e-15 });
  // 0.7 and above: only the perfect match.
  assert.deepEqual([at(0.7).tp, at(0.7).fp, at(0.7).fn], [1, 4, 2]);
  assertClose(r.meanAp, (2 / 6 + 2 / 6 + 2 / 6 + 2 / 6 + 6 * (1 / 7)) / 10, { atol: 1e-15 });
  assert.equal(r.splits, 1);
  assert.equal(r.merges, 0);
  // Swap roles: now one predicted object (truth 2 as prediction) contains two true objects -> a merge.
  const swapped = matchInstances(
    fromData(Uint32Array.from(truth), 6, 4),
    fromData(Uint32Array.from(pred), 6, 4),
  );
  assert.equal(swapped.merges, 1);
  assert.equal(swapped.splits, 0);
});

test('matchInstances: empty images, size mismatch, float labels, bad thresholds', () => {
  const empty = fromData(new Uint32Array(4), 2, 2);
  const r = matchInstances(empty, empty);
  assert.equal(r.perThreshold[0]!.f1, 1);
  const one = fromData(Uint32Array.from([1, 0, 0, 0]), 2, 2);
  assert.equal(matchInstances(empty, one).perThreshold[0]!.f1, 0);
  assert.equal(matchInstances(one, empty).perThreshold[0]!.precision, 0);
  assert.throws(() => matchInstances(one, fromData(new Uint32Array(6), 3, 2)), /3x2/);
  assert.throws(() => matchInstances(fromData(new Float32Array(4), 2, 2), one), /integer/);
  assert.throws(() => matchInstances(one, one, { thresholds: [0.3] }), /0\.3/);
});

test('combineMatches pools counts and averages per-image metrics', () => {
  const a = fromData(Uint32Array.from([1, 1, 0, 0]), 2, 2);
  const b = fromData(Uint32Array.from([0, 0, 1, 1]), 2, 2);
  const all = combineMatches([matchInstances(a, a), matchInstances(a, b)]);
  assert.equal(all.images, 2);
  assert.deepEqual([all.pooled[0]!.tp, all.pooled[0]!.fp, all.pooled[0]!.fn], [1, 1, 1]);
  assertClose(all.pooled[0]!.f1, 0.5, { atol: 1e-15 });
  assertClose(all.imageMean[0]!.ap, 0.5, { atol: 1e-15 });
  assert.equal(all.pooled.length, IOU_THRESHOLDS.length);
});
