import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import type { BorderMode } from './border.ts';
import { mean } from './mean.ts';
import { loadFixtureImage } from './testing.ts';

// Reference: scipy.ndimage.correlate(image, footprint / footprint.sum(), mode, cval=5) in float64, stored as
// float32 (scripts/fixtures/filter_make.py). We sum in float64 through prefix sums, which reorders additions:
// for integer pixels the sums are exact, for float32 pixels the reordering costs ~1e-15 relative; the rest is
// the float32 rounding of both outputs, so: rtol 1e-6 plus atol 1e-6 x max |value|.
function tolerance(expected: ArrayLike<number>) {
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(expected[i]!));
  return { rtol: 1e-6, atol: 1e-6 * m };
}

function spec(name: string) {
  const m = /^(disk|square)(\d+)$/.exec(name)!;
  return { shape: m[1] as 'disk' | 'square', radius: Number(m[2]) };
}

async function check(input: string, fp: string, mode: BorderMode): Promise<void> {
  const image = await loadFixtureImage('filter', `in_${input}`);
  const expected = await loadFixtureImage('filter', `mean_${input}_${fp}_${mode}`);
  const out = mean(image, { footprint: spec(fp), mode, cval: 5 });
  assertClose(out.data, expected.data, tolerance(expected.data), `mean ${input} ${fp} ${mode}`);
}

describe('mean vs scipy.ndimage.correlate with a normalised footprint', () => {
  for (const fp of ['disk1', 'disk3', 'square2']) test(`uint8 ${fp}`, () => check('u8', fp, 'nearest'));
  for (const mode of ['reflect', 'mirror', 'constant', 'wrap'] as const) {
    test(`uint8 disk2 ${mode}`, () => check('u8', 'disk2', mode));
  }
  test('uint16 square2 and float32 disk2', async () => {
    await check('u16', 'square2', 'nearest');
    await check('f32', 'disk2', 'nearest');
  });
});

describe('mean invariants', () => {
  test('constant, 1x1 and 1xN images', () => {
    assertClose(
      mean(fromData(new Uint16Array(12).fill(40), 4, 3), { footprint: { radius: 3 } }).data,
      new Array(12).fill(40),
      { rtol: 1e-7 },
    );
    assertClose(
      mean(fromData(new Float32Array([3]), 1, 1), { footprint: { shape: 'square', radius: 2 } }).data,
      [3],
      { rtol: 1e-7 },
    );
    // 1x3 row with a square of radius 1 and 'nearest': each output averages 3 rows of the same 3 columns
    const row = fromData(new Uint8Array([0, 3, 9]), 3, 1);
    assertClose(mean(row, { footprint: { shape: 'square', radius: 1 } }).data, [1, 4, 7], { rtol: 1e-7 });
  });
  test('bad input', () => {
    const img = fromData(new Uint8Array(4), 2, 2);
    assert.throws(() => mean(img, { footprint: { radius: -2 } }), /radius must be an integer >= 0, got -2/);
    assert.throws(() => mean(img, { cval: Number.POSITIVE_INFINITY }), /cval must be finite/);
  });
});
