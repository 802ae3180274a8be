import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { whiteTopHat } from './morphology.ts';
import { rollingBall, subtractBackground } from './rollingBall.ts';
import { loadFixtureImage } from './testing.ts';

// Reference: skimage.restoration.rolling_ball 0.19 (scripts/fixtures/filter_make.py), run on float64 copies of
// integer inputs and on the float32 image itself. Each output is one input value plus one kernel offset; skimage
// computes the float32 case in float32, so the tolerance is float32 rounding of the value: rtol 1e-6 +
// atol 1e-6 x max |value|.
function tolerance(expected: ArrayLike<number>) {
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(expected[i]!));
  return { rtol: 1e-6, atol: 1e-6 * m };
}

describe('rollingBall vs skimage.restoration.rolling_ball', () => {
  for (const [input, radius, ref] of [
    ['blobs', 5, 'rollingball_blobs_r5'],
    ['f32', 3.5, 'rollingball_f32_r3.5'],
    ['u8', 12, 'rollingball_u8_r12'],
  ] as const) {
    test(`${input} radius ${radius}`, async () => {
      const image = await loadFixtureImage('filter', `in_${input}`);
      const expected = await loadFixtureImage('filter', ref);
      assertClose(rollingBall(image, { radius }).data, expected.data, tolerance(expected.data));
    });
  }
});

describe('subtractBackground', () => {
  test('rolling ball: image minus background, never negative', async () => {
    const image = await loadFixtureImage('filter', 'in_blobs');
    const bg = rollingBall(image, { radius: 5 });
    const out = subtractBackground(image, { method: 'rollingBall', radius: 5 });
    for (let i = 0; i < out.data.length; i++) {
      assert.ok(out.data[i]! >= 0);
      assertClose(out.data[i]!, image.data[i]! - bg.data[i]!, { atol: 1e-3 });
    }
  });
  test('top-hat equals whiteTopHat with a disk', async () => {
    const image = await loadFixtureImage('filter', 'in_blobs');
    const out = subtractBackground(image, { method: 'topHat', radius: 4 });
    assert.deepEqual(Array.from(out.data), Array.from(whiteTopHat(image, { radius: 4 }).data));
  });
  test('constant image has itself as background; bad input', () => {
    const flat = fromData(new Uint16Array(16).fill(300), 4, 4);
    assert.ok(rollingBall(flat, { radius: 3 }).data.every((v) => v === 300));
    assert.ok(subtractBackground(flat, { method: 'rollingBall', radius: 3 }).data.every((v) => v === 0));
    assert.ok(subtractBackground(flat, { radius: 3 }).data.every((v) => v === 0));
    assert.throws(() => rollingBall(flat, { radius: 0 }), /radius must be a finite number > 0, got 0/);
    assert.throws(() => rollingBall(flat, { radius: Number.NaN }), /got NaN/);
    assert.throws(() => subtractBackground(flat, { method: 'topHat', radius: 2.5 }), /integer >= 0, got 2.5/);
    assert.throws(() => subtractBackground(flat, { method: 'x' as 'topHat' }), /method must be/);
  });
});
