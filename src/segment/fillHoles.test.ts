import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { fillHoles, fillLabeledHoles } from './fillHoles.ts';
import { fixture } from './testFixtures.ts';

test('fillHoles equals scipy binary_fill_holes (exact)', async () => {
  const mask = await fixture('fill_mask');
  const expected = await fixture('fill_filled');
  assert.deepEqual(Array.from(fillHoles(mask).data), Array.from(expected.data));
});

test('fillLabeledHoles fills a hole enclosed by one object, not one between two objects', () => {
  // 1 1 1 2 2 2
  // 1 0 1 2 0 2   <- holes inside 1 and inside 2
  // 1 1 1 2 2 2
  // 1 1 1 0 2 2   <- (3,3) borders 1 and 2 and the edge row below is 0 -> not filled
  // 0 0 0 0 0 0
  const l = [1, 1, 1, 2, 2, 2, 1, 0, 1, 2, 0, 2, 1, 1, 1, 2, 2, 2, 1, 1, 1, 0, 2, 2, 0, 0, 0, 0, 0, 0];
  const out = fillLabeledHoles(fromData(Uint32Array.from(l), 6, 5)).data;
  assert.equal(out[7], 1);
  assert.equal(out[10], 2);
  assert.equal(out[21], 0);
  const shared = [1, 1, 2, 2, 1, 0, 0, 2, 1, 1, 2, 2];
  assert.deepEqual(Array.from(fillLabeledHoles(fromData(Uint32Array.from(shared), 4, 3)).data), shared);
});

test('fillLabeledHoles honours maxHoleArea and rejects float labels', () => {
  const ring = new Uint32Array(25).fill(3);
  for (const i of [6, 7, 8, 11, 12, 13, 16, 17, 18]) ring[i] = 0;
  assert.equal(fillLabeledHoles(fromData(ring, 5, 5), { maxHoleArea: 9 }).data[12], 0);
  assert.equal(fillLabeledHoles(fromData(ring, 5, 5), { maxHoleArea: 10 }).data[12], 3);
  assert.throws(() => fillLabeledHoles(fromData(new Float32Array(4), 2, 2)), /integer/);
});

test('fillHoles with maxHoleArea fills only the small hole', () => {
  // 9x5: a 1-pixel hole at (2,2) and a 3x1 hole at (5..7, 2).
  const m = new Uint8Array(45).fill(1);
  m[2 * 9 + 2] = 0;
  for (const x of [5, 6, 7]) m[2 * 9 + x] = 0;
  m[2 * 9 + 8] = 1;
  const out = fillHoles(fromData(m, 9, 5), { maxHoleArea: 3 }).data;
  assert.equal(out[2 * 9 + 2], 1);
  assert.equal(out[2 * 9 + 6], 0);
  assert.equal(fillHoles(fromData(m, 9, 5), { maxHoleArea: 4 }).data[2 * 9 + 6], 1);
  assert.throws(() => fillHoles(fromData(m, 9, 5), { maxHoleArea: -1 }), /maxHoleArea/);
});
