// Median filter over a disk or square footprint with scipy.ndimage.median_filter's definition (the element of
// rank size // 2 of the footprint values; border modes as scipy), which skimage.filters.median calls with mode
// 'nearest'. uint8/uint16 images use Huang's sliding histogram (T. Huang, G. Yang, G. Tang, IEEE TASSP 27(1),
// 1979) with a coarse second level to skip empty bins; other types with at most 65,536 distinct values (float
// images made from 16-bit data) run the same on their value ranks; the rest select with quickselect per pixel.
// Hand-written: image-js's median handles 8/16-bit only, square windows, and no border modes.
import { allocate, type Image } from '../image/image.ts';
import { type BorderMode, borderTable, checkBorderMode } from './border.ts';
import { type Footprint, type FootprintSpec, makeFootprint } from './footprint.ts';
import { checkImage } from './util.ts';

export interface MedianOptions {
  /** Neighbourhood. @default { shape: 'disk', radius: 1 } (the 3x3 cross, skimage's default footprint) */
  footprint?: FootprintSpec;
  /** Border handling, scipy.ndimage names. @default 'nearest' (skimage.filters.median's default) */
  mode?: BorderMode;
  /** Value outside the image for `mode: 'constant'` (cast to the pixel type like scipy). @default 0 */
  cval?: number;
}

/** Median of every channel over the footprint; same dtype as the input. NaN pixels sort as in IEEE order. */
export function median<D extends Image['dtype']>(image: Image<D>, options: MedianOptions = {}): Image<D> {
  checkImage(image, 'median');
  const fp = makeFootprint(options.footprint ?? { shape: 'disk', radius: 1 }, 'median');
  const mode = checkBorderMode(options.mode ?? 'nearest', 'median');
  const cvalIn = options.cval ?? 0;
  if (!Number.isFinite(cvalIn)) throw new RangeError(`median: cval must be finite, got ${cvalIn}`);
  const { width, height, channels } = image;
  const n = width * height;
  const out = allocate(image.dtype, n * channels);
  // scipy casts cval to the input type
  const cval = (allocate(image.dtype, 1).fill(cvalIn) as ArrayLike<number>)[0]!;
  for (let c = 0; c < channels; c++) {
    const src = image.data.subarray(c * n, (c + 1) * n);
    const dst = out.subarray(c * n, (c + 1) * n);
    if (image.dtype === 'uint8') huang(src, width, height, fp, mode, cval, 8, dst);
    else if (image.dtype === 'uint16') huang(src, width, height, fp, mode, cval, 16, dst);
    else if (!viaRanks(src, width, height, fp, mode, cval, dst))
      select(src, width, height, fp, mode, cval, dst);
  }
  return { ...image, data: out };
}

/** Huang's sliding histogram with a two-level (fine + coarse) histogram and a tracked median. */
function huang(
  src: ArrayLike<number>,
  width: number,
  height: number,
  fp: Footprint,
  mode: BorderMode,
  cval: number,
  bits: 8 | 16,
  dst: { [i: number]: number },
): void {
  const r = fp.radius;
  const hw = fp.halfWidths;
  const shift = bits === 8 ? 4 : 8;
  const block = 1 << shift;
  const hist = new Int32Array(1 << bits);
  const coarse = new Int32Array((1 << bits) >> shift);
  const rowsT = borderTable(height, r, mode);
  const colsT = borderTable(width, r + 1, mode);
  const rowBase = new Int32Array(2 * r + 1);
  const target = fp.size >> 1; // rank of the median (0-based)
  let m = 0; // current median candidate
  let below = 0; // number of window values < m
  for (let y = 0; y < height; y++) {
    for (let j = 0; j <= 2 * r; j++) {
      const ry = rowsT[y + j]!;
      rowBase[j] = ry < 0 ? -1 : ry * width;
    }
    // fill the window at x = 0
    for (let j = 0; j <= 2 * r; j++) {
      const a = hw[j]!;
      const base = rowBase[j]!;
      for (let dx = -a; dx <= a; dx++) {
        const cx = colsT[dx + r + 1]!;
        const v = base < 0 || cx < 0 ? cval : src[base + cx]!;
        hist[v]!++;
        coarse[v >> shift]!++;
      }
    }
    // `below` for the carried-over m: coarse blocks below, then fine bins within m's block
    below = 0;
    const mb = m >> shift;
    for (let b = 0; b < mb; b++) below += coarse[b]!;
    for (let v = mb << shift; v < m; v++) below += hist[v]!;
    for (let x = 0; ; ) {
      // move m to the median
      while (below > target) {
        if ((m & (block - 1)) === 0 && below - coarse[(m >> shift) - 1]! > target) {
          below -= coarse[(m >> shift) - 1]!;
          m -= block;
        } else {
          m--;
          below -= hist[m]!;
        }
      }
      while (below + hist[m]! <= target) {
        if ((m & (block - 1)) === 0 && below + coarse[m >> shift]! <= target) {
          below += coarse[m >> shift]!;
          m += block;
        } else {
          below += hist[m]!;
          m++;
        }
      }
      dst[y * width + x] = m;
      if (x === width - 1) break;
      // slide right: drop column x - a, add column x + a + 1 of every footprint row
      for (let j = 0; j <= 2 * r; j++) {
        const a = hw[j]!;
        const base = rowBase[j]!;
        const co = colsT[x - a + r + 1]!;
        const ci = colsT[x + a + 1 + r + 1]!;
        const vo = base < 0 || co < 0 ? cval : src[base + co]!;
        const vi = base < 0 || ci < 0 ? cval : src[base + ci]!;
        hist[vo]!--;
        coarse[vo >> shift]!--;
        if (vo < m) below--;
        hist[vi]!++;
        coarse[vi >> shift]!++;
        if (vi < m) below++;
      }
      x++;
    }
    // empty the histogram: remove the last window of the row
    const x = width - 1;
    for (let j = 0; j <= 2 * r; j++) {
      const a = hw[j]!;
      const base = rowBase[j]!;
      for (let dx = -a; dx <= a; dx++) {
        const cx = colsT[x + dx + r + 1]!;
        const v = base < 0 || cx < 0 ? cval : src[base + cx]!;
        hist[v]!--;
        coarse[v >> shift]!--;
      }
    }
  }
}

