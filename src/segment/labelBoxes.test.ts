import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { labelBoxes } from './labelBoxes.ts';

test('labelBoxes gives inclusive boxes and areas (hand-checked), -1 for absent labels', () => {
  // 5 x 4 image: label 1 an L shape, label 3 one pixel, label 2 absent
  const labels = fromData(
    Uint32Array.from([0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]),
    5,
    4,
  );
  const { count, area, box } = labelBoxes(labels);
  assert.equal(count, 3);
  assert.deepEqual(Array.from(area), [0, 4, 0, 1]);
  assert.deepEqual(Array.from(box.subarray(4, 8)), [1, 0, 3, 1]);
  assert.deepEqual(Array.from(box.subarray(8, 12)), [-1, -1, -1, -1]);
  assert.deepEqual(Array.from(box.subarray(12, 16)), [4, 3, 4, 3]);
});
