// Primary objects (nuclei) after CellProfiler's IdentifyPrimaryObjects (cellprofiler/modules/
// identifyprimaryobjects.py: threshold, fill holes, label, declump, filter on border and size, fill holes,
// relabel), with defaults that adapt to the image: Otsu on square-root intensities (so a few bright mitoses do
// not lift the threshold above dim nuclei), object size estimated from that first mask, declumping scaled to
// it, and tissue-sized components re-thresholded within themselves. Defaults chosen on the DSB 2018 dev
// images (docs/validation/segmentation.md). With threshold 'centrosome-otsu', thresholdSource 'raw',
// declumpStyle 'cellprofiler' and refineFraction 0 it reproduces CellProfiler's own objects (what the
// CellProfiler import sets; docs/validation/pipeline.md).
import { gaussian } from '../filter/gaussian.ts';
import { fromData, type Image, maxValueOf } from '../image/image.ts';
import { thresholdCentrosomeOtsu } from '../threshold/centrosomeOtsu.ts';
import { thresholdLi } from '../threshold/li.ts';
import { thresholdMultiOtsu } from '../threshold/multiOtsu.ts';
import { otsuIndex, thresholdOtsu } from '../threshold/otsu.ts';
import { thresholdRobustBackground } from '../threshold/robustBackground.ts';
import { thresholdTriangle } from '../threshold/triangle.ts';
import { checkSingleChannel } from './check.ts';
import { type DeclumpMethod, declump } from './declump.ts';
import { declumpCellProfiler } from './declumpCellProfiler.ts';
import { estimateDiameter } from './estimateDiameter.ts';
import { fillHoles, fillLabeledHoles } from './fillHoles.ts';
import { label } from './label.ts';
import { clearBorder, filterBySize } from './objectFilters.ts';
import { relabelSequential } from './relabel.ts';

/**
 * Global threshold methods. 'sqrt-otsu' and 'log-otsu' run Otsu on transformed intensities (variance-stabilised
 * and log); 'centrosome-otsu' is CellProfiler 2.x's log-space Otsu (threshold/centrosomeOtsu.ts, what pipelines
 * saved before CellProfiler 3's Threshold rewrite used); 'minimum-cross-entropy' is Li's method (CellProfiler's
 * name for it).
 */
export type PrimaryThresholdMethod =
  | 'sqrt-otsu'
  | 'otsu'
  | 'log-otsu'
  | 'centrosome-otsu'
  | 'li'
  | 'minimum-cross-entropy'
  | 'triangle'
  | 'robust-background';

export const PRIMARY_THRESHOLD_METHODS: readonly PrimaryThresholdMethod[] = [
  'sqrt-otsu',
  'otsu',
  'log-otsu',
  'centrosome-otsu',
  'li',
  'minimum-cross-entropy',
  'triangle',
  'robust-background',
];

export interface PrimaryObjectsOptions {
  /** Typical diameter range [min, max] in pixels; 'auto' estimates it from the image. @default 'auto' */
  diameter?: readonly [number, number] | 'auto';
  /** Global threshold method. @default 'sqrt-otsu' */
  threshold?: PrimaryThresholdMethod;
  /**
   * Otsu classes for 'otsu', 'log-otsu' and 'centrosome-otsu' (CellProfiler's "Two-class or three-class
   * thresholding?"). Three classes: 'otsu' and 'log-otsu' take skimage's threshold_multiotsu over 128 bins
   * (CellProfiler 4/5), 'centrosome-otsu' centrosome's otsu3 (CellProfiler 2.x). Other methods accept only 2.
   * @default 2
   */
  thresholdClasses?: 2 | 3;
  /**
   * With three classes, where the middle class goes: 'foreground' thresholds at the lower of the two
   * thresholds, 'background' at the upper one. @default 'foreground' (CellProfiler's default)
   */
  middleClass?: 'foreground' | 'background';
  /**
   * Which intensities the threshold is computed from: 'smoothed' (the image after `thresholdSmoothing`) or 'raw'
   * (the unsmoothed image, as CellProfiler does; the smoothed image is compared against it either way).
   * @default 'smoothed'
   */
  thresholdSource?: 'smoothed' | 'raw';
  /** Multiply the threshold by this (CellProfiler's "threshold correction factor"). @default 1 */
  thresholdCorrection?: number;
  /** Gaussian sigma (pixels) before thresholding (CellProfiler's default smoothing scale 1.3488 is sigma 1). @default 1 */
  thresholdSmoothing?: number;
  /** How clumped objects are split. @default 'shape' */
  declump?: DeclumpMethod;
  /**
   * 'default': declump.ts (per-object smoothing, peaks suppressed by height within minPeakDistance, watershed of
   * the smoothed map, objects too small to hold two minimum-size objects kept whole). 'cellprofiler':
   * declumpCellProfiler.ts, CellProfiler's own algorithm (truncated smoothing filter of size 2.35 x
   * declumpSmoothing, maxima within a disk of radius minPeakDistance - 0.5, watershed of the unsmoothed inverted
   * image; both 'auto' values as CellProfiler's: min diameter / 3.5 and min diameter / 1.5). @default 'default'
   */
  declumpStyle?: 'default' | 'cellprofiler';
  /**
   * Declumping smoothing sigma in pixels; 'auto' = min diameter / 7 for 'shape', min diameter / 3.5 for
   * 'intensity' (CellProfiler's automatic filter size 2.35 min / 3.5, as a sigma). @default 'auto'
   */
  declumpSmoothing?: number | 'auto';
  /**
   * Minimum distance between declumping maxima in pixels; 'auto' = min diameter / 2.33 for 'shape', min
   * diameter / 1.5 for 'intensity' (CellProfiler's automatic value). @default 'auto'
   */
  minPeakDistance?: number | 'auto';
  /** Fill holes in objects (after thresholding and after declumping). @default true */
  fillHoles?: boolean;
  /** Remove objects whose equivalent diameter is outside the range. @default true */
  discardOutsideRange?: boolean;
  /** Remove objects touching the image edge. @default false */
  discardBorder?: boolean;
  /**
   * Foreground components covering more than this fraction of the image are tissue or background, not one
   * nucleus: they are re-thresholded (Otsu within the component), up to 3 times. 0 disables. @default 0.05
   */
  refineFraction?: number;
}

