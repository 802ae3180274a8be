// Feature selection as pycytominer.feature_select (operations/variance_threshold.py, correlation_threshold.py,
// cyto_utils/util.get_pairwise_correlation; pycytominer commit 06444d0): each returns the features to EXCLUDE.
// - frequency threshold (caret::nearZeroVar): exclude when (count of 2nd most common value)/(count of most common)
//   < freqCut, or the feature has a single value, or (number of unique values)/(number of rows) < uniqueCut;
// - variance threshold: population variance (ddof 0) < minVariance;
// - correlation threshold: for every pair with signed Pearson r > threshold, exclude the member whose sum of
//   |r| over all features is larger (pycytominer ranks by that sum; pairs are judged independently, not greedily);
// - blocklist: listed names; NA: fraction of missing values above a cut.

import type { Table } from '../table/table.ts';
import { featureRows } from './matrix.ts';

function column(table: Table, name: string): Float64Array {
  const c = table.columns[name];
  if (!(c instanceof Float64Array)) throw new RangeError(`feature '${name}' is missing or not numeric`);
  return c;
}

function finiteValues(c: Float64Array): number[] {
  return Array.from(c).filter((v) => !Number.isNaN(v));
}

export interface FrequencyThresholdOptions {
  /** Minimum ratio of 2nd most to most common value count. @default 0.05 */
  freqCut?: number;
  /** Minimum ratio of unique values to rows. @default 0.01 */
  uniqueCut?: number;
}

/** Features excluded by pycytominer's frequency_threshold (freq_cut / unique_cut). */
export function frequencyThreshold(
  table: Table,
  features: readonly string[],
  options: FrequencyThresholdOptions = {},
): string[] {
  const freqCut = options.freqCut ?? 0.05;
  const uniqueCut = options.uniqueCut ?? 0.01;
  if (!(freqCut >= 0 && freqCut <= 1)) throw new RangeError(`freqCut must be in [0, 1], got ${freqCut}`);
  if (!(uniqueCut >= 0 && uniqueCut <= 1))
    throw new RangeError(`uniqueCut must be in [0, 1], got ${uniqueCut}`);
  return features.filter((f) => {
    const values = finiteValues(column(table, f));
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const lowFrequency = sorted.length < 2 || sorted[1]! / sorted[0]! < freqCut;
    // pandas nunique() over all rows (NaN not counted) divided by the row count including NaN rows.
    const lowUnique = counts.size / table.rows < uniqueCut;
    return lowFrequency || lowUnique;
  });
}

/** Features whose population variance (ddof 0, NaN skipped) is below `minVariance` (pycytominer default 1e-6). */
export function varianceThreshold(table: Table, features: readonly string[], minVariance = 1e-6): string[] {
  return features.filter((f) => {
    const v = finiteValues(column(table, f));
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    return v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length < minVariance;
  });
}

/** Pearson correlation matrix (p×p, row-major) of the features over rows, pairwise-complete like pandas. */
export function correlationMatrix(table: Table, features: readonly string[]): Float64Array {
  const rows = featureRows(table, features);
  const p = features.length;
  const out = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    out[a * p + a] = 1;
    for (let b = 0; b < a; b++) {
      let n = 0;
      let sa = 0;
      let sb = 0;
      for (const r of rows) {
        if (Number.isNaN(r[a]!) || Number.isNaN(r[b]!)) continue;
        n++;
        sa += r[a]!;
        sb += r[b]!;
      }
      const ma = sa / n;
      const mb = sb / n;
      let sab = 0;
      let saa = 0;
      let sbb = 0;
      for (const r of rows) {
        if (Number.isNaN(r[a]!) || Number.isNaN(r[b]!)) continue;
        sab += (r[a]! - ma) * (r[b]! - mb);
        saa += (r[a]! - ma) ** 2;
        sbb += (r[b]! - mb) ** 2;
      }
      const c = sab / Math.sqrt(saa * sbb);
      out[a * p + b] = c;
      out[b * p + a] = c;
    }
  }
  return out;
}

/** Features excluded by pycytominer's correlation_threshold (Pearson, default threshold 0.9). */
export function correlationThreshold(table: Table, features: readonly string[], threshold = 0.9): string[] {
  if (!(threshold >= 0 && threshold <= 1))
    throw new RangeError(`threshold must be in [0, 1], got ${threshold}`);
  const p = features.length;
  const corr = correlationMatrix(table, features);
  const absSum = features.map((_, a) => {
    let s = 0;
    for (let b = 0; b < p; b++) {
      const v = Math.abs(corr[a * p + b]!);
      if (!Number.isNaN(v)) s += v;
    }
    return s;
  });
  // Rank of each feature in ascending order of its |r| sum (stable for ties).
  const order = features.map((_, i) => i).sort((i, j) => absSum[i]! - absSum[j]! || i - j);
  const rank = new Array<number>(p);
  order.forEach((f, k) => {
    rank[f] = k;
  });
  const excluded = new Set<string>();
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < a; b++) {
      if (corr[a * p + b]! > threshold) excluded.add(features[rank[a]! > rank[b]! ? a : b]!);
    }
  }
  return features.filter((f) => excluded.has(f));
}

/** Features whose fraction of missing values exceeds `cut` (pycytominer get_na_columns, default 0.05). */
export function naThreshold(table: Table, features: readonly string[], cut = 0.05): string[] {
  return features.filter((f) => {
    const c = column(table, f);
    let na = 0;
    for (const v of c) if (Number.isNaN(v)) na++;
    return na / c.length > cut;
  });
}

/** Features named in a blocklist (exact names). */
export function blocklist(features: readonly string[], blocked: Iterable<string>): string[] {
  const set = new Set(blocked);
  return features.filter((f) => set.has(f));
}

export type FeatureSelectOperation = 'na' | 'frequency' | 'variance' | 'correlation' | 'blocklist';

export interface FeatureSelectOptions extends FrequencyThresholdOptions {
  /** Operations in order; each sees the features the previous ones kept. @default ['frequency', 'correlation'] */
  operations?: readonly FeatureSelectOperation[];
  /** Correlation threshold. @default 0.9 */
  correlation?: number;
  /** Minimum variance. @default 1e-6 */
  minVariance?: number;
  /** Missing-value fraction cut. @default 0.05 */
  naCut?: number;
  /** Blocked feature names. @default [] */
  blocked?: readonly string[];
}

/** Apply operations in order; returns the kept features and, per operation, what it excluded. */
export function featureSelect(
  table: Table,
  features: readonly string[],
  options: FeatureSelectOptions = {},
): { kept: string[]; excluded: Record<string, string[]> } {
  let kept = [...features];
  const excluded: Record<string, string[]> = {};
  for (const op of options.operations ?? ['frequency', 'correlation']) {
    const drop =
      op === 'na'
        ? naThreshold(table, kept, options.naCut)
        : op === 'frequency'
          ? frequencyThreshold(table, kept, options)
          : op === 'variance'
            ? varianceThreshold(table, kept, options.minVariance)
            : op === 'correlation'
              ? correlationThreshold(table, kept, options.correlation)
              : blocklist(kept, options.blocked ?? []);
    excluded[op] = drop;
    const set = new Set(drop);
    kept = kept.filter((f) => !set.has(f));
  }
  return { kept, excluded };
}
