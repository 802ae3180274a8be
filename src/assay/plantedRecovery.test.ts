// Planted-IC50 recovery on the project's simulated plate: the default 96-well design of src/simulate (seed 1,
// 4 compounds x 2 replicate 8-point half-log series), its true per-field readouts (cell count, mean whole-nucleus
// area, mean marker N/C ratio) computed in-process by `simulatePlateTruth` (the cells `simulatePlate` renders,
// without pixels), so the test always follows the current simulator. Each curve is fitted by fitCurves with one
// row per field, as a screen would, and compared with the planted 4PL parameters.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { PlantedCurve } from '../simulate/design.ts';
import { renderField, simulateFieldTruth } from '../simulate/field.ts';
import { type SimulatedFieldTruth, simulatePlateTruth } from '../simulate/plate.ts';
import { parseCsv } from '../table/index.ts';
import { numericColumn, stringColumn, tableFromColumns } from '../table/table.ts';
import { fitCurves } from './fitCurves.ts';
import { normalPseudoInverse } from './pseudoInverse.ts';

/**
 * Sites per well. A field's cell count is Poisson (variance 1.058·mean: 3% of placement events are dividing
 * pairs), ~120 cells untreated, so one field per replicate leaves the log IC50 of a mild cell-loss curve
 * uncertain by ±0.26 (CPD-03 below; the old single-site fixture missed it by −0.20 and CPD-01, SE 0.076, by
 * −0.19: noise, not bias). 100 sites (~12,000 cells per untreated well, about a whole 96-well's monolayer) bring
 * every planted curve's expected SE to ≤ 0.026, so 0.1 is ≥ 3.8 SE (see `expectedCountSE`).
 */
const SITES = 100;
const truth = simulatePlateTruth({ seed: 1, wells: 'A02-H09', sites: SITES });
const READOUT = {
  cell_count: 'cellCount',
  nuclear_area: 'meanNuclearArea',
  marker_nc_ratio: 'meanMarkerNcRatio',
} as const satisfies Record<PlantedCurve['effect'], keyof SimulatedFieldTruth>;
const treated = truth.fields.filter((f) => f.role === 'treatment');
const table = tableFromColumns({
  compound: treated.map((f) => f.compound),
  concentration: Float64Array.from(treated, (f) => f.concentration!),
  cell_count: Float64Array.from(treated, (f) => f.cellCount),
  nuclear_area: Float64Array.from(treated, (f) => f.meanNuclearArea),
  marker_nc_ratio: Float64Array.from(treated, (f) => f.meanMarkerNcRatio),
});
const fits = Object.fromEntries(
  (Object.keys(READOUT) as PlantedCurve['effect'][]).map((effect) => [
    effect,
    fitCurves(table, { responseColumn: effect, profile: false }),
  ]),
) as Record<PlantedCurve['effect'], ReturnType<typeof fitCurves>>;
// the curves of the compounds in A02-H09 (the positive control, at one concentration only, is not among them)
const curves = truth.curves;
const fitOf = (c: PlantedCurve) => fits[c.effect].find((f) => f.compound === c.compound)!.fit;

/**
 * Expected standard error of the least-squares log IC50 of a cell-count curve: the sandwich covariance
 * (JᵀJ)⁻¹ JᵀVJ (JᵀJ)⁻¹ of unweighted least squares (what fitCurves does) at the planted parameters, with `m` fields
 * per concentration and Poisson-like variance 1.058·μ per field (Seber & Wild 1989, §2.1, asymptotic covariance).
 */
function expectedCountSE(c: PlantedCurve, concentrations: readonly number[], m: number): number {
  const jtj = new Float64Array(16);
  const jtvj = new Float64Array(16);
  for (const x of concentrations) {
    const u = (c.logIC50 - Math.log10(x)) * c.hill;
    const s = 1 / (1 + 10 ** u);
    const mu = c.bottom + (c.top - c.bottom) * s;
    const ds = -s * (1 - s) * Math.LN10 * (c.top - c.bottom); // d mu / d u
    const g = [s, 1 - s, ds * c.hill, ds * (c.logIC50 - Math.log10(x))];
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        jtj[a * 4 + b]! += m * g[a]! * g[b]!;
        jtvj[a * 4 + b]! += m * 1.058 * mu * g[a]! * g[b]!;
      }
    }
  }
  const inv = normalPseudoInverse(jtj, 4, m * concentrations.length)!;
  let v = 0;
  for (let a = 0; a < 4; a++)
    for (let b = 0; b < 4; b++) v += inv[8 + a]! * jtvj[a * 4 + b]! * inv[b * 4 + 2]!;
  return Math.sqrt(v);
}

