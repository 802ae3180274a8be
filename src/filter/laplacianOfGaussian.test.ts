import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { gaussianKernel1d } from './gaussian.ts';
import { laplacianOfGaussian } from './laplacianOfGaussian.ts';
import { loadFixtureImage } from './testing.ts';

// Reference: scipy.ndimage.gaussian_laplace in float64, stored as float32 (scripts/fixtures/filter_make.py).
// Same kernels, float64 sums; LoG values cancel (positive and negative lobes), so the tolerance is absolute,
// relative to the input range: 1e-6 x max |LoG| + float32 rounding.
function tolerance(expected: ArrayLike<number>) {
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(expected[i]!));
  return { rtol: 1e-6, atol: 1e-6 * m };
}

describe('laplacianOfGaussian vs scipy.ndimage.gaussian_laplace', () => {
  for (const [input, sigma] of [
    ['blobs', 2.0],
    ['u8', 1.0],
    ['f32', 3.0],
  ] as const) {
    test(`${input} sigma ${sigma}`, async () => {
      const image = await loadFixtureImage('filter', `in_${input}`);
      const expected = await loadFixtureImage('filter', `log_${input}_s${sigma.toFixed(1)}`);
      assertClose(laplacianOfGaussian(image, { sigma }).data, expected.data, tolerance(expected.data));
    });
  }
  test('mode nearest', async () => {
    const image = await loadFixtureImage('filter', 'in_u8');
    const expected = await loadFixtureImage('filter', 'log_u8_s1.5_nearest');
    const out = laplacianOfGaussian(image, { sigma: 1.5, mode: 'nearest' });
    assertClose(out.data, expected.data, tolerance(expected.data));
  });
});

describe('laplacianOfGaussian invariants', () => {
  test('constant image gives 2 c sum(k2) (the truncated kernel does not sum to 0, as in scipy); spot < 0', () => {
    const flat = laplacianOfGaussian(fromData(new Uint8Array(64).fill(100), 8, 8), { sigma: 1.5 });
    const k2sum = gaussianKernel1d(1.5, 6, 2).reduce((a, b) => a + b, 0);
    assertClose(flat.data, new Float32Array(64).fill(200 * k2sum), { rtol: 1e-6 });
    const spot = new Float32Array(121);
    spot[60] = 1;
    const out = laplacianOfGaussian(fromData(spot, 11, 11), { sigma: 1 });
    assert.ok(out.data[60]! < 0);
    const normalized = laplacianOfGaussian(fromData(spot, 11, 11), { sigma: 1, normalize: true });
    assertClose(normalized.data[60]!, -out.data[60]!, { rtol: 1e-6 });
  });
  test('bad sigma', () => {
    const img = fromData(new Uint8Array(4), 2, 2);
    for (const sigma of [0, -2, Number.NaN])
      assert.throws(() => laplacianOfGaussian(img, { sigma }), /sigma must be/);
  });
});
