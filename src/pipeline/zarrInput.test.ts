// An OME-Zarr HCS plate as pipeline input (the io module's hand-written fixture plate: wells A/1 and B/3, two
// fields each, 10x8 uint8).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../store/store.ts';
import { parsePipeline } from './load.ts';
import { planFields, runPipeline } from './runner.ts';

const PLATE = resolve('test/fixtures/io/zarr/plate.zarr');

const pipelineText = (wells = '') => `version: 1
input: { source: zarr, path: ${JSON.stringify(PLATE)}, channels: { DNA: "0" }${wells} }
qc: { excludeEmpty: false }
objects:
  - { name: Nuclei, type: primary, channel: DNA, options: { diameter: [2, 20], threshold: otsu } }
measurements:
  - { objects: Nuclei, families: [areashape, intensity], zernike: false }
outputs: { parquet: parquet, csv: csv }
`;

test('plans one job per field of an OME-Zarr plate, with well names and sites', async () => {
  const { pipeline } = parsePipeline(pipelineText(), 'z.yaml');
  const planned = await planFields(pipeline, '.');
  assert.deepEqual(
    planned.map((p) => [p.job.key, p.job.well, p.job.site, p.job.files.DNA]),
    [
      ['test plate/A01/s1', 'A01', 1, 'A/1/0'],
      ['test plate/A01/s2', 'A01', 2, 'A/1/1'],
      ['test plate/B03/s1', 'B03', 1, 'B/3/0'],
      ['test plate/B03/s2', 'B03', 2, 'B/3/1'],
    ],
  );
  const only = parsePipeline(pipelineText(', wells: [B03]'), 'z.yaml').pipeline;
  assert.equal((await planFields(only, '.')).length, 2);
});

test('runs an OME-Zarr plate into the store with pixel checksums', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-zarr-'));
  try {
    await writeFile(join(dir, 'z.yaml'), pipelineText());
    const summary = await runPipeline(join(dir, 'z.yaml'), { workers: 0 });
    assert.equal(summary.done, 4, JSON.stringify(summary));
    const store = await openStore(join(dir, 'results.duckdb'));
    try {
      const rows = await store.query('SELECT field_key, checksums FROM fields ORDER BY field_key');
      assert.equal(rows.length, 4);
      const sums = rows.map((r) => JSON.parse(String(r.checksums)).DNA as string);
      assert.ok(sums.every((s) => /^[0-9a-f]{64}$/.test(s)));
      assert.equal(new Set(sums).size, 4, 'different fields have different checksums');
      // outputs.parquet / outputs.csv exported every table and view
      for (const f of [
        'parquet/fields.parquet',
        'parquet/well_medians_Nuclei.parquet',
        'csv/objects_Nuclei.csv',
      ]) {
        assert.ok(existsSync(join(dir, f)), f);
      }
    } finally {
      store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('input.crop: fields are cut to the rectangle; a rectangle outside the field fails it with the reason', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-zarr-crop-'));
  try {
    const base = pipelineText().replace('channels: { DNA: "0" }', 'channels: { DNA: "0" }, crop: CROP');
    await writeFile(join(dir, 'ok.yaml'), base.replace('CROP', '{ x: 1, y: 1, width: 6, height: 5 }'));
    await writeFile(join(dir, 'bad.yaml'), base.replace('CROP', '{ x: 5, y: 0, width: 10, height: 5 }'));
    assert.equal(
      (await runPipeline(join(dir, 'ok.yaml'), { store: join(dir, 'ok.duckdb'), workers: 0 })).done,
      4,
    );
    const bad = await runPipeline(join(dir, 'bad.yaml'), { store: join(dir, 'bad.duckdb'), workers: 0 });
    assert.equal(bad.failed, 4);
    const store = await openStore(join(dir, 'bad.duckdb'));
    try {
      const [row] = await store.query('SELECT reason FROM fields LIMIT 1');
      assert.match(String(row!.reason), /input\.crop: crop \(5, 0, 10x5\) is outside the 10x8 image/);
    } finally {
      store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
