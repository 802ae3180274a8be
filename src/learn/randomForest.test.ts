import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readNpy } from '../io/npy.ts';
import { assertClose } from '../testing/assert.ts';
import { type FeatureMatrix, selectFeatureRows } from './features.ts';
import { impurityImportance, permutationImportance } from './importance.ts';
import { forestFromJson, forestToJson, readForest, writeForest } from './modelJson.ts';
import {
  predictClasses,
  predictForest,
  predictProba,
  trainRandomForestClassifier,
  trainRandomForestRegressor,
} from './randomForest.ts';

const FIX = 'test/fixtures/learn/';
const sk = JSON.parse(readFileSync(`${FIX}forest_sklearn.json`, 'utf8'));

async function load(prefix: string): Promise<{ x: FeatureMatrix; y: number[] }> {
  const x = await readNpy(`${FIX}${prefix}_x.npy`);
  const y = await readNpy(`${FIX}${prefix}_y.npy`);
  const [n, p] = x.shape as [number, number];
  const columns = Array.from({ length: p }, (_, f) => {
    const c = new Float32Array(n);
    for (let i = 0; i < n; i++) c[i] = Number(x.data[i * p + f]);
    return c;
  });
  return {
    x: { names: columns.map((_, f) => `f${f}`), columns },
    y: Array.from(y.data as Float64Array, Number),
  };
}

const range = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);

test('classifier: held-out accuracy and OOB score close to scikit-learn on the same data', async () => {
  const { x, y } = await load('forest_cls');
  const n = sk.classifier.train_rows;
  const labels = y.map(String);
  const forest = await trainRandomForestClassifier(selectFeatureRows(x, range(0, n)), labels.slice(0, n), {
    seed: 0,
    threads: 1,
    oobScore: true,
  });
  const test = selectFeatureRows(x, range(n, y.length));
  const predicted = predictClasses(forest, test);
  const accuracy = predicted.filter((p, i) => p === labels[n + i]).length / predicted.length;
  // Different random streams and binned splits: scores agree within sampling noise of 400 (test) and 600 (OOB)
  // rows, not exactly; 0.04 is about two standard errors.
  assertClose(accuracy, sk.classifier.test_accuracy, { atol: 0.04 }, 'test accuracy');
  assertClose(forest.oobScore!, sk.classifier.oob_score, { atol: 0.04 }, 'OOB accuracy');
  // Impurity importances: same ranking of the strong features, values within 0.03.
  assertClose(impurityImportance(forest), sk.classifier.importances, { atol: 0.03 }, 'MDI');
  const proba = predictProba(forest, test);
  for (let i = 0; i < test.columns[0]!.length; i++) {
    assertClose(proba[i * 3]! + proba[i * 3 + 1]! + proba[i * 3 + 2]!, 1, { atol: 1e-12 });
  }
});

test('regressor: held-out R^2 and OOB R^2 close to scikit-learn', async () => {
  const { x, y } = await load('forest_reg');
  const n = sk.regressor.train_rows;
  const forest = await trainRandomForestRegressor(selectFeatureRows(x, range(0, n)), y.slice(0, n), {
    seed: 3,
    threads: 1,
    oobScore: true,
  });
  assert.equal(forest.params.maxFeatures, 8, 'regression default uses every feature (scikit-learn 1.2)');
  const pred = predictForest(forest, selectFeatureRows(x, range(n, y.length)));
  const truth = y.slice(n);
  const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
  const r2 =
    1 -
    truth.reduce((s, t, i) => s + (t - pred[i]!) ** 2, 0) / truth.reduce((s, t) => s + (t - mean) ** 2, 0);
  // Friedman #1 with noise 0.5: R^2 around 0.85-0.9; forests with different streams differ by ~0.02.
  assertClose(r2, sk.regressor.test_r2, { atol: 0.03 }, 'test R^2');
  assertClose(forest.oobScore!, sk.regressor.oob_score, { atol: 0.03 }, 'OOB R^2');
  assertClose(impurityImportance(forest), sk.regressor.importances, { atol: 0.03 }, 'MDI');
});

test('same seed: identical trees for 1 and 2 threads; another seed differs', async () => {
  const { x, y } = await load('forest_cls');
  const labels = y.map(String);
  const a = await trainRandomForestClassifier(x, labels, { trees: 6, seed: 7, threads: 1 });
  const b = await trainRandomForestClassifier(x, labels, { trees: 6, seed: 7, threads: 2 });
  const c = await trainRandomForestClassifier(x, labels, { trees: 6, seed: 8, threads: 1 });
  assert.deepEqual(JSON.stringify(forestToJson(a)), JSON.stringify(forestToJson(b)));
  assert.notDeepEqual(JSON.stringify(forestToJson(a)), JSON.stringify(forestToJson(c)));
});