/**
 * Other pixel types with at most 65,536 distinct values (e.g. float images converted from 16-bit data): replace
 * each value by its rank among the distinct values, run the 16-bit histogram median on the ranks and map back.
 * Exact, since the median commutes with a monotone relabelling. Returns false when there are too many values.
 */
function viaRanks(
  src: ArrayLike<number>,
  width: number,
  height: number,
  fp: Footprint,
  mode: BorderMode,
  cval: number,
  dst: { [i: number]: number },
): boolean {
  const n = src.length;
  const sorted = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) sorted[i] = src[i]!;
  sorted[n] = cval;
  sorted.sort();
  // distinct values, stopping as soon as there are too many (NaN sorts last and counts as one value)
  const unique: number[] = [];
  for (let i = 0; i <= n; i++) {
    const v = sorted[i]!;
    const last = unique[unique.length - 1];
    if (unique.length === 0 || !(v === last || (Number.isNaN(v) && Number.isNaN(last!)))) {
      if (unique.length === 65536) return false;
      unique.push(v);
    }
  }
  const values = Float64Array.from(unique);
  const rankOf = (v: number): number => {
    if (Number.isNaN(v)) return values.length - 1;
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const ranks = new Uint16Array(n);
  for (let i = 0; i < n; i++) ranks[i] = rankOf(src[i]!);
  const out = new Uint16Array(n);
  huang(ranks, width, height, fp, mode, rankOf(cval), 16, out);
  for (let i = 0; i < n; i++) dst[i] = values[out[i]!]!;
  return true;
}

/** Generic path: gather the footprint values of each pixel and quickselect the middle one. */
function select(
  src: ArrayLike<number>,
  width: number,
  height: number,
  fp: Footprint,
  mode: BorderMode,
  cval: number,
  dst: { [i: number]: number },
): void {
  const r = fp.radius;
  const hw = fp.halfWidths;
  const rowsT = borderTable(height, r, mode);
  const colsT = borderTable(width, r, mode);
  const buf = new Float64Array(fp.size);
  const k = fp.size >> 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let p = 0;
      for (let j = 0; j <= 2 * r; j++) {
        const ry = rowsT[y + j]!;
        const a = hw[j]!;
        if (ry < 0) {
          for (let dx = -a; dx <= a; dx++) buf[p++] = cval;
          continue;
        }
        const base = ry * width;
        for (let dx = -a; dx <= a; dx++) {
          const cx = colsT[x + dx + r]!;
          buf[p++] = cx < 0 ? cval : src[base + cx]!;
        }
      }
      dst[y * width + x] = quickselect(buf, k);
    }
  }
}

/** The k-th smallest element of `a` (reorders `a`); Hoare partition with median-of-three pivots. */
export function quickselect(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    if (hi - lo < 8) {
      // insertion sort of the small remaining range
      for (let i = lo + 1; i <= hi; i++) {
        const v = a[i]!;
        let j = i - 1;
        while (j >= lo && a[j]! > v) {
          a[j + 1] = a[j]!;
          j--;
        }
        a[j + 1] = v;
      }
      return a[k]!;
    }
    const mid = (lo + hi) >> 1;
    // median of three to a[mid]
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
