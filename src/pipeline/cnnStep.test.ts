// The CNN nuclei method as a pipeline step (src/deep's committed U-Net through onnxruntime on the CPU) on a small
// simulated plate; skipped when the model file is absent.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_NUCLEI_MODEL } from '../deep/nucleiModel.ts';
import { simulatePlate } from '../simulate/plate.ts';
import { openStore } from '../store/store.ts';
import { parseCsvRows } from '../table/csv.ts';
import { runPipeline } from './runner.ts';

test('method: cnn segments nuclei of a simulated plate into the store', {
  skip: existsSync(DEFAULT_NUCLEI_MODEL) ? false : `model ${DEFAULT_NUCLEI_MODEL} is absent`,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-cnn-'));
  try {
    await simulatePlate(join(dir, 'plate'), {
      wells: 'A01-A03',
      size: 160,
      seed: 4,
      outOfFocusFraction: 0,
      saturatedFraction: 0,
    });
    await writeFile(
      join(dir, 'p.yaml'),
      `version: 1
input: { path: plate, pattern: imagexpress, channels: { DNA: w1 } }
qc: { excludeEmpty: false }
objects: [{ name: Nuclei, type: primary, channel: DNA, method: cnn }]
measurements: [{ objects: Nuclei, families: [areashape], zernike: false }]
`,
    );
    const summary = await runPipeline(join(dir, 'p.yaml'), { workers: 0 });
    assert.equal(summary.done, 3);
    const [header = [], ...rows] = parseCsvRows(
      await readFile(join(dir, 'plate', 'fields.csv'), 'utf8'),
      'fields.csv',
    );
    const truth = new Map(
      rows.map((v) => [v[header.indexOf('well')]!, Number(v[header.indexOf('cell_count')])] as const),
    );
    const store = await openStore(join(dir, 'results.duckdb'));
    try {
      const rows = await store.query('SELECT well, Count_Nuclei AS n FROM image ORDER BY well');
      const objects = await store.query('SELECT count(*) AS n FROM objects_Nuclei');
      assert.equal(
        objects[0]!.n,
        rows.reduce((a, r) => a + Number(r.n), 0),
      );
      for (const r of rows) {
        const t = truth.get(String(r.well))!;
        // the U-Net was trained on DSB 2018 nuclei, not on the simulator: a count within 25% shows it ran as a
        // segmentation step (its accuracy is the deep module's validation)
        assert.ok(Math.abs(Number(r.n) - t) <= 0.25 * t + 1, `${r.well}: ${r.n} nuclei vs ${t} planted`);
      }
    } finally {
      store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
