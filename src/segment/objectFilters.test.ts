import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { clearBorder, filterBySize, labelAreas } from './objectFilters.ts';

// 6x4: object 1 touches the left edge (2 px), object 2 is interior (4 px, 2x2), object 5 a single interior pixel.
const labels = fromData(
  Uint32Array.from([0, 0, 0, 0, 0, 0, 1, 0, 2, 2, 0, 0, 1, 0, 2, 2, 5, 0, 0, 0, 0, 0, 0, 0]),
  6,
  4,
);

test('labelAreas counts pixels per label', () => {
  assert.deepEqual(Array.from(labelAreas(labels)), [17, 2, 4, 0, 0, 1]);
});

test('clearBorder removes objects touching the edge only', () => {
  const out = clearBorder(labels).data;
  assert.equal(out[6], 0);
  assert.equal(out[8], 2);
  assert.equal(out[16], 5);
});

test('filterBySize keeps areas within [pi (min/2)^2, pi (max/2)^2] (CellProfiler filter_on_size)', () => {
  // min diameter 1.2 -> area >= 1.13: the single pixel goes; max diameter 2 -> area <= 3.14: the 2x2 goes.
  const out = Array.from(filterBySize(labels, { minDiameter: 1.2, maxDiameter: 2 }).data);
  assert.deepEqual([...new Set(out)].sort(), [0, 1]);
  assert.throws(() => filterBySize(labels, { minDiameter: 5, maxDiameter: 2 }), /minDiameter/);
});
