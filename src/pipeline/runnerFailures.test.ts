// Failure handling of the runner: unreadable and replaced input files, missing channels, bad store paths.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStore } from '../store/store.ts';
import { runPipeline } from './runner.ts';
import { makeTestPlate, TEST_PIPELINE } from './testPlate.ts';

let dir = '';
let fieldsCsv: Record<string, string>[] = [];

before(async () => {
  ({ dir, fieldsCsv } = await makeTestPlate('phenoscope-runfail-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('an unreadable image fails its field with the reason; a rerun retries it', async () => {
  const plate = join(dir, 'plate');
  const victim = fieldsCsv.find((f) => f.out_of_focus !== '1' && f.saturated !== '1')!;
  const path = join(plate, victim.image_w2!);
  const good = await readFile(path);
  await writeFile(path, Buffer.from('not a tiff at all'));
  const store = join(dir, 'corrupt.duckdb');
  // three wells keep the test short: the victim and two others
  const others = fieldsCsv
    .filter((f) => f !== victim)
    .slice(0, 2)
    .map((f) => f.well);
  await writeFile(
    join(dir, 'p2.yaml'),
    TEST_PIPELINE('plate').replace('plateMap:', `wells: [${[victim.well, ...others].join(', ')}], plateMap:`),
  );
  const summary = await runPipeline(join(dir, 'p2.yaml'), { store, workers: 0 });
  assert.equal(summary.total, 3);
  assert.equal(summary.failed, 1);
  let s = await openStore(store);
  const [row] = await s.query(`SELECT status, reason FROM fields WHERE well = '${victim.well}'`);
  s.close();
  assert.equal(row!.status, 'failed');
  assert.match(String(row!.reason), /^read: .*CellBody|^read: /);
  await writeFile(path, good);
  const retry = await runPipeline(join(dir, 'p2.yaml'), { store, workers: 0 });
  assert.equal(retry.skipped, 2);
  assert.equal(retry.done, 1);
  s = await openStore(store);
  const rows = await s.query(`SELECT status FROM fields WHERE well = '${victim.well}'`);
  s.close();
  assert.deepEqual(
    rows.map((r) => r.status),
    ['done'],
  );
  // an input replaced after it was stored: skipped by default, reprocessed with verifyInputs
  const other = fieldsCsv.find((f) => f.well === others[0])!;
  await writeFile(path, await readFile(join(plate, other.image_w2!)));
  try {
    assert.equal((await runPipeline(join(dir, 'p2.yaml'), { store, workers: 0 })).skipped, 3);
    const verified = await runPipeline(join(dir, 'p2.yaml'), { store, workers: 0, verifyInputs: true });
    assert.equal(verified.skipped, 2);
    assert.equal(verified.done, 1);
  } finally {
    await writeFile(path, good);
  }
});

test('a missing channel fails that field; bad store paths give clear errors', async () => {
  await writeFile(
    join(dir, 'p3.yaml'),
    TEST_PIPELINE('plate').replace('CellBody: w2 }', 'CellBody: w2, Extra: w9 }'),
  );
  const summary = await runPipeline(join(dir, 'p3.yaml'), { store: join(dir, 'p3.duckdb'), workers: 0 });
  assert.equal(summary.failed, 8);
  const s = await openStore(join(dir, 'p3.duckdb'));
  const [row] = await s.query('SELECT reason FROM fields LIMIT 1');
  s.close();
  assert.match(String(row!.reason), /missing channel file\(s\) Extra \(w9\)/);
  // a store whose folder cannot be created (its parent is a file)
  await assert.rejects(
    runPipeline(join(dir, 'p.yaml'), { store: join(dir, 'p.yaml', 'x.duckdb'), workers: 0 }),
    /cannot create the store's folder/,
  );
});
