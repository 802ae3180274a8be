import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { thresholdLi } from './li.ts';
import { thresholdMultiOtsu } from './multiOtsu.ts';
import { thresholdRobustBackground } from './robustBackground.ts';
import { binWidth, expected, expectedList, INPUTS, loadInput, loadMask } from './testing.ts';
import { thresholdTriangle } from './triangle.ts';

// References: skimage.filters.threshold_multiotsu / threshold_li / threshold_triangle 0.19 and CellProfiler's
// robust background re-expressed in numpy (scripts/fixtures/threshold_make.py).
// - Histogram methods (multi-Otsu, triangle) on integer images: one bin per value, so identical results.
//   On float images we rebuild numpy's bin edges, so we expect the same bin; the tolerance is one bin width
//   ((max - min) / bins), the most a tie or an edge rounding could move the answer.
// - Li iterates until the step is below `tolerance`; both implementations follow the same iteration but sum in
//   a different order (numpy: pairwise, float32 for float32 images), so they agree to well within the
//   tolerance: rtol 1e-6 (1e-4 for float32 input, whose means numpy accumulates in float32).
// - Robust background: order statistics and float64 sums: rtol 1e-9.
const isInt = (name: string) => !['f32', 'f64', 'tri_f64'].includes(name);

describe('thresholdMultiOtsu vs skimage.filters.threshold_multiotsu', () => {
  for (const name of INPUTS.filter((n) => n !== 'u16rand')) {
    test(name, async () => {
      const image = await loadInput(name);
      const mask = await loadMask();
      const tol = isInt(name) ? {} : { atol: binWidth(image) };
      assertClose(thresholdMultiOtsu(image), expectedList(`multiotsu_${name}`), tol, 'whole');
      const mtol = isInt(name) ? {} : { atol: binWidth(image, 256, mask) };
      assertClose(
        thresholdMultiOtsu(image, { mask }),
        expectedList(`multiotsu_${name}_masked`),
        mtol,
        'masked',
      );
    });
  }
  test('4 classes, 128 bins, 2 classes', async () => {
    assert.deepEqual(
      thresholdMultiOtsu(await loadInput('tri_u8'), { classes: 4 }),
      expectedList('multiotsu_tri_u8_4'),
    );
    const tri = await loadInput('tri_f64');
    assertClose(thresholdMultiOtsu(tri, { bins: 128 }), expectedList('multiotsu_tri_f64_128'), {
      atol: binWidth(tri, 128),
    });
    const f32 = await loadInput('f32');
    assertClose(thresholdMultiOtsu(f32, { classes: 2 }), expectedList('multiotsu_f32_2'), {
      atol: binWidth(f32),
    });
  });
  test('few values, constant and empty inputs; bad classes', () => {
    assert.deepEqual(thresholdMultiOtsu(new Uint8Array([1, 1, 5, 9, 9])), [1, 5]);
    assert.deepEqual(thresholdMultiOtsu(new Uint8Array([1, 1, 9, 9])), [1, 1]);
    assert.deepEqual(thresholdMultiOtsu(new Uint16Array([7, 7])), [7, 7]);
    assert.deepEqual(thresholdMultiOtsu([]), [0, 0]);
    assert.throws(
      () => thresholdMultiOtsu([1, 2, 3], { classes: 1 }),
      /classes must be an integer in \[2, 8\], got 1/,
    );
  });
});

describe('thresholdLi vs skimage.filters.threshold_li', () => {
  for (const name of INPUTS) {
    test(name, async () => {
      const image = await loadInput(name);
      const mask = await loadMask();
      const tol = { rtol: image.dtype === 'float32' ? 1e-4 : 1e-6 };
      assertClose(thresholdLi(image), expected(`li_${name}`), tol, 'whole');
      assertClose(thresholdLi(image, { mask }), expected(`li_${name}_masked`), tol, 'masked');
    });
  }
  test('explicit tolerance and initial guess', async () => {
    assertClose(thresholdLi(await loadInput('f64'), { tolerance: 1e-3 }), expected('li_f64_tol'), {
      rtol: 1e-6,
    });
    assertClose(thresholdLi(await loadInput('u8'), { initialGuess: 100 }), expected('li_u8_guess'), {
      rtol: 1e-9,
    });
  });
  test('constant, empty, NaN; bad options', () => {
    assert.equal(thresholdLi(new Uint8Array([4, 4, 4])), 4);
    assert.equal(thresholdLi([]), 0);
    assert.equal(thresholdLi([Number.NaN]), 0);
    assert.equal(thresholdLi(new Uint8Array([1, 2]), { mask: new Uint8Array(2) }), 0);
    assert.throws(() => thresholdLi(new Uint8Array([1, 2, 3]), { initialGuess: 3 }), /strictly between/);
    assert.throws(() => thresholdLi(new Uint8Array([1, 2, 3]), { tolerance: 0 }), /tolerance must be/);
  });
});

describe('thresholdTriangle vs skimage.filters.threshold_triangle', () => {
  for (const name of INPUTS) {
    test(name, async () => {
      const image = await loadInput(name);
      const mask = await loadMask();
      const tol = isInt(name) ? {} : { atol: binWidth(image) };
      assertClose(thresholdTriangle(image), expected(`triangle_${name}`), tol, 'whole');
      const mtol = isInt(name) ? {} : { atol: binWidth(image, 256, mask) };
      assertClose(thresholdTriangle(image, { mask }), expected(`triangle_${name}_masked`), mtol, 'masked');
    });
  }
  test('constant and empty', () => {
    assert.equal(thresholdTriangle(fromData(new Uint16Array(6).fill(3), 3, 2)), 3);
    assert.equal(thresholdTriangle([]), 0);
  });
});

describe('thresholdRobustBackground vs CellProfiler', () => {
  const cases = {
    default: {},
    median_mad: { averaging: 'median', variance: 'mad', numberOfDeviations: 3 },
    mode: { averaging: 'mode', lowerOutlierFraction: 0.02, upperOutlierFraction: 0.1 },
    nochop: { lowerOutlierFraction: 0, upperOutlierFraction: 0.3 },
  } as const;
  for (const name of INPUTS) {
    test(name, async () => {
      const image = await loadInput(name);
      for (const [k, options] of Object.entries(cases)) {
        assertClose(
          thresholdRobustBackground(image, options),
          expected(`robust_${name}_${k}`),
          { rtol: 1e-9 },
          k,
        );
      }
      const mask = await loadMask();
      assertClose(thresholdRobustBackground(image, { mask }), expected(`robust_${name}_masked`), {
        rtol: 1e-9,
      });
    });
  }
  test('fewer than 3 pixels, constant; bad options', () => {
    assert.equal(thresholdRobustBackground([1, 5]), 0);
    assert.equal(thresholdRobustBackground([2, 2, 2, 2]), 2);
    assert.throws(
      () => thresholdRobustBackground([1, 2, 3], { lowerOutlierFraction: 0.6, upperOutlierFraction: 0.5 }),
      /must be < 1/,
    );
    assert.throws(
      () => thresholdRobustBackground([1, 2, 3], { lowerOutlierFraction: -0.1 }),
      /\[0, 1\), got -0.1/,
    );
    assert.throws(
      () => thresholdRobustBackground([1, 2, 3], { averaging: 'max' as 'mean' }),
      /averaging must be/,
    );
  });
});
