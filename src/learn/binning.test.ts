import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binColumn, binEdges, binFeatures, binOf, sortFloat32 } from './binning.ts';
import { createRng } from './random.ts';

test('few distinct values: edges are the midpoints between them, as scikit-learn _BinMapper', () => {
  const edges = binEdges(Float32Array.from([3, 1, 2, 2, 1, 3, 5]));
  assert.deepEqual(Array.from(edges), [1.5, 2.5, 4]);
  // x <= edges[b] exactly when bin(x) <= b.
  assert.deepEqual(
    [1, 1.5, 2, 2.5, 4, 5, 100].map((x) => binOf(edges, x)),
    [0, 0, 1, 1, 2, 3, 3],
  );
});

test('many distinct values: at most 255 bins of near-equal counts; table lookup equals binary search', () => {
  const rng = createRng(5);
  const n = 40000;
  const column = new Float32Array(n);
  for (let i = 0; i < n; i++) column[i] = (rng.nextFloat() - 0.5) * 10 ** (rng.nextInt(8) - 4);
  column[0] = 0;
  column[1] = -0;
  column[2] = Number.POSITIVE_INFINITY;
  column[3] = Number.NEGATIVE_INFINITY;
  const edges = binEdges(column);
  assert.equal(edges.length, 254);
  const out = new Uint8Array(n);
  binColumn(edges, column, out); // n >= 16384: the 65,536-entry prefix table
  const counts = new Int32Array(255);
  for (let i = 0; i < n; i++) {
    assert.equal(out[i], binOf(edges, column[i]!), `row ${i} (${column[i]})`);
    counts[out[i]!]!++;
  }
  // Quantile bins: every bin holds n/255 +- a few rows.
  assert.ok(
    Math.min(...counts) >= n / 255 - 3 && Math.max(...counts) <= n / 255 + 3,
    `${Math.min(...counts)}..${Math.max(...counts)}`,
  );
});

test('radix sort of float32 equals the typed-array sort; binned matrix is row-major', () => {
  const values = Float32Array.from([3.5, -1, 0, -0, 1e-30, -1e30, 7, 2.25]);
  assert.deepEqual(Array.from(sortFloat32(values)), Array.from(Float32Array.from(values).sort()));
  const binned = binFeatures([Float32Array.from([1, 2, 3]), Float32Array.from([9, 8, 7])]);
  assert.deepEqual(Array.from(binned.bins), [0, 2, 1, 1, 2, 0]);
  assert.throws(() => binEdges(values, { maxBins: 300 }), /maxBins must be in 2..256, got 300/);
});
