// Instance-segmentation metrics of the 2018 Data Science Bowl (Caicedo et al. 2019, Nature Methods 16:1247):
// predicted and true objects match one-to-one when their IoU exceeds a threshold >= 0.5 (such a match is
// unique, so no assignment solver is needed); precision, recall, F1 and AP = TP / (TP + FP + FN) per threshold.
import type { Image } from '../image/image.ts';

/** IoU thresholds 0.5, 0.55, ..., 0.95 (the DSB 2018 score averages AP over these). */
export const IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, k) => (50 + 5 * k) / 100);

export interface ThresholdCounts {
  /** IoU threshold: a pair matches when IoU > threshold. */
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  /** TP / (TP + FP + FN), the DSB 2018 "average precision" at this threshold. */
  ap: number;
}

export interface MatchResult {
  /** Number of predicted and true objects (distinct non-zero labels). */
  nPred: number;
  nTrue: number;
  /** One entry per IoU threshold, in the order given. */
  perThreshold: ThresholdCounts[];
  /** Mean AP over thresholds 0.5..0.95 (DSB 2018 score); NaN when those thresholds were not all computed. */
  meanAp: number;
  /** Mean AP over thresholds 0.5..0.9. */
  meanAp90: number;
  /** True objects with at least two predicted objects lying mostly (> 50 % of their area) inside them. */
  splits: number;
  /** Predicted objects that contain the majority of >= 2 true objects. */
  merges: number;
  /** Mean IoU of the pairs matched at IoU > 0.5 (NaN when none). */
  meanMatchedIou: number;
}

export interface MatchOptions {
  /** IoU thresholds, each in [0.5, 1). @default IOU_THRESHOLDS (0.5..0.95 step 0.05) */
  thresholds?: readonly number[];
}

/** Counts to metrics; when there is nothing to find and nothing found every metric is 1. */
export function metricsFromCounts(threshold: number, tp: number, fp: number, fn: number): ThresholdCounts {
  const empty = tp + fp + fn === 0;
  return {
    threshold,
    tp,
    fp,
    fn,
    precision: empty ? 1 : tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: empty ? 1 : tp + fn === 0 ? 0 : tp / (tp + fn),
    f1: empty ? 1 : (2 * tp) / (2 * tp + fp + fn),
    ap: empty ? 1 : tp / (tp + fp + fn),
  };
}

function meanOver(perThreshold: ThresholdCounts[], upTo: number): number {
  const wanted = IOU_THRESHOLDS.filter((t) => t <= upTo + 1e-9);
  let sum = 0;
  for (const t of wanted) {
    const row = perThreshold.find((r) => Math.abs(r.threshold - t) < 1e-9);
    if (!row) return Number.NaN;
    sum += row.ap;
  }
  return sum / wanted.length;
}

/**
 * Match the objects of label image `pred` against `truth` (same size; 0 = background; any positive integer
 * labels, not necessarily consecutive).
 *
 * Splits: true objects with at least two predicted objects lying mostly (> 50 % of their area) inside them.
 * Merges: predicted objects that contain more than 50 % of the area of at least two true objects.
 */
