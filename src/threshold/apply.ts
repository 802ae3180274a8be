// CellProfiler's Threshold module as a function (CellProfiler/CellProfiler cellprofiler/modules/threshold.py,
// Threshold.get_threshold / get_global_threshold / _get_adaptive_threshold / _correct_*_threshold /
// apply_threshold, v4.2 settings rev 12; centrosome/threshold.py log_transform; centrosome/smooth.py
// smooth_with_function_and_mask): threshold on intensities scaled to [0, 1], optional log transform for Otsu and
// Li, global or adaptive (block thresholds blended by an interpolating cubic spline and clamped to 0.7-1.5x the
// global guide), then correction factor and bounds, and a foreground mask from the Gaussian-smoothed image.
// Also `applyThreshold`, the plain comparison. Hand-written: no npm package implements CellProfiler's module.
import { type BorderMode, checkBorderMode } from '../filter/border.ts';
import { gaussianKernel1d, gaussianRadius } from '../filter/gaussian.ts';
import { correlateSeparable } from '../filter/separable.ts';
import { checkSingleChannel, unitScale } from '../filter/util.ts';
import type { Image } from '../image/image.ts';
import { thresholdLi } from './li.ts';
import { thresholdMultiOtsu } from './multiOtsu.ts';
import { thresholdOtsu } from './otsu.ts';
import { type RobustBackgroundOptions, thresholdRobustBackground } from './robustBackground.ts';
import { evaluateGridSpline } from './spline.ts';

export interface ApplyThresholdOptions {
  /** `'>'` (skimage's convention) or `'>='` (CellProfiler's). @default '>' */
  comparison?: '>' | '>=';
  /** Pixels where the mask is 0 are background. @default undefined (all pixels count) */
  mask?: Uint8Array;
}

/** Binary foreground (1/0) of a single-channel image against a global threshold or a per-pixel threshold image. */
export function applyThreshold(
  image: Image,
  threshold: number | Image<'float32'> | Image<'float64'>,
  options: ApplyThresholdOptions = {},
): Uint8Array {
  checkSingleChannel(image, 'applyThreshold');
  const n = image.width * image.height;
  const mask = options.mask;
  if (mask !== undefined && mask.length !== n) {
    throw new RangeError(`applyThreshold: mask has ${mask.length} elements but the image has ${n}`);
  }
  const inclusive = (options.comparison ?? '>') === '>=';
  const data = image.data;
  const out = new Uint8Array(n);
  if (typeof threshold === 'number') {
    if (Number.isNaN(threshold)) throw new RangeError('applyThreshold: threshold is NaN');
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      out[i] = (inclusive ? v >= threshold : v > threshold) && (mask === undefined || mask[i] !== 0) ? 1 : 0;
    }
    return out;
  }
  if (threshold.width !== image.width || threshold.height !== image.height) {
    throw new RangeError(
      `applyThreshold: threshold image ${threshold.width}x${threshold.height} differs from image ${image.width}x${image.height}`,
    );
  }
  const t = threshold.data;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    out[i] = (inclusive ? v >= t[i]! : v > t[i]!) && (mask === undefined || mask[i] !== 0) ? 1 : 0;
  }
  return out;
}

export interface CellProfilerThresholdOptions extends Omit<RobustBackgroundOptions, 'mask'> {
  /** CellProfiler's "Thresholding method". @default 'li' (CellProfiler's default, Minimum Cross-Entropy) */
  method?: 'otsu' | 'li' | 'robustBackground' | 'manual';
  /** "Threshold strategy". @default 'global' */
  strategy?: 'global' | 'adaptive';
  /** "Two-class or three-class thresholding?" (Otsu only). @default 2 */
  otsuClasses?: 2 | 3;
  /** "Assign pixels in the middle intensity class to the foreground?" (three-class Otsu). @default true */
  assignMiddleToForeground?: boolean;
  /** "Log transform before thresholding?" (Otsu and Li only). @default false */
  logTransform?: boolean;
  /** "Threshold correction factor": the threshold is multiplied by it. @default 1 */
  correctionFactor?: number;
  /** "Lower and upper bounds on threshold", on the [0, 1] scale. @default [0, 1] */
  bounds?: readonly [number, number];
  /**
   * "Threshold smoothing scale": the image is smoothed with a Gaussian of sigma = scale / 0.6744 / 2 (masked
   * pixels excluded) before comparison; 0 disables smoothing. @default 1.3488 (sigma 1, IdentifyPrimaryObjects)
   */
  smoothingScale?: number;
  /** "Size of adaptive window" in pixels; the image must be at least twice as large. @default 50 */
  adaptiveWindowSize?: number;
  /** "Manual threshold" on the [0, 1] scale (method 'manual'). @default 0 */
  manualThreshold?: number;
  /** Pixels where the mask is 0 are ignored and never foreground. @default undefined (all) */
  mask?: Uint8Array;
  /**
   * Factor mapping pixel values to CellProfiler's [0, 1] scale. @default 1 / dtype maximum for integer images
   * (CellProfiler divides 16-bit data by 65535), 1 for float images
   */
  scale?: number;
}

