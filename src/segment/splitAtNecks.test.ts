import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { splitAtNecks } from './splitAtNecks.ts';

/** A 60x32 mask of two discs of radius 8 whose centres are `gap` pixels apart on row 16. */
function twoDiscs(gap: number) {
  const width = 60;
  const height = 32;
  const m = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (Math.hypot(x - 20, y - 16) <= 8 || Math.hypot(x - 20 - gap, y - 16) <= 8) m[y * width + x] = 1;
    }
  }
  return { mask: fromData(m, width, height), width };
}

function count(labels: { data: ArrayLike<number> }): number {
  let max = 0;
  for (let i = 0; i < labels.data.length; i++) max = Math.max(max, labels.data[i]!);
  return max;
}

// The saddle of two overlapping discs of radius r with centres d apart is the half-chord sqrt(r^2 - d^2/4) (up to
// pixelisation): d = 14 gives 3.9 < 0.5 x 8 (split), d = 10 gives 6.2 > 4 (one object).
test('splitAtNecks: two discs joined by a narrow neck are split between their centres', () => {
  const { mask, width } = twoDiscs(14);
  const labels = splitAtNecks(mask);
  assert.equal(count(labels), 2);
  const left = labels.data[16 * width + 20]!;
  const right = labels.data[16 * width + 34]!;
  assert.notEqual(left, right);
  // the cut runs through the neck at x = 27; every disc pixel keeps a label
  assert.equal(labels.data[16 * width + 25], left);
  assert.equal(labels.data[16 * width + 29], right);
  for (let i = 0; i < labels.data.length; i++) assert.equal(labels.data[i] !== 0, mask.data[i] !== 0);
});

test('splitAtNecks: a wide contact, an ellipse and ratio 0 keep one object', () => {
  assert.equal(count(splitAtNecks(twoDiscs(10).mask)), 1);
  assert.equal(count(splitAtNecks(twoDiscs(14).mask, { ratio: 0 })), 1);
  const width = 50;
  const height = 24;
  const m = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (((x - 25) / 16) ** 2 + ((y - 12) / 6) ** 2 <= 1) m[y * width + x] = 1;
  }
  assert.equal(count(splitAtNecks(fromData(m, width, height))), 1);
});

test('splitAtNecks: separate components stay separate and bad options are refused', () => {
  const m = new Uint8Array(20 * 10);
  for (let y = 2; y < 7; y++) for (const x of [2, 3, 4, 12, 13, 14]) m[y * 20 + x] = 1;
  assert.equal(count(splitAtNecks(fromData(m, 20, 10))), 2);
  assert.throws(
    () => splitAtNecks(fromData(m, 20, 10), { ratio: 1.5 }),
    /ratio must be in \[0, 1\], got 1.5/,
  );
  assert.throws(
    () => splitAtNecks(fromData(m, 20, 10), { minDistance: 0 }),
    /minDistance must be an integer/,
  );
});

test('splitAtNecks: slivers at most 2 pixels thick are not seeds', () => {
  const m = new Uint8Array(20 * 10);
  for (let x = 2; x < 12; x++) m[2 * 20 + x] = m[3 * 20 + x] = 1; // 10 x 2 line
  for (let y = 5; y < 9; y++) for (let x = 5; x < 9; x++) m[y * 20 + x] = 1; // 4 x 4 square
  const labels = splitAtNecks(fromData(m, 20, 10));
  assert.equal(count(labels), 1);
  assert.equal(labels.data[2 * 20 + 5], 0);
  assert.equal(labels.data[6 * 20 + 6], 1);
});
