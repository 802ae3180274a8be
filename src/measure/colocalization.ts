// Two-channel colocalization as CellProfiler's MeasureColocalization defines it (CellProfiler/CellProfiler,
// cellprofiler_library/functions/measurement.py: measure_correlation_and_slope(_from_objects), Manders, rank-weighted
// (RWC, Singan et al. 2011 BMC Bioinformatics 12:407), overlap/K (Manders et al. 1993 J Microsc 169:375) and Costes'
// automatic threshold found by CellProfiler's "Faster" bisection (Costes et al. 2004 Biophys J 86:3993).
// Hand-written typed-array loops; no npm package implements these definitions.
import type { Image, LabelImage } from '../image/image.ts';
import type { ImageMeasurement } from './imageQuality.ts';
import { indexObjects, type ObjectIndex } from './objects.ts';
import { checkChannelName, type FeatureSet, type FeatureSpec } from './types.ts';

export interface ColocalizationOptions {
  /** Name of the first channel in feature names, e.g. 'DNA'. */
  channelA: string;
  /** Name of the second channel, e.g. 'GFP'. */
  channelB: string;
  /** Threshold for Manders, RWC, overlap and K, as a percentage of each object's (or the image's) maximum. @default 15 */
  thresholdPercent?: number;
  /** Compute Costes' thresholded Manders coefficients. @default true */
  costes?: boolean;
  /**
   * Largest raw intensity of the inputs (255 for 8-bit, 65535 for 16-bit): Costes' bisection searches thresholds
   * in steps of 1 / scale, as CellProfiler does with the images' scale. @default 255
   */
  scale?: number;
}

interface Resolved {
  a: string;
  b: string;
  threshold: number;
  costes: boolean;
  scale: number;
}

function resolve(options: ColocalizationOptions): Resolved {
  for (const key of ['channelA', 'channelB'] as const) checkChannelName('colocalization', key, options[key]);
  const threshold = options.thresholdPercent ?? 15;
  if (!(threshold >= 0 && threshold <= 100)) {
    throw new RangeError(`colocalization: thresholdPercent must lie in 0..100, got ${threshold}`);
  }
  const scale = options.scale ?? 255;
  if (!(scale >= 1) || !Number.isFinite(scale))
    throw new RangeError(`colocalization: scale must be >= 1, got ${scale}`);
  return { a: options.channelA, b: options.channelB, threshold, costes: options.costes ?? true, scale };
}

function names(r: Resolved, image: boolean): string[] {
  const ab = `${r.a}_${r.b}`;
  const ba = `${r.b}_${r.a}`;
  return [
    `Correlation_Correlation_${ab}`,
    ...(image ? [`Correlation_Slope_${ab}`] : []),
    `Correlation_Manders_${ab}`,
    `Correlation_Manders_${ba}`,
    `Correlation_RWC_${ab}`,
    `Correlation_RWC_${ba}`,
    `Correlation_Overlap_${ab}`,
    `Correlation_K_${ab}`,
    `Correlation_K_${ba}`,
    ...(r.costes ? [`Correlation_Costes_${ab}`, `Correlation_Costes_${ba}`] : []),
  ];
}

function specOf(name: string): FeatureSpec {
  const kind = name.split('_')[1]!;
  const text: Record<string, string> = {
    Correlation: 'Pearson correlation of the two channels',
    Slope: 'least-squares slope of the second channel against the first',
    Manders: 'Manders coefficient: share of the first channel over pixels above threshold in both',
    RWC: 'rank-weighted colocalization coefficient',
    Overlap: 'Manders overlap coefficient over pixels above threshold in both',
    K: 'overlap split coefficient k',
    Costes: "Manders coefficient above Costes' automatic thresholds",
  };
  return { name, type: 'float', unit: '', description: text[kind] ?? kind };
}

/** Per-object colocalization columns (CellProfiler names), declared before measuring. */
export function colocalizationSchema(options: ColocalizationOptions): FeatureSpec[] {
  return names(resolve(options), false).map(specOf);
}

