import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFromColumns } from '../table/table.ts';
import { classFractions, classifyTable, withColumn } from './classifyTable.ts';
import { crossValidate, stratifiedFolds } from './crossValidate.ts';
import { featureColumnNames, featuresFromTable, isMetadataName } from './featureTable.ts';
import { trainRandomForestClassifier } from './randomForest.ts';
import { uncertainty, uncertaintySampling } from './uncertaintySampling.ts';

/** Two well-separated classes on `a`, noise on `b`, with identifier and metadata columns. */
function cells(n = 120) {
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const on = i % 2 === 1;
    a[i] = (on ? 10 : 0) + ((i * 37) % 11) / 11;
    b[i] = ((i * 53) % 17) / 17;
    labels.push(on ? 'mitotic' : 'interphase');
  }
  return tableFromColumns({
    ImageNumber: Float64Array.from({ length: n }, (_, i) => 1 + Math.floor(i / 10)),
    ObjectNumber: Float64Array.from({ length: n }, (_, i) => 1 + (i % 10)),
    Metadata_Well: Array.from({ length: n }, (_, i) => (i < n / 2 ? 'A01' : 'B02')),
    AreaShape_Center_X: Float64Array.from({ length: n }, (_, i) => i),
    a,
    b,
    phenotype: labels,
  });
}

test('metadata rule: identifiers, Metadata_/Location_ prefixes, centres and text columns are not features', () => {
  for (const name of [
    'ImageNumber',
    'objectnumber',
    'Metadata_Plate',
    'Location_Center_X',
    'AreaShape_Center_Y',
    'well',
    'Row',
  ]) {
    assert.ok(isMetadataName(name), name);
  }
  for (const name of ['AreaShape_Area', 'Intensity_MeanIntensity_DNA', 'Texture_Contrast_3'])
    assert.ok(!isMetadataName(name), name);
  assert.deepEqual(featureColumnNames(cells(), { label: 'phenotype' }), ['a', 'b']);
  assert.deepEqual(featureColumnNames(cells(), { label: 'phenotype', ignore: ['b'] }), ['a']);
  assert.throws(() => featureColumnNames(cells(), { ignore: ['nope'] }), /ignore: no column 'nope'/);
  assert.throws(
    () => featuresFromTable(cells(), ['a', 'c', 'd'], 'run.csv'),
    /run\.csv: missing 2 feature column\(s\) the model needs: c, d/,
  );
  assert.throws(() => featuresFromTable(cells(), ['Metadata_Well'], 'run.csv'), /not numeric: Metadata_Well/);
});

test('classifyTable: prediction table, new column, per-well fractions; NaN rows error or are skipped', async () => {
  const table = cells();
  const x = featuresFromTable(table, ['a', 'b']);
  const forest = await trainRandomForestClassifier(x, table.columns.phenotype as string[], { trees: 10 });
  const result = classifyTable(forest, table);
  assert.deepEqual(result.table.names, ['row', 'predicted', 'prob_interphase', 'prob_mitotic']);
  assert.deepEqual(result.predicted, table.columns.phenotype);
  const fractions = classFractions(table.columns.Metadata_Well!, result.predicted, forest.classes, 'well');
  assert.deepEqual(fractions.columns.well, ['A01', 'B02']);
  assert.deepEqual([...(fractions.columns.fraction_mitotic as Float64Array)], [0.5, 0.5]);
  assert.deepEqual([...(fractions.columns.n as Float64Array)], [60, 60]);
  assert.equal(withColumn(table, 'predicted', result.predicted).names.at(-1), 'predicted');

  const a = Float64Array.from(table.columns.a as Float64Array);
  a[3] = Number.NaN;
  const holey = withColumn(table, 'a', a);
  assert.throws(
    () => classifyTable(forest, holey, { name: 'holey.csv' }),
    /holey\.csv: 1 row\(s\) have NaN or infinite features \(first at row 3\)/,
  );
  const skipped = classifyTable(forest, holey, { nonFinite: 'skip' });
  assert.equal(skipped.skipped, 1);
  assert.equal(skipped.predicted[3], '');
  assert.ok(Number.isNaN((skipped.table.columns.prob_mitotic as Float64Array)[3]!));
  const missing = tableFromColumns({ a: table.columns.a! });
  assert.throws(
    () => classifyTable(forest, missing, { name: 'other.csv' }),
    /other\.csv: missing 1 feature column\(s\) the model needs: b/,
  );
});

test('cross-validation: stratified folds, confusion matrix sums, leave-one-group-out', async () => {
  const table = cells();
  const labels = table.columns.phenotype as string[];
  const folds = stratifiedFolds(labels, 4, 1);
  for (let k = 0; k < 4; k++) {
    const inFold = labels.filter((_, i) => folds[i] === k);
    assert.equal(inFold.filter((l) => l === 'mitotic').length, 15, `fold ${k} is stratified`);
  }
  const x = featuresFromTable(table, ['a', 'b']);
  const cv = await crossValidate(x, labels, { folds: 4, trees: 10 });
  assert.equal(cv.accuracy, 1);
  assert.deepEqual(cv.confusion, [
    [60, 0],
    [0, 60],
  ]);
  const wells = table.columns.Metadata_Well as string[];
  const logo = await crossValidate(x, labels, { groups: wells, trees: 10 });
  assert.equal(logo.foldAccuracy.length, 2);
  await assert.rejects(crossValidate(x, labels, { folds: 1 }), /folds must be an integer in 2\.\.120/);
  // A group holding every example of a class leaves a training fold with one class.
  await assert.rejects(
    crossValidate(x, labels, { groups: labels, trees: 2 }),
    /fold 0: its training rows hold a single class/,
  );
});

test('uncertainty sampling: margin, entropy and least confidence rank the unsure rows first', () => {
  const proba = Float64Array.from([0.9, 0.1, 0.5, 0.5, 0.6, 0.4, 1, 0]);
  assert.deepEqual(
    uncertaintySampling(proba, 2, { n: 3 }).map((s) => s.row),
    [1, 2, 0],
  );
  assert.deepEqual(
    uncertaintySampling(proba, 2, { n: 2, candidates: [0, 2, 3] }).map((s) => s.row),
    [2, 0],
  );
  assert.equal(uncertainty([0.5, 0.5], 'entropy'), Math.log(2));
  assert.equal(uncertainty([0.7, 0.2, 0.1], 'least-confident'), 1 - 0.7);
  assert.ok(Math.abs(uncertainty([0.7, 0.2, 0.1], 'margin') - 0.5) < 1e-12);
  assert.throws(() => uncertaintySampling(proba, 2, { n: 0 }), /n must be a positive integer, got 0/);
});
