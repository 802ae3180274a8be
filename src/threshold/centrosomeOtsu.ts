// The Otsu threshold of CellProfiler 2.x (and of CellProfiler 3 pipelines saved before its Threshold module
// rewrite): centrosome.threshold.get_otsu_threshold, which log-transforms the intensities
// (centrosome.threshold.log_transform), runs centrosome.otsu's sorted-data Otsu (two classes: `otsu`, 256
// sample points, the mean of the neighbours of the best split) or three-class `otsu3` (128 sample points,
// minimal summed within-class variance, with otsu3's own index arithmetic), and maps the result back. Reference:
// CellProfiler/centrosome centrosome/otsu.py and centrosome/threshold.py. The threshold is always one of the
// input values (three classes) or the midpoint of two of them (two classes, in log space). CellProfiler 4/5's
// Otsu is skimage's (thresholdOtsu, thresholdMultiOtsu). Hand-written: no npm package has it.
import { inverseLog, logTransform } from './apply.ts';
import { collectSamples, type ThresholdInput } from './histogram.ts';

export interface CentrosomeOtsuOptions {
  /** 2 (centrosome.otsu) or 3 classes (centrosome.otsu3). @default 2 */
  classes?: 2 | 3;
  /**
   * Three classes only: the middle class goes to the foreground (the lower of the two thresholds is returned)
   * or to the background (the upper one), CellProfiler's "Assign pixels in the middle intensity class to the
   * foreground or the background?". @default 'foreground'
   */
  middleClass?: 'foreground' | 'background';
  /** Only pixels where the mask is nonzero are used. @default undefined (all) */
  mask?: Uint8Array;
}

/** Variance of x[0..i] for every i (numpy's running_variance of centrosome.otsu, divisor i). */
function runningVariance(x: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  let sum = 0;
  let s = 0;
  let previousMean = 0;
  for (let i = 0; i < n; i++) {
    sum += x[i]!;
    const mean = sum / (i + 1);
    if (i > 0) {
      s += (x[i]! - previousMean) * (x[i]! - mean);
      out[i] = s / i;
    }
    previousMean = mean;
  }
  return out;
}

/** `runningVariance` of the reversed data, reversed back (the variance of x[i..n-1]). */
function reverseRunningVariance(x: Float64Array): Float64Array {
  return runningVariance(Float64Array.from(x).reverse()).reverse();
}

/** centrosome.otsu.otsu on sorted data: two classes. */
function otsu2(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 1) return sorted[0]!;
  const step = Math.floor(n / Math.min(256, n));
  const v = runningVariance(sorted);
  const rv = reverseRunningVariance(sorted);
  let best = Number.POSITIVE_INFINITY;
  let index = 0;
  let count = 0;
  for (let k = 1; k < n; k += step, count++) {
    // split after position k - 1: the low class is sorted[0..k-1], the high class sorted[k..n-1]
    const score = v[k - 1]! * (k - 1) + rv[k]! * (n - k);
    if (score < best) {
      best = score;
      index = count;
    }
  }
  const at = (c: number) => sorted[1 + c * step]!;
  return (at(Math.max(index - 1, 0)) + at(Math.min(index + 1, count - 1))) / 2;
}

/** centrosome.otsu.otsu3 on sorted data: the [lower, upper] thresholds of three classes. */
function otsu3(sorted: Float64Array): [number, number] {
  const n = sorted.length;
  const bins = Math.min(128, n);
  const step = Math.floor(n / bins);
  const v = runningVariance(sorted);
  const rv = reverseRunningVariance(sorted);
  const points: number[] = [];
  for (let i = 0; i < n; i += step) points.push(i);
  const low = points.map((i) => v[i]! * i);
  const high = points.map((i) => rv[i]! * (n - i));
  const cs = new Float64Array(n);
  const cs2 = new Float64Array(n);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    a += sorted[i]!;
    b += sorted[i]! * sorted[i]!;
    cs[i] = a;
    cs2[i] = b;
  }
  let best = Number.POSITIVE_INFINITY;
  let bestP = 0;
  let bestQ = 0;
  // row-major over (p, q) with the first minimum winning, as numpy's argwhere(score == min)[0]
  for (let p = 0; p < points.length; p++) {
    const i = points[p]!;
    for (let q = p + 1; q < points.length; q++) {
      const j = points[q]!;
      const width = j - i;
      const mean = (cs[j]! - cs[i]!) / width;
      const mean2 = (cs2[j]! - cs2[i]!) / width;
      // otsu3 indexes the end scores by i * bins // n (not i // step), kept as written
      const score =
        low[Math.floor((i * bins) / n)]! + width * (mean2 - mean * mean) + high[Math.floor((j * bins) / n)]!;
      if (score < best) {
        best = score;
        bestP = p;
        bestQ = q;
      }
    }
  }
  return [sorted[points[bestP]!]!, sorted[points[bestQ]!]!];
}

/**
 * CellProfiler 2.x's Otsu threshold of an image (intensities in CellProfiler's [0, 1] scale for the result to
 * match CellProfiler's own). Negative and NaN pixels are ignored; no usable pixel gives 1 (as centrosome); a
 * constant image gives its value.
 */
export function thresholdCentrosomeOtsu(input: ThresholdInput, options: CentrosomeOtsuOptions = {}): number {
  const classes = options.classes ?? 2;
  if (classes !== 2 && classes !== 3) {
    throw new RangeError(`thresholdCentrosomeOtsu: classes must be 2 or 3, got ${String(classes)}`);
  }
  const middle = options.middleClass ?? 'foreground';
  if (middle !== 'foreground' && middle !== 'background') {
    throw new RangeError(
      `thresholdCentrosomeOtsu: middleClass must be 'foreground' or 'background', got '${String(middle)}'`,
    );
  }
  const samples = collectSamples(input, options.mask, 'thresholdCentrosomeOtsu');
  // samples are already masked and free of NaN; centrosome also drops negative values
  const kept: number[] = [];
  const { values } = samples;
  for (let i = 0; i < samples.count; i++) if (values[i]! >= 0) kept.push(values[i]!);
  if (kept.length === 0) return 1;
  const data = Float64Array.from(kept);
  const { data: logs, conversion } = logTransform(data);
  if (!(conversion.logMax > conversion.logMin)) return data[0]!;
  logs.sort();
  if (classes === 2) return inverseLog(otsu2(logs), conversion);
  const [lower, upper] = otsu3(logs);
  return inverseLog(middle === 'foreground' ? lower : upper, conversion);
}
