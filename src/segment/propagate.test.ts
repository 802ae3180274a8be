import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { propagate } from './propagate.ts';

test('propagate: hand-computed costs on a flat 1-D image are lambda x sqrt(manhattan) per step', () => {
  const img = fromData(new Float32Array(5), 5, 1);
  const seeds = fromData(Uint32Array.from([1, 0, 0, 0, 2]), 5, 1);
  const r = propagate(img, seeds, { regularization: 0.5 });
  assert.deepEqual(Array.from(r.labels.data), [1, 1, 1, 2, 2]); // tie at the middle: seed 1 was pushed first
  assertClose(r.distances.data, [0, 0.5, 1, 0.5, 0], { atol: 1e-12 });
});

test('propagate: the boundary follows an intensity edge rather than the midline', () => {
  // 12x5: bright half on the right starting at column 8; seeds at columns 1 and 10.
  const w = 12;
  const h = 5;
  const img = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 8; x < w; x++) img[y * w + x] = 1;
  const seeds = new Uint32Array(w * h);
  seeds[2 * w + 1] = 1;
  seeds[2 * w + 10] = 2;
  const r = propagate(fromData(img, w, h), fromData(seeds, w, h), { regularization: 0.01 });
  for (let y = 0; y < h; y++) {
    assert.equal(r.labels.data[y * w + 7], 1, `row ${y} col 7`);
    assert.equal(r.labels.data[y * w + 8], 2, `row ${y} col 8`);
  }
});

test('propagate: hand-computed 3x3 neighbourhood difference cost', () => {
  // 2x1 image [0, 1]: clamped 3x3 windows differ in every one of the 9 samples: 3 (col) x ... -> h = 6.
  // Window of (0,0): columns clamp to [0,0,1]; of (1,0): [0,1,1]; differences |0-0|,|0-1|,|1-1| per row = 1, x3 rows.
  const r = propagate(fromData(Float32Array.from([0, 1]), 2, 1), fromData(Uint32Array.from([1, 0]), 2, 1), {
    regularization: 2,
  });
  assertClose(r.distances.data[1]!, Math.sqrt(3 * 3 + 1 * 4), { atol: 1e-12 });
  assert.throws(
    () =>
      propagate(fromData(new Float32Array(2), 2, 1), fromData(new Uint32Array(2), 2, 1), {
        regularization: -1,
      }),
    /regularization/,
  );
});

test("propagate: tieBreak 'cellprofiler' gives an equal-cost pixel to the smaller label, not the first pushed", () => {
  const img = fromData(new Float32Array(5), 5, 1);
  const seeds = fromData(Uint32Array.from([2, 0, 0, 0, 1]), 5, 1);
  // the middle pixel costs 2 x 0.5 from either seed
  assert.deepEqual(Array.from(propagate(img, seeds, { regularization: 0.5 }).labels.data), [2, 2, 2, 1, 1]);
  const cp = propagate(img, seeds, { regularization: 0.5, tieBreak: 'cellprofiler' });
  assert.deepEqual(Array.from(cp.labels.data), [2, 2, 1, 1, 1]);
  assert.throws(() => propagate(img, seeds, { tieBreak: 'x' as 'cellprofiler' }), /tieBreak/);
});

test("propagate: maskedSeeds 'stay' keeps a seed outside the mask without growing from it", () => {
  const img = fromData(new Float32Array(5), 5, 1);
  const seeds = fromData(Uint32Array.from([1, 0, 0, 0, 2]), 5, 1);
  const mask = fromData(Uint8Array.from([0, 1, 1, 1, 1]), 5, 1);
  assert.deepEqual(Array.from(propagate(img, seeds, { mask }).labels.data), [1, 1, 1, 2, 2]);
  const stay = propagate(img, seeds, { mask, maskedSeeds: 'stay' });
  assert.deepEqual(Array.from(stay.labels.data), [1, 2, 2, 2, 2]);
  assert.equal(stay.distances.data[0], 0);
  assert.throws(() => propagate(img, seeds, { maskedSeeds: 'x' as 'stay' }), /maskedSeeds/);
});
