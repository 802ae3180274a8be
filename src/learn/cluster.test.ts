import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readNpy } from '../io/npy.ts';
import { assertClose } from '../testing/assert.ts';
import { cutTree, type Linkage, linkage } from './hierarchical.ts';
import { kmeans } from './kmeans.ts';
import type { Matrix } from './matrix.ts';
import { pca } from './pca.ts';
import { umap } from './umap.ts';

const ref = JSON.parse(readFileSync('test/fixtures/learn/cluster_sklearn.json', 'utf8'));

async function data(): Promise<Matrix> {
  const x = await readNpy('test/fixtures/learn/cluster_x.npy');
  return { data: x.data as Float64Array, rows: x.shape[0]!, cols: x.shape[1]! };
}

/** Same partition up to renaming of the labels. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]!) ?? b[i]) !== b[i] || (ba.get(b[i]!) ?? a[i]) !== a[i]) return false;
    ab.set(a[i]!, b[i]!);
    ba.set(b[i]!, a[i]!);
  }
  return true;
}

test('k-means from the same initial centres as scikit-learn: same labels, centres and inertia', async () => {
  const x = await data();
  for (const r of ref.kmeans) {
    const init = new Float64Array(r.k * x.cols);
    r.init_rows.forEach((row: number, c: number) => {
      init.set(x.data.subarray(row * x.cols, (row + 1) * x.cols), c * x.cols);
    });
    const result = kmeans(x, { k: r.k, init, tolerance: 0 });
    // Same Lloyd iterations in float64: sums differ only in summation order (1e-12 relative).
    assertClose(result.inertia, r.inertia, { rtol: 1e-9 }, `k=${r.k} inertia`);
    assert.deepEqual(Array.from(result.labels), r.labels);
    assertClose(result.centres, r.centres, { atol: 1e-9 }, `k=${r.k} centres`);
  }
});

test('k-means++: seeded and deterministic, never worse than a poor start, errors on bad k', async () => {
  const x = await data();
  const a = kmeans(x, { k: 4, seed: 3 });
  const b = kmeans(x, { k: 4, seed: 3 });
  assert.deepEqual(a.labels, b.labels);
  const poor = kmeans(x, { k: 4, init: x.data.slice(0, 4 * x.cols), tolerance: 0 });
  assert.ok(a.inertia <= poor.inertia + 1e-9, `${a.inertia} vs ${poor.inertia}`);
  assert.throws(() => kmeans(x, { k: 0 }), /k must be an integer in 1..90/);
  assert.throws(
    () => kmeans({ data: Float64Array.from([1, Number.NaN]), rows: 2, cols: 1 }, { k: 1 }),
    /non-finite value NaN at row 1/,
  );
});

for (const method of ['ward', 'average', 'complete', 'single'] as Linkage[]) {
  test(`hierarchical ${method} linkage equals scipy.cluster.hierarchy.linkage (heights to 1e-9)`, async () => {
    const x = await data();
    const tree = linkage(x, method);
    const expected: number[] = ref.linkage[method];
    const n = x.rows;
    const heights = (z: ArrayLike<number>) => Array.from({ length: n - 1 }, (_, i) => z[i * 4 + 2]!);
    // Same float64 Lance-Williams recurrences in the same order as SciPy's nn_chain: 1e-9 absolute.
    assertClose(heights(tree.merges), heights(expected), { atol: 1e-9 }, 'heights');
    assert.deepEqual(
      Array.from(tree.merges).filter((_, i) => i % 4 !== 2),
      expected.filter((_, i) => i % 4 !== 2),
    );
    assert.ok(
      samePartition(cutTree(tree, { clusters: 4 }), ref.fcluster[method]),
      'cut into 4 = fcluster maxclust',
    );
  });
}

test('dendrogram cut by height; bad method and sizes are errors', async () => {
  const x = await data();
  const tree = linkage(x, 'ward');
  const top = tree.merges[(x.rows - 2) * 4 + 2]!;
  assert.equal(new Set(cutTree(tree, { height: top })).size, 1);
  assert.equal(new Set(cutTree(tree, { height: 0 })).size, x.rows);
  assert.throws(() => linkage(x, 'median' as Linkage), /linkage method must be/);
  assert.throws(() => cutTree(tree, { clusters: 0 }), /clusters must be an integer in 1..90/);
});

test('PCA (ml-pca) equals scikit-learn PCA within 1e-6 up to the sign of each component', async () => {
  const x = await data();
  const result = pca(x, { components: 3 });
  const r = ref.pca;
  assertClose(result.explainedVariance, r.explained_variance, { rtol: 1e-6 }, 'explained variance');
  assertClose(result.explainedVarianceRatio, r.explained_variance_ratio, { atol: 1e-6 }, 'ratio');
  for (let c = 0; c < 3; c++) {
    const ours = result.components.subarray(c * 5, (c + 1) * 5);
    const theirs = r.components.slice(c * 5, (c + 1) * 5) as number[];
    const sign = Math.sign(ours[0]!) === Math.sign(theirs[0]!) ? 1 : -1;
    assertClose(
      Array.from(ours, (v) => sign * v),
      theirs,
      { atol: 1e-6 },
      `component ${c}`,
    );
    const scores = Array.from({ length: x.rows }, (_, i) => sign * result.scores[i * 3 + c]!);
    const expected = Array.from({ length: x.rows }, (_, i) => r.scores[i * 3 + c] as number);
    assertClose(scores, expected, { atol: 1e-6 }, `scores ${c}`);
  }
});

test('UMAP: seeded, deterministic, keeps separated clusters separated', async () => {
  const x = await data();
  const a = umap(x, { seed: 1, epochs: 100 });
  const b = umap(x, { seed: 1, epochs: 100 });
  assert.deepEqual(a, b);
  // Each point's nearest embedded neighbour lies in the same k-means cluster of the input for >= 95% of points.
  const labels = kmeans(x, { k: 4, seed: 0 }).labels;
  let same = 0;
  for (let i = 0; i < x.rows; i++) {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (let j = 0; j < x.rows; j++) {
      if (j === i) continue;
      const d = (a[i * 2]! - a[j * 2]!) ** 2 + (a[i * 2 + 1]! - a[j * 2 + 1]!) ** 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    if (labels[best] === labels[i]) same++;
  }
  assert.ok(same / x.rows >= 0.95, `neighbour agreement ${same / x.rows}`);
});
