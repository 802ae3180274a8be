// Input handling and histograms shared by the global thresholds, with scikit-image's binning
// (skimage.exposure.histogram, v0.19): integer pixels get one bin per integer value from min to max; float
// pixels get `bins` equal-width bins over [min, max] placed exactly as numpy.histogram places them.
import type { Image } from '../image/image.ts';

/** What every global threshold accepts: a single-channel `Image` or plain numbers. */
export type ThresholdInput = Image | ArrayLike<number>;

/** The pixels a threshold works on, after the mask and NaN filtering. */
export interface Samples {
  /** The pixel values (not copied when there is no mask and no NaN). */
  values: ArrayLike<number>;
  /** Number of usable values. */
  count: number;
  min: number;
  max: number;
  /** True when values are integers from an integer pixel type (skimage bins them one per value). */
  integer: boolean;
  /** True for float32 pixels (numpy computes their bin edges in float32). */
  float32: boolean;
  /** For unmasked 8/16-bit pixels: counts of every value 0..255 / 0..65535, gathered in the same single pass. */
  fullCounts?: Uint32Array;
}

const INTEGER_ARRAYS = [Uint8Array, Uint16Array, Uint32Array, Int8Array, Int16Array, Int32Array];

function isImage(input: ThresholdInput): input is Image {
  return (
    typeof input === 'object' && input !== null && 'dtype' in input && 'data' in input && 'width' in input
  );
}

/**
 * Collect the usable pixels of `input`: those where `mask` is nonzero (when given) and that are not NaN.
 * Throws a RangeError naming `what` for multi-channel images or a mask of the wrong length.
 */
export function collectSamples(input: ThresholdInput, mask: Uint8Array | undefined, what: string): Samples {
  let data: ArrayLike<number>;
  let integer: boolean;
  let float32: boolean;
  if (isImage(input)) {
    if (input.channels !== 1) {
      throw new RangeError(`${what}: expects a single-channel image, got ${input.channels} channels`);
    }
    data = input.data;
    integer = input.dtype !== 'float32' && input.dtype !== 'float64';
    float32 = input.dtype === 'float32';
  } else if (input !== null && typeof input === 'object' && typeof input.length === 'number') {
    data = input;
    integer = INTEGER_ARRAYS.some((C) => input instanceof C);
    float32 = input instanceof Float32Array;
  } else {
    throw new TypeError(`${what}: expected an Image or an array of numbers, got ${String(input)}`);
  }
  if (mask !== undefined && mask.length !== data.length) {
    throw new RangeError(`${what}: mask has ${mask.length} elements but the image has ${data.length}`);
  }
  if (mask === undefined && (data instanceof Uint8Array || data instanceof Uint16Array)) {
    // one pass: count every value, then read min and max off the counts
    const counts = new Uint32Array(data instanceof Uint8Array ? 256 : 65536);
    const n = data.length;
    for (let i = 0; i < n; i++) counts[data[i]!]!++;
    let lo = 0;
    while (lo < counts.length && counts[lo] === 0) lo++;
    let hi = counts.length - 1;
    while (hi > lo && counts[hi] === 0) hi--;
    return n === 0
      ? {
          values: data,
          count: 0,
          min: Number.POSITIVE_INFINITY,
          max: Number.NEGATIVE_INFINITY,
          integer,
          float32,
        }
      : { values: data, count: n, min: lo, max: hi, integer, float32, fullCounts: counts };
  }
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let skipped = false;
  const n = data.length;
  if (mask === undefined) {
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      if (Number.isNaN(v)) skipped = true;
    }
    count = n;
  } else skipped = true;
  if (skipped) {
    const values = new Float64Array(n);
    count = 0;
    min = Number.POSITIVE_INFINITY;
    max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (mask !== undefined && mask[i] === 0) continue;
      const v = data[i]!;
      if (Number.isNaN(v)) continue;
      values[count++] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { values: values.subarray(0, count), count, min, max, integer, float32 };
  }
  if (!integer && (min === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY)) {
    throw new RangeError(`${what}: infinite pixel values are not supported`);
  }
  return { values: data, count, min, max, integer, float32 };
}

export interface Histogram {
  counts: Float64Array;
  centers: Float64Array;
}

/** Integer ranges wider than this are binned like floats (skimage would allocate one bin per value). */
export const MAX_INTEGER_BINS = 1 << 24;

/** Throw a RangeError unless `bins` is an integer >= 2. */
export function checkBins(bins: unknown, what: string): number {
  if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 2 || bins > MAX_INTEGER_BINS) {
    throw new RangeError(`${what}: bins must be an integer in [2, ${MAX_INTEGER_BINS}], got ${String(bins)}`);
  }
  return bins;
}

/**
 * skimage's histogram of the samples (`source_range='image'`): for integer pixels one bin per value
 * min..max (`bins` ignored, as in skimage), else `bins` bins over [min, max] with numpy.histogram's edges
 * (the last bin includes max). Requires `samples.count > 0` and min < max.
 */
export function histogram(samples: Samples, bins: number): Histogram {
  const { values, min, max } = samples;
  const n = values.length;
  if (samples.integer && max - min + 1 <= MAX_INTEGER_BINS) {
    const size = max - min + 1;
    let counts32: Uint32Array;
    if (samples.fullCounts) counts32 = samples.fullCounts.subarray(min, max + 1);
    else {
      counts32 = new Uint32Array(size);
      for (let i = 0; i < n; i++) counts32[values[i]! - min]!++;
    }
    const counts = new Float64Array(size);
    const centers = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      counts[i] = counts32[i]!;
      centers[i] = min + i;
    }
    return { counts, centers };
  }
  // numpy.histogram(values, bins, range=(min, max)): edges = linspace(min, max, bins + 1) in the input's float
  // type; index = floor((v - min) * bins / (max - min)), then corrected against the edges themselves
  const round = samples.float32 ? Math.fround : (x: number) => x;
  const edges = new Float64Array(bins + 1);
  const step = (max - min) / bins;
  for (let i = 0; i < bins; i++) edges[i] = round(i * step + min);
  edges[bins] = max;
  const norm = bins / (max - min);
  const counts = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let k = Math.trunc((v - min) * norm);
    if (k >= bins) k = bins - 1;
    if (v < edges[k]!) k--;
    else if (k !== bins - 1 && v >= edges[k + 1]!) k++;
    counts[k]!++;
  }
  const centers = new Float64Array(bins);
  for (let i = 0; i < bins; i++) centers[i] = round(round(edges[i]! + edges[i + 1]!) / 2);
  return { counts, centers };
}
