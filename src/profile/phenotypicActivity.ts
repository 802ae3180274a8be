// Phenotypic activity as replicate retrieval against negative controls, the label-free mAP of copairs (Kalinin et
// al. 2024, "A versatile information retrieval framework for evaluating profile strength and similarity", bioRxiv
// 2024.04.01.587631): every non-control well is a query, its positives are the other wells of the same treatment,
// its negatives are the control wells; a treatment's mAP is the mean AP of its wells, and the score is the mean
// over treatments with at least 2 wells. It reads no annotation beyond the treatment key and the control flag.
import { stringColumn, type Table } from '../table/table.ts';
import { averagePrecision, meanAveragePrecision } from './averagePrecision.ts';
import { featureRows, groupKeys, inferFeatures } from './matrix.ts';
import { type SimilarityMetric, similarityMatrix } from './similarity.ts';

export interface PhenotypicActivityOptions {
  /** Columns defining a treatment (replicate wells share them). @default ['Metadata_Compound', 'Metadata_Concentration'] */
  groupBy?: readonly string[];
  /** Predicate for negative-control rows (the negatives; never queries). @default Metadata_Compound is 'DMSO' */
  isControl?: (row: number) => boolean;
  /** Feature columns. @default inferred (numeric, not 'Metadata_') */
  features?: readonly string[];
  /** Similarity. @default 'cosine' */
  metric?: SimilarityMetric;
}

export interface PhenotypicActivityResult {
  /** Mean of the treatment mAPs (NaN when no treatment has 2 wells). */
  score: number;
  /** One entry per treatment with at least 2 wells, in first-seen order; `key` holds the groupBy values. */
  perTreatment: { key: string[]; map: number; wells: number }[];
  /** AP of each row as a query (NaN for controls and single-well treatments). */
  ap: Float64Array;
}

export function phenotypicActivity(
  table: Table,
  options: PhenotypicActivityOptions = {},
): PhenotypicActivityResult {
  const groupBy = options.groupBy ?? ['Metadata_Compound', 'Metadata_Concentration'];
  const compounds = options.isControl ? [] : stringColumn(table, 'Metadata_Compound');
  const isControl = options.isControl ?? ((r: number) => compounds[r] === 'DMSO');
  const features = options.features ?? inferFeatures(table);
  const control = Array.from({ length: table.rows }, (_, r) => isControl(r));
  if (!control.some(Boolean)) throw new RangeError('phenotypicActivity: no negative-control rows');
  const keys = groupKeys(table, groupBy);
  const similarity = similarityMatrix(featureRows(table, features), options.metric ?? 'cosine');
  const ap = averagePrecision(
    similarity,
    table.rows,
    (i, j) => control[i] === false && control[j] === false && keys[i] === keys[j],
    (i, j) => control[i] === false && control[j] === true,
  );
  // controls have no positive pairs, so their AP is NaN and meanAveragePrecision skips them
  const perTreatment = [...meanAveragePrecision(ap, keys).perLabel].map(([k, g]) => ({
    key: k.split('\u0000'),
    map: g.map,
    wells: g.queries,
  }));
  const score = perTreatment.length
    ? perTreatment.reduce((s, t) => s + t.map, 0) / perTreatment.length
    : Number.NaN;
  return { score, perTreatment, ap };
}