test('the in-process truth is what the rendered plate holds (and the CLI fixture is current)', () => {
  // simulated_wells.csv was rendered by scripts/fixtures/assay_simulated.py through simulatePlate (1 site);
  // a mismatch means the simulator changed: rerun that script.
  const wells = parseCsv(readFileSync('test/fixtures/assay/simulated_wells.csv', 'utf8'), 'wells');
  const one = simulatePlateTruth({ seed: 1 });
  const count = numericColumn(wells, 'cell_count');
  const area = numericColumn(wells, 'mean_nuclear_area');
  const nc = numericColumn(wells, 'mean_marker_nc_ratio');
  assert.equal(wells.rows, one.fields.length);
  one.fields.forEach((f, i) => {
    const where = `${f.well} (rerun scripts/fixtures/assay_simulated.py)`;
    assert.equal(stringColumn(wells, 'well')[i], f.well, where);
    assert.equal(count[i], f.cellCount, where);
    // the CSV holds 8 significant digits
    assert.ok(Math.abs(area[i]! - f.meanNuclearArea) <= 1e-7 * f.meanNuclearArea, where);
    assert.ok(Math.abs(nc[i]! - f.meanMarkerNcRatio) <= 1e-7 * f.meanMarkerNcRatio, where);
  });
  // and directly against renderField on two dense fields (exact: the same draws)
  for (const seed of [11, 12]) {
    const spec = { width: 256, height: 256, seed, cellCount: 60, nuclearArea: 300, markerNcRatio: 2 };
    const r = renderField(spec);
    const field = simulateFieldTruth(spec);
    assert.ok(field.cellCount > 40);
    assert.deepEqual(
      [r.cellCount, r.meanNuclearArea, r.meanMarkerNcRatio],
      [field.cellCount, field.meanNuclearArea, field.meanMarkerNcRatio],
    );
  }
});

test('every planted active curve (cell count, nuclear area, translocation) is recovered within 0.1 log10', () => {
  const active = curves.filter((c) => c.active);
  assert.deepEqual([...new Set(active.map((c) => c.effect))].sort(), [
    'cell_count',
    'marker_nc_ratio',
    'nuclear_area',
  ]);
  assert.equal(active.length, 5);
  const m = 2 * SITES; // fields per concentration: 2 replicate wells x SITES
  for (const c of active) {
    const fit = fitOf(c);
    const error = fit.params.logIC50 - c.logIC50;
    const what = `${c.compound} ${c.effect}: fitted ${fit.params.logIC50}, planted ${c.logIC50}, SE ${fit.se.logIC50}`;
    assert.ok(!fit.flags.includes('flat'), `${what}: flagged flat`);
    // Why 0.1 holds: the design's SE of log IC50 is ≤ 0.026 for every curve (fitted SEs measured: cell count
    // 0.007 and 0.025, nuclear area 0.008 and 0.006, N/C ratio 0.002), so 0.1 is ≥ 4 SE and the 95% Wald
    // interval is at most ±0.05. Asserted, so a less informative design cannot pass by luck:
    assert.ok(fit.se.logIC50 < 0.1 / 3.5, `${what}: SE too large for a 0.1 criterion`);
    if (c.effect === 'cell_count') {
      const expected = expectedCountSE(c, truth.design.concentrations, m);
      assert.ok(expected < 0.1 / 3.5, `${what}: expected SE ${expected}`);
      // the Wald SE (homoscedastic) and the Poisson sandwich SE agree (measured ratios 0.97 and 0.98)
      assert.ok(Math.abs(fit.se.logIC50 / expected - 1) < 0.3, `${what}: expected SE ${expected}`);
    }
    assert.ok(Math.abs(error) < 0.1, what);
    // no bias beyond noise: within 4 SE (a 6e-5 two-sided tail for an unbiased estimate)
    assert.ok(Math.abs(error) < 4 * fit.se.logIC50, `${what}: ${(error / fit.se.logIC50).toFixed(1)} SE off`);
  }
});

test('every planted flat (inactive) curve is flagged flat', () => {
  // 'flat' = the F-test against a constant has p > 0.05 (fitCurves' default), so each flat curve has a 5%
  // chance of a false alarm whatever the design (seeds 1-8: one of the 7 in each of 3 seeds, 3/56); for seed 1
  // the smallest flat-curve p is 0.11 (measured).
  const flat = curves.filter((c) => !c.active);
  assert.equal(flat.length, 7);
  for (const c of flat) {
    const fit = fitOf(c);
    assert.ok(
      fit.flags.includes('flat'),
      `${c.compound} ${c.effect}: flags ${fit.flags.join(',')}, p ${fit.flatP}`,
    );
  }
});
