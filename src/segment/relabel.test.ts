import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { relabelSequential } from './relabel.ts';

test('relabelSequential removes gaps keeping order (as skimage relabel_sequential)', () => {
  const r = relabelSequential(fromData(Uint32Array.from([0, 7, 7, 3, 0, 12]), 6, 1));
  assert.deepEqual(Array.from(r.labels.data), [0, 2, 2, 1, 0, 3]);
  assert.equal(r.count, 3);
  assert.equal(r.forward[12], 3);
  assert.equal(relabelSequential(fromData(new Uint16Array(4), 2, 2)).count, 0);
  assert.throws(() => relabelSequential(fromData(Int32Array.from([1, -2]), 2, 1)), /negative/);
});
