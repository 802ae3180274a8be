import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { sobel } from './sobel.ts';
import { loadFixtureImage } from './testing.ts';

// Reference: skimage.filters.sobel 0.19 in float64, stored as float32 (scripts/fixtures/filter_make.py). We
// accumulate in float64 too; differences are float32 output rounding: rtol 1e-6 + atol 1e-6 x max |value|.
function tolerance(expected: ArrayLike<number>) {
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(expected[i]!));
  return { rtol: 1e-6, atol: 1e-6 * m };
}

describe('sobel vs skimage.filters.sobel', () => {
  for (const [input, ref, options] of [
    ['u8', 'sobel_u8', {}],
    ['blobs', 'sobel_blobs', {}],
    ['f32', 'sobel_f32', {}],
    ['u8', 'sobel_u8_nearest', { mode: 'nearest' }],
  ] as const) {
    test(ref, async () => {
      const image = await loadFixtureImage('filter', `in_${input}`);
      const expected = await loadFixtureImage('filter', ref);
      const out = sobel(image, { ...options, preserveRange: false });
      assertClose(out.data, expected.data, tolerance(expected.data));
    });
  }
  test('with a mask', async () => {
    const image = await loadFixtureImage('filter', 'in_u8');
    const mask = (await loadFixtureImage('filter', 'sobel_mask')).data as Uint8Array;
    const expected = await loadFixtureImage('filter', 'sobel_u8_masked');
    assertClose(sobel(image, { mask, preserveRange: false }).data, expected.data, tolerance(expected.data));
  });
  test('preserveRange keeps image units', async () => {
    const image = await loadFixtureImage('filter', 'in_blobs');
    const expected = await loadFixtureImage('filter', 'sobel_blobs');
    const scaled = Array.from(expected.data, (v) => v * 65535);
    assertClose(sobel(image).data, scaled, tolerance(scaled));
  });
});

describe('sobel invariants and bad input', () => {
  test('constant image and 1x1 image give 0; a ramp gives its slope / sqrt(2)', () => {
    assert.ok(sobel(fromData(new Uint16Array(20).fill(77), 5, 4)).data.every((v) => v === 0));
    assert.deepEqual(Array.from(sobel(fromData(new Float32Array([4]), 1, 1)).data), [0]);
    const ramp = fromData(
      Float32Array.from({ length: 25 }, (_, i) => 3 * (i % 5)),
      5,
      5,
    );
    // central difference of a slope-3 ramp is 6; magnitude sqrt(6^2 / 2)
    assertClose(sobel(ramp).data[12]!, Math.sqrt(18), { rtol: 1e-6 });
  });
  test('bad input', () => {
    const img = fromData(new Uint8Array(4), 2, 2);
    assert.throws(() => sobel(img, { mask: new Uint8Array(3) }), /mask has 3 elements/);
    assert.throws(() => sobel(fromData(new Uint8Array(8), 2, 2, { channels: 2 })), /single-channel/);
  });
});
