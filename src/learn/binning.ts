// Per-feature quantile binning into at most 255 ordered bins, as in LightGBM (Ke et al. 2017) and scikit-learn's
// HistGradientBoosting `_BinMapper`: with at most `maxBins` distinct values the edges are the midpoints between
// them, otherwise midpoints of quantiles of (a subsample of) the values. Hand-written: no npm package bins
// columnar typed arrays for tree learners.
import { createRng } from './random.ts';

export interface BinningOptions {
  /** Bins per feature, 2..256 (bin indices fit in a byte). @default 255 */
  maxBins?: number;
  /** Values used to find quantiles per feature (a seeded subsample when there are more rows). @default 200000 */
  subsample?: number;
  /** Seed of the subsample. @default 0 */
  seed?: number;
}

export interface BinnedFeatures {
  rows: number;
  features: number;
  /**
   * Row-major bin indices: `bins[i * features + f]` (a row's bins share cache lines); on a SharedArrayBuffer so
   * workers read it without copying.
   */
  bins: Uint8Array;
  /**
   * Bin upper edges per feature, ascending: value x falls in bin b = number of edges < x, so `x <= edges[b]`
   * exactly when its bin is <= b. A split after bin b is stored as the threshold `edges[b]`.
   */
  edges: Float64Array[];
}

/** Bin edges of one column (finite values only). */
export function binEdges(column: Float32Array, options: BinningOptions = {}): Float64Array {
  const { maxBins = 255, subsample = 200000, seed = 0 } = options;
  if (!(maxBins >= 2 && maxBins <= 256)) throw new RangeError(`maxBins must be in 2..256, got ${maxBins}`);
  let sample = column;
  if (column.length > subsample) {
    const rng = createRng(seed);
    sample = new Float32Array(subsample);
    for (let i = 0; i < subsample; i++) sample[i] = column[rng.nextInt(column.length)]!;
  }
  const sorted = sortFloat32(sample);
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (i === 0 || v !== sorted[i - 1]) distinct.push(v);
    if (distinct.length > maxBins) break;
  }
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) edges.push((distinct[i]! + distinct[i + 1]!) / 2);
  } else {
    // Percentiles at 100 * k / maxBins, k = 1..maxBins-1, linear interpolation (numpy's default), deduplicated.
    const n = sorted.length;
    for (let k = 1; k < maxBins; k++) {
      const pos = ((n - 1) * k) / maxBins;
      const lo = Math.floor(pos);
      const hi = Math.min(lo + 1, n - 1);
      const q = sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
      if (edges.length === 0 || q > edges[edges.length - 1]!) edges.push(q);
    }
  }
  return Float64Array.from(edges);
}

/** Order-preserving unsigned key of float32 bits (negative values inverted, positive ones sign-flipped). */
function floatKey(u: number): number {
  return u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
}

/** Ascending copy of finite float32 values by LSD radix sort (3 passes of 11 bits over order-preserving keys). */
export function sortFloat32(values: Float32Array): Float32Array {
  const n = values.length;
  const bits = new Uint32Array(Float32Array.from(values).buffer);
  let a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = floatKey(bits[i]!);
  let b = new Uint32Array(n);
  const count = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(a[i]! >>> shift) & 2047]!++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      b[count[(v >>> shift) & 2047]!++] = v;
    }
    [a, b] = [b, a];
  }
  for (let i = 0; i < n; i++) {
    const k = a[i]!;
    a[i] = k & 0x80000000 ? (k ^ 0x80000000) >>> 0 : ~k >>> 0;
  }
  return new Float32Array(a.buffer);
}

/** Index of the bin of `x`: the number of edges strictly below x (binary search). */
export function binOf(edges: Float64Array, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Bin indices of a column: binary search replaced by a table over the top 16 bits of an order-preserving integer
 * key of each float32 (the first bin of each key prefix), then a short linear walk over the edges in the prefix.
 */
export function binColumn(edges: Float64Array, column: Float32Array, out: Uint8Array): void {
  if (column.length < 16384) {
    // Building the 65,536-entry table costs more than binary search on short columns.
    for (let i = 0; i < column.length; i++) out[i] = binOf(edges, column[i]!);
    return;
  }
  const start = new Uint16Array(65536);
  let b = 0;
  for (let prefix = 0; prefix < 65536; prefix++) {
    // Smallest float32 whose key has this prefix (keys: sign-flipped for positives, inverted for negatives).
    const key = (prefix << 16) >>> 0;
    u32[0] = key & 0x80000000 ? key ^ 0x80000000 : ~key >>> 0;
    const low = Number.isNaN(f32[0]!)
      ? key & 0x80000000
        ? Number.POSITIVE_INFINITY
        : Number.NEGATIVE_INFINITY
      : f32[0]!;
    while (b < edges.length && edges[b]! < low) b++;
    start[prefix] = b;
  }
  const bits = new Uint32Array(column.buffer, column.byteOffset, column.length);
  const e = edges.length;
  for (let i = 0; i < column.length; i++) {
    const u = bits[i]!;
    let k = start[floatKey(u) >>> 16]!;
    const x = column[i]!;
    while (k < e && edges[k]! < x) k++;
    out[i] = k;
  }
}

/** Bin every column (all values must be finite; callers check and name the column). */
export function binFeatures(columns: readonly Float32Array[], options: BinningOptions = {}): BinnedFeatures {
  const rows = columns[0]?.length ?? 0;
  const bins = new Uint8Array(new SharedArrayBuffer(Math.max(1, rows * columns.length)));
  const edges: Float64Array[] = [];
  const p = columns.length;
  const scratch = new Uint8Array(rows);
  columns.forEach((column, f) => {
    if (column.length !== rows)
      throw new RangeError(`feature ${f} has ${column.length} rows, expected ${rows}`);
    const e = binEdges(column, options);
    edges.push(e);
    binColumn(e, column, scratch);
    for (let i = 0; i < rows; i++) bins[i * p + f] = scratch[i]!;
  });
  return { rows, features: columns.length, bins, edges };
}
