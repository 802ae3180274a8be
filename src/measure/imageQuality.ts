// Image-level quality control as CellProfiler's MeasureImageQuality defines it (CellProfiler/CellProfiler,
// cellprofiler_library/functions/measurement.py: get_focus_score_for_scale_group, get_saturation_value,
// get_intensity_measurement_values, get_power_spectrum_measurement_values with centrosome.radial_power_spectrum.rps),
// MeasureImageIntensity's quartiles/percentiles (numpy.percentile, linear), and the variance of the Laplacian
// (Pech-Pacheco et al. 2000, ICPR; 3x3 kernel of scipy.ndimage.laplace, reflect border). Hand-written typed-array loops.
import type { Image } from '../image/image.ts';
import { FftPlan } from './fft.ts';
import { checkChannelName, type FeatureSpec } from './types.ts';

/** One image-level measurement (a column of the per-image table). */
export interface ImageMeasurement {
  readonly spec: FeatureSpec;
  readonly value: number;
}

export interface ImageQualityOptions {
  /** Channel name used in the feature names, e.g. 'DNA'. */
  channelName: string;
  /** Window sizes (pixels) for LocalFocusScore, CellProfiler's "spatial scale for blur measurements". @default [20] */
  focusScales?: readonly number[];
  /** Percentiles (0..100) reported as Intensity_Percentile_<p>_<channel>. @default [1, 5, 25, 50, 75, 95, 99] */
  percentiles?: readonly number[];
  /**
   * The value intensities were divided by (255, 4095, 65535, ...), reported as ImageQuality_Scaling_<channel>
   * when given. @default undefined
   */
  scaling?: number | undefined;
}

function resolve(options: ImageQualityOptions): { scales: number[]; percentiles: number[] } {
  checkChannelName('imageQuality', 'channelName', options.channelName);
  const scales = [...(options.focusScales ?? [20])];
  for (const s of scales) {
    if (!Number.isInteger(s) || s < 1)
      throw new RangeError(`imageQuality: focusScales must be positive integers, got ${s}`);
  }
  const percentiles = [...(options.percentiles ?? [1, 5, 25, 50, 75, 95, 99])];
  for (const p of percentiles) {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`imageQuality: percentiles must lie in 0..100, got ${p}`);
  }
  if (options.scaling !== undefined && !(options.scaling > 0)) {
    throw new RangeError(`imageQuality: scaling must be positive, got ${options.scaling}`);
  }
  return { scales, percentiles };
}

function spec(name: string, description: string, unit = ''): FeatureSpec {
  return { name, type: 'float', unit, description };
}

/** The per-image columns `measureImageQuality` produces, in order, declared before measuring. */
export function imageQualitySchema(options: ImageQualityOptions): FeatureSpec[] {
  const { scales, percentiles } = resolve(options);
  const c = options.channelName;
  const specs: FeatureSpec[] = [
    spec(`ImageQuality_FocusScore_${c}`, 'normalised variance: variance / mean of the intensities'),
    ...scales.map((s) =>
      spec(
        `ImageQuality_LocalFocusScore_${c}_${s}`,
        `variance / median of the normalised variances of ${s}-pixel tiles`,
      ),
    ),
    spec(`ImageQuality_PowerLogLogSlope_${c}`, 'slope of log radial power spectrum against log frequency'),
    spec(`ImageQuality_LaplacianVariance_${c}`, 'variance of the 3x3 Laplacian (not a CellProfiler feature)'),
    spec(`ImageQuality_PercentMaximal_${c}`, 'percentage of pixels at the image maximum', '%'),
    spec(`ImageQuality_PercentMinimal_${c}`, 'percentage of pixels at the image minimum', '%'),
    spec(`ImageQuality_TotalArea_${c}`, 'number of pixels', 'px^2'),
    spec(`ImageQuality_TotalIntensity_${c}`, 'sum of intensities', 'intensity'),
    spec(`ImageQuality_MeanIntensity_${c}`, 'mean intensity', 'intensity'),
    spec(`ImageQuality_MedianIntensity_${c}`, 'median intensity', 'intensity'),
    spec(`ImageQuality_StdIntensity_${c}`, 'standard deviation (population) of intensities', 'intensity'),
    spec(`ImageQuality_MADIntensity_${c}`, 'median absolute deviation from the median', 'intensity'),
    spec(`ImageQuality_MinIntensity_${c}`, 'minimum intensity', 'intensity'),
    spec(`ImageQuality_MaxIntensity_${c}`, 'maximum intensity', 'intensity'),
    spec(`Intensity_LowerQuartileIntensity_${c}`, '25th percentile (linear interpolation)', 'intensity'),
    spec(`Intensity_UpperQuartileIntensity_${c}`, '75th percentile (linear interpolation)', 'intensity'),
    ...percentiles.map((p) =>
      spec(`Intensity_Percentile_${p}_${c}`, `${p}th percentile (linear interpolation)`, 'intensity'),
    ),
  ];
  if (options.scaling !== undefined)
    specs.push(spec(`ImageQuality_Scaling_${c}`, 'value the stored intensities were divided by'));
  return specs;
}

