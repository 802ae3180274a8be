// Ledoit-Wolf shrunk covariance (Ledoit & Wolf 2004, "A well-conditioned estimator for large-dimensional
// covariance matrices", J Multivar Anal 88:365), with scikit-learn's estimator of the shrinkage intensity
// (sklearn.covariance.ledoit_wolf_shrinkage): Σ = (1 − δ)·S + δ·μ·I, S = XᵀX/n of the centred data,
// μ = trace(S)/p. Used for sphering and Mahalanobis distances when controls are few relative to features.

export interface ShrunkCovariance {
  /** p×p row-major covariance. */
  covariance: Float64Array;
  /** Column means of the data. */
  mean: Float64Array;
  /** Shrinkage intensity δ in [0, 1]. */
  shrinkage: number;
}

/** Ledoit-Wolf covariance of the rows (n×p); `shrinkage` overrides the estimated δ when given. */
export function ledoitWolf(rows: readonly Float64Array[], shrinkage?: number): ShrunkCovariance {
  const n = rows.length;
  const p = rows[0]?.length ?? 0;
  if (n < 2 || p === 0) throw new RangeError(`ledoitWolf: need at least 2 rows and 1 column, got ${n}×${p}`);
  const mean = new Float64Array(p);
  for (const r of rows) {
    if (r.length !== p) throw new RangeError(`ledoitWolf: rows of unequal length ${r.length} and ${p}`);
    for (let j = 0; j < p; j++) mean[j] = mean[j]! + r[j]! / n;
  }
  const x = rows.map((r) => Float64Array.from(r, (v, j) => v - mean[j]!));
  const s = new Float64Array(p * p);
  for (const r of x) {
    for (let a = 0; a < p; a++) {
      const ra = r[a]!;
      if (ra === 0) continue;
      for (let b = 0; b <= a; b++) s[a * p + b] = s[a * p + b]! + ra * r[b]!;
    }
  }
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) {
      s[a * p + b] = s[a * p + b]! / n;
      s[b * p + a] = s[a * p + b]!;
    }
  }
  let trace = 0;
  for (let a = 0; a < p; a++) trace += s[a * p + a]!;
  const mu = trace / p;
  let delta = shrinkage;
  if (delta === undefined) {
    // sklearn: beta_ = Σ (X²ᵀX²)_ab, delta_ = Σ (XᵀX)²_ab / n², beta = (beta_/n − delta_)/(p n), delta = ‖S − μI‖²/p.
    let deltaSum = 0;
    for (let k = 0; k < p * p; k++) deltaSum += s[k]! ** 2; // (XᵀX/n)² summed = delta_
    let betaSum = 0;
    const x2 = x.map((r) => r.map((v) => v * v));
    // Σ_ab Σ_i x²_ia x²_ib = Σ_i (Σ_a x²_ia)²
    for (const r of x2) {
      let rowSum = 0;
      for (const v of r) rowSum += v;
      betaSum += rowSum * rowSum;
    }
    let beta = (betaSum / n - deltaSum) / (p * n);
    let d = deltaSum - 2 * mu * trace + p * mu * mu;
    d /= p;
    beta = Math.min(beta, d);
    delta = beta === 0 ? 0 : beta / d;
  }
  if (!(delta >= 0 && delta <= 1))
    throw new RangeError(`ledoitWolf: shrinkage must be in [0, 1], got ${delta}`);
  const covariance = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++)
      covariance[a * p + b] = (1 - delta) * s[a * p + b]! + (a === b ? delta * mu : 0);
  }
  return { covariance, mean, shrinkage: delta };
}
