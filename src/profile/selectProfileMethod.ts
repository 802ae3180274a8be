// Choice of a profile method without labels: each candidate (the same wells processed one way, e.g. sphered or
// not) is scored by phenotypic activity — how well replicate wells of a treatment retrieve each other against the
// negative controls (copairs' mAP, Kalinin et al. 2024) — and the best score wins; ties (scores within
// `tieTolerance`) go to the earlier candidate, so candidates should be listed simplest first.
import type { Table } from '../table/table.ts';
import { type PhenotypicActivityOptions, phenotypicActivity } from './phenotypicActivity.ts';
import type { SimilarityMetric } from './similarity.ts';

export interface ProfileCandidate {
  name: string;
  /** Well profiles as this method makes them (before consensus); same rows as the other candidates. */
  table: Table;
  /** Similarity the method uses. @default 'cosine' */
  metric?: SimilarityMetric;
}

export interface SelectProfileMethodOptions extends Omit<PhenotypicActivityOptions, 'metric'> {
  /** Scores closer than this to the best are ties, won by the earliest candidate. @default 1e-9 */
  tieTolerance?: number;
}

export interface SelectProfileMethodResult {
  /** Candidates in input order: score (mean treatment mAP vs controls), rank (1 = selected). */
  scores: { name: string; score: number; rank: number; treatments: number }[];
  selected: string;
  /** Index of the selected candidate. */
  index: number;
}

export function selectProfileMethod(
  candidates: readonly ProfileCandidate[],
  options: SelectProfileMethodOptions = {},
): SelectProfileMethodResult {
  if (candidates.length === 0) throw new RangeError('selectProfileMethod: no candidates');
  const tie = options.tieTolerance ?? 1e-9;
  if (!(tie >= 0)) throw new RangeError(`selectProfileMethod: tieTolerance must be >= 0, got ${tie}`);
  const rows = candidates[0]!.table.rows;
  const scores = candidates.map((c) => {
    if (c.table.rows !== rows)
      throw new RangeError(
        `selectProfileMethod: candidate '${c.name}' has ${c.table.rows} rows, expected ${rows}`,
      );
    const { tieTolerance: _, ...activity } = options;
    const r = phenotypicActivity(c.table, { ...activity, metric: c.metric ?? 'cosine' });
    if (Number.isNaN(r.score))
      throw new RangeError(`selectProfileMethod: candidate '${c.name}' has no treatment with 2 wells`);
    return { name: c.name, score: r.score, rank: 0, treatments: r.perTreatment.length };
  });
  // Rank: higher score first; within the tie tolerance, input order decides.
  const order = scores
    .map((_, i) => i)
    .sort((a, b) => {
      const d = scores[b]!.score - scores[a]!.score;
      return Math.abs(d) <= tie ? a - b : d;
    });
  // The sort above is not transitive across chains of near-ties; pick the winner explicitly.
  const best = Math.max(...scores.map((s) => s.score));
  const index = scores.findIndex((s) => s.score >= best - tie);
  const ranked = [index, ...order.filter((i) => i !== index)];
  ranked.forEach((i, k) => {
    scores[i]!.rank = k + 1;
  });
  return { scores, selected: scores[index]!.name, index };
}
