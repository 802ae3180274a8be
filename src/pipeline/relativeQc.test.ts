// qc.minFocusRelative on a simulated plate: the planted out-of-focus field is excluded against the plate's
// median focus, the others kept.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { simulatePlate } from '../simulate/plate.ts';
import { openStore } from '../store/store.ts';
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
`,
    );
    await runPipeline(join(dir, 'p.yaml'), { workers: 0 });
    const lines = (await readFile(join(dir, 'plate', 'fields.csv'), 'utf8')).trim().split('\n');
    const header = lines[0]!.split(',');
    const planted = lines
      .slice(1)
      .map((l) => l.split(','))
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
    } finally {
      store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
