import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readParquet } from '../table/parquet.ts';
import { tableFromColumns } from '../table/table.ts';
import { type FieldRecord, openStore } from './store.ts';

const base = (over: Partial<FieldRecord> = {}): FieldRecord => ({
  runId: 'run-1',
  pipelineHash: 'h1',
  fieldKey: 'P/A01/s1',
  plate: 'P',
  well: 'A01',
  site: 1,
  status: 'done',
  reason: '',
  checksums: { DNA: 'abc' },
  timings: { total: 5 },
  image: { Count_Nuclei: 2, QC_Focus: 0.2 },
  objects: {
    Nuclei: tableFromColumns({
      ObjectNumber: Float64Array.of(1, 2),
      Area: Float64Array.of(10.5, Number.NaN),
    }),
  },
  ...over,
});

test('writes fields with their rows, replaces a retried field, exports Parquet and CSV', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-store-'));
  try {
    const store = await openStore(join(dir, 's.duckdb'));
    await store.beginRun({
      runId: 'run-1',
      pipelineName: 'p',
      pipelineText: 'version: 1',
      pipelineHash: 'h1',
      version: '0.1.0',
      parameters: '{}',
    });
    await store.writeField(base({ status: 'failed', reason: 'read: bad', image: {}, objects: {} }), {
      replace: false,
    });
    await store.writeField(base());
    // a new column appears in a later field (schema grows)
    await store.writeField(
      base({
        fieldKey: 'P/A02/s1',
        well: 'A02',
        objects: {
          Nuclei: tableFromColumns({
            ObjectNumber: Float64Array.of(1),
            Area: Float64Array.of(3),
            Extra: Float64Array.of(7),
          }),
        },
      }),
      { replace: false },
    );
    await store.finishRun('run-1', 'finished');
    assert.deepEqual(await store.query('SELECT field_key, status, reason FROM fields ORDER BY field_key'), [
      { field_key: 'P/A01/s1', status: 'done', reason: '' },
      { field_key: 'P/A02/s1', status: 'done', reason: '' },
    ]);
    const rows = await store.query(
      'SELECT well, ObjectNumber, Area, Extra FROM objects_Nuclei ORDER BY well, ObjectNumber',
    );
    assert.deepEqual(rows, [
      { well: 'A01', ObjectNumber: 1, Area: 10.5, Extra: null },
      { well: 'A01', ObjectNumber: 2, Area: null, Extra: null },
      { well: 'A02', ObjectNumber: 1, Area: 3, Extra: 7 },
    ]);
    assert.deepEqual(
      await store.fieldStatuses('h1'),
      new Map([
        ['P/A01/s1', 'done'],
        ['P/A02/s1', 'done'],
      ]),
    );
    assert.equal((await store.fieldStatuses('other')).size, 0);
    assert.deepEqual(await store.refreshWellViews(), ['well_medians_Nuclei']);
    assert.deepEqual(
      await store.query('SELECT well, objects, fields, Area, Extra FROM well_medians_Nuclei'),
      [
        { well: 'A01', objects: 2, fields: 1, Area: 10.5, Extra: null },
        { well: 'A02', objects: 1, fields: 1, Area: 3, Extra: 7 },
      ],
    );
    const files = await store.export(join(dir, 'out'), 'parquet');
    assert.deepEqual(files.map((f) => f.split('/').pop()).sort(), [
      'fields.parquet',
      'image.parquet',
      'objects_Nuclei.parquet',
      'runs.parquet',
      'well_medians_Nuclei.parquet',
    ]);
    const nuclei = await readParquet(join(dir, 'out', 'objects_Nuclei.parquet'));
    assert.equal(nuclei.rows, 3);
    await store.export(join(dir, 'csv'), 'csv', ['image']);
    assert.match(
      await readFile(join(dir, 'csv', 'image.csv'), 'utf8'),
      /^run_id,pipeline_hash,field_key,plate,well,site,Count_Nuclei,QC_Focus/,
    );
    store.close();
    // reopening keeps everything (the file is the store)
    const again = await openStore(join(dir, 's.duckdb'));
    assert.deepEqual(await again.query('SELECT status FROM runs'), [{ status: 'finished' }]);
    again.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a failing write rolls back the whole field', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-store-'));
  try {
    const store = await openStore(join(dir, 's.duckdb'));
    // an out-of-range value fails inside the transaction, after the image row was inserted
    await store.query(
      'CREATE TABLE objects_Nuclei (run_id VARCHAR, pipeline_hash VARCHAR, field_key VARCHAR, plate VARCHAR, well VARCHAR, site INTEGER, ObjectNumber DOUBLE, Area TINYINT)',
    );
    const bad = base({
      objects: {
        Nuclei: tableFromColumns({ ObjectNumber: Float64Array.of(1), Area: Float64Array.of(1000) }),
      },
    });
    await assert.rejects(store.writeField(bad, { replace: false }), /cannot write field P\/A01\/s1/);
    assert.deepEqual(await store.query('SELECT count(*) AS n FROM fields'), [{ n: 0 }]);
    assert.deepEqual(await store.query('SELECT count(*) AS n FROM image'), [{ n: 0 }]);
    store.close();
    await assert.rejects(openStore(join(dir, 'missing', 'dir', 's.duckdb')), /cannot open store/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