export interface CellProfilerThresholdResult {
  /** Final threshold in image units (adaptive: the mean of the per-pixel thresholds, CellProfiler's measurement). */
  threshold: number;
  /** Final threshold on the [0, 1] scale (CellProfiler's Threshold_FinalThreshold). */
  thresholdScaled: number;
  /** Threshold before correction and bounds, [0, 1] scale (Threshold_OrigThreshold; adaptive: mean). */
  origThresholdScaled: number;
  /** Adaptive only: the corrected global threshold that bounds the local ones ([0, 1] scale). */
  guideThresholdScaled?: number;
  /** Adaptive only: the final per-pixel thresholds on the [0, 1] scale. */
  thresholdImage?: Image<'float32'>;
  /** Foreground: 1 where the (smoothed, scaled) image >= threshold and inside the mask. */
  mask: Uint8Array;
}

const EPS = 2.220446049250313e-16; // numpy.finfo(float64).eps

export interface LogConversion {
  logMin: number;
  logMax: number;
}

/** centrosome.threshold.log_transform: clamp at min + range / 256 (+ eps), log, stretch to [0, 1]. */
export function logTransform(data: Float64Array): { data: Float64Array; conversion: LogConversion } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const noiseMin = min + (max - min) / 256 + EPS;
  const out = new Float64Array(data.length);
  let lmin = Number.POSITIVE_INFINITY;
  let lmax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = Math.log(Math.max(data[i]!, noiseMin));
    out[i] = v;
    if (v < lmin) lmin = v;
    if (v > lmax) lmax = v;
  }
  if (lmax > lmin) for (let i = 0; i < out.length; i++) out[i] = (out[i]! - lmin) / (lmax - lmin);
  return { data: out, conversion: { logMin: lmin, logMax: lmax } };
}

export function inverseLog(t: number, c: LogConversion): number {
  return Math.exp(t * (c.logMax - c.logMin) + c.logMin);
}

/** Half the smallest gap between distinct values, at least 0.5 / 65536 (CellProfiler's Li tolerance). */
function liTolerance(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i]! - sorted[i - 1]!;
    if (d > 0 && d < gap) gap = d;
  }
  return Math.max(gap / 2, 0.5 / 65536);
}

interface Method {
  method: 'otsu' | 'li' | 'robustBackground';
  classes: 2 | 3;
  middleToForeground: boolean;
  robust: RobustBackgroundOptions;
}

/** Threshold of a set of values with CellProfiler's shortcuts (empty: 0, constant: the value). */
function blockThreshold(
  values: Float64Array,
  m: Method,
  liTol: number | undefined,
  adaptive: boolean,
): number {
  if (values.length === 0) return 0;
  const first = values[0]!;
  if (values.every((v) => v === first)) return first;
  switch (m.method) {
    case 'li':
      return thresholdLi(values, { tolerance: liTol ?? liTolerance(values) });
    case 'robustBackground':
      return thresholdRobustBackground(values, m.robust);
    case 'otsu': {
      if (m.classes === 2) return thresholdOtsu(values);
      if (adaptive && new Set(values).size < 3) return thresholdOtsu(values);
      return thresholdMultiOtsu(values, { classes: 3, bins: 128 })[m.middleToForeground ? 0 : 1]!;
    }
  }
}

