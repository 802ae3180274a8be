import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { thresholdOtsu } from './otsu.ts';
import { expected, INPUTS, loadInput, loadMask } from './testing.ts';

// Reference: skimage.filters.threshold_otsu 0.19 (scripts/fixtures/threshold_make.py). Integer images: one
// bin per value, so the result must be identical. Float images: we rebuild numpy's bin edges (in float32 for
// float32 data) and the same cumulative sums, so we expect the same bin; the tolerance of 1e-7 relative
// covers float32 vs float64 rounding of the bin centre only (one bin would be (max - min) / 256 ~ 4e-3).
describe('thresholdOtsu vs skimage.filters.threshold_otsu', () => {
  for (const name of INPUTS) {
    test(name, async () => {
      const image = await loadInput(name);
      const mask = await loadMask();
      const integer = image.dtype !== 'float32' && image.dtype !== 'float64';
      const tol = integer ? {} : { rtol: 1e-7 };
      assertClose(thresholdOtsu(image), expected(`otsu_${name}`), tol, 'whole image');
      assertClose(thresholdOtsu(image, { mask }), expected(`otsu_${name}_masked`), tol, 'masked');
      if (!integer)
        assertClose(thresholdOtsu(image, { bins: 64 }), expected(`otsu_${name}_bins64`), tol, 'bins 64');
    });
  }
});

describe('thresholdOtsu edge cases', () => {
  test('plain arrays and typed arrays are accepted', () => {
    assert.equal(thresholdOtsu(new Uint8Array([0, 0, 0, 10, 10, 10])), 0);
    assert.equal(thresholdOtsu([0, 0, 1, 9, 10, 10], { bins: 10 }), 1.5);
  });
  test('constant, empty, all-masked and NaN inputs give documented values', () => {
    assert.equal(thresholdOtsu(fromData(new Uint16Array(12).fill(7), 4, 3)), 7);
    assert.equal(thresholdOtsu(fromData(new Uint8Array([5]), 1, 1)), 5);
    assert.equal(thresholdOtsu([]), 0);
    assert.equal(thresholdOtsu(new Uint8Array([1, 2, 3]), { mask: new Uint8Array(3) }), 0);
    assert.equal(thresholdOtsu([Number.NaN, Number.NaN]), 0);
    assert.equal(
      thresholdOtsu([Number.NaN, 0, 0, 1, 1], { bins: 2 }),
      thresholdOtsu([0, 0, 1, 1], { bins: 2 }),
    );
  });
  test('bad input', () => {
    assert.throws(() => thresholdOtsu([1, 2], { bins: 1 }), /bins must be an integer/);
    assert.throws(() => thresholdOtsu([1, 2], { mask: new Uint8Array(3) }), /mask has 3 elements/);
    assert.throws(
      () => thresholdOtsu(fromData(new Uint8Array(8), 2, 2, { channels: 2 })),
      /single-channel image, got 2 channels/,
    );
    assert.throws(() => thresholdOtsu([0, Number.POSITIVE_INFINITY]), /infinite/);
  });
});