export interface PrimaryObjectsResult {
  labels: Image<'uint32'>;
  count: number;
  /** Global threshold used, in the image's own units. */
  threshold: number;
  /** Diameter range used, pixels. */
  diameter: [number, number];
  /**
   * The objects before the border and size filters (CellProfiler's "unedited" objects), numbered as after
   * declumping: IdentifySecondaryObjects lets those touching the border compete for territory.
   */
  unedited: Image<'uint32'>;
}

/** Auto diameter range around the estimated typical diameter d: [0.35 d, 3 d]. */
const RANGE_FACTORS = [0.35, 3] as const;

/**
 * Segment bright objects on a dark background (nuclei) in a single-channel image of any pixel type. Empty,
 * constant, all-NaN and fully saturated images give zero objects.
 */
export function primaryObjects(image: Image, options: PrimaryObjectsOptions = {}): PrimaryObjectsResult {
  checkSingleChannel(image, 'primaryObjects');
  const method = options.threshold ?? 'sqrt-otsu';
  const correction = options.thresholdCorrection ?? 1;
  const thresholdSmoothing = options.thresholdSmoothing ?? 1;
  const declumpMethod = options.declump ?? 'shape';
  const doFill = options.fillHoles ?? true;
  const refineFraction = options.refineFraction ?? 0.05;
  const classes = options.thresholdClasses ?? 2;
  const middleClass = options.middleClass ?? 'foreground';
  const thresholdSource = options.thresholdSource ?? 'smoothed';
  const declumpStyle = options.declumpStyle ?? 'default';
  if (!PRIMARY_THRESHOLD_METHODS.includes(method)) {
    throw new RangeError(
      `primaryObjects: threshold must be one of ${PRIMARY_THRESHOLD_METHODS.join(', ')}; got '${method}'`,
    );
  }
  if (classes !== 2 && classes !== 3) {
    throw new RangeError(`primaryObjects: thresholdClasses must be 2 or 3, got ${String(classes)}`);
  }
  if (classes === 3 && !THREE_CLASS_METHODS.includes(method)) {
    throw new RangeError(
      `primaryObjects: thresholdClasses 3 needs threshold ${THREE_CLASS_METHODS.join(', ')}; got '${method}'`,
    );
  }
  if (middleClass !== 'foreground' && middleClass !== 'background') {
    throw new RangeError(
      `primaryObjects: middleClass must be 'foreground' or 'background', got '${String(middleClass)}'`,
    );
  }
  if (thresholdSource !== 'smoothed' && thresholdSource !== 'raw') {
    throw new RangeError(
      `primaryObjects: thresholdSource must be 'smoothed' or 'raw', got '${String(thresholdSource)}'`,
    );
  }
  if (declumpStyle !== 'default' && declumpStyle !== 'cellprofiler') {
    throw new RangeError(
      `primaryObjects: declumpStyle must be 'default' or 'cellprofiler', got '${String(declumpStyle)}'`,
    );
  }
  if (!(correction > 0))
    throw new RangeError(`primaryObjects: thresholdCorrection must be > 0, got ${correction}`);
  if (!(thresholdSmoothing >= 0)) {
    throw new RangeError(`primaryObjects: thresholdSmoothing must be >= 0, got ${thresholdSmoothing}`);
  }
  if (!(refineFraction >= 0 && refineFraction <= 1)) {
    throw new RangeError(`primaryObjects: refineFraction must be in [0, 1], got ${refineFraction}`);
  }
  const { width: w, height: h } = image;
  const n = w * h;
  // Intensities in [0, 1] like CellProfiler (NaN counted as 0).
  const scale = 1 / maxValueOf(image);
  const raw = new Float32Array(n);
  raw.set(image.data as ArrayLike<number>);
  for (let i = 0; i < n; i++) {
    const v = raw[i]! * scale;
    raw[i] = Number.isNaN(v) ? 0 : v;
  }
  const smoothed =
    thresholdSmoothing > 0 ? gaussian(fromData(raw, w, h), { sigma: thresholdSmoothing }).data : raw;
  const threshold =
    computeThreshold(thresholdSource === 'raw' ? raw : smoothed, method, classes, middleClass) * correction;
  const empty = (): PrimaryObjectsResult => ({
    labels: fromData(new Uint32Array(n), w, h),
    count: 0,
    threshold: threshold / scale,
    diameter: [0, 0],
    unedited: fromData(new Uint32Array(n), w, h),
  });
  if (!Number.isFinite(threshold)) return empty();
  const maskData = new Uint8Array(n);
  let fg = 0;
  for (let i = 0; i < n; i++) {
    if (smoothed[i]! > threshold) {
      maskData[i] = 1;
      fg++;
    }
  }
  let mask: Image = fromData(maskData, w, h);
  // No foreground, or foreground everywhere (constant or saturated images): no objects.
  if (fg === 0 || fg === n) return empty();
  const maxArea = Math.max(1000, refineFraction * n);
  // Components are labelled once here and reused while the mask does not change.
  let components = label(mask, { connectivity: 8 });
  // Only a foreground larger than the limit can hold a component larger than it.
  if (refineFraction > 0 && fg > maxArea) {
    const refined = refineLarge(smoothed, mask, components, maxArea);
    if (refined) {
      mask = refined.mask;
      components = refined.labels;
    }
  }
  let range: [number, number];
  if (options.diameter === undefined || options.diameter === 'auto') {
    const d = estimateDiameter(mask, { labels: components });
    if (!Number.isFinite(d)) return empty();
    range = [Math.max(2, d * RANGE_FACTORS[0]), d * RANGE_FACTORS[1]];
  } else {
    const [lo, hi] = options.diameter;
    if (!(lo > 0) || !(hi >= lo)) {
      throw new RangeError(
        `primaryObjects: diameter must be [min, max] with 0 < min <= max, got [${lo}, ${hi}]`,
      );
    }
    range = [lo, hi];
  }
  let labels = components;
  if (doFill) {
    const filled = fillHoles(mask, { maxHoleArea: range[1] * range[1] });
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (filled.data[i] !== mask.data[i]) {
        changed = true;
        break;
      }
    }
    if (changed) {
      mask = filled;
      labels = label(mask, { connectivity: 8 });
    }
  }
  const cp = declumpStyle === 'cellprofiler';
  const smoothing =
    options.declumpSmoothing === undefined || options.declumpSmoothing === 'auto'
      ? range[0] / (cp || declumpMethod === 'intensity' ? 3.5 : 7)
      : options.declumpSmoothing;
  const minDistance =
    options.minPeakDistance === undefined || options.minPeakDistance === 'auto'
      ? range[0] / (cp || declumpMethod === 'intensity' ? 1.5 : 2.33)
      : options.minPeakDistance;
  if (cp && declumpMethod !== 'none') {
    // CellProfiler's intensities are float64 in [0, 1]: rebuild them so that ties fall as they do there
    const unit = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = (image.data[i] as number) * scale;
      unit[i] = Number.isNaN(v) ? 0 : v;
    }
    labels = declumpCellProfiler(fromData(unit, w, h), labels, {
      method: declumpMethod,
      // the filter size CellProfiler was given (sigma = size / 2.35), without the round trip's last bit
      filterSize: Number((2.35 * smoothing).toPrecision(12)),
      maximaSuppression: minDistance,
    });
  } else {
    labels = declump(fromData(raw, w, h), labels, {
      method: declumpMethod,
      smoothing,
      minDistance,
      minSplitArea: 2 * Math.PI * (range[0] / 2) ** 2,
    });
  }
  const unedited = labels;
  if (options.discardBorder) labels = clearBorder(labels);
  if (options.discardOutsideRange ?? true) {
    labels = filterBySize(labels, { minDiameter: range[0], maxDiameter: range[1] });
  }
  if (doFill) labels = fillLabeledHoles(labels);
  const { labels: out, count } = relabelSequential(labels);
  return { labels: out, count, threshold: threshold / scale, diameter: range, unedited };
}

