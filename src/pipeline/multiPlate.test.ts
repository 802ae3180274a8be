// Replicate plates in one folder: fields keyed per plate, one illumination function per plate and channel,
// the plate map applied to every plate.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { simulatePlate } from '../simulate/plate.ts';
import { openStore } from '../store/store.ts';
import { parsePipeline } from './load.ts';
import { computeIllumination, planFields, runPipeline } from './runner.ts';

test('two plates: per-plate keys, illumination functions and plate-map rows', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-plates-'));
  try {
    await simulatePlate(join(dir, 'plate'), {
      wells: 'A01-A03',
      size: 96,
      plates: 2,
      outOfFocusFraction: 0,
      saturatedFraction: 0,
      cellsPerField: 3,
    });
    const text = `version: 1
input: { path: plate, pattern: imagexpress, channels: { DNA: w1 }, plateMap: plate/platemap.csv }
illumination: [{ channel: DNA, size: 16 }]
qc: { excludeEmpty: false }
objects: [{ name: Nuclei, type: primary, channel: DNA, options: { diameter: [4, 30] } }]
`;
    await writeFile(join(dir, 'p.yaml'), text);
    const { pipeline } = parsePipeline(text, 'p.yaml');
    const planned = await planFields(pipeline, dir);
    assert.deepEqual(
      planned.map((p) => p.job.key),
      [
        'SIM001-1/A01/s1',
        'SIM001-1/A02/s1',
        'SIM001-1/A03/s1',
        'SIM001-2/A01/s1',
        'SIM001-2/A02/s1',
        'SIM001-2/A03/s1',
      ],
    );
    const fns = await computeIllumination(pipeline, planned);
    assert.deepEqual([...fns.keys()].sort(), ['SIM001-1\u0000DNA', 'SIM001-2\u0000DNA']);
    const summary = await runPipeline(join(dir, 'p.yaml'), { workers: 0 });
    assert.equal(summary.done, 6);
    const store = await openStore(join(dir, 'results.duckdb'));
    try {
      const wells = await store.query('SELECT plate, count(*) AS n FROM wells GROUP BY plate ORDER BY plate');
      assert.deepEqual(
        wells.map((w) => w.plate),
        ['SIM001-1', 'SIM001-2'],
      );
      assert.equal(wells[0]!.n, wells[1]!.n);
    } finally {
      store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
