// Hit calling against negative controls: robust z-scores per readout ((x − median_neg)/(1.4826·MAD_neg), e.g.
// Birmingham et al. 2009, Nat Methods 6:569) and the multivariate Mahalanobis distance of each profile to the
// negative-control distribution (Mahalanobis 1936), with a Ledoit-Wolf-shrunk covariance (Ledoit & Wolf 2004) so
// that it stays invertible when features outnumber control wells. Hits are ranked by score; thresholds are stated
// in the result.
import { inverse, Matrix } from 'ml-matrix';
import { mad, median, quantile } from '../profile/descriptive.ts';
import { ledoitWolf } from '../profile/ledoitWolf.ts';

/** Robust z-scores of `values` against the values at `negative` indices. */
export function robustZScores(values: ArrayLike<number>, negative: readonly number[]): Float64Array {
  const ref = negative.map((i) => values[i]!).filter(Number.isFinite);
  if (ref.length < 2)
    throw new RangeError(`robustZScores: need at least 2 negative controls, got ${ref.length}`);
  const m = median(ref);
  const s = mad(ref);
  if (!(s > 0)) throw new RangeError('robustZScores: the negative controls have zero MAD');
  return Float64Array.from({ length: values.length }, (_, i) => (values[i]! - m) / s);
}

export interface MahalanobisOptions {
  /** Covariance of the controls: Ledoit-Wolf shrinkage (default; needed when p ≥ n) or the plain sample covariance (n − 1). @default 'ledoit-wolf' */
  shrinkage?: 'ledoit-wolf' | 'none';
}

/** Mahalanobis distance of every row to the mean and covariance of the control rows. */
export function mahalanobisDistances(
  rows: readonly Float64Array[],
  controls: readonly Float64Array[],
  options: MahalanobisOptions = {},
): { distances: Float64Array; shrinkage: number } {
  const n = controls.length;
  const p = controls[0]?.length ?? 0;
  if (n < 2) throw new RangeError(`mahalanobisDistances: need at least 2 control rows, got ${n}`);
  let covariance: Float64Array;
  let mean: Float64Array;
  let shrinkage = 0;
  if ((options.shrinkage ?? 'ledoit-wolf') === 'ledoit-wolf') {
    const lw = ledoitWolf(controls);
    ({ covariance, mean, shrinkage } = lw);
  } else {
    if (n <= p)
      throw new RangeError(`mahalanobisDistances: ${n} controls for ${p} features; use Ledoit-Wolf`);
    const lw = ledoitWolf(controls, 0);
    mean = lw.mean;
    covariance = lw.covariance.map((v) => (v * n) / (n - 1));
  }
  const precision = inverse(
    new Matrix(Array.from({ length: p }, (_, a) => Array.from(covariance.subarray(a * p, a * p + p)))),
  );
  const distances = Float64Array.from(rows, (r) => {
    if (r.length !== p)
      throw new RangeError(`mahalanobisDistances: row has ${r.length} features, expected ${p}`);
    let d2 = 0;
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let b = 0; b < p; b++) s += precision.get(a, b) * (r[b]! - mean[b]!);
      d2 += (r[a]! - mean[a]!) * s;
    }
    return Math.sqrt(Math.max(d2, 0));
  });
  return { distances, shrinkage };
}

export interface Hit {
  id: string;
  score: number;
  rank: number;
  hit: boolean;
}

export interface HitListOptions {
  /** Call a hit when |score| ≥ threshold ('two-sided'), score ≥ threshold ('greater') or score ≤ −threshold ('less'). @default 'two-sided' */
  direction?: 'two-sided' | 'greater' | 'less';
  /** Threshold on the score. @default 3 */
  threshold?: number;
}

/** Rank items by score (by |score| for two-sided; most extreme first) and mark hits. */
export function hitList(
  ids: readonly string[],
  scores: ArrayLike<number>,
  options: HitListOptions = {},
): Hit[] {
  const direction = options.direction ?? 'two-sided';
  const threshold = options.threshold ?? 3;
  const key = (s: number) => (direction === 'two-sided' ? Math.abs(s) : direction === 'greater' ? s : -s);
  return ids
    .map((id, i) => ({ id, score: scores[i]!, rank: 0, hit: false }))
    .filter((h) => Number.isFinite(h.score))
    .sort((a, b) => key(b.score) - key(a.score))
    .map((h, k) => ({ ...h, rank: k + 1, hit: key(h.score) >= threshold }));
}

/** The distance threshold from the controls' own distances: their `q` quantile (in-sample, so optimistic). */
export function controlQuantileThreshold(controlDistances: ArrayLike<number>, q = 0.99): number {
  return quantile(controlDistances, q);
}