/** CellProfiler's FocusScore: population variance / mean (0 when the mean is not positive). */
export function focusScore(data: ArrayLike<number>): number {
  const n = data.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += data[i]!;
  const mean = sum / n;
  if (!(mean > 0)) return 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i]! - mean;
    ss += d * d;
  }
  return ss / (n * mean);
}

/**
 * CellProfiler's LocalFocusScore: the image is cut into a grid of ceil(H / scale) x ceil(W / scale) tiles (tile of
 * pixel (y, x) = floor(y m / H), floor(x n / W)); for each tile with a non-zero mean, its normalised variance
 * sum((x - mean)^2) / (count mean); the score is var / median of those (0 when the median is not positive).
 */
export function localFocusScore(
  data: ArrayLike<number>,
  width: number,
  height: number,
  scale: number,
): number {
  const m = Math.floor((height + scale - 1) / scale);
  const n = Math.floor((width + scale - 1) / scale);
  const tiles = m * n;
  const sums = new Float64Array(tiles);
  const counts = new Float64Array(tiles);
  const rowTile = new Int32Array(height);
  const colTile = new Int32Array(width);
  for (let y = 0; y < height; y++) rowTile[y] = Math.floor((y * m) / height);
  for (let x = 0; x < width; x++) colTile[x] = Math.floor((x * n) / width);
  for (let y = 0; y < height; y++) {
    const base = rowTile[y]! * n;
    for (let x = 0; x < width; x++) {
      const t = base + colTile[x]!;
      sums[t]! += data[y * width + x]!;
      counts[t]!++;
    }
  }
  const means = new Float64Array(tiles);
  for (let t = 0; t < tiles; t++) means[t] = sums[t]! / counts[t]!;
  const ss = new Float64Array(tiles);
  for (let y = 0; y < height; y++) {
    const base = rowTile[y]! * n;
    for (let x = 0; x < width; x++) {
      const t = base + colTile[x]!;
      const d = data[y * width + x]! - means[t]!;
      ss[t]! += d * d;
    }
  }
  const normVar: number[] = [];
  for (let t = 0; t < tiles; t++) {
    const mean = means[t]!;
    if (mean !== 0 && !Number.isNaN(mean)) normVar.push(ss[t]! / (counts[t]! * mean));
  }
  if (normVar.length === 0) return 0;
  const sorted = Float64Array.from(normVar).sort();
  const median = quantileSorted(sorted, 0.5);
  if (!(Number.isFinite(median) && median > 0)) return 0;
  let mean = 0;
  for (const v of normVar) mean += v;
  mean /= normVar.length;
  let variance = 0;
  for (const v of normVar) variance += (v - mean) * (v - mean);
  return variance / normVar.length / median;
}

/** The k-th smallest (0-based) entry of `a`, partially reordering `a` (Hoare's quickselect). */
function select(a: Float64Array, k: number, from = 0, to = a.length - 1): number {
  let lo = from;
  let hi = to;
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
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

/** numpy.median of `a` (reorders `a`): the middle value, or the mean of the two middle values. */
function median(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return Number.NaN;
  const hi = select(a, n >>> 1);
  if (n % 2 === 1) return hi;
  let lo = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n >>> 1; i++) if (a[i]! > lo) lo = a[i]!;
  return (lo + hi) / 2;
}

/** numpy.percentile's default (linear) interpolation at fraction q in [0, 1] of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  // numpy's lerp: a + (b - a) * t, evaluated from the nearer end
  return frac >= 0.5 ? b - (b - a) * (1 - frac) : a + (b - a) * frac;
}

/**
 * CellProfiler's PowerLogLogSlope (centrosome.radial_power_spectrum.rps then a least-squares line): the power of
 * the 2-D FFT of the mean-subtracted image is summed over integer radius bins 2 .. floor(min(H, W) / 8) - 1
 * (radius from the nearest corner, with CellProfiler's flip, i.e. distance to row H-1 and column W-1), and the slope
 * of log(power) against log(radius) is returned. 0 for a constant image or when no bin has power.
 */
