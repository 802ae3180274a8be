// Sphering (whitening) of profiles to a reference population, usually the negative-control (DMSO) wells, as
// pycytominer's Spherize (operations/transform.py; Kessy, Lewin & Strimmer 2016, "Optimal whitening and
// decorrelation", Am Stat 72:309): ZCA W = V·diag(1/(√λ + ε/√(n−1)))·Vᵀ and PCA W = diag(…)·Vᵀ from the
// eigendecomposition of the reference covariance (pycytominer adds ε to the singular values of the centred
// data, σ = √(λ(n−1)), which is the same thing); '-cor' variants first standardise each feature by the
// reference mean and population sd. Optionally the covariance is shrunk by Ledoit-Wolf (then the
// '-cor' variants use the shrunk correlation matrix, as Strimmer's R 'whitening' package does with corpcor).
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { type Column, type Table, tableFromColumns } from '../table/table.ts';
import { ledoitWolf } from './ledoitWolf.ts';
import { featureRows } from './matrix.ts';

export type SphereMethod = 'ZCA' | 'PCA' | 'ZCA-cor' | 'PCA-cor';

export interface SphereOptions {
  /** Whitening flavour. @default 'ZCA' */
  method?: SphereMethod;
  /** Added to the singular values (pycytominer's epsilon). @default 1e-6 */
  epsilon?: number;
  /** Covariance estimate: the unbiased sample covariance, or Ledoit-Wolf shrinkage. @default 'none' */
  shrinkage?: 'none' | 'ledoit-wolf';
}

export interface Sphere {
  /** Apply to one profile (length p); returns a new array. */
  transform(row: ArrayLike<number>): Float64Array;
  /** Ledoit-Wolf intensity used (0 without shrinkage). */
  shrinkage: number;
}

/** Fit a sphering transform on the reference rows (n×p). */
export function fitSphere(reference: readonly Float64Array[], options: SphereOptions = {}): Sphere {
  const method = options.method ?? 'ZCA';
  const eps = options.epsilon ?? 1e-6;
  const n = reference.length;
  const p = reference[0]?.length ?? 0;
  if (n < 2 || p === 0) throw new RangeError(`fitSphere: need at least 2 reference rows, got ${n}`);
  for (const r of reference) {
    for (const v of r)
      if (!Number.isFinite(v)) throw new RangeError('fitSphere: reference rows contain NaN/Infinity');
  }
  const mean = new Float64Array(p);
  for (const r of reference) for (let j = 0; j < p; j++) mean[j] = mean[j]! + r[j]! / n;
  const scale = new Float64Array(p).fill(1);
  const cor = method.endsWith('-cor');
  if (cor) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (const r of reference) s += (r[j]! - mean[j]!) ** 2;
      scale[j] = Math.sqrt(s / n);
      if (!(scale[j]! > 0)) throw new RangeError(`fitSphere: feature ${j} is constant in the reference rows`);
    }
  }
  const z = reference.map((r) => Float64Array.from(r, (v, j) => (v - mean[j]!) / scale[j]!));
  let cov: Float64Array;
  let shrinkage = 0;
  if ((options.shrinkage ?? 'none') === 'ledoit-wolf') {
    const lw = ledoitWolf(z);
    cov = lw.covariance;
    shrinkage = lw.shrinkage;
  } else {
    cov = new Float64Array(p * p);
    for (const r of z) {
      for (let a = 0; a < p; a++)
        for (let b = 0; b <= a; b++) cov[a * p + b] = cov[a * p + b]! + r[a]! * r[b]!;
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b <= a; b++) {
        cov[a * p + b] = cov[a * p + b]! / (n - 1);
        cov[b * p + a] = cov[a * p + b]!;
      }
    }
  }
  const m = new Matrix(p, p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) m.set(a, b, cov[a * p + b]!);
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const inv = values.map((l) => 1 / (Math.sqrt(Math.max(l, 0)) + eps / Math.sqrt(n - 1)));
  // W (p×p) applied as y = W·(x − mean)/scale.
  const w = new Float64Array(p * p);
  if (method.startsWith('ZCA')) {
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += vectors.get(a, k) * inv[k]! * vectors.get(b, k);
        w[a * p + b] = s;
      }
    }
  } else {
    // PCA: components in descending eigenvalue order (ml-matrix returns ascending for symmetric input).
    const order = values.map((_, k) => k).sort((i, j) => values[j]! - values[i]!);
    order.forEach((k, row) => {
      for (let b = 0; b < p; b++) w[row * p + b] = inv[k]! * vectors.get(b, k);
    });
  }
  return {
    shrinkage,
    transform(row) {
      if (row.length !== p) throw new RangeError(`sphere: profile has ${row.length} features, expected ${p}`);
      const x = Float64Array.from({ length: p }, (_, j) => (row[j]! - mean[j]!) / scale[j]!);
      const y = new Float64Array(p);
      for (let a = 0; a < p; a++) {
        let s = 0;
        for (let b = 0; b < p; b++) s += w[a * p + b]! * x[b]!;
        y[a] = s;
      }
      return y;
    },
  };
}

/**
 * `rows` sphered to those where `isReference` holds (e.g. the DMSO wells); `caller` names the function in the
 * error for fewer than 2 reference rows.
 */
export function sphereRows(
  rows: readonly Float64Array[],
  isReference: (row: number) => boolean,
  options: SphereOptions,
  caller: string,
): { rows: Float64Array[]; shrinkage: number } {
  const reference = rows.filter((_, r) => isReference(r));
  if (reference.length < 2)
    throw new RangeError(`${caller}: sphering needs at least 2 reference rows, got ${reference.length}`);
  const sphere = fitSphere(reference, options);
  return { rows: rows.map((r) => sphere.transform(r)), shrinkage: sphere.shrinkage };
}

/**
 * The table with its feature columns sphered to the rows where `isReference` holds (e.g. the DMSO wells); other
 * columns are kept as they are.
 */
export function sphereTable(
  table: Table,
  isReference: (row: number) => boolean,
  features: readonly string[],
  options: SphereOptions = {},
): { table: Table; shrinkage: number } {
  const { rows, shrinkage } = sphereRows(featureRows(table, features), isReference, options, 'sphereTable');
  const columns: Record<string, Column> = { ...table.columns };
  features.forEach((f, j) => {
    columns[f] = Float64Array.from(rows, (r) => r[j]!);
  });
  return { table: tableFromColumns(columns, table.names), shrinkage };
}
