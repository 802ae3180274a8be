// Exact Euclidean distance transform: Felzenszwalb & Huttenlocher (2012), "Distance Transforms of Sampled
// Functions", Theory of Computing 8:415-428 (lower envelope of parabolas, two 1-D passes). Matches
// scipy.ndimage.distance_transform_edt. Hand-written: no maintained npm package computes an exact EDT on typed arrays.
import { fromData, type Image } from '../image/image.ts';
import { checkSingleChannel } from './check.ts';

export interface DistanceTransformOptions {
  /** Pixel spacing [row (y), column (x)], as scipy's `sampling`. @default [1, 1] */
  sampling?: readonly [number, number];
  /** Return squared distances (exact integers for unit sampling) instead of distances. @default false */
  squared?: boolean;
}

/**
 * For every foreground (non-zero) pixel, the Euclidean distance to the nearest background (zero) pixel; 0 on
 * the background. An image without background pixels gets +Infinity everywhere (scipy's result there is
 * undefined), so callers can tell.
 */
export function distanceTransform(mask: Image, options: DistanceTransformOptions = {}): Image<'float64'> {
  checkSingleChannel(mask, 'distanceTransform');
  const [sy, sx] = options.sampling ?? [1, 1];
  for (const s of [sy, sx]) {
    if (!(s > 0) || !Number.isFinite(s)) {
      throw new RangeError(`distanceTransform: sampling must be positive and finite, got [${sy}, ${sx}]`);
    }
  }
  const { width: w, height: h } = mask;
  const src = mask.data;
  const n = Math.max(w, h);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const out = new Float64Array(w * h);
  const inf = Number.POSITIVE_INFINITY;
  // Columns: for a binary image the 1-D transform along y is the squared distance to the nearest background
  // pixel in the column, found by a forward and a backward scan over whole rows (cache-friendly).
  const run = new Float64Array(w).fill(inf);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const r = src[row + x] === 0 ? 0 : run[x]! + 1;
      run[x] = r;
      out[row + x] = r;
    }
  }
  run.fill(inf);
  for (let y = h - 1; y >= 0; y--) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const r = src[row + x] === 0 ? 0 : run[x]! + 1;
      run[x] = r;
      const best = Math.min(r, out[row + x]!);
      out[row + x] = best === inf ? inf : best * best * sy * sy;
    }
  }
  // Rows: lower envelope of parabolas.
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let any = false;
    for (let x = 0; x < w; x++) {
      const value = out[row + x]!;
      f[x] = value;
      if (value !== 0) any = true;
    }
    if (!any) continue;
    envelope(f, d, v, z, w, sx * sx);
    for (let x = 0; x < w; x++) out[row + x] = d[x]!;
  }
  if (!options.squared) for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(out[i]!);
  return fromData(out, w, h);
}

/** 1-D squared distance transform of sampled function f (length n) with squared spacing s2, written into d. */
function envelope(
  f: Float64Array,
  d: Float64Array,
  v: Int32Array,
  z: Float64Array,
  n: number,
  s2: number,
): void {
  // Only finite samples are parabola vertices; an all-infinite line stays infinite.
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q]!;
    if (fq === Number.POSITIVE_INFINITY) continue;
    let s = 0;
    while (k >= 0) {
      const p = v[k]!;
      s = (fq + s2 * q * q - (f[p]! + s2 * p * p)) / (2 * s2 * (q - p));
      if (s <= z[k]!) k--;
      else break;
    }
    k++;
    v[k] = q;
    z[k] = k === 0 ? Number.NEGATIVE_INFINITY : s;
    z[k + 1] = Number.POSITIVE_INFINITY;
  }
  if (k < 0) {
    for (let q = 0; q < n; q++) d[q] = Number.POSITIVE_INFINITY;
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (z[j + 1]! < q) j++;
    const p = v[j]!;
    const dq = q - p;
    d[q] = s2 * dq * dq + f[p]!;
  }
}