export function powerLogLogSlope(data: ArrayLike<number>, width: number, height: number): number {
  const n = width * height;
  const maxwidth = Math.min(width, height) / 8;
  const nBins = Math.floor(maxwidth);
  // labels = arange(2, floor(maxwidth)); bin r collects pixels with floor(sqrt(r2)) + 1 == r.
  if (nBins <= 2) return 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) return 0;
  const mean = sum / n;
  // Divide by the median absolute deviation from the mean (only rescales the power; 0 makes CellProfiler's
  // spectrum NaN and its slope 0).
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = Math.abs(data[i]! - mean);
  const mad = median(dev);
  if (!(mad > 0)) return 0;
  // Rows and columns whose corner distance can fall in a bin below nBins: min(k, N - 1 - k) < nBins - 1.
  const reach = nBins - 1;
  const cols: number[] = [];
  for (let x = 0; x < width; x++) if (Math.min(x, width - 1 - x) < reach) cols.push(x);
  const rows: number[] = [];
  for (let y = 0; y < height; y++) if (Math.min(y, height - 1 - y) < reach) rows.push(y);
  // Row transforms, two real rows per complex transform (row y in the real part, y + 1 in the imaginary part),
  // keeping only the needed columns: X_k = (Z_k + conj Z_{-k}) / 2, Y_k = (Z_k - conj Z_{-k}) / 2i.
  const rowPlan = new FftPlan(width);
  const re = new Float64Array(width);
  const im = new Float64Array(width);
  const keptRe = new Float64Array(cols.length * height);
  const keptIm = new Float64Array(cols.length * height);
  for (let y = 0; y < height; y += 2) {
    const second = y + 1 < height;
    for (let x = 0; x < width; x++) {
      re[x] = (data[y * width + x]! - mean) / mad;
      im[x] = second ? (data[(y + 1) * width + x]! - mean) / mad : 0;
    }
    rowPlan.forward(re, im);
    for (let c = 0; c < cols.length; c++) {
      const k = cols[c]!;
      const nk = k === 0 ? 0 : width - k;
      const zr = re[k]!;
      const zi = im[k]!;
      const wr = re[nk]!;
      const wi = im[nk]!;
      keptRe[c * height + y] = (zr + wr) / 2;
      keptIm[c * height + y] = (zi - wi) / 2;
      if (second) {
        keptRe[c * height + y + 1] = (zi + wi) / 2;
        keptIm[c * height + y + 1] = (wr - zr) / 2;
      }
    }
  }
  const colPlan = new FftPlan(height);
  const cre = new Float64Array(height);
  const cim = new Float64Array(height);
  const magsum = new Float64Array(nBins);
  const powersum = new Float64Array(nBins);
  for (let c = 0; c < cols.length; c++) {
    cre.set(keptRe.subarray(c * height, (c + 1) * height));
    cim.set(keptIm.subarray(c * height, (c + 1) * height));
    colPlan.forward(cre, cim);
    const x = cols[c]!;
    const dx = Math.min(x, width - 1 - x);
    for (const y of rows) {
      const dy = Math.min(y, height - 1 - y);
      const bin = Math.floor(Math.sqrt(dx * dx + dy * dy)) + 1;
      if (bin < 2 || bin >= nBins) continue;
      const p = cre[y]! * cre[y]! + cim[y]! * cim[y]!;
      magsum[bin]! += Math.sqrt(p);
      powersum[bin]! += p;
    }
  }
  // Least squares of log(power) = a log(r) + b over bins with magnitude > 0 and finite log power.
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let k = 0;
  let totalMag = 0;
  for (let r = 2; r < nBins; r++) totalMag += magsum[r]!;
  if (!(totalMag > 0)) return 0;
  for (let r = 2; r < nBins; r++) {
    if (!(magsum[r]! > 0)) continue;
    const ly = Math.log(powersum[r]!);
    if (!Number.isFinite(ly)) continue;
    const lx = Math.log(r);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
    k++;
  }
  if (k < 2) return 0;
  return (k * sxy - sx * sy) / (k * sxx - sx * sx);
}

/** Variance (population) of the 3x3 Laplacian [0 1 0; 1 -4 1; 0 1 0] with reflected borders (scipy.ndimage.laplace). */
export function laplacianVariance(data: ArrayLike<number>, width: number, height: number): number {
  const n = width * height;
  let sum = 0;
  let sumSq = 0;
  for (let y = 0; y < height; y++) {
    const up = y === 0 ? 0 : y - 1;
    const down = y === height - 1 ? height - 1 : y + 1;
    for (let x = 0; x < width; x++) {
      const left = x === 0 ? 0 : x - 1;
      const right = x === width - 1 ? width - 1 : x + 1;
      const c = data[y * width + x]!;
      const v =
        data[up * width + x]! +
        data[down * width + x]! +
        data[y * width + left]! +
        data[y * width + right]! -
        4 * c;
      sum += v;
      sumSq += v * v;
    }
  }
  const mean = sum / n;
  return Math.max(0, sumSq / n - mean * mean);
}

