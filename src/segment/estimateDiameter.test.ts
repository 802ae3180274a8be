import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { estimateDiameter } from './estimateDiameter.ts';

function discs(list: [number, number, number][], w = 120, h = 80) {
  const m = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (const [cx, cy, r] of list) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) m[y * w + x] = 1;
    }
  }
  return fromData(m, w, h);
}

test('estimateDiameter: equivalent diameter of isolated discs (area 317 px for r = 10 -> 20.1 px)', () => {
  const d = estimateDiameter(discs([[30, 30, 10]]));
  assert.ok(Math.abs(d - 2 * Math.sqrt(317 / Math.PI)) < 1e-9, `d ${d}`);
});

test('estimateDiameter: a clump of two touching discs counts by its inscribed circle, not its area', () => {
  const single = estimateDiameter(discs([[30, 30, 10]]));
  const clump = estimateDiameter(
    discs([
      [30, 40, 10],
      [48, 40, 10],
    ]),
  );
  assert.ok(clump < 1.3 * single, `clump ${clump} vs single ${single}`);
  assert.ok(Number.isNaN(estimateDiameter(fromData(new Uint8Array(100), 10, 10))));
});