/**
 * Components of more than `maxArea` pixels are re-thresholded by Otsu over their own pixels, up to 3 times.
 * Returns the new mask and its labels, or undefined when no component was that large.
 */
function refineLarge(
  values: Float32Array,
  mask: Image,
  components: Image<'uint32'>,
  maxArea: number,
): { mask: Image; labels: Image<'uint32'> } | undefined {
  const { width: w, height: h } = mask;
  const out = Uint8Array.from(mask.data as Uint8Array);
  let labels = components;
  let changed = false;
  for (let depth = 0; depth < 3; depth++) {
    if (depth > 0) labels = label(fromData(out, w, h));
    const ld = labels.data;
    const area = new Map<number, number>();
    for (let i = 0; i < ld.length; i++) {
      const l = ld[i]!;
      if (l) area.set(l, (area.get(l) ?? 0) + 1);
    }
    const large = [...area].filter(([, a]) => a > maxArea).map(([l]) => l);
    if (large.length === 0) break;
    changed = true;
    for (const l of large) {
      const pixels: number[] = [];
      for (let i = 0; i < ld.length; i++) if (ld[i] === l) pixels.push(i);
      const own = new Float32Array(pixels.length);
      for (let k = 0; k < pixels.length; k++) own[k] = values[pixels[k]!]!;
      const t = transformedOtsu(own, sqrtClamped, (v) => v * v);
      for (const i of pixels) if (values[i]! <= t) out[i] = 0;
    }
  }
  if (!changed) return undefined;
  const refined = fromData(out, w, h);
  return { mask: refined, labels: label(refined, { connectivity: 8 }) };
}

