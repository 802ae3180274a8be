import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadFixtureImage } from '../filter/testing.ts';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { thresholdLocal } from './local.ts';
import { loadInput } from './testing.ts';

// Reference: skimage.filters.threshold_local 0.19 (float64 for the uint16 input, float32 for float32), stored
// as float32 (scripts/fixtures/threshold_make.py). Our filters sum in float64; differences are float32 rounding
// (and float32 accumulation on skimage's side for float32 input): rtol 1e-5 + atol 1e-6 x max |value|.
function tolerance(expected: ArrayLike<number>) {
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(expected[i]!));
  return { rtol: 1e-5, atol: 1e-6 * m };
}

describe('thresholdLocal vs skimage.filters.threshold_local', () => {
  const cases = {
    gaussian15: { blockSize: 15, method: 'gaussian' },
    mean15_off10: { blockSize: 15, method: 'mean', offset: 10 },
    median7: { blockSize: 7, method: 'median' },
    gaussian9_nearest: { blockSize: 9, method: 'gaussian', mode: 'nearest' },
  } as const;
  for (const [name, options] of Object.entries(cases)) {
    test(`uint16 ${name}`, async () => {
      const image = await loadInput('u16');
      const expected = await loadFixtureImage('threshold', `local_blobs_${name}`);
      assertClose(thresholdLocal(image, options).data, expected.data, tolerance(expected.data));
    });
  }
  test('float32 gaussian 21', async () => {
    const image = await loadInput('f32');
    const expected = await loadFixtureImage('threshold', 'local_f32_gaussian21');
    assertClose(thresholdLocal(image, { blockSize: 21 }).data, expected.data, tolerance(expected.data));
  });
  test('constant image and bad input', () => {
    const flat = fromData(new Uint8Array(12).fill(9), 4, 3);
    assertClose(thresholdLocal(flat, { blockSize: 5, offset: 1 }).data, new Array(12).fill(8), {
      rtol: 1e-6,
    });
    assert.throws(() => thresholdLocal(flat, { blockSize: 4 }), /odd integer >= 3, got 4/);
    assert.throws(() => thresholdLocal(flat, { method: 'max' as 'mean' }), /method must be/);
    assert.throws(() => thresholdLocal(flat, { offset: Number.NaN }), /offset must be finite/);
  });
});
