import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../main.ts';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = console.log;
  const write = process.stderr.write.bind(process.stderr);
  console.log = (...parts: unknown[]) => {
    out += `${parts.join(' ')}\n`;
  };
  process.stderr.write = ((chunk: string) => {
    err += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(['node', 'phenoscope', ...args]), out, err };
  } finally {
    console.log = log;
    process.stderr.write = write;
  }
}

test('cluster: k-means and Ward recover two separated groups; PCA columns; bad options', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-cluster-'));
  const lines = ['Metadata_Well,a,b'];
  for (let i = 0; i < 40; i++) lines.push(`W${i},${(i < 20 ? 0 : 10) + (i % 5) * 0.1},${(i % 7) * 0.1}`);
  await writeFile(join(dir, 'wells.csv'), `${lines.join('\n')}\n`);
  for (const method of ['kmeans', 'ward']) {
    const out = join(dir, `${method}.csv`);
    const r = await run(
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
    assert.equal(r.code, 0, r.err);
    const rows = (await readFile(out, 'utf8')).trim().split('\n');
    assert.equal(rows[0], 'Metadata_Well,cluster,pca1,pca2');
    const clusters = rows.slice(1).map((row) => row.split(',')[1]);
    assert.equal(new Set(clusters.slice(0, 20)).size, 1);
    assert.equal(new Set(clusters.slice(20)).size, 1);
    assert.notEqual(clusters[0], clusters[39]);
  }
  const r = await run(
    'cluster',
    '--features',
    join(dir, 'wells.csv'),
    '--out',
    join(dir, 'x.csv'),
    '--method',
    'median',
  );
  assert.equal(r.code, 2);
  assert.match(r.err, /--method: expected kmeans, ward, average, complete, single or none, got 'median'/);
});
