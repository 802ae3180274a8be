// Mechanism-of-action retrieval on well profiles, following Ljosa et al. 2013 (J Biomol Screen 18:1321) at the
// treatment level: optional sphering to the negative-control wells (pycytominer Spherize), one consensus
// profile per treatment (compound, concentration) over its replicate wells with the controls left out, cosine
// (or Pearson) similarity, not-same-compound 1-NN accuracy, and copairs-style mAP where a query's positives are
// treatments of the same MoA from other compounds and its negatives are treatments of other MoAs.
import { isNumeric, type Table, tableFromColumns } from '../table/table.ts';
import { averagePrecision, meanAveragePrecision } from './averagePrecision.ts';
import { consensus } from './consensus.ts';
import { featureRows, inferFeatures } from './matrix.ts';
import { nscAccuracy } from './nscAccuracy.ts';
import { DEFAULT_PROFILE_METHOD } from './profileCandidates.ts';
import { type SimilarityMetric, similarityMatrix } from './similarity.ts';
import { type SphereOptions, sphereRows } from './sphere.ts';

export interface MoaRetrievalOptions {
  /** Compound column. @default 'Metadata_Compound' */
  compoundColumn?: string;
  /** Concentration column (with the compound, defines a treatment). @default 'Metadata_Concentration' */
  concentrationColumn?: string;
  /** MoA label column. @default 'Metadata_moa' */
  moaColumn?: string;
  /** Predicate for negative-control rows (left out of retrieval; the sphering reference). @default compound 'DMSO' */
  isControl?: (row: number) => boolean;
  /** Feature columns. @default inferred (numeric, not 'Metadata_') */
  features?: readonly string[];
  /**
   * Sphere to the control wells before building consensus profiles; false for none. The three defaults are
   * DEFAULT_PROFILE_METHOD, the label-free choice of selectProfileMethod on BBBC021.
   * @default { method: 'ZCA' } (epsilon 1e-6, no shrinkage)
   */
  sphere?: SphereOptions | false;
  /** Consensus statistic over replicate wells. @default 'mean' */
  consensus?: 'mean' | 'median';
  /** Similarity. @default 'cosine' */
  metric?: SimilarityMetric;
}

export interface MoaRetrievalResult {
  treatments: number;
  nscAccuracy: number;
  /** Mean AP over queries. */
  map: number;
  /** Mean of the per-MoA mAPs. */
  mapMacro: number;
  perMoa: { moa: string; map: number; queries: number; nsc: number }[];
  /** Treatment labels in similarity-matrix order. */
  labels: { compound: string; concentration: string; moa: string }[];
  similarity: Float64Array;
  shrinkage: number;
}

export function moaRetrieval(table: Table, options: MoaRetrievalOptions = {}): MoaRetrievalResult {
  const compoundCol = options.compoundColumn ?? 'Metadata_Compound';
  const concCol = options.concentrationColumn ?? 'Metadata_Concentration';
  const moaCol = options.moaColumn ?? 'Metadata_moa';
  for (const c of [compoundCol, concCol, moaCol]) {
    if (!table.columns[c])
      throw new RangeError(`moaRetrieval: no column '${c}'; available: ${table.names.join(', ')}`);
  }
  const compounds = table.columns[compoundCol]!;
  const isControl = options.isControl ?? ((r: number) => String(compounds[r]) === 'DMSO');
  const features = options.features ?? inferFeatures(table);
  let rows = featureRows(table, features);
  let shrinkage = 0;
  const sphereOptions = options.sphere ?? DEFAULT_PROFILE_METHOD.sphere;
  if (sphereOptions) ({ rows, shrinkage } = sphereRows(rows, isControl, sphereOptions, 'moaRetrieval'));
  const keep = Array.from({ length: table.rows }, (_, r) => r).filter((r) => !isControl(r));
  const meta = (name: string) => {
    const c = table.columns[name]!;
    return keep.map((r) => (isNumeric(c) ? String(c[r]) : c[r]!));
  };
  const columns: Record<string, Float64Array | string[]> = {
    compound: meta(compoundCol),
    concentration: meta(concCol),
    moa: meta(moaCol),
  };
  const names = features.map((_, j) => `f${j}`);
  names.forEach((n, j) => {
    columns[n] = Float64Array.from(keep, (r) => rows[r]![j]!);
  });
  const treat = consensus(tableFromColumns(columns), {
    groupBy: ['compound', 'concentration'],
    carry: ['moa'],
    features: names,
    operation: options.consensus ?? DEFAULT_PROFILE_METHOD.consensus,
  });
  const profiles = featureRows(treat, names);
  const compound = treat.columns.compound as string[];
  const concentration = treat.columns.concentration as string[];
  const moa = treat.columns.moa as string[];
  const similarity = similarityMatrix(profiles, options.metric ?? DEFAULT_PROFILE_METHOD.metric);
  const nsc = nscAccuracy(similarity, moa, compound);
  const ap = averagePrecision(
    similarity,
    profiles.length,
    (i, j) => moa[i] === moa[j] && compound[i] !== compound[j],
    (i, j) => moa[i] !== moa[j],
  );
  const map = meanAveragePrecision(ap, moa);
  const perMoa = [...map.perLabel.entries()]
    .map(([m, v]) => {
      const idx = moa.map((x, i) => (x === m ? i : -1)).filter((i) => i >= 0);
      return {
        moa: m,
        map: v.map,
        queries: v.queries,
        nsc: idx.filter((i) => nsc.correct[i]).length / idx.length,
      };
    })
    .sort((a, b) => a.moa.localeCompare(b.moa));
  return {
    treatments: profiles.length,
    nscAccuracy: nsc.accuracy,
    map: map.overall,
    mapMacro: perMoa.reduce((s, m) => s + m.map, 0) / perMoa.length,
    perMoa,
    labels: compound.map((c, i) => ({ compound: c, concentration: concentration[i]!, moa: moa[i]! })),
    similarity,
    shrinkage,
  };
}
