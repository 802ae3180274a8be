import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { distanceTransform } from './distanceTransform.ts';
import { fixture } from './testFixtures.ts';

test('distanceTransform equals scipy distance_transform_edt (to 1e-12: both take sqrt of exact sums)', async () => {
  const mask = await fixture('edt_mask');
  assertClose(distanceTransform(mask).data, (await fixture('edt_dist')).data, { atol: 1e-12 });
});

test('distanceTransform with anisotropic sampling equals scipy (1e-9: float sums in another order)', async () => {
  const mask = await fixture('edt_mask');
  const expected = await fixture('edt_dist_sampling');
  assertClose(distanceTransform(mask, { sampling: [1.5, 0.7] }).data, expected.data, { atol: 1e-9 });
});

test('distanceTransform: hand-computed line, no background, bad sampling', () => {
  const line = fromData(Uint8Array.from([0, 1, 1, 1, 1, 0, 1]), 7, 1);
  assert.deepEqual(Array.from(distanceTransform(line).data), [0, 1, 2, 2, 1, 0, 1]);
  const full = distanceTransform(fromData(Uint8Array.from([1, 1]), 2, 1));
  assert.deepEqual(Array.from(full.data), [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
  assert.throws(() => distanceTransform(line, { sampling: [0, 1] }), /sampling/);
});
