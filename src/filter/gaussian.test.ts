import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createImage, fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import type { BorderMode } from './border.ts';
import { gaussian, gaussianKernel1d, gaussianRadius } from './gaussian.ts';
import { loadFixtureImage } from './testing.ts';

// Reference: scipy.ndimage.gaussian_filter in float64 (scripts/fixtures/filter_make.py), stored as float32.
// Our sums are float64 too; the only differences are the final rounding to float32 on both sides, so the
// tolerance is a few float32 ulps of the image's range: rtol 1e-6 plus atol 1e-6 x max |value|.
function tolerance(expected: ArrayLike<number>) {
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(expected[i]!));
  return { rtol: 1e-6, atol: 1e-6 * m };
}

describe('gaussian vs scipy.ndimage.gaussian_filter', () => {
  const cases: [string, number, BorderMode][] = [];
  for (const s of [0.7, 2.0]) {
    for (const m of ['nearest', 'reflect', 'mirror', 'constant', 'wrap'] as const) cases.push(['u8', s, m]);
  }
  // sigma 9 (radius 36) runs the generic symmetric loop rather than the compiled one
  cases.push(
    ['u8', 5.0, 'nearest'],
    ['u8', 9.0, 'reflect'],
    ['u16', 2.0, 'nearest'],
    ['f32', 2.0, 'reflect'],
    ['blobs', 2.0, 'nearest'],
  );
  for (const [name, sigma, mode] of cases) {
    test(`${name} sigma ${sigma} ${mode}`, async () => {
      const input = await loadFixtureImage('filter', `in_${name}`);
      const expected = await loadFixtureImage('filter', `gaussian_${name}_s${sigma.toFixed(1)}_${mode}`);
      const out = gaussian(input, { sigma, mode, cval: 3 });
      assert.equal(out.dtype, 'float32');
      assertClose(out.data, expected.data, tolerance(expected.data), `${name} ${sigma} ${mode}`);
    });
  }
  test('anisotropic sigma [1.5, 3] and truncate 2', async () => {
    const input = await loadFixtureImage('filter', 'in_u8');
    const a = await loadFixtureImage('filter', 'gaussian_u8_s1.5x3_nearest');
    assertClose(gaussian(input, { sigma: [1.5, 3] }).data, a.data, tolerance(a.data));
    const b = await loadFixtureImage('filter', 'gaussian_u8_s3_t2_reflect');
    assertClose(gaussian(input, { sigma: 3, truncate: 2, mode: 'reflect' }).data, b.data, tolerance(b.data));
  });
});

describe('gaussian definition and invariants', () => {
  test('kernel radius and normalisation follow scipy', () => {
    assert.equal(gaussianRadius(2, 4), 8);
    assert.equal(gaussianRadius(0.7, 4), 3);
    assert.equal(gaussianRadius(1.1, 4), 4);
    const k = gaussianKernel1d(1.3, 5);
    assert.equal(k.length, 11);
    assertClose(
      k.reduce((a, b) => a + b, 0),
      1,
      { atol: 1e-15 },
    );
  });
  test('constant image stays constant in every mode except constant', () => {
    const img = fromData(new Uint16Array(35).fill(1234), 7, 5);
    for (const mode of ['nearest', 'reflect', 'mirror', 'wrap'] as const) {
      assertClose(gaussian(img, { sigma: 3, mode }).data, new Float32Array(35).fill(1234), { rtol: 1e-6 });
    }
  });
  test('1x1 and 1xN images', () => {
    const one = fromData(new Uint8Array([200]), 1, 1);
    assertClose(gaussian(one, { sigma: 2 }).data, [200], { rtol: 1e-7 });
    const values = [0, 0, 10, 0, 3];
    const row = fromData(new Float32Array(values), 5, 1);
    // with 'nearest' the y pass sees the single row everywhere, so this is the 1-D filter along x, computed
    // here directly from the definition: out[x] = sum_j k[j] row[clamp(x + j - 4)]
    const k = gaussianKernel1d(1, 4);
    const expected = values.map((_, x) => {
      let s = 0;
      for (let j = 0; j < 9; j++) s += k[j]! * values[Math.min(4, Math.max(0, x + j - 4))]!;
      return s;
    });
    assertClose(gaussian(row, { sigma: 1 }).data, expected, { rtol: 1e-6 });
    const column = fromData(new Float32Array(values), 1, 5);
    assertClose(gaussian(column, { sigma: 1 }).data, expected, { rtol: 1e-6 });
  });
  test('preserveRange false maps uint8 to [0, 1]', () => {
    const img = fromData(new Uint8Array([255, 255, 255, 255]), 2, 2);
    assertClose(gaussian(img, { sigma: 1, preserveRange: false }).data, [1, 1, 1, 1], { rtol: 1e-6 });
    const c = gaussian(img, { sigma: 1, preserveRange: false, mode: 'constant', cval: 0.5 });
    assert.ok(c.data.every((v) => v > 0.5 && v < 1));
  });
  test('multi-channel images are filtered per channel', () => {
    const img = createImage('uint8', 4, 3, { channels: 2 });
    img.data.fill(10, 0, 12);
    img.data.fill(90, 12);
    const out = gaussian(img, { sigma: 1 });
    assert.equal(out.channels, 2);
    assertClose(out.data.subarray(0, 12), new Float32Array(12).fill(10), { rtol: 1e-6 });
    assertClose(out.data.subarray(12), new Float32Array(12).fill(90), { rtol: 1e-6 });
  });
  test('bad input', () => {
    const img = createImage('uint8', 4, 4);
    for (const sigma of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => gaussian(img, { sigma }), /sigma must be a finite number > 0, got/);
    }
    assert.throws(() => gaussian(img, { sigma: [1, 0] }), /sigma\[1\]/);
    assert.throws(() => gaussian(img, { sigma: 1, truncate: 0 }), /truncate/);
    assert.throws(() => gaussian(img, { sigma: 1, mode: 'edge' as BorderMode }), /mode must be one of/);
    assert.throws(() => gaussian({ ...img, width: 5 }, { sigma: 1 }), RangeError);
  });
});