/** CellProfiler's Threshold module on one single-channel image; see CellProfilerThresholdOptions. */
export function cellprofilerThreshold(
  image: Image,
  options: CellProfilerThresholdOptions = {},
): CellProfilerThresholdResult {
  checkSingleChannel(image, 'cellprofilerThreshold');
  const { width, height } = image;
  const n = width * height;
  const method = options.method ?? 'li';
  if (!['otsu', 'li', 'robustBackground', 'manual'].includes(method)) {
    throw new RangeError(
      `cellprofilerThreshold: method must be otsu, li, robustBackground or manual, got ${String(method)}`,
    );
  }
  const strategy = options.strategy ?? 'global';
  if (strategy !== 'global' && strategy !== 'adaptive') {
    throw new RangeError(
      `cellprofilerThreshold: strategy must be global or adaptive, got ${String(strategy)}`,
    );
  }
  const classes = options.otsuClasses ?? 2;
  if (classes !== 2 && classes !== 3) {
    throw new RangeError(`cellprofilerThreshold: otsuClasses must be 2 or 3, got ${String(classes)}`);
  }
  const correction = options.correctionFactor ?? 1;
  if (!Number.isFinite(correction)) {
    throw new RangeError(`cellprofilerThreshold: correctionFactor must be finite, got ${correction}`);
  }
  const [lower, upper] = options.bounds ?? [0, 1];
  if (!(lower! <= upper!)) {
    throw new RangeError(
      `cellprofilerThreshold: bounds must be [lower, upper] with lower <= upper, got ${options.bounds}`,
    );
  }
  const smoothingScale = options.smoothingScale ?? 1.3488;
  if (!(smoothingScale >= 0 && Number.isFinite(smoothingScale))) {
    throw new RangeError(
      `cellprofilerThreshold: smoothingScale must be a finite number >= 0, got ${smoothingScale}`,
    );
  }
  const scale = options.scale ?? unitScale(image.dtype);
  if (!(scale > 0 && Number.isFinite(scale))) {
    throw new RangeError(`cellprofilerThreshold: scale must be a finite number > 0, got ${scale}`);
  }
  const mask = options.mask;
  if (mask !== undefined && mask.length !== n) {
    throw new RangeError(`cellprofilerThreshold: mask has ${mask.length} elements but the image has ${n}`);
  }
  const inMask = (i: number) => mask === undefined || mask[i] !== 0;
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = image.data[i]! * scale;

  let origScaled: number;
  let finalScaled: number;
  let guideScaled: number | undefined;
  let finalImage: Float64Array | undefined;
  if (method === 'manual') {
    origScaled = options.manualThreshold ?? 0;
    finalScaled = origScaled;
  } else {
    const m: Method = {
      method,
      classes,
      middleToForeground: options.assignMiddleToForeground ?? true,
      robust: {
        ...(options.lowerOutlierFraction !== undefined
          ? { lowerOutlierFraction: options.lowerOutlierFraction }
          : {}),
        ...(options.upperOutlierFraction !== undefined
          ? { upperOutlierFraction: options.upperOutlierFraction }
          : {}),
        ...(options.averaging !== undefined ? { averaging: options.averaging } : {}),
        ...(options.variance !== undefined ? { variance: options.variance } : {}),
        ...(options.numberOfDeviations !== undefined
          ? { numberOfDeviations: options.numberOfDeviations }
          : {}),
      },
    };
    const useLog = (options.logTransform ?? false) && (method === 'otsu' || method === 'li');
    const transformed = useLog ? logTransform(scaled) : undefined;
    const data = transformed ? transformed.data : scaled;
    const masked: number[] = [];
    for (let i = 0; i < n; i++) if (inMask(i)) masked.push(data[i]!);
    const guide = blockThreshold(Float64Array.from(masked), m, undefined, false);
    if (strategy === 'global') {
      origScaled = transformed ? inverseLog(guide, transformed.conversion) : guide;
      finalScaled = Math.min(Math.max(origScaled * correction, lower!), upper!);
    } else {
      const local = adaptiveThreshold(data, width, height, inMask, m, options.adaptiveWindowSize ?? 50);
      const guideOrig = transformed ? inverseLog(guide, transformed.conversion) : guide;
      if (transformed) for (let i = 0; i < n; i++) local[i] = inverseLog(local[i]!, transformed.conversion);
      guideScaled = Math.min(Math.max(guideOrig * correction, lower!), upper!);
      const tMin = Math.max(lower!, guideScaled * 0.7);
      const tMax = Math.min(upper!, guideScaled * 1.5);
      let sumOrig = 0;
      let sumFinal = 0;
      finalImage = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        sumOrig += local[i]!;
        let t = local[i]! * correction;
        if (t < tMin) t = tMin;
        if (t > tMax) t = tMax;
        finalImage[i] = t;
        sumFinal += t;
      }
      origScaled = sumOrig / n;
      finalScaled = sumFinal / n;
    }
  }

  // foreground from the (optionally smoothed) scaled image, CellProfiler's apply_threshold
  let compared = scaled;
  if (smoothingScale > 0) {
    const sigma = smoothingScale / 0.6744 / 2;
    const k = gaussianKernel1d(sigma, gaussianRadius(sigma, 4));
    const mode: BorderMode = checkBorderMode('constant', 'cellprofilerThreshold');
    const maskF = new Float64Array(n);
    const maskedImage = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (inMask(i)) {
        maskF[i] = 1;
        maskedImage[i] = scaled[i]!;
      }
    }
    const bleed = new Float64Array(n);
    const smoothed = new Float64Array(n);
    correlateSeparable(maskF, width, height, k, k, mode, 0, bleed);
    correlateSeparable(maskedImage, width, height, k, k, mode, 0, smoothed);
    compared = new Float64Array(n);
    for (let i = 0; i < n; i++) compared[i] = inMask(i) ? smoothed[i]! / (bleed[i]! + EPS) : scaled[i]!;
  }
  const binary = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = finalImage ? finalImage[i]! : finalScaled;
    binary[i] = compared[i]! >= t && inMask(i) ? 1 : 0;
  }
  return {
    threshold: finalScaled / scale,
    thresholdScaled: finalScaled,
    origThresholdScaled: origScaled,
    ...(guideScaled !== undefined ? { guideThresholdScaled: guideScaled } : {}),
    ...(finalImage
      ? {
          thresholdImage: {
            ...image,
            dtype: 'float32' as const,
            data: Float32Array.from(finalImage),
            bitDepth: undefined,
          },
        }
      : {}),
    mask: binary,
  };
}

