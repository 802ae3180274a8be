// Local maxima separated by a minimum distance, as skimage.feature.peak_local_max (v0.19): square footprint
// of side 2 min_distance + 1, maximum filter with zero padding, peaks sorted by height, then spacing enforced
// greedily in the Chebyshev norm (skimage's ensure_spacing with p_norm=inf). Hand-written: no npm equivalent.
import type { Image } from '../image/image.ts';
import { checkLabels, checkSameSize, checkSingleChannel } from './check.ts';

export interface PeakLocalMaxOptions {
  /** Peaks closer than this (Chebyshev) to a higher one are dropped; also the footprint half-size. @default 1 */
  minDistance?: number;
  /** Peaks must be strictly above this value. @default minimum of the image */
  thresholdAbs?: number | undefined;
  /** Peaks must be strictly above `thresholdRel * max(image)`. @default undefined (not used) */
  thresholdRel?: number | undefined;
  /** Width of the edge band where no peak is reported; true means `minDistance`. @default true */
  excludeBorder?: boolean | number;
  /** Find peaks per object of this label image (pixels of other labels do not compete). @default undefined */
  labels?: Image | undefined;
  /** Keep at most this many peaks (the highest). @default Infinity */
  numPeaks?: number;
}

/**
 * Pixel indices (y * width + x) of the peaks, highest first. Ties in height are ordered by raster index (NumPy's
 * unstable sort may order them otherwise). An image whose every candidate equals its filtered maximum (a flat
 * image) has no peaks.
 */
export function peakLocalMax(image: Image, options: PeakLocalMaxOptions = {}): Int32Array {
  checkSingleChannel(image, 'peakLocalMax');
  const minDistance = options.minDistance ?? 1;
  if (!Number.isInteger(minDistance) || minDistance < 0) {
    throw new RangeError(`peakLocalMax: minDistance must be a non-negative integer, got ${minDistance}`);
  }
  const exclude = options.excludeBorder ?? true;
  const border = exclude === true ? minDistance : exclude === false ? 0 : exclude;
  if (!Number.isInteger(border) || border < 0) {
    throw new RangeError(`peakLocalMax: excludeBorder must be a boolean or integer >= 0, got ${exclude}`);
  }
  const numPeaks = options.numPeaks ?? Number.POSITIVE_INFINITY;
  const { width: w, height: h } = image;
  const data = image.data;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let threshold = options.thresholdAbs ?? min;
  if (options.thresholdRel !== undefined) threshold = Math.max(threshold, options.thresholdRel * max);
  const labels = options.labels;
  if (labels) {
    checkSameSize(image, labels, 'peakLocalMax labels');
    checkLabels(labels, 'peakLocalMax labels');
  }
  const inBorder = (i: number): boolean => {
    const x = i % w;
    const y = (i - x) / w;
    return x < border || y < border || x >= w - border || y >= h - border;
  };
  const candidates: number[] = [];
  if (!labels) {
    const value = Float64Array.from(data as ArrayLike<number>);
    const peaks = peakMask(value, w, h, 0, 0, w, h, minDistance, null);
    for (const i of peaks) if (value[i]! > threshold && !inBorder(i)) candidates.push(i);
    return spaced(candidates, value, w, minDistance, numPeaks);
  }
  // Per object: bounding box of the object's pixels outside the border band, other pixels at -Infinity.
  const ld = labels.data;
  const boxes = new Map<number, [number, number, number, number]>();
  for (let i = 0; i < ld.length; i++) {
    const l = ld[i]!;
    if (!l || inBorder(i)) continue;
    const x = i % w;
    const y = (i - x) / w;
    const b = boxes.get(l);
    if (!b) boxes.set(l, [x, y, x, y]);
    else {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  }
  const value = new Float64Array(w * h);
  const all: number[] = [];
  for (const l of [...boxes.keys()].sort((a, b) => a - b)) {
    const [x0, y0, x1, y1] = boxes.get(l)!;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const i = y * w + x;
        value[i] = ld[i] === l ? data[i]! : Number.NEGATIVE_INFINITY;
      }
    }
    const peaks = peakMask(value, w, h, x0, y0, x1 + 1, y1 + 1, minDistance, (i) => ld[i] === l);
    const own: number[] = [];
    for (const i of peaks) if (ld[i] === l && value[i]! > threshold && !inBorder(i)) own.push(i);
    for (const i of spaced(own, value, w, minDistance, Number.POSITIVE_INFINITY)) {
      all.push(i);
      value[i] = data[i]!;
    }
  }
  for (const i of all) value[i] = data[i]!;
  if (all.length > numPeaks) return spaced(all, value, w, minDistance, numPeaks);
  all.sort((a, b) => value[b]! - value[a]! || a - b);
  return Int32Array.from(all);
}

