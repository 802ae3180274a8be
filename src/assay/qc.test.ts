import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertClose } from '../testing/assert.ts';
import { bScore } from './bScore.ts';
import { medianPolish } from './medianPolish.ts';
import { parseWell, plateHeatmap } from './plateHeatmap.ts';
import { parseRole, plateQc, type WellRole } from './plateQc.ts';
import { robustSsmd, ssmd } from './ssmd.ts';
import { robustZPrime, zPrime } from './zPrime.ts';

const ref = JSON.parse(readFileSync('test/fixtures/assay/qc.json', 'utf8')) as Record<string, unknown>;
const num = (k: string) => ref[k] as number;
const arr = (k: string) => (ref[k] as (number | null)[]).map((v) => v ?? Number.NaN);

test("Z' and SSMD by hand on a 3+3 well example", () => {
  // pos = 10, 12, 14: mean 12, sd 2; neg = 100, 104, 108: mean 104, sd 4.
  // Z' = 1 − 3(2 + 4)/|12 − 104| = 1 − 18/92; SSMD = (12 − 104)/√(4 + 16) = −92/√20.
  // Robust: medians 12 and 104, MADs 2·1.4826 and 4·1.4826 → Z' = 1 − 3·1.4826·6/92.
  const pos = [10, 12, 14];
  const neg = [100, 104, 108];
  assertClose(zPrime(pos, neg), 1 - 18 / 92, { atol: 1e-15 });
  assertClose(ssmd(pos, neg), -92 / Math.sqrt(20), { atol: 1e-13 });
  assertClose(robustZPrime(pos, neg), 1 - (3 * 1.4826 * 6) / 92, { atol: 1e-15 });
  assertClose(robustSsmd(pos, neg), -92 / (1.4826 * Math.sqrt(20)), { atol: 1e-13 });
});

test("Z', robust Z', SSMD and signal window match NumPy on 16+16 controls", () => {
  const pos = arr('pos');
  const neg = arr('neg');
  // Same formulas in float64; only summation order differs.
  const tol = { rtol: 1e-12 };
  assertClose(zPrime(pos, neg), num('z_prime'), tol, "Z'");
  assertClose(robustZPrime(pos, neg), num('robust_z_prime'), tol, "robust Z'");
  assertClose(ssmd(pos, neg), num('ssmd'), tol, 'SSMD');
  assertClose(robustSsmd(pos, neg), num('robust_ssmd'), tol, 'robust SSMD');
  const wells = [...pos, ...neg].map(
    (_, i) => `${String.fromCharCode(65 + (i % 8))}${Math.floor(i / 8) + 1}`,
  );
  const roles: WellRole[] = [...pos.map(() => 'positive' as const), ...neg.map(() => 'negative' as const)];
  const qc = plateQc(wells, [...pos, ...neg], roles);
  assertClose(qc.zPrime, num('z_prime'), tol);
  assertClose(qc.signalWindow, num('signal_window'), tol, 'signal window');
  assertClose(qc.cvNegative, (100 * qc.sdNegative) / qc.meanNegative, { rtol: 1e-15 });
});

test('median polish and B-score match R medpolish semantics (NumPy port) on a 96-well plate', () => {
  const plate = arr('plate');
  const mp = medianPolish(plate, 8, 12);
  // Identical sweeps of medians: exact up to float rounding.
  const tol = { atol: 1e-10 };
  assertClose(mp.overall, num('overall'), tol, 'overall');
  assertClose(mp.row, arr('row'), tol, 'row effects');
  assertClose(mp.column, arr('column'), tol, 'column effects');
  assertClose(mp.residuals, arr('residuals'), tol, 'residuals');
  assert.equal(mp.converged, ref.converged);
  const b = bScore(plate, 8, 12);
  assertClose(b.scores, arr('b_score'), tol, 'B-score');
  // The planted +4 on column 1 is found as the largest column effect.
  assert.equal(mp.column.indexOf(Math.max(...mp.column)), 0);
});

test('plate QC on a 96-well plate: positional effects and edge effect', () => {
  const plate = arr('plate');
  const wells: string[] = [];
  const values: number[] = [];
  const roles: WellRole[] = [];
  for (let r = 0; r < 8; r++) {
    for (let c = 0; c < 12; c++) {
      wells.push(`${String.fromCharCode(65 + r)}${String(c + 1).padStart(2, '0')}`);
      values.push(plate[r * 12 + c]!);
      roles.push(c === 11 ? (r < 4 ? 'negative' : 'positive') : 'sample');
    }
  }
  const qc = plateQc(wells, values, roles);
  assert.equal(qc.heatmap.rows, 8);
  assert.equal(qc.nNegative, 4);
  assert.ok(qc.bScores);
  // Row A (−6) and H (+6) dominate the edge; the planted ramp makes row effects increase from A to H.
  assert.ok(qc.rowEffects[7]! - qc.rowEffects[0]! > 8);
});

test('bad input: no negative controls, duplicated wells, unknown roles and well names', () => {
  assert.throws(() => plateQc(['A1', 'A2'], [1, 2], ['sample', 'positive']), /no negative control wells/);
  assert.throws(() => plateHeatmap(['A1', 'A01'], [1, 2]), /well 'A01' appears more than once/);
  assert.throws(() => parseRole('ctrl?'), /unknown well role 'ctrl\?'/);
  assert.throws(() => parseWell('Z'), /not a well name: 'Z'/);
  assert.deepEqual(parseWell('AF48'), [31, 47]);
  assert.throws(() => zPrime([1], [2, 3]), /at least 2 finite positive/);
});
