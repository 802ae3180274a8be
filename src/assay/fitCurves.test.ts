import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseCsv } from '../table/index.ts';
import { numericColumn, stringColumn } from '../table/table.ts';
import { assertClose } from '../testing/assert.ts';
import { curveFitsTable, fitCurves } from './fitCurves.ts';

const text = readFileSync('test/fixtures/assay/curves.csv', 'utf8');
const ref = JSON.parse(readFileSync('test/fixtures/assay/curves_scipy.json', 'utf8')) as {
  curves: { compound: string; params: number[]; identifiable: boolean }[];
};

test('fits every compound of a long table and tabulates one row per compound', () => {
  const fits = fitCurves(parseCsv(text, 'curves.csv'), { profile: false });
  assert.equal(fits.length, 22);
  const table = curveFitsTable(fits);
  assert.equal(table.rows, 22);
  const names = stringColumn(table, 'compound');
  const logIC50 = numericColumn(table, 'log10_ic50');
  for (const c of ref.curves) {
    if (!c.identifiable) continue;
    // Same data and start values as fourPL.test.ts: the 1e-3 acceptance tolerance of the project.
    assertClose(logIC50[names.indexOf(c.compound)]!, c.params[2]!, { atol: 1e-3 }, c.compound);
  }
  for (const name of ['log10_ic50_se', 'hill_lo95', 'log10_ic50_profile_lo95', 'r2', 'flat_p']) {
    assert.ok(table.names.includes(name), name);
  }
  assert.match(stringColumn(table, 'flags')[names.indexOf('flat')]!, /flat/);
});

test('cell-loss gating drops low-viability concentrations and flags the curve toxic', () => {
  const rows = ['compound,concentration,response,viability'];
  for (const [i, c] of [1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4].entries()) {
    const y = 100 / (1 + 10 ** ((-7 - Math.log10(c)) * -1));
    rows.push(`a,${c},${y + (i % 2 ? 0.5 : -0.5)},${i === 5 ? 0.2 : 1}`);
    rows.push(`a,${c},${y + (i % 2 ? -0.5 : 0.5)},${i === 5 ? 0.3 : 0.9}`);
  }
  const [fit] = fitCurves(parseCsv(rows.join('\n')), { viabilityColumn: 'viability' });
  assert.ok(fit!.fit.flags.includes('toxic'));
  assert.deepEqual(fit!.gatedLogConcentrations, [-4]);
  assert.equal(fit!.fit.n, 10);
});

test('bad input: errors name the source, line and column', () => {
  assert.throws(
    () => fitCurves(parseCsv('drug,concentration,response\na,1,2\n'), { source: 'x.csv' }),
    /x\.csv: no compound column 'compound'; available columns: drug, concentration, response/,
  );
  assert.throws(
    () => fitCurves(parseCsv('compound,concentration,response\na,1,2\na,2,high\n'), { source: 'x.csv' }),
    /x\.csv: line 3, column 'response': "high" is not a number/,
  );
  assert.throws(
    () => fitCurves(parseCsv('compound,concentration,response\na,1,2\na,0,3\n'), { source: 'x.csv' }),
    /x\.csv: line 3, column 'concentration': concentration 0 must be > 0/,
  );
  // Already-log concentrations may be zero or negative.
  const ok = fitCurves(parseCsv('compound,concentration,response\na,0,2\na,-1,3\n'), {
    logConcentration: true,
  });
  assert.deepEqual(ok[0]!.fit.flags, ['too_few_concentrations']);
  assert.match(ok[0]!.fit.reason!, /2 distinct concentration/);
});

test('non-monotonic, single-concentration and constant curves are flagged or fitted, never a crash', () => {
  const rows = ['compound,concentration,response'];
  // Bell-shaped (hormesis-like) response, a single concentration, and an exactly constant response.
  [-9, -8, -7, -6, -5, -4].forEach((lx, k) => {
    rows.push(`bell,${10 ** lx},${[10, 40, 90, 85, 35, 12][k]}`);
    rows.push(`const,${10 ** lx},5`);
  });
  rows.push('single,1e-6,3', 'single,1e-6,4', 'single,1e-6,5');
  const fits = fitCurves(parseCsv(rows.join('\n')));
  const by = (name: string) => fits.find((f) => f.compound === name)!.fit;
  assert.ok(by('bell').flags.length > 0, `bell flags ${by('bell').flags}`);
  assert.ok(by('const').flags.includes('flat'));
  assert.deepEqual(by('single').flags, ['too_few_concentrations']);
  assert.match(by('single').reason!, /1 distinct concentration/);
  // The table writer copes with NaN estimates of unfitted curves.
  assert.equal(curveFitsTable(fits).rows, 3);
});
