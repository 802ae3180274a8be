import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../testing.ts';

async function fixture(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-classify-'));
  const lines = ['ImageNumber,ObjectNumber,Metadata_Well,Area,Intensity,phenotype'];
  for (let i = 0; i < 90; i++) {
    const c = i % 3;
    const label = i < 60 ? ['normal', 'mitotic', 'dead'][c] : '';
    lines.push(
      `${1 + Math.floor(i / 30)},${1 + (i % 30)},${i < 45 ? 'A01' : 'A02'},${100 + 50 * c + (i % 7)},${0.2 + 0.1 * ((i * 13) % 5)},${label}`,
    );
  }
  await writeFile(join(dir, 'cells.csv'), `${lines.join('\n')}\n`);
  return dir;
}

test('classify train, apply, explain, cv, suggest on a CSV feature table', async () => {
  const dir = await fixture();
  const cells = join(dir, 'cells.csv');
  const model = join(dir, 'model.json');
  let r = await runCli(
    'classify',
    'train',
    '--features',
    cells,
    '--label',
    'phenotype',
    '--out',
    model,
    '--trees',
    '20',
    '--oob',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /trained 20 trees on 60 rows x 2 features/);
  assert.match(r.stdout, /30 unlabelled row\(s\) not used/);
  r = await runCli(
    'classify',
    'apply',
    '--model',
    model,
    '--features',
    cells,
    '--out',
    join(dir, 'pred.csv'),
    '--group',
    'Metadata_Well',
  );
  assert.equal(r.code, 0, r.stderr);
  const pred = (await readFile(join(dir, 'pred.csv'), 'utf8')).split('\n');
  assert.equal(pred[0], 'row,predicted,prob_dead,prob_mitotic,prob_normal');
  assert.match(pred[1]!, /^0,normal,/);
  const fractions = await readFile(join(dir, 'pred.fractions.csv'), 'utf8');
  assert.match(fractions, /^Metadata_Well,n,fraction_dead,fraction_mitotic,fraction_normal\nA01,45,/);
  r = await runCli(
    'classify',
    'explain',
    '--model',
    model,
    '--features',
    cells,
    '--out',
    join(dir, 'shap.csv'),
    '--rows',
    '5',
    '--importance',
    'impurity',
  );
  assert.equal(r.code, 0, r.stderr);
  const shap = (await readFile(join(dir, 'shap.csv'), 'utf8')).trim().split('\n');
  assert.equal(shap[0], 'row,predicted,class,expected_value,shap_Area,shap_Intensity');
  assert.equal(shap.length, 6);
  assert.match(r.stdout, /impurity importance:\n {2}Area/);
  r = await runCli(
    'classify',
    'cv',
    '--features',
    cells,
    '--label',
    'phenotype',
    '--folds',
    '3',
    '--trees',
    '10',
  );
  assert.equal(r.code, 0, r.stderr);
  // 40 training rows per fold, one of two features per split: a few rows cross between classes.
  assert.match(r.stdout, /3-fold accuracy (0\.[89]\d+|1\.0000) on 60 rows\nconfusion matrix/);
  r = await runCli(
    'classify',
    'suggest',
    '--model',
    model,
    '--features',
    cells,
    '--label',
    'phenotype',
    '--n',
    '4',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 5);
  assert.match(r.stdout, /^row\tscore\tpredicted\tImageNumber\tObjectNumber\tMetadata_Well/);
});

