import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { peakLocalMax } from './peakLocalMax.ts';
import { fixture, fixtureList } from './testFixtures.ts';

test('peakLocalMax equals skimage peak_local_max on a unique-valued distance map (exact indices)', async () => {
  const image = await fixture('peaks_image');
  assert.deepEqual(Array.from(peakLocalMax(image, { minDistance: 3 })), await fixtureList('peaks_md3'));
  assert.deepEqual(
    Array.from(peakLocalMax(image, { minDistance: 5, thresholdAbs: 2, excludeBorder: false })),
    await fixtureList('peaks_md5_t2'),
  );
});

test('peakLocalMax per label equals skimage (same set of peaks)', async () => {
  const image = await fixture('peaks_image');
  const labels = await fixture('peaks_labels');
  const ours = Array.from(
    peakLocalMax(image, {
      minDistance: 4,
      labels: fromData(Int32Array.from(labels.data), labels.width, labels.height),
      excludeBorder: false,
    }),
  ).sort((a, b) => a - b);
  const expected = (await fixtureList('peaks_labels_md4')).sort((a, b) => a - b);
  assert.deepEqual(ours, expected);
});

test('peakLocalMax: flat image has no peak; bad minDistance throws', () => {
  assert.equal(peakLocalMax(fromData(new Float32Array(25).fill(2), 5, 5)).length, 0);
  assert.throws(() => peakLocalMax(fromData(new Float32Array(4), 2, 2), { minDistance: 1.5 }), /minDistance/);
});
