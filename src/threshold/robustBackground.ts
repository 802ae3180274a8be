// CellProfiler's "Robust Background" threshold (CellProfiler/CellProfiler cellprofiler/modules/threshold.py,
// Threshold.get_threshold_robust_background, v4.2; centrosome/threshold.py get_robust_background_threshold,
// mad and binned_mode): sort the pixels, drop round(n * lower) from the bottom and round(n * upper) from the
// top, then average + numberOfDeviations x spread of the rest. Hand-written: no npm package implements it.
import { collectSamples, type ThresholdInput } from './histogram.ts';

export interface RobustBackgroundOptions {
  /** Fraction of the dimmest pixels ignored. @default 0.05 */
  lowerOutlierFraction?: number;
  /** Fraction of the brightest pixels ignored (see the note on CellProfiler's quirk below). @default 0.05 */
  upperOutlierFraction?: number;
  /** `mean`, `median`, or `mode` (centrosome's binned mode, sqrt(n) bins). @default 'mean' */
  averaging?: 'mean' | 'median' | 'mode';
  /** `sd` (population standard deviation) or `mad` (median absolute deviation). @default 'sd' */
  variance?: 'sd' | 'mad';
  /** Multiplier of the spread added to the average. @default 2 */
  numberOfDeviations?: number;
  /** Only pixels where the mask is nonzero are used. @default undefined (all) */
  mask?: Uint8Array;
}

/** Python's round(): half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The sorted usable pixels (counting sort for 8/16-bit integers). */
function sortedSamples(values: ArrayLike<number>, integer: boolean, min: number, max: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (integer && max - min < 1 << 20) {
    const counts = new Uint32Array(max - min + 1);
    for (let i = 0; i < n; i++) counts[values[i]! - min]!++;
    let p = 0;
    for (let v = 0; v < counts.length; v++) {
      const c = counts[v]!;
      if (c > 0) out.fill(v + min, p, p + c);
      p += c;
    }
    return out;
  }
  out.set(values);
  return out.sort();
}

/** numpy.median of a sorted array. */
function sortedMedian(a: Float64Array): number {
  const n = a.length;
  const m = n >> 1;
  return n % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

/** numpy.percentile (linear) of a sorted array. */
function sortedPercentile(a: Float64Array, p: number): number {
  const index = (p / 100) * (a.length - 1);
  const lo = Math.floor(index);
  const t = index - lo;
  const x = a[lo]!;
  if (t === 0) return x;
  const y = a[Math.min(a.length - 1, lo + 1)]!;
  return t >= 0.5 ? y - (y - x) * (1 - t) : x + (y - x) * t;
}

/** centrosome.threshold.binned_mode: the percentile at the centre of the fullest of ceil(sqrt(n)) bins. */
function binnedMode(a: Float64Array): number {
  const n = a.length;
  const lo = a[0]!;
  const hi = a[n - 1]!;
  if (lo === hi) return lo;
  const nBins = Math.ceil(Math.sqrt(n));
  const counts = new Uint32Array(nBins + 1);
  for (let i = 0; i < n; i++) counts[Math.trunc(((a[i]! - lo) / (hi - lo)) * nBins)]!++;
  let idx = 0;
  for (let b = 1; b < counts.length; b++) if (counts[b]! > counts[idx]!) idx = b;
  return sortedPercentile(a, (100 * (idx + 0.5)) / nBins);
}

function checkFraction(v: unknown, name: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) {
    throw new RangeError(`thresholdRobustBackground: ${name} must be in [0, 1), got ${String(v)}`);
  }
  return v;
}

/**
 * The robust-background threshold in image units. As in CellProfiler: fewer than 3 usable pixels return 0, a
 * constant input returns the constant, and when round(n * lowerOutlierFraction) is 0 no pixel is dropped at
 * either end (CellProfiler then ignores upperOutlierFraction too). NaN pixels are ignored.
 */
export function thresholdRobustBackground(
  input: ThresholdInput,
  options: RobustBackgroundOptions = {},
): number {
  const lower = checkFraction(options.lowerOutlierFraction ?? 0.05, 'lowerOutlierFraction');
  const upper = checkFraction(options.upperOutlierFraction ?? 0.05, 'upperOutlierFraction');
  if (lower + upper >= 1) {
    throw new RangeError(
      `thresholdRobustBackground: lowerOutlierFraction + upperOutlierFraction must be < 1, got ${lower} + ${upper}`,
    );
  }
  const averaging = options.averaging ?? 'mean';
  if (averaging !== 'mean' && averaging !== 'median' && averaging !== 'mode') {
    throw new RangeError(
      `thresholdRobustBackground: averaging must be mean, median or mode, got ${String(averaging)}`,
    );
  }
  const variance = options.variance ?? 'sd';
  if (variance !== 'sd' && variance !== 'mad') {
    throw new RangeError(`thresholdRobustBackground: variance must be sd or mad, got ${String(variance)}`);
  }
  const deviations = options.numberOfDeviations ?? 2;
  if (!Number.isFinite(deviations)) {
    throw new RangeError(`thresholdRobustBackground: numberOfDeviations must be finite, got ${deviations}`);
  }
  const samples = collectSamples(input, options.mask, 'thresholdRobustBackground');
  const n = samples.count;
  if (n < 3) return 0;
  if (samples.min === samples.max) return samples.min;
  const sorted = sortedSamples(samples.values, samples.integer, samples.min, samples.max);
  const lowChop = roundHalfEven(n * lower);
  const hiChop = n - roundHalfEven(n * upper);
  const im = lowChop === 0 ? sorted : sorted.subarray(lowChop, hiChop);
  const m = im.length;
  let sum = 0;
  for (let i = 0; i < m; i++) sum += im[i]!;
  const mean = sum / m;
  const average = averaging === 'mean' ? mean : averaging === 'median' ? sortedMedian(im) : binnedMode(im);
  let spread: number;
  if (variance === 'sd') {
    let ss = 0;
    for (let i = 0; i < m; i++) ss += (im[i]! - mean) ** 2;
    spread = Math.sqrt(ss / m);
  } else {
    const med = sortedMedian(im);
    const dev = Float64Array.from(im, (v) => Math.abs(v - med)).sort();
    spread = sortedMedian(dev);
  }
  return average + spread * deviations;
}