/** Image-level colocalization columns (adds Correlation_Slope). */
export function imageColocalizationSchema(options: ColocalizationOptions): FeatureSpec[] {
  return names(resolve(options), true).map(specOf);
}

/** Python's float floor division a // b (CPython float_floor_div), for a, b > 0. */
function pyFloorDiv(a: number, b: number): number {
  const mod = a % b;
  const div = (a - mod) / b;
  if (div === 0) return 0;
  let floor = Math.floor(div);
  if (div - floor > 0.5) floor += 1;
  return floor;
}

/** Pearson correlation of x, y over entries where `keep` is 1 (scipy.stats.pearsonr); NaN when undefined. */
function pearsonMasked(x: Float64Array, y: Float64Array, keep: Uint8Array | undefined): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (keep && keep[i] === 0) continue;
    n++;
    sx += x[i]!;
    sy += y[i]!;
  }
  if (n < 2) return Number.NaN;
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (keep && keep[i] === 0) continue;
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** Sample variance (ddof 1). */
function variance(v: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i]!;
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (v[i]! - m) * (v[i]! - m);
  return ss / (n - 1);
}

/**
 * Costes' thresholds by CellProfiler's bisection ("Faster"): orthogonal regression y = a x + b over pixels non-zero
 * in either channel, then the largest threshold t (in steps of 1 / scale) at which the pixels below threshold in
 * either channel still correlate non-negatively; returns [t_x, t_y] = [(valid - 1) / scale, a t_x + b].
 */
export function costesThresholds(x: Float64Array, y: Float64Array, scale: number): [number, number] {
  const nz = new Float64Array(x.length);
  const nzy = new Float64Array(x.length);
  const nzs = new Float64Array(x.length);
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i]! > 0 || y[i]! > 0) {
      nz[n] = x[i]!;
      nzy[n] = y[i]!;
      nzs[n] = x[i]! + y[i]!;
      n++;
    }
  }
  const xvar = variance(nz, n);
  const yvar = variance(nzy, n);
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += nz[i]!;
    sy += nzy[i]!;
  }
  const xmean = sx / n;
  const ymean = sy / n;
  const zvar = variance(nzs, n);
  const covar = 0.5 * (zvar - (xvar + yvar));
  const num = yvar - xvar + Math.sqrt((yvar - xvar) * (yvar - xvar) + 4 * covar * covar);
  const a = num / (2 * covar);
  const b = ymean - a * xmean;
  let left = 1;
  let right = scale;
  let mid = pyFloorDiv(right - left, 6 / 5) + left;
  let lastmid = 0;
  let valid = 1;
  const keep = new Uint8Array(x.length);
  while (lastmid !== mid) {
    const tx = mid / scale;
    const ty = a * tx + b;
    let count = 0;
    for (let i = 0; i < x.length; i++) {
      const k = x[i]! < tx || y[i]! < ty ? 1 : 0;
      keep[i] = k;
      count += k;
    }
    if (count <= 2) left = mid - 1;
    else {
      const r = pearsonMasked(x, y, keep);
      if (r < 0) left = mid - 1;
      else if (r >= 0) {
        right = mid + 1;
        valid = mid;
      }
    }
    lastmid = mid;
    mid = right - left > 6 ? pyFloorDiv(right - left, 6 / 5) + left : Math.floor((right - left) / 2) + left;
  }
  const tx = (valid - 1) / scale;
  return [tx, a * tx + b];
}

/** Dense ranks (0 = smallest value; equal values share a rank) of `v`, and the largest rank. */
function denseRanks(v: Float64Array): { ranks: Int32Array; max: number } {
  const sorted = Float64Array.from(v).sort();
  let u = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i]!;
  const ranks = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    let lo = 0;
    let hi = u - 1;
    const t = v[i]!;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (sorted[m]! < t) lo = m + 1;
      else hi = m;
    }
    ranks[i] = lo;
  }
  return { ranks, max: u - 1 };
}

