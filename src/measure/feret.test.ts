import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../testing/assert.ts';
import { convexHull, convexImageArea, pixelHull } from './convexHull.ts';
import { feretDiameters } from './feret.ts';

test('feret: a 5 x 3 block of pixel centres has diameters 2 and sqrt(4^2 + 2^2)', () => {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < 3; y++) {
    for (let x = 0; x < 5; x++) {
      xs.push(x);
      ys.push(y);
    }
  }
  const f = feretDiameters(convexHull(xs, ys));
  assertClose([f.min, f.max], [2, Math.sqrt(20)], { atol: 1e-12 });
  const g = feretDiameters(pixelHull(xs, ys));
  assertClose([g.min, g.max], [2, Math.sqrt(20)], { atol: 1e-12 });
});

test('feret: degenerate hulls (one pixel, a line) give min 0', () => {
  assert.deepEqual(feretDiameters(convexHull([3], [4])), { min: 0, max: 0 });
  const line = feretDiameters(convexHull([0, 1, 2, 3], [0, 1, 2, 3]));
  assert.equal(line.min, 0);
  assertClose(line.max, 3 * Math.SQRT2, { rtol: 1e-15 });
});

test('convexHull: drops interior and collinear points; pixelHull starts at the top of the leftmost column', () => {
  const h = convexHull([0, 1, 2, 2, 0, 1], [0, 0, 0, 2, 2, 1]);
  assert.equal(h.x.length, 4);
  const p = pixelHull([1, 0, 0, 1, 2], [0, 1, 2, 2, 1]);
  assert.deepEqual([p.x[0], p.y[0]], [0, 1]);
});

test('convexImageArea: an L shape fills to its hull of edge midpoints (skimage convex_hull_image)', () => {
  // 3x3 L: the centre of pixel (row 1, col 1) lies on the hull edge and counts, as in
  // skimage.morphology.convex_hull_image, which gives 6 pixels for this mask.
  const mask = Uint8Array.of(1, 0, 0, 1, 0, 0, 1, 1, 1);
  assert.equal(convexImageArea(mask, 3, 3), 6);
  assert.equal(convexImageArea(new Uint8Array(9), 3, 3), 0);
});