/** CellProfiler's _get_adaptive_threshold: per-block thresholds blended by RectBivariateSpline (s = 0). */
function adaptiveThreshold(
  data: Float64Array,
  width: number,
  height: number,
  inMask: (i: number) => boolean,
  m: Method,
  window: number,
): Float64Array {
  if (!Number.isInteger(window) || window < 1) {
    throw new RangeError(
      `cellprofilerThreshold: adaptiveWindowSize must be a positive integer, got ${window}`,
    );
  }
  const nby = Math.floor(height / window);
  const nbx = Math.floor(width / window);
  if (nby < 2 || nbx < 2) {
    throw new RangeError(
      `cellprofilerThreshold: adaptive window of ${window}px is too large for a ${width}x${height} image (at most 50% of each dimension)`,
    );
  }
  // Li's tolerance comes from the whole (transformed) image, as in CellProfiler
  const liTol = m.method === 'li' ? liTolerance(data) : undefined;
  const incY = height / nby;
  const incX = width / nbx;
  const blocks = new Float64Array(nby * nbx);
  const buffer: number[] = [];
  for (let i = 0; i < nby; i++) {
    const i0 = Math.trunc(i * incY);
    const i1 = Math.trunc((i + 1) * incY);
    for (let j = 0; j < nbx; j++) {
      const j0 = Math.trunc(j * incX);
      const j1 = Math.trunc((j + 1) * incX);
      buffer.length = 0;
      for (let y = i0; y < i1; y++) {
        for (let x = j0; x < j1; x++) {
          const p = y * width + x;
          if (inMask(p) && !Number.isNaN(data[p]!)) buffer.push(data[p]!);
        }
      }
      blocks[i * nbx + j] = blockThreshold(Float64Array.from(buffer), m, liTol, true);
    }
  }
  const k = Math.min(3, Math.min(nby, nbx) - 1);
  // numpy.linspace: start + q * step, the last point exactly `stop`
  const linspace = (a: number, b: number, num: number) => {
    const step = (b - a) / (num - 1);
    const out = Float64Array.from({ length: num }, (_, q) => a + q * step);
    out[num - 1] = b;
    return out;
  };
  const bx = linspace(Math.trunc(incY / 2), Math.trunc((nby - 0.5) * incY), nby);
  const by = linspace(Math.trunc(incX / 2), Math.trunc((nbx - 0.5) * incX), nbx);
  const xs = linspace(0.5, Math.trunc(nby * incY) - 0.5, height);
  const ys = linspace(0.5, Math.trunc(nbx * incX) - 0.5, width);
  return evaluateGridSpline(
    { x: bx, y: by, z: blocks, bbox: [0.5, height - 0.5, 0.5, width - 0.5], kx: k, ky: k },
    xs,
    ys,
  );
}