/** The k-th smallest (0-based) of |x - m| given x ascending, merging the two monotone halves around m. */
function kthAbsDeviation(sorted: Float64Array, m: number, k: number): number {
  let right = 0;
  while (right < sorted.length && sorted[right]! < m) right++;
  let left = right - 1;
  let value = 0;
  for (let i = 0; i <= k; i++) {
    const dl = left >= 0 ? m - sorted[left]! : Number.POSITIVE_INFINITY;
    const dr = right < sorted.length ? sorted[right]! - m : Number.POSITIVE_INFINITY;
    if (dl <= dr) {
      value = dl;
      left--;
    } else {
      value = dr;
      right++;
    }
  }
  return value;
}

/** The finite values of `data` (`count` of them) in ascending order, as float64. */
function sortedFinite(data: ArrayLike<number>, count: number): Float64Array {
  if (!(data instanceof Float32Array)) {
    const out = new Float64Array(count);
    let k = 0;
    for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i]!)) out[k++] = data[i]!;
    return out.sort();
  }
  // float32: LSD radix sort of the order-preserving bit keys, two 16-bit passes (O(n), ~10x faster than sort()).
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  let keys = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) continue;
    const b = bits[i]!;
    keys[k++] = (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
  }
  let other = new Uint32Array(count);
  const counts = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < count; i++) counts[((keys[i]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 1; d <= 65536; d++) counts[d]! += counts[d - 1]!;
    for (let i = 0; i < count; i++) {
      const key = keys[i]!;
      other[counts[(key >>> shift) & 0xffff]!++] = key;
    }
    [keys, other] = [other, keys];
  }
  const out = new Float64Array(count);
  const view = new Float32Array(1);
  const viewBits = new Uint32Array(view.buffer);
  for (let i = 0; i < count; i++) {
    const key = keys[i]!;
    viewBits[0] = key & 0x80000000 ? key & 0x7fffffff : ~key;
    out[i] = view[0]!;
  }
  return out;
}

/**
 * Per-image quality and intensity measurements of one channel (intensities scaled as CellProfiler does), in the
 * order of `imageQualitySchema`. NaN pixels are ignored by the intensity statistics, as MeasureImageIntensity does.
 */
export function measureImageQuality(image: Image, options: ImageQualityOptions): ImageMeasurement[] {
  const { scales, percentiles } = resolve(options);
  if (image.channels !== 1)
    throw new RangeError(`measureImageQuality: image must have 1 channel, got ${image.channels}`);
  const { width, height } = image;
  const data = image.data as ArrayLike<number>;
  const n = width * height;
  let finite = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (Number.isFinite(v)) {
      finite++;
      sum += v;
    }
  }
  const values = sortedFinite(image.data, finite);
  const min = finite > 0 ? values[0]! : 0;
  const max = finite > 0 ? values[finite - 1]! : 0;
  let atMax = 0;
  let atMin = 0;
  for (let i = 0; i < finite; i++) {
    if (values[i] === max) atMax++;
    if (values[i] === min) atMin++;
  }
  const mean = finite > 0 ? sum / finite : 0;
  let ss = 0;
  for (let i = 0; i < finite; i++) ss += (values[i]! - mean) * (values[i]! - mean);
  const median = finite > 0 ? quantileSorted(values, 0.5) : 0;
  let mad = 0;
  if (finite > 0) {
    const half = (finite - 1) / 2;
    const lo = kthAbsDeviation(values, median, Math.floor(half));
    mad = finite % 2 === 1 ? lo : (lo + kthAbsDeviation(values, median, Math.ceil(half))) / 2;
  }
  const q = (p: number) => (finite > 0 ? quantileSorted(values, p / 100) : 0);
  const result: number[] = [
    focusScore(data),
    ...scales.map((s) => localFocusScore(data, width, height, s)),
    powerLogLogSlope(data, width, height),
    laplacianVariance(data, width, height),
    finite > 0 ? (100 * atMax) / finite : 0,
    finite > 0 ? (100 * atMin) / finite : 0,
    finite,
    sum,
    mean,
    median,
    finite > 0 ? Math.sqrt(ss / finite) : 0,
    mad,
    min,
    max,
    q(25),
    q(75),
    ...percentiles.map(q),
  ];
  if (options.scaling !== undefined) result.push(options.scaling);
  const specs = imageQualitySchema(options);
  return specs.map((s, k) => ({ spec: s, value: result[k]! }));
}
