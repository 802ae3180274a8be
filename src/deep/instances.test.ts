import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFromForeground, labelsFromThreeClass } from './instances.ts';

// Two 6x6 squares touching along a column; the CNN calls the shared column "boundary". Hand-checked result:
// two objects of 36 pixels each, separated at the boundary column by the watershed.
function twoTouchingSquares() {
  const width = 16;
  const height = 10;
  const interior = new Float32Array(width * height);
  const boundary = new Float32Array(width * height);
  for (let y = 2; y < 8; y++) {
    for (let x = 1; x < 13; x++) {
      const edge = y === 2 || y === 7 || x === 1 || x === 12 || x === 6 || x === 7;
      (edge ? boundary : interior)[y * width + x] = 0.9;
    }
  }
  return { width, height, interior, boundary };
}

test('three-class maps: seeds from interiors grow through the boundary class', () => {
  const { width, height, interior, boundary } = twoTouchingSquares();
  const labels = labelsFromThreeClass(interior, boundary, width, height);
  const areas = new Map<number, number>();
  for (const v of labels.data) if (v) areas.set(v, (areas.get(v) ?? 0) + 1);
  assert.deepEqual([...areas.entries()].sort(), [
    [1, 36],
    [2, 36],
  ]);
  assert.equal(labels.data[4 * width + 6], 1);
  assert.equal(labels.data[4 * width + 7], 2);
});

test('three-class maps: tiny seeds and objects are removed', () => {
  const width = 8;
  const height = 8;
  const interior = new Float32Array(64);
  const boundary = new Float32Array(64);
  interior[3 * 8 + 3] = 0.9; // one-pixel seed: noise
  const labels = labelsFromThreeClass(interior, boundary, width, height);
  assert.equal(Math.max(...labels.data), 0);
  assert.throws(() => labelsFromThreeClass(interior, boundary, 4, 4), /must have 4x4 = 16 values/);
});

test('foreground maps: two overlapping discs are split by the distance watershed', () => {
  const width = 40;
  const height = 24;
  const p = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d1 = Math.hypot(x - 12, y - 12);
      const d2 = Math.hypot(x - 26, y - 12);
      if (d1 < 8 || d2 < 8) p[y * width + x] = 0.8;
    }
  }
  const split = labelsFromForeground(p, width, height);
  assert.equal(Math.max(...split.data), 2);
  assert.notEqual(split.data[12 * width + 12], split.data[12 * width + 26]);
  const merged = labelsFromForeground(p, width, height, { minSeedDistance: 0 });
  assert.equal(Math.max(...merged.data), 1);
});

test('three-class maps: a small nucleus predicted as boundary only is kept as an object', () => {
  const width = 12;
  const height = 12;
  const interior = new Float32Array(width * height);
  const boundary = new Float32Array(width * height);
  for (let y = 4; y < 8; y++) for (let x = 4; x < 8; x++) boundary[y * width + x] = 0.9; // 16 px, no interior
  const labels = labelsFromThreeClass(interior, boundary, width, height);
  assert.equal(Math.max(...labels.data), 1);
  assert.equal(labels.data.filter((v) => v === 1).length, 16);
});