export function matchInstances(pred: Image, truth: Image, options: MatchOptions = {}): MatchResult {
  const thresholds = options.thresholds ?? IOU_THRESHOLDS;
  for (const t of thresholds) {
    if (!(t >= 0.5 && t < 1))
      throw new RangeError(`matchInstances: IoU threshold must be in [0.5, 1), got ${t}`);
  }
  for (const [name, img] of [
    ['pred', pred],
    ['truth', truth],
  ] as const) {
    if (img.channels !== 1)
      throw new RangeError(`matchInstances: ${name} has ${img.channels} channels, expected 1`);
    if (img.dtype === 'float32' || img.dtype === 'float64') {
      throw new TypeError(`matchInstances: ${name} must be an integer label image, got ${img.dtype}`);
    }
  }
  if (pred.width !== truth.width || pred.height !== truth.height) {
    throw new RangeError(
      `matchInstances: pred is ${pred.width}x${pred.height} but truth is ${truth.width}x${truth.height}`,
    );
  }
  const p = pred.data;
  const t = truth.data;
  const predArea = new Map<number, number>();
  const trueArea = new Map<number, number>();
  const inter = new Map<number, Map<number, number>>(); // pred label -> true label -> pixels
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = t[i]!;
    if (a < 0 || b < 0) throw new RangeError(`matchInstances: negative label at pixel ${i}`);
    if (a) predArea.set(a, (predArea.get(a) ?? 0) + 1);
    if (b) trueArea.set(b, (trueArea.get(b) ?? 0) + 1);
    if (a && b) {
      let row = inter.get(a);
      if (!row) inter.set(a, (row = new Map()));
      row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  const ious: number[] = [];
  const insideTrue = new Map<number, number>(); // true label -> count of preds mostly inside it
  let merges = 0;
  for (const [a, row] of inter) {
    const aa = predArea.get(a)!;
    let mostlyContained = 0;
    for (const [b, n] of row) {
      const ab = trueArea.get(b)!;
      const iou = n / (aa + ab - n);
      if (iou > 0.5) ious.push(iou);
      if (n > 0.5 * aa) insideTrue.set(b, (insideTrue.get(b) ?? 0) + 1);
      if (n > 0.5 * ab) mostlyContained++;
    }
    if (mostlyContained >= 2) merges++;
  }
  let splits = 0;
  for (const c of insideTrue.values()) if (c >= 2) splits++;
  const nPred = predArea.size;
  const nTrue = trueArea.size;
  const perThreshold = thresholds.map((th) => {
    let tp = 0;
    for (const iou of ious) if (iou > th) tp++;
    return metricsFromCounts(th, tp, nPred - tp, nTrue - tp);
  });
  return {
    nPred,
    nTrue,
    perThreshold,
    meanAp: meanOver(perThreshold, 0.95),
    meanAp90: meanOver(perThreshold, 0.9),
    splits,
    merges,
    meanMatchedIou: ious.length ? ious.reduce((s, v) => s + v, 0) / ious.length : Number.NaN,
  };
}

export interface OverallMetrics {
  images: number;
  nPred: number;
  nTrue: number;
  /** Counts summed over images, metrics computed from the sums (object-level, "micro"). */
  pooled: ThresholdCounts[];
  /** Per-threshold metrics averaged over images ("macro", how the DSB 2018 leaderboard averaged AP). */
  imageMean: { threshold: number; precision: number; recall: number; f1: number; ap: number }[];
  pooledMeanAp: number;
  imageMeanAp: number;
  splits: number;
  merges: number;
}

/** Combine per-image results (all computed with the same thresholds). */
export function combineMatches(results: readonly MatchResult[]): OverallMetrics {
  const first = results[0];
  const thresholds = first ? first.perThreshold.map((r) => r.threshold) : [...IOU_THRESHOLDS];
  const pooled = thresholds.map((th, k) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of results) {
      const row = r.perThreshold[k];
      if (!row || Math.abs(row.threshold - th) > 1e-12) {
        throw new RangeError('combineMatches: results were computed with different thresholds');
      }
      tp += row.tp;
      fp += row.fp;
      fn += row.fn;
    }
    return metricsFromCounts(th, tp, fp, fn);
  });
  const n = results.length;
  const imageMean = thresholds.map((threshold, k) => {
    const avg = (f: (r: ThresholdCounts) => number): number =>
      n ? results.reduce((s, r) => s + f(r.perThreshold[k]!), 0) / n : Number.NaN;
    return {
      threshold,
      precision: avg((r) => r.precision),
      recall: avg((r) => r.recall),
      f1: avg((r) => r.f1),
      ap: avg((r) => r.ap),
    };
  });
  return {
    images: n,
    nPred: results.reduce((s, r) => s + r.nPred, 0),
    nTrue: results.reduce((s, r) => s + r.nTrue, 0),
    pooled,
    imageMean,
    pooledMeanAp: meanOver(pooled, 0.95),
    imageMeanAp: n ? results.reduce((s, r) => s + r.meanAp, 0) / n : Number.NaN,
    splits: results.reduce((s, r) => s + r.splits, 0),
    merges: results.reduce((s, r) => s + r.merges, 0),
  };
}
