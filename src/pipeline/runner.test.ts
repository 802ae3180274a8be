import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStore } from '../store/store.ts';
import { plateSummary } from './plateSummary.ts';
import { runPipeline } from './runner.ts';
import { makeTestPlate } from './testPlate.ts';

let dir = '';
let fieldsCsv: Record<string, string>[] = [];

before(async () => {
  ({ dir, fieldsCsv } = await makeTestPlate('phenoscope-run-'));
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
    // the acceptance: cell counts within 3% of the planted truth (on the plate's in-focus fields)
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
    assert.ok(summaryTable.meanTimings.total! >= summaryTable.meanTimings.segment!);
    assert.ok(summaryTable.meanTimings.segment! > 0);
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
