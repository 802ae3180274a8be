// B-score (Brideau, Gunter, Pikounis & Liaw 2003, J Biomol Screen 8:634): residuals of a two-way median polish of
// the plate (removing row and column effects) divided by the 1.4826·MAD of all residuals of that plate.
import { mad } from '../profile/descriptive.ts';
import { type MedianPolishOptions, type MedianPolishResult, medianPolish } from './medianPolish.ts';

export interface BScoreResult extends MedianPolishResult {
  /** B-scores, row-major rows×columns. */
  scores: Float64Array;
  /** 1.4826·MAD of the residuals (the divisor). */
  scale: number;
}

/** B-scores of one plate given as a row-major `rows`×`columns` matrix (NaN for empty wells). */
export function bScore(
  values: ArrayLike<number>,
  rows: number,
  columns: number,
  options: MedianPolishOptions = {},
): BScoreResult {
  const polished = medianPolish(values, rows, columns, options);
  const scale = mad(polished.residuals);
  if (!(scale > 0)) {
    throw new RangeError('bScore: the MAD of the median-polish residuals is 0 (constant plate?)');
  }
  return { ...polished, scores: polished.residuals.map((v) => v / scale), scale };
}