/**
 * Otsu on f(values) over a 256-bin histogram of the transformed values spanning [f(min), f(max)], mapped back
 * with the inverse. One pass and no transformed copy; NaN values are skipped.
 */
function transformedOtsu(
  values: Float32Array,
  f: (v: number) => number,
  inverse: (v: number) => number,
): number {
  const bins = 256;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) return Number.NaN;
  const flo = f(lo);
  const fhi = f(hi);
  if (!(fhi > flo)) return lo;
  const counts = new Float64Array(bins);
  const scale = bins / (fhi - flo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    const k = Math.floor((f(v) - flo) * scale);
    counts[k >= bins ? bins - 1 : k]!++;
  }
  const centers = new Float64Array(bins);
  for (let k = 0; k < bins; k++) centers[k] = flo + ((k + 0.5) * (fhi - flo)) / bins;
  return inverse(centers[otsuIndex(counts, centers)]!);
}

/**
 * Square root with negative values taken as 0: float images (background-subtracted, deconvolved) hold values
 * below 0, whose square root is NaN and used to make the whole field one object.
 */
function sqrtClamped(v: number): number {
  return Math.sqrt(Math.max(v, 0));
}

/** Methods that take `thresholdClasses: 3`. */
const THREE_CLASS_METHODS: readonly PrimaryThresholdMethod[] = ['otsu', 'log-otsu', 'centrosome-otsu'];

function computeThreshold(
  values: Float32Array,
  method: PrimaryThresholdMethod,
  classes: 2 | 3,
  middle: 'foreground' | 'background',
): number {
  const pick = middle === 'foreground' ? 0 : 1;
  switch (method) {
    case 'centrosome-otsu':
      return thresholdCentrosomeOtsu(values, { classes, middleClass: middle });
    case 'sqrt-otsu':
      return transformedOtsu(values, sqrtClamped, (v) => v * v);
    case 'otsu':
      return classes === 3
        ? thresholdMultiOtsu(values, { classes: 3, bins: 128 })[pick]!
        : thresholdOtsu(values);
    case 'li':
    case 'minimum-cross-entropy':
      return thresholdLi(values);
    case 'triangle':
      return thresholdTriangle(values);
    case 'robust-background':
      return thresholdRobustBackground(values);
    case 'log-otsu': {
      // Pixels at 0 are lifted to the smallest positive value; an image without one has no threshold.
      let minPositive = Number.POSITIVE_INFINITY;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (v > 0 && v < minPositive) minPositive = v;
      }
      if (!Number.isFinite(minPositive)) return Number.NaN;
      if (classes === 3) {
        const logs = values.map((v) => Math.log(Math.max(v, minPositive)));
        return Math.exp(thresholdMultiOtsu(logs, { classes: 3, bins: 128 })[pick]!);
      }
      return transformedOtsu(values, (v) => Math.log(Math.max(v, minPositive)), Math.exp);
    }
  }
}
