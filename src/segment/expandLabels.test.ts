import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { expandLabels } from './expandLabels.ts';
import { fixture } from './testFixtures.ts';

test('expandLabels equals skimage expand_labels except on equidistant ties', async () => {
  const seeds = await fixture('expand_seeds');
  const labels = fromData(Int32Array.from(seeds.data), seeds.width, seeds.height);
  const ours = expandLabels(labels, 5).data;
  const expected = (await fixture('expand_5')).data;
  const { width: w } = seeds;
  let ties = 0;
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] === expected[i]) continue;
    // A differing pixel must be equidistant from both objects (scipy's EDT picks one of them arbitrarily).
    const x = i % w;
    const y = (i - x) / w;
    const nearest = (l: number) => {
      let best = Number.POSITIVE_INFINITY;
      for (let j = 0; j < labels.data.length; j++) {
        if (labels.data[j] !== l) continue;
        const jx = j % w;
        best = Math.min(best, (jx - x) ** 2 + ((j - jx) / w - y) ** 2);
      }
      return best;
    };
    assert.equal(nearest(ours[i]!), nearest(expected[i]!), `pixel ${i}: ${ours[i]} vs ${expected[i]}`);
    ties++;
  }
  assert.ok(ties < 0.01 * ours.length, `${ties} tie pixels`);
});

test('expandLabels: distance 0 is identity, mask limits growth, bad distance throws', () => {
  const l = fromData(Uint32Array.from([0, 1, 0, 0, 0, 0, 0, 2]), 8, 1);
  assert.deepEqual(Array.from(expandLabels(l, 0).data), [0, 1, 0, 0, 0, 0, 0, 2]);
  assert.deepEqual(Array.from(expandLabels(l, 2).data), [1, 1, 1, 1, 0, 2, 2, 2]);
  const mask = fromData(Uint8Array.from([1, 1, 1, 0, 1, 1, 1, 1]), 8, 1);
  assert.deepEqual(Array.from(expandLabels(l, 2, { mask }).data), [1, 1, 1, 0, 0, 2, 2, 2]);
  assert.throws(() => expandLabels(l, -1), /distance/);
});
