// The assay helper's commands end to end through the CLI entry: fit, report, profile.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../../table/index.ts';
import { numericColumn, stringColumn } from '../../table/table.ts';
import { runCli } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'phenoscope-assay-'));

test('phenoscope fit writes one row per compound with parameters, intervals and flags', async () => {
  const out = join(dir, 'params.csv');
  const r = await runCli('fit', 'test/fixtures/assay/curves.csv', '--out', out, '--no-profile');
  assert.equal(r.code, 0, r.stderr);
  const params = parseCsv(readFileSync(out, 'utf8'));
  assert.equal(params.rows, 22);
  const i = stringColumn(params, 'compound').indexOf('clean_dec');
  // Same fit as fourPL.test.ts (scipy curve_fit −5.998437…), 1e-3 acceptance tolerance.
  assert.ok(Math.abs(numericColumn(params, 'log10_ic50')[i]! + 5.998437) < 1e-3);
  assert.match(stringColumn(params, 'flags')[stringColumn(params, 'compound').indexOf('flat')]!, /flat/);
});

test('phenoscope fit errors name the file, line and column; exit code 1', async () => {
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'compound,concentration,response\na,1,2\na,2,n/a?\n');
  const r = await runCli('fit', bad, '--out', join(dir, 'x.csv'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.csv: line 3, column 'response': "n\/a\?" is not a number/);
  const r2 = await runCli('fit', bad, '--out', join(dir, 'x.csv'), '--compound-col', 'drug');
  assert.match(r2.stderr, /no compound column 'drug'/);
});

test('phenoscope report writes a self-contained HTML file from a RUN folder', async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'phenoscope-run-'));
  const wells = parseCsv(readFileSync('test/fixtures/assay/simulated_wells.csv', 'utf8'));
  const w = ['plate,well,cell_count,mean_nuclear_area'];
  const m = ['well,compound,concentration,unit,role'];
  const s = (c: string) => stringColumn(wells, c);
  for (let r = 0; r < wells.rows; r++) {
    w.push([s('plate')[r], s('well')[r], s('cell_count')[r], s('mean_nuclear_area')[r]].join(','));
    m.push([s('well')[r], s('compound')[r], s('concentration')[r], 'uM', s('role')[r]].join(','));
  }
  writeFileSync(join(runDir, 'wells.csv'), w.join('\n'));
  writeFileSync(join(runDir, 'platemap.csv'), m.join('\n'));
  const out = join(dir, 'report.html');
  const r = await runCli('report', runDir, '--out', out, '--readout', 'mean_nuclear_area');
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /<section id="dose-response">/);
  assert.doesNotMatch(html, /https?:\/\//);
});

test('phenoscope profile aggregate/normalize/select/similarity run over tables', async () => {
  const agg = join(dir, 'agg.csv');
  assert.equal(
    (
      await runCli(
        'profile',
        'aggregate',
        'test/fixtures/assay/objects.csv',
        '--out',
        agg,
        '--stats',
        'mean,median',
        '--positive',
        'Class=mitotic',
      )
    ).code,
    0,
  );
  const a = parseCsv(readFileSync(agg, 'utf8'));
  assert.equal(a.rows, 12);
  assert.ok(a.names.includes('Area_mean') && a.names.includes('fraction_Class'));
  const norm = join(dir, 'norm.csv');
  const n = await runCli(
    'profile',
    'normalize',
    'test/fixtures/assay/wells.csv',
    '--out',
    norm,
    '--control-col',
    'Metadata_Role',
    '--control-value',
    'negative',
  );
  assert.equal(n.code, 0, n.stderr);
  const sel = join(dir, 'sel.csv');
  assert.equal((await runCli('profile', 'select', norm, '--out', sel)).code, 0);
  assert.ok(!parseCsv(readFileSync(sel, 'utf8')).names.includes('F3'), 'F3 removed by the correlation rule');
  const sim = join(dir, 'sim.csv');
  const r = await runCli('profile', 'similarity', sel, '--out', sim, '--id', 'Metadata_Role');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(parseCsv(readFileSync(sim, 'utf8')).rows, 2);
  const bad = await runCli(
    'profile',
    'normalize',
    'test/fixtures/assay/wells.csv',
    '--out',
    norm,
    '--method',
    'zzz',
  );
  assert.equal(bad.code, 2);
});

test('phenoscope profile map --auto-method ranks the candidates without MoA labels and uses rank 1', async () => {
  // 12 DMSO wells around 0; two MoAs along x and y, two compounds each, 2 replicate wells per treatment.
  const lines = ['Metadata_Compound,Metadata_Concentration,Metadata_moa,f1,f2,f3'];
  const noise = (k: number) => 0.3 * Math.sin(12.9898 * k + 78.233 * k * k);
  let k = 1;
  const well = (c: string, conc: number, moa: string, x: number, y: number) => {
    lines.push(`${c},${conc},${moa},${x + noise(k++)},${y + noise(k++)},${noise(k++)}`);
  };
  for (let i = 0; i < 12; i++) well('DMSO', 0, 'DMSO', 0, 0);
  for (const [c, moa, x, y] of [
    ['A', 'M1', 2, 0],
    ['B', 'M1', 1.5, 0.2],
    ['C', 'M2', 0, 2],
    ['D', 'M2', 0.2, 1.5],
  ] as const) {
    for (let r = 0; r < 2; r++) well(c, 1, moa, x, y);
  }
  const wells = join(dir, 'moa_wells.csv');
  writeFileSync(wells, `${lines.join('\n')}\n`);
  const out = join(dir, 'per_moa.csv');
  const r = await runCli('profile', 'map', wells, '--auto-method', '--out', out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /replicate mAP against the controls/);
  assert.equal(r.stdout.match(/^ +\d+ {2}\d\.\d{4} {2}/gm)?.length, 11, r.stdout);
  assert.match(r.stdout, /^method: .+$/m);
  assert.match(r.stdout, /treatments: 4/);
  assert.equal(parseCsv(readFileSync(out, 'utf8')).rows, 2);
});
