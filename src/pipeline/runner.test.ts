import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { simulatePlate } from '../simulate/plate.ts';
import { openStore } from '../store/store.ts';
import { plateSummary } from './plateSummary.ts';
import { runPipeline } from './runner.ts';

let dir = '';
let fieldsCsv: Record<string, string>[] = [];

const PIPELINE = (plate: string, extra = '') => `version: 1
name: test
input: { path: ${plate}, pattern: imagexpress, channels: { DNA: w1, CellBody: w2 }, plateMap: ${plate}/platemap.csv }
illumination: [{ channel: DNA, method: mean, size: 32 }]
qc: { channel: DNA, minFocus: 0.05, maxSaturated: 0.001 }
objects:
  - { name: Nuclei, type: primary, channel: DNA, options: { diameter: [6, 40], threshold: log-otsu } }
  - { name: Cells, type: secondary, primary: Nuclei, channel: CellBody }
measurements:
  - { objects: Nuclei, families: [location, areashape, intensity], channels: [DNA], zernike: false }
${extra}`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phenoscope-run-'));
  // 8 fields of 128x128; one planted out of focus, one saturated
  await simulatePlate(join(dir, 'plate'), {
    wells: 'A01-A08',
    size: 128,
    seed: 3,
    outOfFocusFraction: 0.125,
    saturatedFraction: 0.125,
  });
  const lines = (await readFile(join(dir, 'plate', 'fields.csv'), 'utf8')).trim().split('\n');
  const header = lines[0]!.split(',');
  fieldsCsv = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i]!, v])));
  await writeFile(join(dir, 'p.yaml'), PIPELINE('plate'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every stored object row (without the run id), sorted, as text. */
async function objectRows(store: string): Promise<string[]> {
  const s = await openStore(store);
  try {
    const rows = await s.query(
      'SELECT * EXCLUDE (run_id) FROM objects_Nuclei ORDER BY field_key, ObjectNumber',
    );
    return rows.map((r) => JSON.stringify(r));
  } finally {
    s.close();
  }
}

test('runs a simulated plate end to end: QC exclusions with reasons, counts near the truth', async () => {
  const store = join(dir, 'full.duckdb');
  const summary = await runPipeline(join(dir, 'p.yaml'), { store, workers: 2 });
  assert.equal(summary.total, 8);
  assert.equal(summary.done + summary.excluded + summary.failed, 8);
  const s = await openStore(store);
  try {
    const fields = await s.query('SELECT well, status, reason, checksums FROM fields ORDER BY well');
    for (const f of fieldsCsv) {
      const row = fields.find((r) => r.well === f.well)!;
      if (f.out_of_focus === '1') {
        assert.equal(row.status, 'excluded');
        assert.match(String(row.reason), /out of focus/);
      } else if (f.saturated === '1') {
        assert.equal(row.status, 'excluded');
        assert.match(String(row.reason), /saturated/);
      } else assert.equal(row.status, 'done', `${f.well}: ${row.reason}`);
      assert.equal(Object.keys(JSON.parse(String(row.checksums))).length, 2);
    }
    const image = await s.query('SELECT well, Count_Nuclei FROM image WHERE Count_Nuclei IS NOT NULL');
    let found = 0;
    let truth = 0;
    for (const r of image) {
      const t = Number(fieldsCsv.find((f) => f.well === r.well)!.cell_count);
      found += Number(r.Count_Nuclei);
      truth += t;
      // per field: within 3% or one cell (a field holds 5-30 cells)
      assert.ok(
        Math.abs(Number(r.Count_Nuclei) - t) <= Math.max(1, 0.03 * t),
        `${r.well}: ${r.Count_Nuclei} vs ${t}`,
      );
    }
    // the issue's acceptance: cell counts within 3% of the planted truth (on the plate's in-focus fields)
    assert.ok(Math.abs(found - truth) <= 0.03 * truth, `found ${found} nuclei, truth ${truth}`);
    const wells = await s.query(
      `SELECT well, compound, role FROM wells WHERE plate = 'SIM001' ORDER BY well`,
    );
    for (const f of fieldsCsv) {
      const w = wells.find((r) => r.well === f.well)!;
      assert.equal(w.compound, f.compound);
      assert.equal(w.role, f.role);
    }
    const summaryTable = await plateSummary(s, summary.pipelineHash, 'Nuclei');
    assert.equal(summaryTable.wells.rows, 8);
    assert.deepEqual(
      summaryTable.problems.map((p) => p.status),
      ['excluded', 'excluded'],
    );
    const objects = summaryTable.wells.columns.objects as Float64Array;
    assert.equal(
      objects.reduce((a, v) => a + (Number.isNaN(v) ? 0 : v), 0),
      found,
    );
    assert.deepEqual(
      summaryTable.wells.columns.compound,
      fieldsCsv.map((f) => f.compound),
    );
    const runs = await s.query('SELECT status, pipeline_hash FROM runs');
    assert.deepEqual(
      runs.map((r) => r.status),
      ['finished'],
    );
    assert.equal(String(runs[0]!.pipeline_hash), summary.pipelineHash);
  } finally {
    s.close();
  }
});

test('an aborted run resumes: every field exactly once, rows identical to an uninterrupted run', async () => {
  const store = join(dir, 'resume.duckdb');
  const first = await runPipeline(join(dir, 'p.yaml'), { store, workers: 2, stopAfter: 3 });
  assert.equal(first.interrupted, true);
  const second = await runPipeline(join(dir, 'p.yaml'), { store, workers: 0 });
  assert.equal(second.skipped, 3);
  assert.equal(second.interrupted, false);
  const s = await openStore(store);
  try {
    const counts = await s.query('SELECT field_key, count(*) AS n FROM fields GROUP BY field_key');
    assert.equal(counts.length, 8);
    assert.ok(counts.every((r) => r.n === 1));
  } finally {
    s.close();
  }
  assert.deepEqual(await objectRows(store), await objectRows(join(dir, 'full.duckdb')));
  const third = await runPipeline(join(dir, 'p.yaml'), { store, workers: 0 });
  assert.equal(third.skipped, 8);
});

test('a SIGKILLed run resumes without losing or duplicating fields', async () => {
  const store = join(dir, 'killed.duckdb');
  const child = spawn(
    process.execPath,
    [
      'bin/phenoscope.js',
      'run',
      join(dir, 'p.yaml'),
      '--store',
      store,
      '--workers',
      '1',
      '--log',
      '--no-progress',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let lines = 0;
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      lines += chunk
        .toString()
        .split('\n')
        .filter((l) => l.includes('/s1 ')).length;
      if (lines >= 2 && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', () => resolve());
  });
  const resumed = await runPipeline(join(dir, 'p.yaml'), { store, workers: 0 });
  assert.ok(resumed.skipped >= 2 && resumed.skipped < 8, `skipped ${resumed.skipped}`);
  const s = await openStore(store);
  const runs = await s.query('SELECT status FROM runs ORDER BY started_at');
  s.close();
  assert.deepEqual(
    runs.map((r) => r.status),
    ['killed', 'finished'],
  );
  assert.deepEqual(await objectRows(store), await objectRows(join(dir, 'full.duckdb')));
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
    PIPELINE('plate').replace('plateMap:', `wells: [${[victim.well, ...others].join(', ')}], plateMap:`),
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
    PIPELINE('plate').replace('CellBody: w2 }', 'CellBody: w2, Extra: w9 }'),
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
