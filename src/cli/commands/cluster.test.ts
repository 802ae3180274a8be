import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../testing.ts';

test('cluster: k-means and Ward recover two separated groups; PCA columns; bad options', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-cluster-'));
  const lines = ['Metadata_Well,a,b'];
  for (let i = 0; i < 40; i++) lines.push(`W${i},${(i < 20 ? 0 : 10) + (i % 5) * 0.1},${(i % 7) * 0.1}`);
  await writeFile(join(dir, 'wells.csv'), `${lines.join('\n')}\n`);
  for (const method of ['kmeans', 'ward']) {
    const out = join(dir, `${method}.csv`);
    const r = await runCli(
      'cluster',
      '--features',
      join(dir, 'wells.csv'),
      '--out',
      out,
      '--method',
      method,
      '--k',
      '2',
      '--embed',
      'pca',
    );
    assert.equal(r.code, 0, r.stderr);
    const rows = (await readFile(out, 'utf8')).trim().split('\n');
    assert.equal(rows[0], 'Metadata_Well,cluster,pca1,pca2');
    const clusters = rows.slice(1).map((row) => row.split(',')[1]);
    assert.equal(new Set(clusters.slice(0, 20)).size, 1);
    assert.equal(new Set(clusters.slice(20)).size, 1);
    assert.notEqual(clusters[0], clusters[39]);
  }
  const r = await runCli(
    'cluster',
    '--features',
    join(dir, 'wells.csv'),
    '--out',
    join(dir, 'x.csv'),
    '--method',
    'median',
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--method: expected kmeans, ward, average, complete, single or none, got 'median'/);
});
