// Multi-level Otsu thresholds exactly as skimage.filters.threshold_multiotsu (v0.19) computes them: the
// between-class variance sum over all threshold combinations (P.-S. Liao, T.-S. Chen, P.-C. Chung, J. Inf. Sci.
// Eng. 17(5), 2001), in float32 like skimage's Cython (including its first-moment quirk for bin 0), the first
// maximum in lexicographic order winning. Cost O(bins^(classes-1)): integer images with a 16-bit range and 3
// classes take seconds; pass a float copy with `bins` to bound it. Hand-written: no npm package has it.
import { checkBins, collectSamples, histogram, type ThresholdInput } from './histogram.ts';

export interface MultiOtsuOptions {
  /** Number of classes (>= 2); returns classes - 1 thresholds. @default 3 */
  classes?: number;
  /** Histogram bins for float pixels (integer pixels get one bin per value, as in skimage). @default 256 */
  bins?: number;
  /** Only pixels where the mask is nonzero are used. @default undefined (all) */
  mask?: Uint8Array;
}

const f = Math.fround;

/**
 * The `classes - 1` thresholds (ascending, image units, bin centres) separating `classes` intensity classes.
 * Defined results where skimage raises: with fewer distinct values than classes, the available values below the
 * top one are returned and the rest repeat the last (a constant input returns the constant repeated; no usable
 * pixel returns zeros). NaN pixels are ignored.
 */
export function thresholdMultiOtsu(input: ThresholdInput, options: MultiOtsuOptions = {}): number[] {
  const classes = options.classes ?? 3;
  if (!Number.isInteger(classes) || classes < 2 || classes > 8) {
    throw new RangeError(`thresholdMultiOtsu: classes must be an integer in [2, 8], got ${String(classes)}`);
  }
  const bins = checkBins(options.bins ?? 256, 'thresholdMultiOtsu');
  const count = classes - 1;
  const samples = collectSamples(input, options.mask, 'thresholdMultiOtsu');
  if (samples.count === 0) return new Array<number>(count).fill(0);
  if (samples.min === samples.max) return new Array<number>(count).fill(samples.min);
  const { counts, centers } = histogram(samples, bins);
  const n = counts.length;
  // skimage: prob = (counts / sum).astype(float32)
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i]!;
  const prob = new Float32Array(n);
  for (let i = 0; i < n; i++) prob[i] = counts[i]! / total;
  const nonzero: number[] = [];
  for (let i = 0; i < n; i++) if (prob[i]! > 0) nonzero.push(i);
  if (nonzero.length <= classes) {
    // skimage: exactly `classes` values -> all but the last nonzero bin; fewer -> ValueError (we pad instead)
    const picked = nonzero.slice(0, -1).map((i) => centers[i]!);
    while (picked.length < count) picked.push(picked[picked.length - 1] ?? centers[nonzero[0]!]!);
    return picked.slice(0, count);
  }
  // cumulative zeroth and first moments in float32; skimage sets first_moment[0] = prob[0]
  const zeroth = new Float32Array(n);
  const first = new Float32Array(n);
  zeroth[0] = prob[0]!;
  first[0] = prob[0]!;
  for (let i = 1; i < n; i++) {
    zeroth[i] = f(zeroth[i - 1]! + prob[i]!);
    first[i] = f(first[i - 1]! + f(i * prob[i]!));
  }
  // between-class term of bins [i, j] (skimage's var_btwcls LUT; entry (0, 0) is never set, so 0)
  const term = (i: number, j: number): number => {
    if (i === 0) {
      if (j === 0) return 0;
      const z = zeroth[j]!;
      return z > 0 ? f((first[j]! * first[j]!) / z) : 0;
    }
    const z = f(zeroth[j]! - zeroth[i - 1]!);
    if (!(z > 0)) return 0;
    const m = f(first[j]! - first[i - 1]!);
    return f((m * m) / z);
  };
  const current = new Int32Array(count);
  const best = new Int32Array(count);
  let sigmaMax = 0;
  const search = (start: number, level: number): void => {
    if (level < count) {
      for (let idx = start; idx < n - count + level; idx++) {
        current[level] = idx;
        search(idx + 1, level + 1);
      }
      return;
    }
    let sigma = f(term(0, current[0]!) + term(current[count - 1]! + 1, n - 1));
    for (let k = 0; k < count - 1; k++) sigma = f(sigma + term(current[k]! + 1, current[k + 1]!));
    if (sigma > sigmaMax) {
      sigmaMax = sigma;
      best.set(current);
    }
  };
  search(0, 0);
  return Array.from(best, (i) => centers[i]!);
}
