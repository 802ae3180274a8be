// Otsu's threshold (N. Otsu, IEEE Trans. SMC 9(1), 1979) exactly as skimage.filters.threshold_otsu (v0.19)
// computes it from skimage's histogram. Hand-written: image-js's Otsu takes only 8/16-bit images and no mask.
import { checkBins, collectSamples, histogram, type ThresholdInput } from './histogram.ts';

export interface OtsuOptions {
  /** Histogram bins for float pixels; integer pixels always get one bin per value, as in skimage. @default 256 */
  bins?: number;
  /** Only pixels where the mask is nonzero are used (same length as the image). @default undefined (all) */
  mask?: Uint8Array;
}

/**
 * The intensity that best separates two classes (maximal between-class variance); pixels strictly above it
 * are foreground. Returned in image units, as the centre of the chosen histogram bin.
 *
 * Defined results where skimage has none: NaN pixels are ignored; an input with no usable pixel (empty, all
 * masked out or all NaN) returns 0; a constant input returns that constant (as skimage does).
 */
export function thresholdOtsu(input: ThresholdInput, options: OtsuOptions = {}): number {
  const bins = checkBins(options.bins ?? 256, 'thresholdOtsu');
  const samples = collectSamples(input, options.mask, 'thresholdOtsu');
  if (samples.count === 0) return 0;
  if (samples.min === samples.max) return samples.min;
  const { counts, centers } = histogram(samples, bins);
  return centers[otsuIndex(counts, centers)]!;
}

/**
 * Index of the Otsu bin of a histogram: argmax over i of w1(i) w2(i+1) (m1(i) - m2(i+1))^2 with cumulative
 * weights and means from both ends, the first maximum winning (numpy's argmax).
 */
export function otsuIndex(counts: ArrayLike<number>, centers: ArrayLike<number>): number {
  const n = counts.length;
  // suffix sums for class 2
  const w2 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    w2[i] = w2[i + 1]! + counts[i]!;
    s2[i] = s2[i + 1]! + counts[i]! * centers[i]!;
  }
  let w1 = 0;
  let s1 = 0;
  let best = -1;
  let bestIndex = 0;
  for (let i = 0; i < n - 1; i++) {
    w1 += counts[i]!;
    s1 += counts[i]! * centers[i]!;
    const wb = w2[i + 1]!;
    const d = s1 / w1 - s2[i + 1]! / wb;
    const v = w1 * wb * (d * d);
    // NaN (an empty class) never wins, as numpy's argmax would only pick it if it came first; skimage's
    // histogram has no empty end bins so the first class is never empty
    if (v > best) {
      best = v;
      bestIndex = i;
    }
  }
  return bestIndex;
}
