// The profile methods compared for MoA retrieval on BBBC021 (docs/validation/assay.md): sphering to the control
// wells or not, consensus statistic and similarity. The list and its order were fixed before the label-free
// criterion (selectProfileMethod) was computed; `profileCandidates` makes each method's well table for it.
import type { Table } from '../table/table.ts';
import type { ProfileCandidate } from './selectProfileMethod.ts';
import type { SimilarityMetric } from './similarity.ts';
import { type SphereOptions, sphereTable } from './sphere.ts';

export interface ProfileMethod {
  name: string;
  /** Sphering to the control wells, or false for none. */
  sphere: SphereOptions | false;
  /** Consensus over replicate wells (used by moaRetrieval; the label-free criterion works on wells). */
  consensus: 'mean' | 'median';
  metric: SimilarityMetric;
}

const LW = 'ledoit-wolf' as const;

/** The 11 pre-registered candidates, simplest first (ties of the criterion go to the earlier one). */
export const PROFILE_METHODS: readonly ProfileMethod[] = [
  { name: 'mean, cosine', sphere: false, consensus: 'mean', metric: 'cosine' },
  { name: 'median, cosine', sphere: false, consensus: 'median', metric: 'cosine' },
  { name: 'mean, Pearson', sphere: false, consensus: 'mean', metric: 'pearson' },
  { name: 'ZCA, mean', sphere: { method: 'ZCA' }, consensus: 'mean', metric: 'cosine' },
  { name: 'ZCA, median', sphere: { method: 'ZCA' }, consensus: 'median', metric: 'cosine' },
  { name: 'ZCA-cor, mean', sphere: { method: 'ZCA-cor' }, consensus: 'mean', metric: 'cosine' },
  {
    name: 'ZCA Ledoit-Wolf, mean',
    sphere: { method: 'ZCA', shrinkage: LW },
    consensus: 'mean',
    metric: 'cosine',
  },
  {
    name: 'ZCA Ledoit-Wolf, median',
    sphere: { method: 'ZCA', shrinkage: LW },
    consensus: 'median',
    metric: 'cosine',
  },
  {
    name: 'ZCA-cor Ledoit-Wolf, mean',
    sphere: { method: 'ZCA-cor', shrinkage: LW },
    consensus: 'mean',
    metric: 'cosine',
  },
  {
    name: 'ZCA-cor Ledoit-Wolf, median',
    sphere: { method: 'ZCA-cor', shrinkage: LW },
    consensus: 'median',
    metric: 'cosine',
  },
  {
    name: 'ZCA-cor Ledoit-Wolf, mean, Pearson',
    sphere: { method: 'ZCA-cor', shrinkage: LW },
    consensus: 'mean',
    metric: 'pearson',
  },
];

/** Each method's well table (sphered to the control rows where the method says so), for selectProfileMethod. */
export function profileCandidates(
  table: Table,
  isControl: (row: number) => boolean,
  features: readonly string[],
  methods: readonly ProfileMethod[] = PROFILE_METHODS,
): ProfileCandidate[] {
  const sphered = new Map<string, Table>();
  return methods.map((m) => {
    if (!m.sphere) return { name: m.name, table, metric: m.metric };
    const key = JSON.stringify(m.sphere);
    let t = sphered.get(key);
    if (!t) {
      t = sphereTable(table, isControl, features, m.sphere).table;
      sphered.set(key, t);
    }
    return { name: m.name, table: t, metric: m.metric };
  });
}

/**
 * The default of moaRetrieval and `phenoscope profile map`: the candidate selectProfileMethod picks on the BBBC021
 * well profiles (pre-registered criterion, no MoA labels; asserted in selectProfileMethod.test.ts).
 */
export const DEFAULT_PROFILE_METHOD: ProfileMethod = PROFILE_METHODS[3]!;
