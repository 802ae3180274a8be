// qc.minFocusRelative on a simulated plate: the planted out-of-focus field is excluded against the plate's
// median focus, the others kept; image-quality columns are stored for the kept fields.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { simulatePlate } from '../simulate/plate.ts';
import { openStore } from '../store/store.ts';
import { parseCsvRows } from '../table/csv.ts';
import { runPipeline } from './runner.ts';

test('a field below 0.35 x the plate median focus is excluded with the reason', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-relqc-'));
  try {
    await simulatePlate(join(dir, 'plate'), {
      wells: 'A01-A06',
      size: 128,
      seed: 8,
      outOfFocusFraction: 0.17,
      saturatedFraction: 0,
    });
    await writeFile(
      join(dir, 'p.yaml'),
      `version: 1
input: { path: plate, pattern: imagexpress, channels: { DNA: w1 } }
qc: { minFocusRelative: 0.35, excludeEmpty: false }
objects: [{ name: Nuclei, type: primary, channel: DNA }]
image: { quality: [DNA] }
`,
    );
    await runPipeline(join(dir, 'p.yaml'), { workers: 0 });
    const [header = [], ...rows] = parseCsvRows(
      await readFile(join(dir, 'plate', 'fields.csv'), 'utf8'),
      'fields.csv',
    );
    const planted = rows
      .filter((v) => v[header.indexOf('out_of_focus')] === '1')
      .map((v) => v[header.indexOf('well')]);
    assert.equal(planted.length, 1);
    const store = await openStore(join(dir, 'results.duckdb'));
    try {
      const rows = await store.query(`SELECT well, reason FROM fields WHERE status = 'excluded'`);
      assert.deepEqual(
        rows.map((r) => r.well),
        planted,
      );
      assert.match(String(rows[0]!.reason), /x plate median/);
      // MeasureImageQuality columns of the kept fields (the focus score there is CellProfiler's normalised variance)
      const quality = await store.query(
        `SELECT ImageQuality_FocusScore_DNA AS f, QC_Focus AS q FROM image i JOIN fields USING (pipeline_hash, field_key) WHERE status = 'done'`,
      );
      assert.equal(quality.length, 5);
      assert.ok(quality.every((r) => Number(r.f) > 0 && Number(r.q) > 0));
    } finally {
      store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
