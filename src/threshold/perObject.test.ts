import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadFixtureImage } from '../filter/testing.ts';
import { fromData, type Image } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { thresholdPerObject } from './perObject.ts';
import { expectedList, loadInput } from './testing.ts';

// Reference: skimage threshold_otsu / threshold_li / threshold_triangle and CellProfiler's robust background of
// image[labels == k] for each object of scipy.ndimage.label(blobs > 0.8 Otsu) (scripts/fixtures/threshold_make.py).
// Integer pixels: histogram methods are exact; Li within 1e-6 relative (summation order); robust within 1e-9.
describe('thresholdPerObject vs per-label skimage thresholds', () => {
  for (const [method, key, tol] of [
    ['otsu', 'otsu', {}],
    ['li', 'li', { rtol: 1e-6 }],
    ['triangle', 'triangle', {}],
    ['robustBackground', 'robust', { rtol: 1e-9 }],
  ] as const) {
    test(method, async () => {
      const image = await loadInput('u16');
      const labels = (await loadFixtureImage('threshold', 'labels')) as Image<'int32'>;
      const { thresholds, thresholdImage } = thresholdPerObject(image, labels, { method });
      assertClose(thresholds.subarray(1), expectedList(`perobject_u16_${key}`), tol);
      for (let i = 0; i < labels.data.length; i++) {
        const l = labels.data[i]!;
        assert.equal(
          thresholdImage.data[i],
          l === 0 ? Number.POSITIVE_INFINITY : Math.fround(thresholds[l]!),
        );
      }
    });
  }
  test('missing labels, single-pixel objects, masks and bad input', () => {
    const image = fromData(new Uint8Array([5, 9, 1, 7]), 2, 2);
    const labels = fromData(new Int32Array([0, 3, 3, 1]), 2, 2);
    const r = thresholdPerObject(image, labels);
    assert.ok(Number.isNaN(r.thresholds[0]!) && Number.isNaN(r.thresholds[2]!));
    assert.equal(r.thresholds[1], 7);
    assert.equal(r.thresholds[3], 1);
    const masked = thresholdPerObject(image, labels, { mask: Uint8Array.of(1, 1, 0, 1) });
    assert.equal(masked.thresholds[3], 9);
    assert.throws(() => thresholdPerObject(image, fromData(new Int32Array(2), 2, 1)), /differ from image/);
    assert.throws(
      () => thresholdPerObject(image, fromData(new Int32Array([0, -1, 0, 0]), 2, 2)),
      /labels must be >= 0/,
    );
    assert.throws(() => thresholdPerObject(image, labels, { method: 'x' as 'li' }), /method must be/);
  });
});
