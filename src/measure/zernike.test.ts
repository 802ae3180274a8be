import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../testing/assert.ts';
import { pixelHull } from './convexHull.ts';
import { minimumEnclosingCircle, welzl, zernikeIndexes, zernikeMoments, zernikeTable } from './zernike.ts';

test('zernike: indexes up to order 9 are the 30 CellProfiler names, in its order', () => {
  const idx = zernikeIndexes(10);
  assert.equal(idx.length, 30);
  assert.deepEqual(idx.slice(0, 6), [
    [0, 0],
    [1, 1],
    [2, 0],
    [2, 2],
    [3, 1],
    [3, 3],
  ]);
  assert.throws(() => zernikeTable([[3, 2]]), RangeError);
});

test('zernike: a 3-pixel bar, worked by hand', () => {
  // Circle through the end pixels: centre (1, 0), radius 1; rho = 1, 0, 1 and z = -i, 0, +i (z = y + i x).
  const xs = [0, 1, 2];
  const ys = [0, 0, 0];
  const circle = minimumEnclosingCircle(pixelHull(xs, ys));
  assert.deepEqual(circle, { x: 1, y: 0, r: 1 });
  const table = zernikeTable([
    [0, 0],
    [1, 1],
    [2, 0],
    [2, 2],
  ]);
  const z = zernikeMoments(xs, ys, circle, table);
  // Z00 = 3/pi; Z11 = |-i + i|/pi = 0; Z20 = |(1) + (-1) + (1)|/pi; Z22 = |(-1) + (-1)|/pi.
  assertClose(z, [3 / Math.PI, 0, 1 / Math.PI, 2 / Math.PI], { atol: 1e-15 });
});

test("zernike: Chrystal's enclosing circle equals the brute-force minimum on pixel blobs", () => {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let trial = 0; trial < 40; trial++) {
    const xs: number[] = [];
    const ys: number[] = [];
    const cx = 10 + rand() * 5;
    const cy = 10 + rand() * 5;
    const rx = 2 + rand() * 8;
    const ry = 2 + rand() * 8;
    for (let y = 0; y < 30; y++) {
      for (let x = 0; x < 30; x++) {
        if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1 + rand() * 0.3) {
          xs.push(x);
          ys.push(y);
        }
      }
    }
    const hull = pixelHull(xs, ys);
    const ours = minimumEnclosingCircle(hull);
    const reference = welzl(hull);
    assertClose(ours.r, reference.r, { rtol: 1e-9 }, `trial ${trial} radius`);
    for (let i = 0; i < xs.length; i++) {
      assert.ok(
        Math.hypot(xs[i]! - ours.x, ys[i]! - ours.y) <= ours.r + 1e-9,
        `trial ${trial}: pixel ${i} outside`,
      );
    }
  }
});
