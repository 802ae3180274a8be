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
