import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../testing.ts';

// The README's main command end to end: every output exists, and the nuclei found in the analysed wells are
// within 3% of the simulator's planted (ground-truth) count.
test('phenoscope demo simulates, analyses, compares with the truth and reports', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'phenoscope-demo-')), 'demo');
  const r = await runCli('demo', '--out', out, '--no-progress', '--workers', '1');
  assert.equal(r.code, 0, r.stderr);
  for (const f of [
    'plate/platemap.csv',
    'results/results.duckdb',
    'results/tables/objects_Nuclei.parquet',
    'results/report.html',
  ]) {
    assert.ok(existsSync(join(out, f)), f);
  }
  const m = /planted (\d+), found (\d+)/.exec(r.stdout);
  assert.ok(m, r.stdout);
  const planted = Number(m[1]);
  const found = Number(m[2]);
  assert.ok(Math.abs(found - planted) <= 0.03 * planted, `planted ${planted}, found ${found}`);
  assert.match(readFileSync(join(out, 'results/report.html'), 'utf8'), /<section id="dose-response">/);
});
