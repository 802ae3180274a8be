// Planted-IC50 recovery on the project's simulated 96-well plate (src/simulate, seed 1): the true per-field
// readouts (mean nuclear area of whole nuclei, mean marker N/C ratio, true cell count) of 2 replicate 8-point
// half-log series per compound are fitted by fitCurves and compared with the planted 4PL parameters.
// Fixture: scripts/fixtures/assay_simulated.py.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseCsv } from '../table/index.ts';
import { numericColumn, stringColumn } from '../table/table.ts';
import { fitCurves } from './fitCurves.ts';

const wells = parseCsv(
  readFileSync('test/fixtures/assay/simulated_wells.csv', 'utf8'),
  'simulated_wells.csv',
);
const planted = parseCsv(
  readFileSync('test/fixtures/assay/simulated_planted.csv', 'utf8'),
  'simulated_planted.csv',
);
const READOUT: Record<string, string> = {
  cell_count: 'cell_count',
  nuclear_area: 'mean_nuclear_area',
  marker_nc_ratio: 'mean_marker_nc_ratio',
};
const treated = parseCsv(
  ['compound,concentration,cell_count,mean_nuclear_area,mean_marker_nc_ratio']
    .concat(
      Array.from({ length: wells.rows }, (_, r) => r)
        .filter((r) => stringColumn(wells, 'role')[r] === 'treatment')
        .map((r) =>
          ['compound', 'concentration', 'cell_count', 'mean_nuclear_area', 'mean_marker_nc_ratio']
            .map((c) => stringColumn(wells, c)[r])
            .join(','),
        ),
    )
    .join('\n'),
);

function plantedRows() {
  const compound = stringColumn(planted, 'compound');
  const effect = stringColumn(planted, 'effect');
  const logIC50 = numericColumn(planted, 'logIC50');
  const active = numericColumn(planted, 'active');
  return compound
    .map((c, i) => ({ compound: c, effect: effect[i]!, logIC50: logIC50[i]!, active: active[i] === 1 }))
    .filter((p) => p.compound !== 'PC-1'); // the positive control is tested at one concentration only
}

test('planted log IC50 of nuclear-area and marker-translocation curves recovered within 0.1 log10', () => {
  let checked = 0;
  for (const effect of ['nuclear_area', 'marker_nc_ratio']) {
    const fits = fitCurves(treated, { responseColumn: READOUT[effect]!, profile: false });
    for (const p of plantedRows().filter((q) => q.effect === effect && q.active)) {
      const fit = fits.find((f) => f.compound === p.compound)!.fit;
      // The project's acceptance criterion: 0.1 log10 units (measured: ≤ 0.031 on these curves).
      assert.ok(
        Math.abs(fit.params.logIC50 - p.logIC50) < 0.1,
        `${p.compound} ${effect}: fitted ${fit.params.logIC50}, planted ${p.logIC50}`,
      );
      assert.ok(!fit.flags.includes('flat'), `${p.compound} ${effect} flagged flat`);
      checked++;
    }
  }
  assert.equal(checked, 3);
});

test('every planted flat (inactive) curve is flagged flat; active ones are not', () => {
  for (const effect of Object.keys(READOUT)) {
    const fits = fitCurves(treated, { responseColumn: READOUT[effect]!, profile: false });
    for (const p of plantedRows().filter((q) => q.effect === effect)) {
      const fit = fits.find((f) => f.compound === p.compound)!.fit;
      assert.equal(
        fit.flags.includes('flat'),
        !p.active,
        `${p.compound} ${effect}: flags ${fit.flags.join(',')}`,
      );
    }
  }
});

test('cell-count curves (Poisson counts, ~25-120 cells per field) land within 0.25 log10 of the planted IC50', () => {
  // Measured: CPD-01 −0.904 vs −0.714, CPD-03 −1.601 vs −1.398. Count noise at 2 replicates is what limits
  // this (see docs/validation/assay.md); the fit itself reproduces curve_fit to 1e-6 on the same numbers.
  const fits = fitCurves(treated, { responseColumn: 'cell_count', profile: false });
  for (const p of plantedRows().filter((q) => q.effect === 'cell_count' && q.active)) {
    const fit = fits.find((f) => f.compound === p.compound)!.fit;
    assert.ok(
      Math.abs(fit.params.logIC50 - p.logIC50) < 0.25,
      `${p.compound}: ${fit.params.logIC50} vs ${p.logIC50}`,
    );
  }
});