/**
 * Colocalization of groups of pixels: `x`, `y` hold the two channels' values of all measured pixels, `group` the
 * group (object) of each pixel in 0..groups-1. Returns one row per group in `names` order (without Slope).
 */
function measureGroups(
  x: Float64Array,
  y: Float64Array,
  group: Int32Array,
  groups: number,
  r: Resolved,
): Float64Array[] {
  const n = x.length;
  const cols = names(r, false).map(() => new Float64Array(groups));
  const [corr, m1, m2, rwc1, rwc2, overlap, k1, k2] = cols as Float64Array[];
  // Pearson per group: sum(x'y') / sqrt(sum x'^2 sum y'^2).
  const cnt = new Float64Array(groups);
  const sx = new Float64Array(groups);
  const sy = new Float64Array(groups);
  const maxX = new Float64Array(groups).fill(Number.NEGATIVE_INFINITY);
  const maxY = new Float64Array(groups).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    const g = group[i]!;
    cnt[g]!++;
    sx[g]! += x[i]!;
    sy[g]! += y[i]!;
    if (x[i]! > maxX[g]!) maxX[g] = x[i]!;
    if (y[i]! > maxY[g]!) maxY[g] = y[i]!;
  }
  const sxx = new Float64Array(groups);
  const syy = new Float64Array(groups);
  const sxy = new Float64Array(groups);
  for (let i = 0; i < n; i++) {
    const g = group[i]!;
    const dx = x[i]! - sx[g]! / cnt[g]!;
    const dy = y[i]! - sy[g]! / cnt[g]!;
    sxx[g]! += dx * dx;
    syy[g]! += dy * dy;
    sxy[g]! += dx * dy;
  }
  for (let g = 0; g < groups; g++)
    corr![g] = cnt[g] === 0 ? Number.NaN : sxy[g]! / Math.sqrt(sxx[g]! * syy[g]!);
  // Thresholds at a percentage of each group's maximum.
  const f = r.threshold / 100;
  const totX = new Float64Array(groups);
  const totY = new Float64Array(groups);
  const both = new Uint8Array(n);
  let anyBoth = false;
  for (let i = 0; i < n; i++) {
    const g = group[i]!;
    const ax = x[i]! >= f * maxX[g]!;
    const ay = y[i]! >= f * maxY[g]!;
    if (ax) totX[g]! += x[i]!;
    if (ay) totY[g]! += y[i]!;
    if (ax && ay) {
      both[i] = 1;
      anyBoth = true;
    }
  }
  const { ranks: rx, max: maxRx } = denseRanks(x);
  const { ranks: ry, max: maxRy } = denseRanks(y);
  const R = Math.max(maxRx, maxRy) + 1;
  const bx = new Float64Array(groups);
  const by = new Float64Array(groups);
  const wx = new Float64Array(groups);
  const wy = new Float64Array(groups);
  const pxy = new Float64Array(groups);
  const pxx = new Float64Array(groups);
  const pyy = new Float64Array(groups);
  for (let i = 0; i < n; i++) {
    if (both[i] === 0) continue;
    const g = group[i]!;
    const xi = x[i]!;
    const yi = y[i]!;
    const weight = (R - Math.abs(rx[i]! - ry[i]!)) / R;
    bx[g]! += xi;
    by[g]! += yi;
    wx[g]! += xi * weight;
    wy[g]! += yi * weight;
    pxy[g]! += xi * yi;
    pxx[g]! += xi * xi;
    pyy[g]! += yi * yi;
  }
  for (let g = 0; g < groups; g++) {
    if (!anyBoth) {
      // CellProfiler returns zeros when no pixel anywhere is above both thresholds.
      m1![g] = m2![g] = rwc1![g] = rwc2![g] = overlap![g] = k1![g] = k2![g] = 0;
      continue;
    }
    m1![g] = bx[g]! / totX[g]!;
    m2![g] = by[g]! / totY[g]!;
    rwc1![g] = wx[g]! / totX[g]!;
    rwc2![g] = wy[g]! / totY[g]!;
    overlap![g] = pxy[g]! / Math.sqrt(pxx[g]! * pyy[g]!);
    k1![g] = pxy[g]! / pxx[g]!;
    k2![g] = pxy[g]! / pyy[g]!;
  }
  if (r.costes) {
    const [c1, c2] = cols.slice(8) as [Float64Array, Float64Array];
    const [tx, ty] = costesThresholds(x, y, r.scale);
    const cx = new Float64Array(groups);
    const cy = new Float64Array(groups);
    const cbx = new Float64Array(groups);
    const cby = new Float64Array(groups);
    let anyC = false;
    for (let i = 0; i < n; i++) {
      const g = group[i]!;
      const ax = x[i]! >= tx;
      const ay = y[i]! >= ty;
      if (ax) cx[g]! += x[i]!;
      if (ay) cy[g]! += y[i]!;
      if (ax && ay) {
        anyC = true;
        cbx[g]! += x[i]!;
        cby[g]! += y[i]!;
      }
    }
    for (let g = 0; g < groups; g++) {
      c1[g] = anyC ? cbx[g]! / cx[g]! : 0;
      c2[g] = anyC ? cby[g]! / cy[g]! : 0;
    }
  }
  return cols;
}

