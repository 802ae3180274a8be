import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian } from '../filter/gaussian.ts';
import { fromData } from '../image/image.ts';
import { createRng } from '../simulate/prng.ts';
import { fieldQc, focusScore, medianFocus, qcFailure, saturatedFraction } from './qc.ts';

function spots(seed: number) {
  const rng = createRng(seed);
  const d = new Float32Array(64 * 64);
  for (let i = 0; i < d.length; i++) d[i] = 100 + (rng.uniform() < 0.05 ? 1000 : 0);
  return fromData(d, 64, 64);
}

test('blurring lowers the focus score; it is scale-free', () => {
  const sharp = spots(1);
  const blurred = gaussian(sharp, { sigma: 3 });
  assert.ok(focusScore(blurred) < focusScore(sharp) / 10);
  const scaled = fromData(
    sharp.data.map((v) => v * 7),
    64,
    64,
  );
  const a = focusScore(sharp);
  assert.ok(Math.abs(focusScore(scaled) - a) < 1e-6 * a);
  assert.equal(focusScore(fromData(new Float32Array(16), 4, 4)), 0);
});

test('saturated fraction counts pixels at the type maximum; reasons are recorded', () => {
  const d = new Uint16Array(100);
  d.fill(65535, 0, 3);
  d[3] = 65534;
  assert.equal(saturatedFraction(fromData(d, 10, 10)), 0.03);
  assert.equal(saturatedFraction(fromData(new Float32Array(4), 2, 2)), 0);
  const m = fieldQc([fromData(d, 10, 10), fromData(new Uint16Array(100), 10, 10)], fromData(d, 10, 10));
  assert.equal(m.saturated, 0.03);
  assert.match(qcFailure(m, { maxSaturated: 0.01 })!, /saturated: 3.00% of pixels/);
  assert.equal(qcFailure(m, { maxSaturated: 0.05 }), undefined);
  assert.match(
    qcFailure({ focus: 0.01, saturated: 0 }, { minFocus: 0.05 })!,
    /out of focus: focus 0.01000 < 0.05/,
  );
  assert.throws(() => focusScore(fromData(new Uint8Array(8), 2, 2, { channels: 2 })), /1 channel/);
});

test('relative focus rule: below a fraction of the plate median', () => {
  assert.equal(medianFocus([0.3, 0.1, 0.2, Number.NaN]), 0.2);
  assert.ok(Number.isNaN(medianFocus([])));
  const rule = { minFocusRelative: 0.5, plateFocus: 0.2 };
  assert.equal(qcFailure({ focus: 0.11, saturated: 0 }, rule), undefined);
  assert.match(qcFailure({ focus: 0.09, saturated: 0 }, rule)!, /focus 0.09000 < 0.5 x plate median 0.2000/);
});
