// Principal component analysis through `ml-pca` (SVD of the centred data; Pearson 1901, Hotelling 1933), with
// components oriented like scikit-learn's `svd_flip` (the largest-|loading| entry of each component positive) so
// results compare across tools, and explained variance with the n - 1 denominator as scikit-learn.
import { PCA } from 'ml-pca';
import { checkMatrix, type Matrix } from './matrix.ts';

export interface PcaOptions {
  /** Components to keep. @default min(rows, cols) */
  components?: number;
  /** Divide each feature by its standard deviation first. @default false */
  scale?: boolean;
}

export interface PcaResult {
  /** Projected rows, rows x components row-major. */
  scores: Float64Array;
  /** Principal axes, components x cols row-major (unit vectors). */
  components: Float64Array;
  /** Variance along each component (n - 1 denominator). */
  explainedVariance: Float64Array;
  /** Fraction of the total variance per component. */
  explainedVarianceRatio: Float64Array;
  count: number;
}

export function pca(m: Matrix, options: PcaOptions = {}): PcaResult {
  checkMatrix(m, 'pca');
  const { rows: n, cols: p } = m;
  if (n < 2) throw new RangeError(`pca: need at least 2 rows, got ${n}`);
  const count = options.components ?? Math.min(n, p);
  if (!Number.isInteger(count) || count < 1 || count > Math.min(n, p)) {
    throw new RangeError(`components must be an integer in 1..${Math.min(n, p)}, got ${count}`);
  }
  const rows = Array.from({ length: n }, (_, i) => Array.from(m.data.subarray(i * p, (i + 1) * p)));
  const model = new PCA(rows, { method: 'SVD', center: true, scale: options.scale ?? false });
  const vectors = model.getEigenvectors(); // p x p, columns are components
  const ratio = model.getExplainedVariance();
  const eigen = model.getEigenvalues();
  const components = new Float64Array(count * p);
  for (let c = 0; c < count; c++) {
    let big = 0;
    for (let j = 0; j < p; j++) if (Math.abs(vectors.get(j, c)) > Math.abs(vectors.get(big, c))) big = j;
    const sign = vectors.get(big, c) < 0 ? -1 : 1;
    for (let j = 0; j < p; j++) components[c * p + j] = sign * vectors.get(j, c);
  }
  // Scores from the oriented components (centred, optionally scaled, data times the axes).
  const means = new Float64Array(p);
  const sds = new Float64Array(p).fill(1);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += m.data[i * p + j]!;
    means[j] = s / n;
    if (options.scale) {
      let v = 0;
      for (let i = 0; i < n; i++) v += (m.data[i * p + j]! - means[j]!) ** 2;
      sds[j] = Math.sqrt(v / (n - 1)) || 1;
    }
  }
  const scores = new Float64Array(n * count);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < count; c++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += ((m.data[i * p + j]! - means[j]!) / sds[j]!) * components[c * p + j]!;
      scores[i * count + c] = s;
    }
  }
  return {
    scores,
    components,
    explainedVariance: Float64Array.from(eigen.slice(0, count)),
    explainedVarianceRatio: Float64Array.from(ratio.slice(0, count)),
    count,
  };
}