function checkPair(a: Image, b: Image, what: string): void {
  for (const [name, im] of [
    ['first image', a],
    ['second image', b],
  ] as const) {
    if (im.channels !== 1) throw new RangeError(`${what}: ${name} must have 1 channel, got ${im.channels}`);
  }
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`${what}: images differ in size: ${a.width}x${a.height} and ${b.width}x${b.height}`);
  }
}

/**
 * Per-object colocalization of channels `imageA` and `imageB` (intensities scaled as CellProfiler does) inside the
 * objects of `labels`. RWC ranks and Costes' thresholds are computed over all object pixels together, as
 * CellProfiler does; the percentage thresholds are per object.
 */
export function measureColocalization(
  labels: LabelImage,
  imageA: Image,
  imageB: Image,
  options: ColocalizationOptions,
  index: ObjectIndex = indexObjects(labels),
): FeatureSet {
  const r = resolve(options);
  checkPair(imageA, imageB, 'measureColocalization');
  if (labels.width !== imageA.width || labels.height !== imageA.height) {
    throw new RangeError(
      `measureColocalization: label image is ${labels.width}x${labels.height} but the images are ${imageA.width}x${imageA.height}`,
    );
  }
  const n = index.pixels.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const group = new Int32Array(n);
  for (let i = 0; i < index.count; i++) {
    for (let k = index.offsets[i]!; k < index.offsets[i + 1]!; k++) {
      const p = index.pixels[k]!;
      x[k] = imageA.data[p]!;
      y[k] = imageB.data[p]!;
      group[k] = i;
    }
  }
  const cols =
    index.count > 0
      ? measureGroups(x, y, group, index.count, r)
      : names(r, false).map(() => new Float64Array(0));
  const specs = colocalizationSchema(options);
  return { objectNumbers: index.labels, features: specs.map((spec, k) => ({ spec, values: cols[k]! })) };
}

/** Whole-image colocalization of two channels, with the least-squares slope, in `imageColocalizationSchema` order. */
export function measureImageColocalization(
  imageA: Image,
  imageB: Image,
  options: ColocalizationOptions,
): ImageMeasurement[] {
  const r = resolve(options);
  checkPair(imageA, imageB, 'measureImageColocalization');
  const x = Float64Array.from(imageA.data as ArrayLike<number>);
  const y = Float64Array.from(imageB.data as ArrayLike<number>);
  const cols = measureGroups(x, y, new Int32Array(x.length), 1, r);
  // Slope of the least-squares line y = s x + c: cov(x, y) / var(x).
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= x.length;
  my /= x.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) * (x[i]! - mx);
  }
  const values = [cols[0]![0]!, sxy / sxx, ...cols.slice(1).map((c) => c[0]!)];
  return imageColocalizationSchema(options).map((spec, k) => ({ spec, value: values[k]! }));
}
