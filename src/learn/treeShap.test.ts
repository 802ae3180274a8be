import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readNpy } from '../io/npy.ts';
import { assertClose } from '../testing/assert.ts';
import type { FeatureMatrix } from './features.ts';
import { predictForest, trainRandomForestClassifier, trainRandomForestRegressor } from './randomForest.ts';
import type { Tree } from './tree.ts';
import { treeExpectedValue, treeShap, treeShapRow } from './treeShap.ts';

interface Case {
  name: string;
  tree: {
    feature: number[];
    threshold: number[];
    left: number[];
    right: number[];
    value: number[][];
    cover: number[];
  };
  x: number[][];
  expected_value: number[];
  shap: number[][][];
}

const cases = JSON.parse(readFileSync('test/fixtures/learn/treeshap.json', 'utf8')) as Case[];

function toTree(t: Case['tree']): Tree {
  const n = t.feature.length;
  const K = t.value[0]!.length;
  return {
    nodeCount: n,
    outputs: K,
    feature: Int32Array.from(t.feature),
    threshold: Float64Array.from(t.threshold),
    left: Int32Array.from(t.left),
    right: Int32Array.from(t.right),
    value: Float64Array.from(t.value.flat()),
    cover: Float64Array.from(t.cover),
    impurity: new Float64Array(n),
  };
}

for (const c of cases) {
  test(`TreeSHAP equals brute-force exact Shapley values (${c.name} tree from scikit-learn)`, () => {
    const tree = toTree(c.tree);
    const p = c.x[0]!.length;
    const columns = Array.from({ length: p }, (_, f) => Float32Array.from(c.x, (r) => r[f]!));
    const outputs = Array.from({ length: tree.outputs }, (_, k) => k);
    // Both sides are float64 sums of a few dozen terms: agreement to 1e-10 (relative to values of order 1-100).
    assertClose(treeExpectedValue(tree), c.expected_value, { atol: 1e-10, rtol: 1e-12 }, 'expected value');
    c.x.forEach((_, row) => {
      const phi = new Float64Array(p * tree.outputs);
      treeShapRow(tree, columns, row, phi, outputs, 1);
      assertClose(phi, c.shap[row]!.flat(), { atol: 1e-10, rtol: 1e-10 }, `row ${row}`);
    });
  });
}

async function data(): Promise<{ x: FeatureMatrix; y: number[] }> {
  const x = await readNpy('test/fixtures/learn/forest_cls_x.npy');
  const y = await readNpy('test/fixtures/learn/forest_cls_y.npy');
  const [n, p] = x.shape as [number, number];
  const columns = Array.from({ length: p }, (_, f) =>
    Float32Array.from({ length: n }, (_, i) => Number(x.data[i * p + f])),
  );
  return { x: { names: columns.map((_, f) => `f${f}`), columns }, y: Array.from(y.data as Int32Array) };
}

test('forest TreeSHAP: contributions sum to prediction minus expected value to 1e-6 for every sample', async () => {
  const { x, y } = await data();
  const sub: FeatureMatrix = { names: x.names, columns: x.columns.map((c) => c.slice(0, 300)) };
  const labels = y.slice(0, 300).map(String);
  const forest = await trainRandomForestClassifier(sub, labels, { trees: 10, threads: 1, maxDepth: 8 });
  const shap = treeShap(forest, sub);
  const pred = predictForest(forest, sub);
  const K = 3;
  const p = sub.columns.length;
  for (let i = 0; i < 300; i++) {
    for (let k = 0; k < K; k++) {
      let sum = shap.expected[k]!;
      for (let f = 0; f < p; f++) sum += shap.values[(i * p + f) * K + k]!;
      assertClose(sum, pred[i * K + k]!, { atol: 1e-6 }, `row ${i} class ${k}`);
    }
  }
  const regression = await trainRandomForestRegressor(sub, y.slice(0, 300), { trees: 5, threads: 1 });
  const one = treeShap(regression, sub, { rows: [0, 5, 17] });
  const rp = predictForest(regression, sub);
  [0, 5, 17].forEach((row, r) => {
    let sum = one.expected[0]!;
    for (let f = 0; f < p; f++) sum += one.values[r * p + f]!;
    assertClose(sum, rp[row]!, { atol: 1e-6 }, `regression row ${row}`);
  });
  assert.throws(() => treeShap(forest, sub, { output: 3 }), /output must be a class index in 0..2, got 3/);
});
