import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { indexObjects, objectPixels } from './objects.ts';

test('indexObjects groups pixels by label with bounding boxes (hand-computed)', () => {
  // 4x3 label image: object 5 in the top-left, object 2 on the right column.
  const labels = fromData(new Uint32Array([5, 5, 0, 2, 5, 0, 0, 2, 0, 0, 0, 2]), 4, 3);
  const index = indexObjects(labels);
  assert.equal(index.count, 2);
  assert.deepEqual([...index.labels], [2, 5]);
  assert.deepEqual([...index.area], [3, 3]);
  assert.deepEqual([...index.bbox], [3, 0, 4, 3, 0, 0, 2, 2]);
  assert.deepEqual([...objectPixels(index, 0)], [3, 7, 11]);
  assert.deepEqual([...objectPixels(index, 1)], [0, 1, 4]);
  assert.equal(index.indexOfLabel[5], 1);
  assert.equal(index.indexOfLabel[3], -1);
});

test('indexObjects refuses negative labels and multi-channel input', () => {
  assert.throws(() => indexObjects(fromData(new Int32Array([0, -1]), 2, 1)), /negative label -1/);
  assert.throws(() => indexObjects(fromData(new Uint32Array(4), 1, 2, { channels: 2 })), /1 channel/);
});
