// Intensity rescaling, skimage.exposure.rescale_intensity's definition (v0.19): clip to the input range
// [imin, imax], map linearly onto the output range; input ranges from the image, the pixel type, explicit values
// or percentiles (numpy.percentile, linear interpolation). Hand-written: a few lines over typed arrays.
import { DTYPE_BITS, type Image } from '../image/image.ts';
import { checkImage, isIntegerDType } from './util.ts';

export type IntensityRange =
  | 'image'
  | 'dtype'
  | readonly [number, number]
  | { percentiles: readonly [number, number] };

export interface RescaleIntensityOptions {
  /**
   * Input levels mapped to the ends of the output range; values outside are clipped. `'image'`: min and max
   * (NaN ignored); `'dtype'`: the pixel type's range ([0, 255], ..., [-1, 1] for floats as in skimage);
   * `{ percentiles: [2, 98] }`: those percentiles of the pixels. @default 'image'
   */
  inRange?: IntensityRange;
  /** Output levels. `'dtype'` is the input pixel type's range. @default [0, 1] */
  outRange?: 'dtype' | readonly [number, number];
}

function dtypeRange(dtype: Image['dtype']): [number, number] {
  switch (dtype) {
    case 'float32':
    case 'float64':
      return [-1, 1];
    case 'int32':
      return [-(2 ** 31), 2 ** 31 - 1];
    default:
      return [0, 2 ** DTYPE_BITS[dtype] - 1];
  }
}

/**
 * numpy.percentile (method 'linear') of the non-NaN pixels of `image`, for each p in [0, 100]. Integer
 * images up to 16 bits use a counting pass, others a sorted copy. An image with no non-NaN pixel gives NaN.
 */
export function percentiles(image: Image, ps: readonly number[]): number[] {
  for (const p of ps) {
    if (typeof p !== 'number' || !(p >= 0 && p <= 100)) {
      throw new RangeError(`percentiles: each percentile must be in [0, 100], got ${String(p)}`);
    }
  }
  const data = image.data;
  let at: (k: number) => number;
  let n: number;
  if (image.dtype === 'uint8' || image.dtype === 'uint16') {
    const counts = new Float64Array(image.dtype === 'uint8' ? 256 : 65536);
    for (let i = 0; i < data.length; i++) counts[data[i]!]!++;
    const cumulative = new Float64Array(counts.length);
    let s = 0;
    for (let v = 0; v < counts.length; v++) {
      s += counts[v]!;
      cumulative[v] = s;
    }
    n = data.length;
    at = (k) => {
      // smallest v with cumulative[v] > k (binary search)
      let lo = 0;
      let hi = counts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > k) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
  } else {
    const sorted = Float64Array.from(data).filter((v) => !Number.isNaN(v));
    sorted.sort();
    n = sorted.length;
    at = (k) => sorted[k]!;
  }
  if (n === 0) return ps.map(() => Number.NaN);
  return ps.map((p) => {
    const index = (p / 100) * (n - 1);
    const lo = Math.floor(index);
    const t = index - lo;
    const a = at(lo);
    if (t === 0) return a;
    const b = at(Math.min(n - 1, lo + 1));
    // numpy's _lerp: a + (b - a) t, or b - (b - a)(1 - t) when t >= 0.5
    return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
  });
}

function resolveRange(image: Image, range: IntensityRange, what: string): [number, number] {
  if (range === 'image') {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const d = image.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return min <= max ? [min, max] : [0, 0];
  }
  if (range === 'dtype') return dtypeRange(image.dtype);
  if (Array.isArray(range)) {
    const [lo, hi] = range as [number, number];
    if (range.length !== 2 || !Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
      throw new RangeError(`${what} must be [low, high] with finite low <= high, got [${range.join(', ')}]`);
    }
    return [lo, hi];
  }
  if (range !== null && typeof range === 'object' && 'percentiles' in range) {
    const [plo, phi] = range.percentiles;
    if (!(plo! <= phi!)) {
      throw new RangeError(
        `${what}: percentiles must be [low, high] with low <= high, got ${range.percentiles}`,
      );
    }
    const [lo, hi] = percentiles(image, [plo!, phi!]) as [number, number];
    return Number.isNaN(lo) ? [0, 0] : [lo, hi];
  }
  throw new RangeError(
    `${what} must be 'image', 'dtype', [low, high] or { percentiles }, got ${String(range)}`,
  );
}

/**
 * Clip every channel to the input range and stretch it linearly onto the output range, as float32.
 * When the input range is a single value (e.g. a constant image), pixels are only clipped to the output range
 * (skimage's behaviour). NaN pixels stay NaN.
 */
export function rescaleIntensity(image: Image, options: RescaleIntensityOptions = {}): Image<'float32'> {
  checkImage(image, 'rescaleIntensity');
  const [imin, imax] = resolveRange(image, options.inRange ?? 'image', 'rescaleIntensity: inRange');
  const outRange = options.outRange ?? [0, 1];
  const [omin, omax] =
    outRange === 'dtype'
      ? dtypeRange(image.dtype)
      : resolveRange(image, outRange, 'rescaleIntensity: outRange');
  // skimage clips negative dtype output ranges when the input range is non-negative
  const lowOut = outRange === 'dtype' && imin >= 0 && !isIntegerDType(image.dtype) ? 0 : omin;
  const src = image.data;
  const out = new Float32Array(src.length);
  if (imin !== imax) {
    const span = imax - imin;
    const ospan = omax - lowOut;
    for (let i = 0; i < src.length; i++) {
      let v = src[i]!;
      if (v < imin) v = imin;
      else if (v > imax) v = imax;
      out[i] = ((v - imin) / span) * ospan + lowOut;
    }
  } else {
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      out[i] = Math.min(Math.max(v, lowOut), omax);
    }
  }
  return { ...image, dtype: 'float32', data: out };
}