test('balanced class weights raise recall of a rare class', async () => {
  const { x, y } = await load('forest_cls');
  // Keep all of class 0 and 1 but only 30 examples of class 2.
  const keep: number[] = [];
  let rare = 0;
  y.forEach((v, i) => {
    if (i >= 600) return;
    if (v !== 2 || rare++ < 30) keep.push(i);
  });
  const train = selectFeatureRows(x, keep);
  const labels = keep.map((i) => String(y[i]));
  const test = selectFeatureRows(x, range(600, y.length));
  const recall = (pred: string[]) => {
    let hit = 0;
    let all = 0;
    pred.forEach((p, i) => {
      if (y[600 + i] !== 2) return;
      all++;
      if (p === '2') hit++;
    });
    return hit / all;
  };
  const plain = await trainRandomForestClassifier(train, labels, { seed: 1, threads: 1, minSamplesLeaf: 5 });
  const balanced = await trainRandomForestClassifier(train, labels, {
    seed: 1,
    threads: 1,
    minSamplesLeaf: 5,
    classWeight: 'balanced',
  });
  const w = balanced.params.classWeight!;
  assertClose(w['2']!, keep.length / (3 * 30), { rtol: 1e-12 }, 'balanced weight = n / (classes * count)');
  assert.ok(recall(predictClasses(balanced, test)) > recall(predictClasses(plain, test)));
});

test('JSON round trip is exact; corrupt or foreign files give errors naming the file', async () => {
  const { x, y } = await load('forest_cls');
  const forest = await trainRandomForestClassifier(x, y.map(String), { trees: 3, threads: 1 });
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-learn-'));
  const path = join(dir, 'model.json');
  await writeForest(path, forest);
  const back = await readForest(path);
  assert.deepEqual(predictProba(back, x), predictProba(forest, x));
  await writeFile(join(dir, 'bad.json'), '{"format": "phenoscope.random-forest", "version": 1, ');
  await assert.rejects(readForest(join(dir, 'bad.json')), /bad\.json: model file is not valid JSON/);
  await writeFile(join(dir, 'v2.json'), JSON.stringify({ ...forestToJson(forest), version: 2 }));
  await assert.rejects(
    readForest(join(dir, 'v2.json')),
    /v2\.json: not a valid phenoscope.random-forest v1 model: version/,
  );
  const json = forestToJson(forest);
  json.trees[0]!.left = json.trees[0]!.left.slice(0, 8);
  assert.throws(() => forestFromJson(json, 'm.json'), /m\.json: trees\.0\.left: \d+ bytes, expected/);
  await assert.rejects(readForest(join(dir, 'missing.json')), /missing\.json: cannot read the model file/);
});

test('bad input: one class, NaN features, mismatched lengths, bad options', async () => {
  const x: FeatureMatrix = {
    names: ['a', 'b'],
    columns: [new Float32Array([1, 2, 3]), new Float32Array([1, 0, 1])],
  };
  await assert.rejects(
    trainRandomForestClassifier(x, ['m', 'm', 'm']),
    /need at least 2 classes.*got 1 \(m\)/,
  );
  await assert.rejects(trainRandomForestClassifier(x, ['m', 'n']), /2 labels for 3 feature rows/);
  const nan: FeatureMatrix = {
    names: ['a', 'b'],
    columns: [new Float32Array([1, Number.NaN, 3]), x.columns[1]!],
  };
  await assert.rejects(
    trainRandomForestClassifier(nan, ['m', 'n', 'm']),
    /column 'a' has 1 non-finite value\(s\), first at row 1/,
  );
  await assert.rejects(
    trainRandomForestClassifier(x, ['m', 'n', 'm'], { trees: 0 }),
    /trees must be an integer >= 1, got 0/,
  );
  await assert.rejects(
    trainRandomForestClassifier(x, ['m', 'n', 'm'], { maxFeatures: 3 }),
    /maxFeatures must be/,
  );
  await assert.rejects(
    trainRandomForestRegressor(x, [1, Number.POSITIVE_INFINITY, 2]),
    /target: non-finite value Infinity at row 1/,
  );
  // One example per class still trains (each leaf is one sample) and predicts its training rows.
  const forest = await trainRandomForestClassifier(x, ['m', 'n', 'o'], { threads: 1, bootstrap: false });
  assert.deepEqual(predictClasses(forest, x), ['m', 'n', 'o']);
});

test('permutation importance: shuffling an informative feature drops accuracy, a noise feature does not', async () => {
  const n = 400;
  const signal = new Float32Array(n);
  const noise = new Float32Array(n);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    signal[i] = (i % 2) + ((i * 7919) % 101) / 300;
    noise[i] = ((i * 104729) % 997) / 997;
    labels.push(i % 2 ? 'on' : 'off');
  }
  const x: FeatureMatrix = { names: ['signal', 'noise'], columns: [signal, noise] };
  const forest = await trainRandomForestClassifier(x, labels, { trees: 20, threads: 1 });
  const imp = permutationImportance(forest, x, labels, { repeats: 3 });
  assert.equal(imp.baseline, 1);
  assert.ok(imp.mean[0]! > 0.3, `signal importance ${imp.mean[0]}`);
  assert.ok(Math.abs(imp.mean[1]!) < 0.05, `noise importance ${imp.mean[1]}`);
});
