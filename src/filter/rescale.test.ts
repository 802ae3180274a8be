import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { percentiles, rescaleIntensity } from './rescale.ts';
import { loadFixtureImage } from './testing.ts';

// Reference: skimage.exposure.rescale_intensity 0.19 with out_range tuples and numpy.percentile input ranges
// (scripts/fixtures/filter_make.py). skimage computes float32 inputs in float32, we in float64 then round, so
// outputs differ by float32 rounding: atol 1e-6 x the output span.
describe('rescaleIntensity vs skimage.exposure.rescale_intensity', () => {
  test('float32: image range and 2-98 percentiles', async () => {
    const image = await loadFixtureImage('filter', 'in_f32');
    const a = await loadFixtureImage('filter', 'rescale_f32_image');
    assertClose(rescaleIntensity(image).data, a.data, { atol: 1e-6 });
    const b = await loadFixtureImage('filter', 'rescale_f32_p2_98');
    assertClose(rescaleIntensity(image, { inRange: { percentiles: [2, 98] } }).data, b.data, { atol: 1e-6 });
  });
  test('uint16: 1-99.5 percentiles (counting path) and dtype range', async () => {
    const blobs = await loadFixtureImage('filter', 'in_blobs');
    const a = await loadFixtureImage('filter', 'rescale_blobs_p1_99.5');
    assertClose(rescaleIntensity(blobs, { inRange: { percentiles: [1, 99.5] } }).data, a.data, {
      atol: 1e-6,
    });
    const u16 = await loadFixtureImage('filter', 'in_u16');
    const b = await loadFixtureImage('filter', 'rescale_u16_dtype');
    assertClose(rescaleIntensity(u16, { inRange: 'dtype' }).data, b.data, { atol: 1e-6 });
  });
  test('uint8: explicit [50, 200] onto [0, 255]', async () => {
    const image = await loadFixtureImage('filter', 'in_u8');
    const expected = await loadFixtureImage('filter', 'rescale_u8_50_200_to_0_255');
    const out = rescaleIntensity(image, { inRange: [50, 200], outRange: [0, 255] });
    assertClose(out.data, expected.data, { atol: 255e-6 });
  });
});

describe('rescaleIntensity edge cases', () => {
  test('percentiles follow numpy linear interpolation on both paths', () => {
    const values = [1, 2, 3, 4, 10];
    assertClose(
      percentiles(fromData(Uint8Array.from(values), 5, 1), [0, 25, 50, 90, 100]),
      [1, 2, 3, 7.6, 10],
      { rtol: 1e-12 },
    );
    const f = percentiles(fromData(Float32Array.from(values), 5, 1), [0, 25, 50, 90, 100]);
    assertClose(f, [1, 2, 3, 7.6, 10], { rtol: 1e-12 });
    assert.throws(() => percentiles(fromData(Uint8Array.from(values), 5, 1), [101]), /\[0, 100\], got 101/);
  });
  test('constant and 1x1 images are only clipped to the output range', () => {
    assert.deepEqual(
      Array.from(rescaleIntensity(fromData(new Float32Array([0.5, 0.5]), 2, 1)).data),
      [0.5, 0.5],
    );
    assert.deepEqual(Array.from(rescaleIntensity(fromData(new Uint16Array([900]), 1, 1)).data), [1]);
  });
  test('NaN pixels stay NaN and are ignored by the ranges', () => {
    const out = rescaleIntensity(fromData(Float32Array.of(0, Number.NaN, 2), 3, 1));
    assert.ok(Number.isNaN(out.data[1]!));
    assert.deepEqual([out.data[0], out.data[2]], [0, 1]);
  });
  test('bad ranges', () => {
    const img = fromData(new Uint8Array(4), 2, 2);
    assert.throws(() => rescaleIntensity(img, { inRange: [5, 1] }), /inRange must be \[low, high\]/);
    assert.throws(() => rescaleIntensity(img, { outRange: [0, Number.NaN] }), /outRange must be/);
    assert.throws(() => rescaleIntensity(img, { inRange: { percentiles: [90, 10] } }), /low <= high/);
  });
});
