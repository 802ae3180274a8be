import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { readNpy } from '../io/npy.ts';
import { assertClose } from '../testing/assert.ts';
import { expandToNearest, measureNeighbors, neighborsSchema } from './neighbors.ts';

function labelsFrom(rows: string[]) {
  const h = rows.length;
  const w = rows[0]!.length;
  const data = new Uint32Array(w * h);
  rows.forEach((r, y) => {
    for (let x = 0; x < w; x++) data[y * w + x] = r[x] === '.' ? 0 : Number(r[x]);
  });
  return fromData(data, w, h);
}

function column(fs: ReturnType<typeof measureNeighbors>, feature: string): number[] {
  const c = fs.features.find((f) => f.spec.name.startsWith(`Neighbors_${feature}_`));
  assert.ok(c, feature);
  return Array.from(c.values);
}

test('names follow CellProfiler: Adjacent and Within-distance scales', () => {
  assert.equal(neighborsSchema()[0]!.name, 'Neighbors_NumberOfNeighbors_Adjacent');
  assert.equal(
    neighborsSchema({ method: 'within', distance: 5 })[3]!.name,
    'Neighbors_FirstClosestDistance_5',
  );
  assert.equal(neighborsSchema().length, 7);
});

test('hand-computed: two touching squares and a distant one', () => {
  // 1 and 2 share an edge; 3 starts 4 columns after 2 ends. Centroid columns 1, 4, 10 on row 2.
  const labels = labelsFrom(
    ['.........', '111222...333', '111222...333', '111222...333', '............'].map((r) =>
      r.padEnd(12, '.'),
    ),
  );
  const fs = measureNeighbors(labels);
  assert.deepEqual(column(fs, 'NumberOfNeighbors'), [1, 1, 0]);
  // Outline of 1: its 8 border pixels; the 3 in column 2 touch 2 -> 3/8. Same for 2 (column 3).
  assertClose(column(fs, 'PercentTouching'), [37.5, 37.5, 0], { atol: 1e-12 });
  assert.deepEqual(column(fs, 'FirstClosestObjectNumber'), [2, 1, 2]);
  assert.deepEqual(column(fs, 'SecondClosestObjectNumber'), [3, 3, 1]);
  assertClose(column(fs, 'FirstClosestDistance'), [3, 3, 6], { atol: 1e-12 });
  assertClose(column(fs, 'SecondClosestDistance'), [9, 6, 9], { atol: 1e-12 });
  // All centroids on one row: neighbours on the same side (angle 0) or opposite sides (180).
  assertClose(column(fs, 'AngleBetweenNeighbors'), [0, 180, 0], { atol: 1e-6 });
  // 2's last column is 5 and 3's first is 9: neighbours within 4 pixels, not within 3.
  const within4 = measureNeighbors(labels, { method: 'within', distance: 4 });
  assert.deepEqual(column(within4, 'NumberOfNeighbors'), [1, 2, 1]);
  const within3 = measureNeighbors(labels, { method: 'within', distance: 3 });
  assert.deepEqual(column(within3, 'NumberOfNeighbors'), [1, 1, 0]);
});

test('diagonal contact is not adjacency (disk of radius 1 is the 4-neighbour cross), but counts as touching', () => {
  const labels = labelsFrom(['11..', '11..', '..22', '..22']);
  const fs = measureNeighbors(labels);
  assert.deepEqual(column(fs, 'NumberOfNeighbors'), [0, 0]);
  assertClose(column(fs, 'PercentTouching'), [25, 25], { atol: 1e-12 });
});

for (const distance of [1, 3, 6]) {
  test(`matches the scipy transcription of CellProfiler within ${distance} px`, async () => {
    const l = await readNpy('test/fixtures/measure2/neighbors_labels.npy');
    const [h, w] = l.shape as [number, number];
    const labels = fromData(Int32Array.from(l.data as ArrayLike<number>), w, h);
    const expected = (await readNpy(`test/fixtures/measure2/neighbors_d${distance}.npy`))
      .data as Float64Array;
    const fs = measureNeighbors(labels, { method: 'within', distance });
    const n = fs.objectNumbers.length;
    fs.features.forEach((col, f) => {
      const want = Array.from({ length: n }, (_, i) => expected[i * 7 + f]!);
      // Counts and object numbers exact; distances/angles float64 round-off only.
      assertClose(col.values, want, { rtol: 1e-12, atol: 1e-9 }, col.spec.name);
    });
  });
}

test("'expand' mode matches scipy's nearest-object expansion and CellProfiler's measurements on it", async () => {
  const l = await readNpy('test/fixtures/measure2/neighbors_labels.npy');
  const [h, w] = l.shape as [number, number];
  const labels = fromData(Int32Array.from(l.data as ArrayLike<number>), w, h);
  const expandedRef = (await readNpy('test/fixtures/measure2/neighbors_expanded_labels.npy'))
    .data as ArrayLike<number>;
  // Exact Euclidean nearest object; this field has no pixel where the tie-break between objects differs from scipy.
  assert.deepEqual(Array.from(expandToNearest(labels)), Array.from(expandedRef, Number));
  const expected = (await readNpy('test/fixtures/measure2/neighbors_expanded.npy')).data as Float64Array;
  const fs = measureNeighbors(labels, { method: 'expand' });
  assert.equal(fs.features[0]!.spec.name, 'Neighbors_NumberOfNeighbors_Expanded');
  const n = fs.objectNumbers.length;
  fs.features.forEach((col, f) => {
    const want = Array.from({ length: n }, (_, i) => expected[i * 7 + f]!);
    assertClose(col.values, want, { rtol: 1e-12, atol: 1e-9 }, col.spec.name);
  });
});

test('edge cases: one object, empty image, bad options', () => {
  const one = measureNeighbors(labelsFrom(['.11', '.11']));
  assert.ok(one.features.every((c) => c.values[0] === 0));
  const empty = measureNeighbors(labelsFrom(['...']));
  assert.equal(empty.objectNumbers.length, 0);
  const l = labelsFrom(['1']);
  assert.throws(
    () => measureNeighbors(l, { method: 'within', distance: 0 }),
    /distance must be a positive integer, got 0/,
  );
  assert.throws(
    () => measureNeighbors(l, { method: 'nearest' as 'within' }),
    /method must be .* got nearest/,
  );
});