/**
 * Pixels of the box [x0, x1) x [y0, y1) equal to the maximum over their (2r+1)^2 window, the window clipped
 * to the box with zero outside (scipy maximum_filter, mode 'constant'). Empty when every considered pixel is a
 * maximum (skimage's "trivial image").
 */
function peakMask(
  value: Float64Array,
  w: number,
  _h: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: number,
  inObject: ((i: number) => boolean) | null,
): number[] {
  const bw = x1 - x0;
  const bh = y1 - y0;
  const tmp = new Float64Array(bw * bh);
  // Rows then columns; outside the box counts as 0.
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      let m = x - r < 0 || x + r >= bw ? 0 : Number.NEGATIVE_INFINITY;
      const lo = Math.max(0, x - r);
      const hi = Math.min(bw - 1, x + r);
      const row = (y + y0) * w + x0;
      for (let k = lo; k <= hi; k++) if (value[row + k]! > m) m = value[row + k]!;
      tmp[y * bw + x] = m;
    }
  }
  const out: number[] = [];
  let all = true;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      let m = y - r < 0 || y + r >= bh ? 0 : Number.NEGATIVE_INFINITY;
      const lo = Math.max(0, y - r);
      const hi = Math.min(bh - 1, y + r);
      for (let k = lo; k <= hi; k++) if (tmp[k * bw + x]! > m) m = tmp[k * bw + x]!;
      const i = (y + y0) * w + x + x0;
      if (inObject && !inObject(i)) continue;
      if (value[i] === m) out.push(i);
      else all = false;
    }
  }
  return all && r > 0 ? [] : out;
}

/** Highest first; drop every point closer than `spacing` (Chebyshev) to an already kept one. */
function spaced(
  candidates: number[],
  value: Float64Array,
  w: number,
  spacing: number,
  maxOut: number,
): Int32Array {
  candidates.sort((a, b) => value[b]! - value[a]! || a - b);
  const cell = Math.max(1, spacing);
  const grid = new Map<number, number[]>();
  const kept: number[] = [];
  const key = (gx: number, gy: number): number => gy * 1_000_003 + gx;
  for (const i of candidates) {
    if (kept.length >= maxOut) break;
    const x = i % w;
    const y = (i - x) / w;
    const gx = Math.floor(x / cell);
    const gy = Math.floor(y / cell);
    let ok = true;
    for (let dy = -1; dy <= 1 && ok; dy++) {
      for (let dx = -1; dx <= 1 && ok; dx++) {
        for (const j of grid.get(key(gx + dx, gy + dy)) ?? []) {
          const jx = j % w;
          const jy = (j - jx) / w;
          if (Math.max(Math.abs(jx - x), Math.abs(jy - y)) < spacing) {
            ok = false;
            break;
          }
        }
      }
    }
    if (!ok) continue;
    kept.push(i);
    const k = key(gx, gy);
    const list = grid.get(k);
    if (list) list.push(i);
    else grid.set(k, [i]);
  }
  return Int32Array.from(kept);
}
