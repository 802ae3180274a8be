import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadFixtureImage } from '../filter/testing.ts';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { applyThreshold, type CellProfilerThresholdOptions, cellprofilerThreshold } from './apply.ts';
import { EXPECTED, loadInput, loadMask } from './testing.ts';

// Reference: CellProfiler 4.2's Threshold module (get_threshold, _get_adaptive_threshold, apply_threshold) and
// centrosome's log_transform / smooth_with_function_and_mask, re-expressed with numpy/scipy/skimage in
// scripts/fixtures/threshold_make.py and run on the 12-bit uint16 blobs / 65535.
// - Global thresholds: the same skimage-exact Otsu/multi-Otsu/Li and CellProfiler's robust background on float64
//   values: rtol 1e-6 (Li's iteration stops within its tolerance; sums are ordered differently).
// - Adaptive threshold images: the block thresholds plus FITPACK's interpolating spline solved by LU here and by
//   Givens rotations in FITPACK: rtol 1e-6.
// - Foreground masks: the smoothing is float64 on both sides, so a pixel flips only if it lies within ~1e-12 of
//   the threshold; we allow at most 2 differing pixels of 3072.
interface Expected {
  final: number[] | null;
  orig: number;
  guide: number | null;
}

const CASES: Record<string, CellProfilerThresholdOptions & { useMask?: boolean }> = {
  otsu2: { method: 'otsu' },
  otsu3_fg: { method: 'otsu', otsuClasses: 3, assignMiddleToForeground: true },
  otsu3_bg: { method: 'otsu', otsuClasses: 3, assignMiddleToForeground: false },
  li: { method: 'li' },
  li_log: { method: 'li', logTransform: true },
  otsu_log: { method: 'otsu', logTransform: true },
  robust: { method: 'robustBackground' },
  otsu_cf_bounds: { method: 'otsu', correctionFactor: 1.3, bounds: [0, 0.03] },
  li_adaptive: { method: 'li', strategy: 'adaptive', adaptiveWindowSize: 16 },
  otsu_adaptive: { method: 'otsu', strategy: 'adaptive', adaptiveWindowSize: 20 },
  otsu3_adaptive: {
    method: 'otsu',
    otsuClasses: 3,
    assignMiddleToForeground: false,
    strategy: 'adaptive',
    adaptiveWindowSize: 12,
  },
  robust_adaptive: { method: 'robustBackground', strategy: 'adaptive', adaptiveWindowSize: 24 },
  li_masked: { method: 'li', useMask: true },
  otsu_nosmooth: { method: 'otsu', smoothingScale: 0 },
};

describe('cellprofilerThreshold vs CellProfiler Threshold module', () => {
  for (const [name, { useMask, ...options }] of Object.entries(CASES)) {
    test(name, async () => {
      const image = await loadInput('u16');
      const mask = useMask ? await loadMask() : undefined;
      const result = cellprofilerThreshold(image, { ...options, ...(mask ? { mask } : {}) });
      const e = EXPECTED[`cp_${name}`] as unknown as Expected;
      assertClose(result.origThresholdScaled, e.orig, { rtol: 1e-6 }, 'orig');
      if (e.final) {
        assertClose(result.thresholdScaled, e.final[0]!, { rtol: 1e-6 }, 'final');
        assertClose(result.threshold, e.final[0]! * 65535, { rtol: 1e-6 }, 'final in image units');
      } else {
        assertClose(result.guideThresholdScaled!, e.guide!, { rtol: 1e-6 }, 'guide');
        const finalImage = await loadFixtureImage('threshold', `cp_${name}_final`);
        assertClose(result.thresholdImage!.data, finalImage.data, { rtol: 1e-6 }, 'threshold image');
      }
      const binary = (await loadFixtureImage('threshold', `cp_${name}_binary`)).data;
      let differ = 0;
      for (let i = 0; i < binary.length; i++) if (binary[i] !== result.mask[i]) differ++;
      assert.ok(differ <= 2, `${differ} foreground pixels differ from CellProfiler`);
    });
  }
});

describe('cellprofilerThreshold edge cases', () => {
  test('manual threshold, empty mask, constant image', () => {
    const img = fromData(new Uint8Array([0, 51, 102, 255]), 2, 2);
    const manual = cellprofilerThreshold(img, { method: 'manual', manualThreshold: 0.3, smoothingScale: 0 });
    assert.deepEqual(Array.from(manual.mask), [0, 0, 1, 1]);
    assertClose(manual.threshold, 0.3 * 255, { rtol: 1e-12 });
    const none = cellprofilerThreshold(img, { method: 'otsu', mask: new Uint8Array(4) });
    assert.equal(none.thresholdScaled, 0);
    assert.deepEqual(Array.from(none.mask), [0, 0, 0, 0]);
    const flat = cellprofilerThreshold(fromData(new Uint16Array(9).fill(6553), 3, 3), { method: 'li' });
    assertClose(flat.thresholdScaled, 0.1, { rtol: 1e-4 });
  });
  test('bad options', () => {
    const img = fromData(new Uint8Array(100), 10, 10);
    assert.throws(() => cellprofilerThreshold(img, { method: 'x' as 'li' }), /method must be/);
    assert.throws(() => cellprofilerThreshold(img, { bounds: [1, 0] }), /lower <= upper/);
    assert.throws(() => cellprofilerThreshold(img, { smoothingScale: -1 }), /smoothingScale/);
    assert.throws(
      () => cellprofilerThreshold(img, { strategy: 'adaptive', adaptiveWindowSize: 6 }),
      /too large for a 10x10 image/,
    );
    assert.throws(() => cellprofilerThreshold(img, { mask: new Uint8Array(3) }), /mask has 3 elements/);
  });
});

describe('applyThreshold', () => {
  test('global and per-pixel thresholds, strict and inclusive, with a mask', () => {
    const img = fromData(new Float32Array([1, 2, 3, 4]), 2, 2);
    assert.deepEqual(Array.from(applyThreshold(img, 2)), [0, 0, 1, 1]);
    assert.deepEqual(Array.from(applyThreshold(img, 2, { comparison: '>=' })), [0, 1, 1, 1]);
    assert.deepEqual(Array.from(applyThreshold(img, 0, { mask: Uint8Array.of(1, 0, 1, 0) })), [1, 0, 1, 0]);
    const t = fromData(new Float32Array([0, 5, 0, 5]), 2, 2);
    assert.deepEqual(Array.from(applyThreshold(img, t)), [1, 0, 1, 0]);
    assert.throws(() => applyThreshold(img, Number.NaN), /NaN/);
    assert.throws(() => applyThreshold(img, fromData(new Float32Array(2), 2, 1)), /differs/);
  });
});
