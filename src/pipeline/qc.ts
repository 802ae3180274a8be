// Field quality control: focus as the variance of the Laplacian normalised by the squared mean intensity
// (Pech-Pacheco et al. 2000, ICPR; scale-free so one threshold serves every exposure), saturation as the fraction
// of pixels at the pixel type's maximum (CellProfiler MeasureImageQuality's PercentMaximal at full scale), and
// exclusion rules that always record their reason.
import { type Image, maxValueOf } from '../image/image.ts';
import { laplacianVariance } from '../measure/imageQuality.ts';

export interface FieldQcMetrics {
  /** Variance of the Laplacian / mean^2 of the QC channel. */
  readonly focus: number;
  /** Largest fraction of pixels at the type's maximum over the field's channels. */
  readonly saturated: number;
}

export interface QcThresholds {
  /** Exclude fields whose focus is below this. @default undefined (no focus rule) */
  minFocus?: number | undefined;
  /** Exclude fields whose saturated fraction is above this. @default undefined (no saturation rule) */
  maxSaturated?: number | undefined;
  /** Exclude fields whose focus is below this fraction of `plateFocus`. @default undefined (no relative rule) */
  minFocusRelative?: number | undefined;
  /** The plate's typical (median) focus score, for `minFocusRelative`. @default undefined */
  plateFocus?: number | undefined;
}

/** Focus score of one single-channel image: var(Laplacian) / mean^2 (0 for a black image). */
export function focusScore(image: Image): number {
  if (image.channels !== 1) throw new RangeError(`focusScore: needs 1 channel, got ${image.channels}`);
  const d = image.data;
  let sum = 0;
  for (let i = 0; i < d.length; i++) sum += d[i]!;
  const mean = sum / d.length;
  if (!(mean > 0)) return 0;
  return laplacianVariance(d, image.width, image.height) / (mean * mean);
}

/** Fraction of pixels at the pixel type's full scale (integer types only; float images give 0). */
export function saturatedFraction(image: Image): number {
  if (image.dtype === 'float32' || image.dtype === 'float64') return 0;
  const top = maxValueOf({ dtype: image.dtype });
  const d = image.data;
  let count = 0;
  for (let i = 0; i < d.length; i++) if (d[i]! >= top) count++;
  return count / d.length;
}

/** QC metrics of a field: focus on `focusChannel`, saturation over every channel. */
export function fieldQc(channels: readonly Image[], focusChannel: Image): FieldQcMetrics {
  let saturated = 0;
  for (const c of channels) saturated = Math.max(saturated, saturatedFraction(c));
  return { focus: focusScore(focusChannel), saturated };
}

/** The reason a field fails QC, or undefined when it passes. */
export function qcFailure(metrics: FieldQcMetrics, thresholds: QcThresholds): string | undefined {
  const reasons: string[] = [];
  if (thresholds.minFocus !== undefined && !(metrics.focus >= thresholds.minFocus)) {
    reasons.push(`out of focus: focus ${metrics.focus.toPrecision(4)} < ${thresholds.minFocus}`);
  }
  if (thresholds.minFocusRelative !== undefined && thresholds.plateFocus !== undefined) {
    const limit = thresholds.minFocusRelative * thresholds.plateFocus;
    if (!(metrics.focus >= limit)) {
      reasons.push(
        `out of focus: focus ${metrics.focus.toPrecision(4)} < ${thresholds.minFocusRelative} x plate median ${thresholds.plateFocus.toPrecision(4)}`,
      );
    }
  }
  if (thresholds.maxSaturated !== undefined && metrics.saturated > thresholds.maxSaturated) {
    reasons.push(
      `saturated: ${(metrics.saturated * 100).toPrecision(3)}% of pixels at full scale > ${thresholds.maxSaturated * 100}%`,
    );
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/** Median of the focus scores (NaN for none): the plate's typical focus for relative QC. */
export function medianFocus(scores: readonly number[]): number {
  const s = scores.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