test('classify: bad input gives one-line errors naming the file and column', async () => {
  const dir = await fixture();
  const cells = join(dir, 'cells.csv');
  const model = join(dir, 'model.json');
  let r = await runCli('classify', 'train', '--features', cells, '--label', 'nope', '--out', model);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cells\.csv: no label column 'nope'; columns: ImageNumber/);
  await writeFile(join(dir, 'one.csv'), 'Area,phenotype\n1,a\n2,a\n3,\n');
  r = await runCli(
    'classify',
    'train',
    '--features',
    join(dir, 'one.csv'),
    '--label',
    'phenotype',
    '--out',
    model,
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /column 'phenotype' has 1 class\(es\) \(a\); need at least 2/);
  await writeFile(join(dir, 'nan.csv'), 'Area,phenotype\n1,a\nNaN,b\n3,b\n4,a\n');
  r = await runCli(
    'classify',
    'train',
    '--features',
    join(dir, 'nan.csv'),
    '--label',
    'phenotype',
    '--out',
    model,
  );
  assert.match(r.stderr, /nan\.csv: 1 labelled row\(s\) have NaN or infinite features; pass --nan drop/);
  r = await runCli(
    'classify',
    'train',
    '--features',
    join(dir, 'nan.csv'),
    '--label',
    'phenotype',
    '--out',
    model,
    '--nan',
    'drop',
    '--trees',
    '3',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 row\(s\) with NaN\/Inf features dropped/);
  // The model needs Area only; a table without it fails naming the missing column.
  await writeFile(join(dir, 'other.csv'), 'Perimeter\n1\n');
  r = await runCli(
    'classify',
    'apply',
    '--model',
    model,
    '--features',
    join(dir, 'other.csv'),
    '--out',
    join(dir, 'p.csv'),
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /other\.csv: missing 1 feature column\(s\) the model needs: Area/);
  await writeFile(join(dir, 'corrupt.json'), '{"format": "something-else"}');
  r = await runCli(
    'classify',
    'apply',
    '--model',
    join(dir, 'corrupt.json'),
    '--features',
    cells,
    '--out',
    join(dir, 'p.csv'),
  );
  assert.equal(r.code, 1);
  assert.match(r.stderr, /corrupt\.json: not a valid phenoscope\.random-forest v1 model: format/);
  r = await runCli(
    'classify',
    'train',
    '--features',
    cells,
    '--label',
    'phenotype',
    '--out',
    model,
    '--trees',
    'many',
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--trees: expected an integer >= 1, got 'many'/);
});

// Annotations live apart from the features (objects in the results store, labels clicked in the workspace):
// train on store rows labelled by key, apply, and keep the predictions in the store.
test('classify train from store objects + annotations; apply writes predictions into the store', async () => {
  const { readTable, tableFromColumns, writeTable } = await import('../../table/index.ts');
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-classify-'));
  const store = join(dir, 'results.duckdb');
  const n = 120;
  let seed = 11;
  const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const big = Array.from({ length: n }, (_, i) => i % 2 === 1);
  await writeTable(
    `${store}:objects_Nuclei`,
    tableFromColumns({
      plate: Array(n).fill('P1'),
      well: Array.from({ length: n }, (_, i) => (i < n / 2 ? 'A01' : 'A02')),
      site: new Float64Array(n).fill(1),
      ObjectNumber: Float64Array.from({ length: n }, (_, i) => (i % (n / 2)) + 1),
      AreaShape_Area: Float64Array.from(big, (b) => (b ? 300 : 150) + 20 * rand()),
      Intensity_MeanIntensity_DNA: Float64Array.from({ length: n }, () => rand()),
    }),
  );
  const labelled = Array.from({ length: 40 }, (_, k) => k);
  await writeFile(
    join(dir, 'annotations.csv'),
    `plate,well,site,ObjectNumber,phenotype\n${labelled
      .map((i) => `P1,${i < n / 2 ? 'A01' : 'A02'},1,${(i % (n / 2)) + 1},${big[i] ? 'large' : 'small'}`)
      .join('\n')}\n`,
  );
  const train = await runCli(
    'classify',
    'train',
    '--features',
    `${store}:objects_Nuclei`,
    '--annotations',
    join(dir, 'annotations.csv'),
    '--label',
    'phenotype',
    '--out',
    join(dir, 'model.json'),
    '--trees',
    '20',
    '--threads',
    '1',
  );
  assert.equal(train.code, 0, train.stderr);
  assert.match(train.stdout, /on 40 rows/);
  const apply = await runCli(
    'classify',
    'apply',
    '--model',
    join(dir, 'model.json'),
    '--features',
    `${store}:objects_Nuclei`,
    '--out',
    `${store}:classified_Nuclei`,
    '--group',
    'well',
  );
  assert.equal(apply.code, 0, apply.stderr);
  const fractions = await readTable(`${store}:classified_Nuclei_fractions`);
  assert.deepEqual(fractions.columns.well, ['A01', 'A02']);
  const predictions = await readTable(`${store}:classified_Nuclei`);
  assert.equal(predictions.rows, n);
  const predicted = predictions.columns.predicted as string[];
  const correct = predicted.filter((p, i) => p === (big[i] ? 'large' : 'small')).length;
  assert.ok(correct / n > 0.95, `${correct}/${n} correct`); // classes separated by 130 px of area: near-perfect
  const bad = await runCli(
    'classify',
    'train',
    '--features',
    `${store}:objects_Nuclei`,
    '--annotations',
    join(dir, 'annotations.csv'),
    '--label',
    'phenotype',
    '--out',
    join(dir, 'm2.json'),
    '--keys',
    'plate,well,field',
  );
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /annotations.csv: join: key column 'field' is missing/);
});
